package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

func (b *Bot) pauseCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	req.Args = withoutForever(req.Args)
	if ids, said, rest := leadingIDs(req.Args); said > 1 {
		// "pause #k3f9 #m2x8 for 2 hours": each, for the same time.
		return b.each(ctx, req, ids, func(ctx context.Context, one *Request) (Reply, error) {
			one.Args = strings.TrimSpace(one.Args + " " + rest)
			return b.pauseCmd(ctx, one)
		})
	}
	arg, rest := splitWord(req.Args)
	if arg == "" {
		return Reply{}, b.whichOne(ctx, req, false)
	}
	// "pause for 2 hours": the id left out. What follows is read as for
	// all, so that the example offered works, but nothing is paused.
	keep, _ := notIDWord(arg)
	if keep {
		arg, rest = "all", req.Args
	}
	// What to pause comes first, so that every example below names
	// something there is to pause.
	rs, all, err := b.targets(ctx, req, arg, func(r Reminder) bool { return !r.Paused && !r.Finished() })
	if err != nil {
		return Reply{}, err
	}
	if all && len(rs) == 0 {
		return Reply{}, Invalid("remind me every weekday at 10:30", "You have nothing active here to pause.")
	}
	shown := "all"
	if !all {
		if err := b.noRunsLeft(rs[0], req, "pause"); err != nil {
			return Reply{}, err
		}
		shown = "#" + string(rs[0].ID)
	}
	var until time.Time
	switch today, end := restOfDay(rest); {
	case today:
		rest = "until tomorrow" // "pause #k3f9 for today": back tomorrow morning
	case end:
		rest = "until midnight" // "pause #k3f9 until the end of the day"
	}
	kw, when := splitWord(rest)
	switch strings.ToLower(kw) {
	case "":
	case "for":
		d, err := timewords.ParseDuration(when)
		switch {
		case when == "":
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "For how long?")
		case errors.Is(err, timewords.ErrNotDuration):
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "I couldn't read %s as a length of time.", quote.Short(when, 40))
		case errors.Is(err, timewords.ErrTwice):
			first, _ := lengthTwice(err)
			return Reply{}, Invalid("pause "+shown+" for "+first, "Give the length once, like `%s`.", first)
		case err != nil || d < time.Second || d > maxPause:
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "A pause can last from 1 second to a year.")
		}
		until = req.Now.Add(d)
	case "until", "till", "til":
		if when == "" {
			return Reply{}, Invalid("pause "+shown+" until tomorrow 9am", "Until when?")
		}
		t, err := b.instant(when, req)
		if err != nil {
			// The parser's examples are <when>s: make them whole commands,
			// unless the example itself is beyond what a pause allows.
			if !IsInvalid(err) {
				return Reply{}, err
			}
			switch et, eerr := b.instant(ErrorExample(err), req); {
			case eerr != nil:
				return Reply{}, Invalid("pause "+shown+" for 2 weeks", "%s", ErrorMessage(err))
			case et.Sub(req.Now) > maxPause:
				// Mended, it is still too far for a pause ("in 100 years").
				return Reply{}, Invalid("pause "+shown+" for 2 weeks", "A pause can last up to a year.")
			}
			if ErrorCode(err) == EUNREAD {
				// The parser's answer to words it cannot read at all
				// starts a new <when>; a pause needs a point in time.
				return Reply{}, Invalid("pause "+shown+" until tomorrow 9am", "I couldn't read %s as a time to pause until.", quote.Short(when, 40))
			}
			if length, ok := strings.CutPrefix(ErrorExample(err), "in "); ok {
				// Mended into a length ("until 2 hours" → "in 2
				// hours"): a pause says that with for.
				if d, derr := timewords.ParseDuration(length); derr == nil && d >= time.Second && d <= maxPause {
					return Reply{}, Invalid("pause "+shown+" for "+length, "%s", ErrorMessage(err))
				}
			}
			return Reply{}, asCommand(untilExample(err), "pause "+shown+" until ")
		}
		if t.Sub(req.Now) > maxPause {
			return Reply{}, Invalid("pause "+shown+" for 2 weeks", "A pause can last up to a year.")
		}
		until = t
	default:
		// "pause #k3f9 2 hours", "pause all tomorrow 9am": the for or
		// until left out.
		d, err := timewords.ParseDuration(rest)
		if err == nil && d >= time.Second && d <= maxPause {
			until = req.Now.Add(d)
			break
		}
		if first, ok := lengthTwice(err); ok {
			return Reply{}, Invalid("pause "+shown+" for "+first, "Give the length once, like `%s`.", first)
		}
		if t, err := b.instant(rest, req); err == nil && t.Sub(req.Now) <= maxPause {
			until = t
			break
		}
		if !all {
			// "pause k3f9 m2x8": more ids, typed without their #.
			if err := b.bareIDs(ctx, req, shown+" "+rest); err != nil {
				return Reply{}, err
			}
		}
		return Reply{}, Invalid("pause "+shown+" for 2 hours", "After the id, say `for <duration>` or `until <when>`, or nothing to pause until you resume.")
	}
	// The end is kept to the second, as it is shown: runs fall on whole
	// seconds and one at exactly the end fires, whereas the fraction of a
	// second the command arrived in would show "until 11:00" and yet skip
	// the run at 11:00:00.
	until = until.Truncate(time.Second)
	if keep {
		return Reply{}, b.whichOne(ctx, req, true)
	}
	ids := make([]string, 0, len(rs))
	changed := make([]ReminderID, 0, len(rs))
	var gone []string // no run left once the pause ends
	for _, r := range rs {
		if !until.IsZero() {
			r.PausedUntil = until
			if b.upcoming(r).IsZero() {
				gone = append(gone, "#"+string(r.ID))
			}
		}
		// A timed pause leaves the next run where it is: the scheduler
		// passes over the runs before the end, and the views show the
		// first after it (upcoming). Resuming early then finds the runs
		// the pause held back still there, and a run skipped before the
		// pause still gone, which a moved next run could not tell apart.
		if err := b.store.SetPaused(ctx, req.Tenant, r.ID, until.IsZero(), until); err != nil {
			return Reply{}, fmt.Errorf("bot: pause #%s: %w", r.ID, err)
		}
		ids = append(ids, "#"+string(r.ID))
		changed = append(changed, r.ID)
	}
	b.wake(changed...)
	if until.IsZero() {
		it := "it"
		if len(ids) > 1 {
			it = "them"
		}
		return Reply{Blocks: []string{fmt.Sprintf("Paused %s until you `resume` %s.", timewords.JoinAnd(ids), it)}, Visibility: Private}, nil
	}
	blocks := []string{fmt.Sprintf("Paused %s until %s; runs before then are skipped.", timewords.JoinAnd(ids), FormatTime(until, req.Now, req.Zone))}
	if len(gone) > 0 {
		// A one-off due inside the pause (or a repeat that ends in it)
		// will never come: say so rather than let it vanish.
		blocks = append(blocks, fmt.Sprintf("%s %s due only before then, so %s will not come unless you `resume` %s before %s time.",
			timewords.JoinAnd(gone), oneOrMany(len(gone), "is", "are"), oneOrMany(len(gone), "it", "they"),
			oneOrMany(len(gone), "it", "them"), oneOrMany(len(gone), "its", "their")))
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

// noRunsLeft refuses to pause or resume r when it is a one-off whose run is
// over: delivered, or passed over by a timed pause, which then offers the
// reminder again, as the user may still want it. It returns nil for
// anything else, a one-off claimed ahead of its time or still being tried
// included: a pause still stops those.
func (b *Bot) noRunsLeft(r Reminder, req *Request, verb string) error {
	if !r.Finished() {
		return nil
	}
	rule, _, err := b.rule(r)
	if err != nil || rule.Repeats() {
		return nil
	}
	at := rule.Next(time.Time{})
	if at.IsZero() || at.After(req.Now) {
		return nil
	}
	when := FormatTime(at, req.Now, req.Zone)
	switch {
	case !r.LastRun.Before(at):
		return Invalid("list", "#%s has no runs left to %s: its one run came at %s.", r.ID, verb, when)
	case !r.Paused && !r.PausedUntil.Before(at):
		again := "list"
		if r.Kind == Personal {
			again = "remind me in 20 minutes"
			if r.Note != "" {
				again += " to " + r.Note
			}
		}
		return Invalid(again, "#%s has no runs left to %s: its time, %s, passed while it was paused.", r.ID, verb, when)
	}
	return nil
}

// instant reads a point in time: "15:00", "tomorrow 9am", "friday", a date.
// Errors are the parser's, with a <when> as their example.
func (b *Bot) instant(s string, req *Request) (time.Time, error) {
	var firstErr error
	for _, cand := range []string{s, "at " + s, "on " + s, "at 9:00 on " + s, strings.Replace(s, "tomorrow", "at 9:00 tomorrow", 1)} {
		rule, err := b.rules.Parse(cand, req.Zone, req.Now)
		if err != nil {
			// The most telling failure is "that is in the past".
			if firstErr == nil || strings.Contains(strings.ToLower(ErrorMessage(err)), "past") {
				firstErr = err
			}
			continue
		}
		if t := rule.Next(req.Now); !t.IsZero() {
			return t, nil
		}
	}
	return time.Time{}, firstErr
}

// nothingToResume refuses a resume that finds nothing of the caller's
// paused here. A team break of the channel paused by someone else is
// named, with who may resume it, rather than said not to be paused.
func (b *Bot) nothingToResume(ctx context.Context, req *Request) error {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return fmt.Errorf("bot: list reminders: %w", err)
	}
	var others []string
	for _, r := range rs {
		if r.Kind == ChannelSchedule && visible(r, req.Message) && !canManage(r, req.Message) && (r.Paused || r.PausedUntil.After(req.Now)) {
			others = append(others, "#"+string(r.ID))
		}
	}
	switch len(others) {
	case 0:
		return Invalid("list", "Nothing here is paused.")
	case 1:
		return Invalid("list", "You have nothing paused here; team break %s is paused, and only the person who created it or an admin can resume it.", others[0])
	}
	return Invalid("list", "You have nothing paused here; team breaks %s are paused, and only the person who created each or an admin can resume it.", strings.Join(others, ", "))
}

