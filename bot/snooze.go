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
				return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "I couldn't read %s as a time still to come.", quote.Short(when, 40))
			}
			rest = ""
			d, untilAt = t.Sub(req.Now).Truncate(time.Second), t
		}
		if rest != "" {
			if d, derr = timewords.ParseDuration(rest); errors.Is(derr, timewords.ErrNotDuration) {
				return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "I couldn't read %s as a length of time.", quote.Short(rest, 40))
			}
			if first, ok := lengthTwice(derr); ok {
				return Reply{}, Invalid(fmt.Sprintf("snooze #%s %s", r.ID, first), "Give the length once, like `%s`.", first)
			}
		}
	}
	least := min(time.Minute, b.minInterval)
	if derr != nil || d < least || d > maxSnooze {
		return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "A snooze can be %s to %s.", timewords.FormatDuration(least), timewords.FormatDuration(maxSnooze))
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
// snooze without an id repeats. Team breaks take their id.
func (b *Bot) latestDelivered(ctx context.Context, req *Request) (Reminder, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, IncludeFinished: true})
	if err != nil {
		return Reminder{}, fmt.Errorf("bot: load reminders: %w", err)
	}
	var last Reminder
	for _, r := range rs {
		if r.Kind == Personal && r.Owner == req.Message.User && r.LastRun.After(last.LastRun) {
			last = r
		}
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
