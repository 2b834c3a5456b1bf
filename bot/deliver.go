package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/zones"
	"github.com/stretchbot/stretchbot/routines"
)

// lateAfter is how overdue a delivery must be before it says so.
const lateAfter = time.Minute

// occurrenceKey identifies one delivery for done/join counts.
func occurrenceKey(id ReminderID, at time.Time) string {
	return fmt.Sprintf("occ:%s@%d", id, at.Unix())
}

// deliveryKey is Outgoing.Key for the occurrence o of r: a run and a
// snooze at the same time are two posts.
func deliveryKey(r Reminder, o Occurrence) string {
	return occurrenceKey(r.ID, o.At) + "#" + string(o.Kind)
}

// delivered reports whether at is a run of r that has been delivered: on
// the rule's grid, not before r existed and not after its latest delivery.
// Done and Join only count for those, so a forged button counts nothing.
func (b *Bot) delivered(r Reminder, at time.Time) bool {
	if at.After(r.LastRun) || at.Before(r.CreatedAt.Truncate(time.Second)) {
		return false
	}
	rule, _, err := b.rule(r)
	if err != nil {
		return false
	}
	return rule.Next(at.Add(-time.Nanosecond)).Unix() == at.Unix()
}

// Deliver posts one occurrence of r through the adapter of its platform: a
// team break with a routine and buttons, or a personal reminder with its
// note and a short routine. The scheduler calls it after claiming o. The
// returned Sent carries the routine posted (Sent.Routine), for the
// scheduler to record with the delivery; the scheduler calls Delivered
// after that record.
func (b *Bot) Deliver(ctx context.Context, r Reminder, o Occurrence) (sent Sent, err error) {
	defer b.recoverTo(&err, "deliver")
	s := b.sender(r.Platform)
	if s == nil {
		return Sent{}, &DeliveryError{RetryAfter: time.Minute, Reason: fmt.Sprintf("%s is not connected to this instance", r.Platform),
			Err: fmt.Errorf("no sender for platform %q", r.Platform)}
	}
	if r.Kind == TeamSummary {
		return b.deliverSummary(ctx, s, r, o)
	}
	now := b.clock.Now()
	reply, spec := b.deliveryReply(ctx, r, o, now)
	out := Outgoing{Platform: r.Platform, Tenant: r.Tenant, Reply: reply, Key: deliveryKey(r, o), Unsure: o.Unsure, Due: o.At}
	if r.Kind == ChannelSchedule || r.Platform == Console {
		out.Channel = r.Channel
	} else {
		out.User = r.Owner
	}
	sent, err = s.Send(ctx, out)
	if err != nil {
		return Sent{}, err
	}
	sent.Routine = spec
	return sent, nil
}

// Delivered does what follows a delivery once the scheduler has recorded
// it: it counts a team break's run, credits a personal reminder to its
// owner (`done` then counts for it) and refreshes the owner's home view.
// None of it is needed to post, so none of it sits between the platform's
// answer and the record.
func (b *Bot) Delivered(ctx context.Context, r Reminder, o Occurrence, sent Sent) {
	if r.Kind == TeamSummary {
		return
	}
	if r.Kind == ChannelSchedule && o.Kind == RunOccurrence {
		b.recordTeamRun(ctx, r, o.At, "")
	}
	if r.Kind == Personal {
		// Only a user read from the store (or not stored yet) is saved
		// back: after a failed read, a bare user saved whole would wipe
		// the owner's settings. The delivery stands either way; `done`
		// then finds no last break to credit and says so.
		if u, err := b.storedUser(ctx, r.Tenant, r.Owner); err != nil {
			b.runWarn("could not record last break", "reminder", r.ID, "err", err)
		} else {
			u.LastBreak, u.LastBreakKey = b.clock.Now(), occurrenceKey(r.ID, shownRun(r, o))
			if err := b.saveUser(ctx, u); err != nil {
				b.runWarn("could not record last break", "reminder", r.ID, "err", err)
			}
		}
	}
	// The reminder's next run moved on.
	b.refreshHome(ctx, r.Platform, r.Tenant, r.Owner)
}

// shownRun is the run a delivery of o shows, and Done on it counts for
// (Occurrence.Run). A snooze stored before snoozes named their run repeats
// the reminder's latest.
func shownRun(r Reminder, o Occurrence) time.Time {
	if o.Kind == SnoozeOccurrence && o.Repeats.IsZero() && !r.LastRun.IsZero() {
		return r.LastRun
	}
	return o.Run()
}

