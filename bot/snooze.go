package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

func (b *Bot) snoozeCmd(ctx context.Context, req *Request) (Reply, error) {
	arg, rest := splitWord(req.Args)
	r, err := b.lookup(ctx, req, arg)
	if (IsInvalid(err) || ErrorCode(err) == ENOTFOUND) && (snoozeLength(req.Args) || strings.EqualFold(arg, "for")) {
		// "snooze", "snooze 10", "snooze for 15 min": no id, only a
		// length, as after a reminder just delivered to you ("snooze
		// for a bit" is refused for its length, not asked for an id).
		r, err = b.latestDelivered(ctx, req)
		rest = req.Args
	}
	if err != nil {
		return Reply{}, err
	}
	// What stands in the way of any snooze comes before the length: an
	// example with another length would be refused too.
	if r.LastRun.IsZero() {
		if r.Paused {
			return Reply{}, Invalid(fmt.Sprintf("resume #%s", r.ID), "#%s hasn't been delivered yet and is paused, so there is nothing to snooze.", r.ID)
		}
		if !b.skippable(r) {
			// Nothing to skip either: every run passed without one
			// coming (a pause, working hours), or none is left.
			return Reply{}, Invalid("list", "#%s hasn't been delivered, and has no run coming, so there is nothing to snooze.", r.ID)
		}
		return Reply{}, Invalid(fmt.Sprintf("skip #%s", r.ID), "#%s hasn't been delivered yet, so there is nothing to snooze.", r.ID)
	}
	if r.Paused || r.PausedUntil.After(req.Now) {
		// It would be dropped when it fell due: say so now.
		return Reply{}, Invalid(fmt.Sprintf("resume #%s", r.ID), "#%s is paused, so a snooze would not arrive; resume it first.", r.ID)
	}
	d, untilAt, err := b.snoozeFor(rest, r.ID, req)
	if err != nil {
		if d > maxSnooze && !r.NextRun.IsZero() && canManage(r, req.Message) {
			// "snooze #k3f9 3 days": holding a repeating reminder back
			// that long is a pause.
			long := timewords.FormatDuration(d)
			return Reply{}, Invalid(fmt.Sprintf("pause #%s for %s", r.ID, long), "A snooze can be at most %s; to hold #%s back for %s, pause it.", timewords.FormatDuration(maxSnooze), r.ID, long)
		}
		return Reply{}, err
	}
	at := req.Now.Add(d)
	if !untilAt.IsZero() {
		at = untilAt
	}
	// The same break again, exactly; the store replaces a snooze still
	// pending, so only the latest one arrives.
	err = b.store.AddOccurrence(ctx, Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: at, Kind: SnoozeOccurrence, State: Pending, LeaseUntil: at,
		Repeats: r.LastRun, Routine: r.LastRoutine})
	if ErrorCode(err) == ECONFLICT {
		// Another length, since this one is taken.
		again := 15 * time.Minute
		if d == again {
			again = 20 * time.Minute
		}
		return Reply{}, Invalid(fmt.Sprintf("snooze #%s %s", r.ID, timewords.FormatShort(again)), "#%s is already snoozed to that moment.", r.ID)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("bot: snooze #%s: %w", r.ID, err)
	}
	b.wake()
	return Reply{Blocks: []string{fmt.Sprintf("Snoozed #%s: it comes again at %s (in %s).", r.ID, FormatTime(at, req.Now, req.Zone), timewords.FormatShort(d))}, Visibility: Private}, nil
}