func (b *Bot) resumeCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		return Reply{}, b.whichOne(ctx, req, false)
	}
	if ids := manyIDs(req.Args); len(ids) > 1 || ids[0] != req.Args {
		return b.each(ctx, req, ids, b.resumeCmd)
	}
	rs, all, err := b.targets(ctx, req, req.Args, func(r Reminder) bool { return r.Paused || r.PausedUntil.After(req.Now) })
	if err != nil {
		return Reply{}, err
	}
	if all && len(rs) == 0 {
		// Not "pause all": that is refused too when nothing is active.
		return Reply{}, b.nothingToResume(ctx, req)
	}
	var lines []string
	for _, r := range rs {
		if err := b.noRunsLeft(r, req, "resume"); err != nil && !r.Paused {
			return Reply{}, err
		}
		if !r.Paused && !r.PausedUntil.After(req.Now) {
			return Reply{}, Invalid(fmt.Sprintf("pause #%s", r.ID), "#%s is not paused.", r.ID)
		}
		line, err := b.resume(ctx, req, r)
		if err != nil {
			return Reply{}, err
		}
		lines = append(lines, line)
	}
	b.wake()
	return Reply{Blocks: lines, Visibility: Private}, nil
}

// foreverWords end a pause with no end of its own: "pause #k3f9 forever"
// is a pause until resumed, as "pause #k3f9" is.
var foreverWords = []string{"for ever", "forever", "indefinitely", "for good", "until further notice", "until i resume it", "until i resume"}