// deliveryReply renders a delivery and reports the routine it carries.
func (b *Bot) deliveryReply(ctx context.Context, r Reminder, o Occurrence, now time.Time) (Reply, RoutineSpec) {
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	title := fmt.Sprintf("Stretch break time! #%s", r.ID)
	if r.Kind == ChannelSchedule {
		title = fmt.Sprintf("Team stretch break #%s", r.ID)
	}
	var blocks []string
	if r.Note != "" {
		blocks = append(blocks, "Reminder: "+r.Note)
	}
	if o.Kind == SnoozeOccurrence {
		blocks = append(blocks, "Snoozed break, here it is again.")
	}
	if o.Late || (o.Kind == RunOccurrence && now.Sub(o.At) > lateAfter) {
		blocks = append(blocks, fmt.Sprintf("Late: this was due at %s; the bot was not running then.", FormatTime(o.At, now, loc)))
	}
	if o.Kind == RunOccurrence && r.NextRun.IsZero() {
		// A repeat with an end ("10 times") says when it is done.
		if rule, _, err := b.rule(r); err == nil && rule.Repeats() {
			blocks = append(blocks, fmt.Sprintf("This is the last one: #%s (%s) has ended.", r.ID, describeRule(rule, now)))
		}
	}
	reply := Reply{Title: title, Visibility: Public}
	var spec RoutineSpec
	if routine, err := b.deliveryRoutine(ctx, r, o); err == nil {
		reply = routineReply(title, routine, loc.String())
		reply.Visibility = Public
		reply.Blocks = append(blocks, reply.Blocks...)
		spec = specOf(routine)
	} else {
		b.runWarn("no routine for delivery", "reminder", r.ID, "err", err)
		reply.Blocks = append(blocks, "Stand up, roll your shoulders and walk for two minutes.")
	}
	ref := buttonRef{id: r.ID, at: shownRun(r, o)}
	if r.Kind == Personal {
		// Clicked in a DM, whose tenant may differ (Discord): carry ours.
		ref.tenant = r.Tenant
	}
	reply.Actions = []Action{{ID: ActionDone, Label: "Done", Value: ref.String(), Style: "primary"}}
	if r.Kind == ChannelSchedule {
		reply.Actions = append(reply.Actions, Action{ID: ActionJoin, Label: "Join", Value: ref.String()})
	}
	// Snooze and Skip name this run: Skip skips the run after it, once,
	// and Snooze refuses on a post older than the latest delivery.
	skip := ref
	reply.Actions = append(reply.Actions, Action{ID: ActionSnooze, Label: "Snooze 10 min", Value: ref.String()})
	if !r.NextRun.IsZero() {
		// Only a rule with runs left has a next one to skip.
		reply.Actions = append(reply.Actions, Action{ID: ActionSkip, Label: "Skip next", Value: skip.String()})
	}
	return reply, spec
}

// deliveryRoutine is the routine a delivery carries: the one a snooze
// repeats, exactly; otherwise the next in the rotation of the reminder's
// channel or owner.
func (b *Bot) deliveryRoutine(ctx context.Context, r Reminder, o Occurrence) (routines.Routine, error) {
	if routine, ok := b.rebuildRoutine(o.Routine); ok {
		return routine, nil
	}
	scope := "user:" + string(r.Owner)
	if r.Kind == ChannelSchedule {
		scope = "channel:" + string(r.Channel)
	}
	opts := r.Routine
	var level, ceiling string
	if r.Kind == Personal {
		// The owner's standing place and level, unless the reminder names
		// its own place.
		if u, err := b.store.User(ctx, r.Tenant, r.Owner); err == nil {
			if opts.Place == "" {
				opts.Place = u.Prefer
			}
			level, ceiling = routineLevel(u)
		}
	}
	if opts.Place == "" && opts.Category == "" {
		// A break that arrives at work: exercises for the desk, in office
		// clothes, unless the schedule asked for something else.
		opts.Place = "desk"
	}
	routine, err := b.buildLeveled(ctx, r.Tenant, scope, opts, ceiling, level)
	if err != nil {
		// The stored options may no longer fit the library: fall back to a
		// default routine rather than skip the break.
		routine, err = b.buildRoutine(ctx, r.Tenant, scope, RoutineOptions{}, "")
	}
	return routine, err
}

// DeliveryPaused tells r's creator that the scheduler paused r after a
// permanent delivery failure, and how to fix it.
func (b *Bot) DeliveryPaused(ctx context.Context, r Reminder, reason string) {
	b.RemindersChanged() // the scheduler paused it
	s := b.sender(r.Platform)
	if s == nil {
		return
	}
	where := "you"
	if r.Kind == ChannelSchedule {
		where = channelRef(r)
	}
	msg := fmt.Sprintf("I paused #%s (%s) because I couldn't post to %s: %s. Fix that, then say `resume #%s`.", r.ID, b.ruleWords(r), where, reason, r.ID)
	// A direct message to the creator: the channel is what failed.
	out := Outgoing{Platform: r.Platform, Tenant: r.Tenant, User: r.Owner, Reply: Reply{Blocks: []string{msg}, Visibility: Private, Error: true}}
	if _, err := s.Send(ctx, out); err != nil {
		b.log.Warn("could not tell the creator about a paused reminder", "reminder", r.ID, "err", err)
	}
}

// Missed tells r's owner that a one-shot reminder fell due while the bot
// was not running, longer ago than the catch-up window, and was dropped.
func (b *Bot) Missed(ctx context.Context, r Reminder, at time.Time) {
	s := b.sender(r.Platform)
	if s == nil {
		return
	}
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	what := fmt.Sprintf("your reminder #%s", r.ID)
	if r.Note != "" {
		what += " (“" + quote.Cut(r.Note, 60) + "”)"
	}
	msg := fmt.Sprintf("Sorry, I wasn't running at %s and missed %s. Set it again with `remind me …` if you still need it.",
		FormatTime(at, b.clock.Now(), loc), what)
	out := Outgoing{Platform: r.Platform, Tenant: r.Tenant, User: r.Owner, Reply: Reply{Blocks: []string{msg}, Visibility: Private}}
	if r.Kind == ChannelSchedule {
		out.Channel = r.Channel
	}
	if _, err := s.Send(ctx, out); err != nil {
		b.log.Warn("could not tell about a missed reminder", "reminder", r.ID, "err", err)
	}
}