// snoozeFor reads the length of a snooze of #id from rest ("15", "for
// half an hour", "until 3pm"; "" is the default): the length, and the
// instant an "until" names (zero without one). Its refusals offer a
// snooze of #id that works.
func (b *Bot) snoozeFor(rest string, id ReminderID, req *Request) (time.Duration, time.Time, error) {
	d := defaultSnooz
	var derr error
	var untilAt time.Time // "until 3pm": that instant, not now plus a rounded length
	if rest != "" {
		rest = strings.TrimRight(rest, ".!?")
		lower := strings.ToLower(rest)
		for _, p := range []string{"for ", "by "} {
			if strings.HasPrefix(lower, p) {
				rest, lower = rest[len(p):], lower[len(p):]
			}
		}
		if allDigits(rest) {
			rest += " min" // "snooze #k3f9 15": minutes, as for a break
		}
		if w, when := splitWord(rest); strings.EqualFold(w, "until") || strings.EqualFold(w, "till") || strings.EqualFold(w, "til") {
			// "until 3pm": the length up to then.
			t, err := b.instant(when, req)
			if err != nil || when == "" {
				return 0, time.Time{}, Invalid(fmt.Sprintf("snooze #%s 15 min", id), "I couldn't read %s as a time still to come.", quote.Short(when, 40))
			}
			rest = ""
			d, untilAt = t.Sub(req.Now).Truncate(time.Second), t
		}
		if rest != "" {
			if d, derr = timewords.ParseDuration(rest); errors.Is(derr, timewords.ErrNotDuration) {
				return 0, time.Time{}, Invalid(fmt.Sprintf("snooze #%s 15 min", id), "I couldn't read %s as a length of time.", quote.Short(rest, 40))
			}
			if first, ok := lengthTwice(derr); ok {
				return 0, time.Time{}, Invalid(fmt.Sprintf("snooze #%s %s", id, first), "Give the length once, like `%s`.", first)
			}
		}
	}
	least := min(time.Minute, b.minInterval)
	if derr != nil || d < least || d > maxSnooze {
		// A length that read and is too long comes back with the
		// refusal: the caller may offer a pause of that length instead.
		tooLong := time.Duration(0)
		if derr == nil && d > maxSnooze {
			tooLong = d
		}
		return tooLong, time.Time{}, Invalid(fmt.Sprintf("snooze #%s 15 min", id), "A snooze can be %s to %s.", timewords.FormatDuration(least), timewords.FormatDuration(maxSnooze))
	}
	return d, untilAt, nil
}

// snoozeLength reports whether args give a snooze only its length (or
// nothing): "", "10", "15m", "for half an hour", "until 3pm".
func snoozeLength(args string) bool {
	s := strings.ToLower(strings.TrimSpace(strings.TrimRight(args, ".!?")))
	for _, p := range []string{"for ", "by "} {
		s = strings.TrimPrefix(s, p)
	}
	if w, _ := splitWord(s); s == "" || allDigits(s) || w == "until" || w == "till" || w == "til" {
		return true
	}
	_, err := timewords.ParseDuration(s)
	return !errors.Is(err, timewords.ErrNotDuration)
}

// latestDelivered is the caller's own reminder delivered last: what a
// snooze without an id repeats. A team break the caller created counts
// when it came after all of their reminders; when one of their reminders
// came too, or two such team breaks came at once, the caller is asked
// which, by id, since a team break's snooze reaches the whole channel.
// Other people's team breaks take their id.
func (b *Bot) latestDelivered(ctx context.Context, req *Request) (Reminder, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, IncludeFinished: true})
	if err != nil {
		return Reminder{}, fmt.Errorf("bot: load reminders: %w", err)
	}
	var last Reminder
	var teams []Reminder // the caller's team breaks delivered last, together
	for _, r := range rs {
		if r.Owner != req.Message.User || r.LastRun.IsZero() {
			continue
		}
		switch {
		case r.Kind == Personal && r.LastRun.After(last.LastRun):
			last = r
		case r.Kind == ChannelSchedule && (len(teams) == 0 || r.LastRun.After(teams[0].LastRun)):
			teams = append(teams[:0], r)
		case r.Kind == ChannelSchedule && r.LastRun.Equal(teams[0].LastRun):
			teams = append(teams, r)
		}
	}
	if len(teams) > 0 && teams[0].LastRun.After(last.LastRun) {
		slices.SortFunc(teams, func(a, b Reminder) int { return strings.Compare(string(a.ID), string(b.ID)) })
		if len(teams) == 1 && last.ID == "" {
			return teams[0], nil
		}
		length := strings.TrimSpace(req.Args)
		if _, _, err := b.snoozeFor(length, teams[0].ID, req); err != nil {
			length = "" // the example's length must be one a snooze takes
		}
		var ids []string
		for _, r := range teams {
			ids = append(ids, fmt.Sprintf("`snooze #%s`", r.ID))
		}
		if last.ID != "" {
			ids = append(ids, fmt.Sprintf("`snooze #%s` for your reminder", last.ID))
		}
		return Reminder{}, Invalid(strings.TrimSpace(fmt.Sprintf("snooze #%s %s", teams[0].ID, length)),
			"A snooze of a team break reaches the whole channel, so say which: %s.", strings.Join(ids, ", or "))
	}
	if last.ID == "" {
		return Reminder{}, &Error{Code: ENOTFOUND, Example: "list",
			Message: "None of your reminders has been delivered yet, so there is nothing to snooze; a team break's snooze takes its id, like `snooze #k3f9`."}
	}
	return last, nil
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