// withoutForever drops a foreverWords phrase that ends args.
func withoutForever(args string) string {
	lower := strings.ToLower(strings.TrimRight(args, ".!? "))
	for _, w := range foreverWords {
		if lower == w {
			return "" // "pause forever": which one is asked
		}
		if strings.HasSuffix(lower, " "+w) {
			return strings.TrimSpace(args[:len(lower)-len(w)])
		}
	}
	return args
}

// resume moves NextRun past the runs missed while paused, if any, while the
// reminder is still paused (so the scheduler cannot race it), then lifts
// the pause. A run still to come stays: one a timed pause was holding back
// comes after all, one skipped before the pause stays skipped.
func (b *Bot) resume(ctx context.Context, req *Request, r Reminder) (string, error) {
	rule, _, err := b.rule(r)
	if err != nil {
		return "", err
	}
	next := r.NextRun
	late := false
	switch {
	case rule.Repeats() && !r.NextRun.After(req.Now):
		next = rule.Next(req.Now)
	case rule.Repeats():
		// The next run is still to come: it stays, so a run skipped before
		// or during the pause stays skipped.
	case !next.IsZero() && next.Before(req.Now):
		next, late = req.Now, true
	}
	if !next.Equal(r.NextRun) {
		err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, next)
		if err != nil && ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("bot: resume #%s: %w", r.ID, err)
		}
		if err == nil && rule.Repeats() && r.Paused {
			// The runs the pause held back are skipped ones, counted
			// for the channel's stats; the move that passed over them
			// counts them once.
			b.countPausedRuns(ctx, r, rule, r.NextRun, req.Now)
		}
	}
	if err := b.store.SetPaused(ctx, req.Tenant, r.ID, false, time.Time{}); err != nil {
		return "", fmt.Errorf("bot: resume #%s: %w", r.ID, err)
	}
	switch {
	case late:
		return fmt.Sprintf("Resumed #%s; its time passed while it was paused, so it comes right now.", r.ID), nil
	case next.IsZero():
		return fmt.Sprintf("Resumed #%s, but it has no runs left.", r.ID), nil
	}
	// Say the next run that will come out, as list does: with working
	// hours or a holiday ahead, that may not be the rule's next.
	if f := b.firstFiring(ctx, r, req.User, next); !f.IsZero() && !f.Equal(next) {
		return fmt.Sprintf("Resumed #%s. Next: %s (earlier runs are passed over).", r.ID, FormatTime(f, req.Now, req.Zone)), nil
	}
	return fmt.Sprintf("Resumed #%s. Next: %s.", r.ID, FormatTime(next, req.Now, req.Zone)), nil
}

// upcoming is r's next run as it will happen: a timed pause passes over the
// runs before its end, which NextRun still names until the scheduler
// reaches them. Zero if none is left.
func (b *Bot) upcoming(r Reminder) time.Time {
	if r.NextRun.IsZero() || !r.PausedUntil.After(r.NextRun) {
		return r.NextRun
	}
	rule, _, err := b.rule(r)
	if err != nil {
		return r.NextRun
	}
	return rule.Next(r.PausedUntil.Add(-time.Nanosecond))
}

// oneOrMany is one when n is 1, else many: a word that agrees with a count.
func oneOrMany(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// untilExample drops the "at " or "on " a <when> example starts with, so
// that after "until" it reads as people say it: "until 09:00 tomorrow",
// not "until at 09:00 tomorrow".
func untilExample(err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	for _, w := range []string{"at ", "on "} {
		c.Example = strings.TrimPrefix(c.Example, w)
	}
	return &c
}
