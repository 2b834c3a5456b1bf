package bot

import (
	"context"
	"fmt"
	"strings"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

// skippable reports whether r has a run coming to skip: not finished,
// not paused for good, with a run left after any timed pause.
func (b *Bot) skippable(r Reminder) bool {
	return !r.Finished() && !r.Paused && !b.upcoming(r).IsZero()
}

// skippedByHand is why a team break's run passed over by `skip` (or its
// Skip button) is counted as skipped in stats and summaries.
const skippedByHand = "asked to skip"

// SkippedByPause is why a team break's run held back by a pause is counted
// as skipped in stats and summaries, as one passed over with `skip` is: a
// pause is a skip of every run it holds back. The scheduler says it for a
// pause with an end; `resume` for one lifted by hand. A person's own
// reminders paused are not counted: their skips are those their settings
// make.
const SkippedByPause = "paused"

// SkippedMissed is why a team break's run that fell due while no instance
// of the bot was running, and was not delivered late, is counted as
// skipped in stats and summaries. A person's own reminders missed are not
// counted, as with a pause.
const SkippedMissed = "bot not running"

func (b *Bot) skipCmd(ctx context.Context, req *Request) (Reply, error) {
	if ids := manyIDs(req.Args); len(ids) > 1 || ids[0] != req.Args {
		return b.each(ctx, req, ids, b.skipCmd)
	}
	if isAll(req.Args) {
		return b.skipAll(ctx, req)
	}
	if id, rest := splitWord(req.Args); runCount(rest) {
		// "skip #k3f9 twice": each skip passes over one run.
		if rid, err := parseID(id); err == nil {
			return Reply{}, Invalid("skip #"+string(rid), "`skip` passes over one run at a time: say `skip #%s` once for each run.", rid)
		}
	}
	if id, rest := splitWord(req.Args); rest != "" && b.rules != nil {
		// "skip #k3f9 tomorrow": a skip passes over the next run and
		// takes no time; the id alone is not "k3f9 tomorrow".
		if rid, err := parseID(id); err == nil && b.readsAsTime(rest, req) {
			return Reply{}, Invalid("skip #"+string(rid), "`skip #%s` passes over its next run and takes no time; to hold its runs until a day, say `pause #%s until` that day.", rid, rid)
		}
	}
	r, err := b.lookup(ctx, req, req.Args)
	if err != nil {
		return Reply{}, err
	}
	if r.Finished() {
		return Reply{}, Invalid("list", "#%s has no runs left to skip.", r.ID)
	}
	if r.Paused {
		return Reply{}, Invalid(fmt.Sprintf("resume #%s", r.ID), "#%s is paused, so nothing is coming to skip.", r.ID)
	}
	rule, _, err := b.rule(r)
	if err != nil {
		return Reply{}, err
	}
	// The run skipped is the next one that would go out: after a timed
	// pause, the first at or after its end.
	skipped := b.upcoming(r)
	if skipped.IsZero() {
		return Reply{}, Invalid(fmt.Sprintf("resume #%s", r.ID), "#%s has no run left after its pause to skip.", r.ID)
	}
	// Runs that would be passed over anyway (outside working hours, on a
	// holiday) are not worth a skip: the one skipped is the next that
	// would reach people, and the next shown the one after it that will.
	if f := b.firstFiring(ctx, r, req.User, skipped); !f.IsZero() {
		skipped = f
	}
	next := rule.Next(skipped)
	if next.IsZero() {
		// Skipping the only run leaves nothing: remove it, as cancel would.
		if err := b.store.DeleteReminder(ctx, req.Tenant, r.ID); err != nil {
			return Reply{}, fmt.Errorf("bot: skip #%s: %w", r.ID, err)
		}
		b.wake(r.ID)
		b.countChannelSkip(ctx, r, skipped, skippedByHand)
		which := "only"
		if rule.Repeats() {
			which = "last" // "every day for 3 days", skipped to its end
		}
		return Reply{Blocks: []string{fmt.Sprintf("Skipped #%s on %s; that was its %s run, so it is removed.", r.ID, FormatTime(skipped, req.Now, req.Zone), which)}, Visibility: Private}, nil
	}
	if err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, next); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return Reply{}, &Error{Code: ECONFLICT, Message: fmt.Sprintf("#%s is being delivered right now; try again in a moment.", r.ID)}
		}
		return Reply{}, fmt.Errorf("bot: skip #%s: %w", r.ID, err)
	}
	b.wake()
	b.countChannelSkip(ctx, r, skipped, skippedByHand)
	shown := next
	if f := b.firstFiring(ctx, r, req.User, next); !f.IsZero() {
		shown = f
	}
	blocks := []string{fmt.Sprintf("Skipped #%s on %s. Next: %s.", r.ID, FormatTime(skipped, req.Now, req.Zone), FormatTime(shown, req.Now, req.Zone))}
	if r.PausedUntil.After(req.Now) && r.NextRun.Before(r.PausedUntil) {
		// The next run is kept as one point in time, so skipping past the
		// pause gives up the runs it holds back even if it ends early.
		blocks = append(blocks, "That was the first run after the pause, so resuming early no longer brings back the runs it holds back.")
	}
	return Reply{Blocks: blocks, Visibility: Private}, nil
}

// skipAll skips the next run of each repeating reminder the caller may
// change here that has one coming, as `pause all` pauses them: without
// asking first. Paused and finished reminders, and those whose every run
// the caller's settings pass over, are left alone, and so are one-offs:
// skipping a one-off's only run removes it, which is `cancel`'s work, and
// a one-off set for a time you chose comes through quiet periods and time
// away too.
func (b *Bot) skipAll(ctx context.Context, req *Request) (Reply, error) {
	oneOffs := 0
	rs, _, err := b.targets(ctx, req, "all", func(r Reminder) bool {
		if !b.skippable(r) {
			return false
		}
		if rule, _, err := b.rule(r); err == nil && !rule.Repeats() {
			oneOffs++
			return false
		}
		// One whose every run the caller's settings pass over has
		// nothing coming to skip.
		if r.Kind == Personal && r.Owner == req.Message.User {
			if f, _ := b.nextFiring(r, req.User); f.IsZero() {
				return false
			}
		}
		return true
	})
	if err != nil {
		return Reply{}, err
	}
	leftOneOffs := ""
	if oneOffs > 0 {
		leftOneOffs = fmt.Sprintf("One-off reminders are left as they are (%d here): skipping one removes it, so `skip` or `cancel` it by its id.", oneOffs)
	}
	if len(rs) == 0 {
		if oneOffs > 0 {
			return Reply{}, Invalid("list", "You have no repeating reminder coming here to skip. %s", leftOneOffs)
		}
		return Reply{}, Invalid("list", "You have nothing coming here to skip.")
	}
	var out Reply
	for _, r := range rs {
		one := *req
		one.Args = "#" + string(r.ID)
		reply, err := b.skipCmd(ctx, &one)
		if err != nil {
			if IsInvalid(err) || ErrorCode(err) == ECONFLICT {
				// One that changed under us (being delivered, paused
				// meanwhile) does not undo the others already skipped.
				out.Blocks = append(out.Blocks, fmt.Sprintf("Not skipped: %s", ErrorMessage(err)))
				continue
			}
			return Reply{}, err
		}
		out.Blocks = append(out.Blocks, reply.Blocks...)
	}
	if leftOneOffs != "" {
		out.Blocks = append(out.Blocks, leftOneOffs)
	}
	out.Visibility = Private
	return out, nil
}

// runCount reports whether s counts runs: "twice", "3 times", "two times".
func runCount(s string) bool {
	w := strings.Fields(strings.ToLower(s))
	switch {
	case len(w) == 1:
		return w[0] == "twice" || w[0] == "thrice"
	case len(w) >= 2 && w[len(w)-1] == "times":
		_, used, ok := timewords.Number(w, 0)
		return ok && used == len(w)-1
	}
	return false
}

// readsAsTime reports whether words read as a time on their own
// ("tomorrow", "on friday").
func (b *Bot) readsAsTime(words string, req *Request) bool {
	_, err := b.rules.Parse(words, req.Zone, req.Now)
	return err == nil
}
