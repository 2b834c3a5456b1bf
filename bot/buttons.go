package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/zones"
)

// HandleAction answers a button press. It never panics.
func (b *Bot) HandleAction(ctx context.Context, e ActionEvent) (res ActionResult) {
	// A button may snooze or skip a run, also when it then fails.
	defer b.RemindersChanged()
	var err error
	func() {
		defer b.recoverTo(&err, "action")
		res, err = b.action(ctx, e)
	}()
	if err != nil {
		r := b.errorReply(e.Message, nil, err)
		return ActionResult{Ephemeral: &r}
	}
	if e.ID != ActionHomeBreak && e.ID != ActionHomeList {
		b.refreshHome(ctx, e.Platform, e.Tenant, e.User)
	}
	return res
}

func (b *Bot) action(ctx context.Context, e ActionEvent) (ActionResult, error) {
	if res, ok := b.homeAction(ctx, e); ok {
		return res, nil
	}
	switch e.ID {
	case ActionDone, ActionJoin:
		return b.countAction(ctx, e)
	case ActionSteps:
		return b.stepsAction(ctx, e)
	case ActionSnooze, ActionSkip:
		ref, err := parseButtonRef(e.Value)
		if err != nil {
			return ActionResult{}, err
		}
		r, ok := b.buttonReminder(ctx, e, ref)
		if !ok {
			return ActionResult{}, notFound(ref.id)
		}
		if e.ID == ActionSnooze && canManage(r, e.Message) {
			if err := b.olderPost(e.Message, r, ref.at); err != nil {
				reply := b.errorReply(e.Message, nil, err)
				return ActionResult{Ephemeral: &reply}, nil
			}
		}
		if e.ID == ActionSkip && canManage(r, e.Message) {
			owner := e.Message
			owner.Tenant = r.Tenant // a DM's press reads the settings kept with the reminder
			if err := b.skippedSince(ctx, owner, r, ref.at); err != nil {
				reply := b.errorReply(e.Message, nil, err)
				return ActionResult{Ephemeral: &reply}, nil
			}
		}
		// The command itself checks who may change it.
		m := e.Message
		m.Tenant = r.Tenant
		m.Text = string(e.ID) + " " + string(ref.id)
		reply, cmd, err := b.handle(ctx, m)
		if err != nil {
			reply = b.errorReply(m, cmd, err)
		}
		reply.Visibility = Private
		return ActionResult{Ephemeral: &reply}, nil
	}
	return ActionResult{}, Invalid("help", "That button is not one I know any more.")
}

// skippedSince refuses a Skip button on the delivery of the run at when
// the run after it that would go out is no longer the reminder's next
// one: skipped already (a second press) or delivered (a press on an older
// post). The button skips the run after its own delivery, never one
// further on; runs passed over meanwhile (working hours, holidays) do not
// count. A button without its run (posted by an earlier version) skips the
// next, as `skip` does.
func (b *Bot) skippedSince(ctx context.Context, m Message, r Reminder, at time.Time) error {
	if at.IsZero() || r.NextRun.IsZero() {
		return nil
	}
	rule, loc, err := b.rule(r)
	if err != nil {
		return nil // the command explains
	}
	after := rule.Next(at)
	if after.IsZero() || !r.NextRun.After(after) {
		return nil
	}
	// The presser's settings: for a personal reminder they are its owner.
	u, _, err := b.caller(ctx, m)
	if err != nil {
		return err
	}
	meant, next := b.firstFiring(ctx, r, u, after), b.firstFiring(ctx, r, u, r.NextRun)
	if next.IsZero() || meant.Equal(next) {
		return nil
	}
	now := b.clock.Now()
	return Invalid(fmt.Sprintf("skip #%s", r.ID), "This post's next run (%s) is already skipped or past; the next is %s.",
		FormatTime(meant, now, loc), FormatTime(next, now, loc))
}

// olderPost refuses a Snooze button on the delivery of the run at when a
// later run has been delivered since: a snooze brings back the latest
// break, which is not the one on the post pressed. A button without its
// run (posted by an earlier version) snoozes the latest, as `snooze` does.
func (b *Bot) olderPost(m Message, r Reminder, at time.Time) error {
	if at.IsZero() || r.LastRun.Unix() <= at.Unix() {
		return nil
	}
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	now := b.clock.Now()
	return Invalid(fmt.Sprintf("snooze #%s", r.ID), "This post's break (%s) is not the latest of #%s; a snooze brings back the latest, from %s.",
		FormatTime(at, now, loc), r.ID, FormatTime(r.LastRun, now, loc))
}

// stepsAction answers a compact routine's Steps control: the exercise in
// full, with the time and dose the routine gave it, for the presser alone
// (the `exercise` command's answer). A time the exercise cannot take any
// more shows its usual dose.
func (b *Bot) stepsAction(ctx context.Context, e ActionEvent) (ActionResult, error) {
	id, secs, _ := strings.Cut(e.Value, "@")
	ex, ok := b.library().Get(id)
	if !ok {
		return ActionResult{}, Invalid("exercises", "I don't have that exercise any more; say `exercises` to see the library.")
	}
	it := ex.Usual()
	if n, err := strconv.Atoi(secs); err == nil {
		if at, ok := ex.At(n); ok {
			it = at
		}
	}
	_, zone, err := b.caller(ctx, e.Message)
	if err != nil {
		return ActionResult{}, err
	}
	r := exerciseReply(it, zone.String())
	return ActionResult{Ephemeral: &r}, nil
}

// buttonReminder finds the reminder a button refers to, if the presser may
// see it (mayPress): in the presser's tenant, or, for a personal reminder
// clicked from a DM that the platform files under another tenant
// (Discord), in the tenant the button names.
func (b *Bot) buttonReminder(ctx context.Context, e ActionEvent, ref buttonRef) (Reminder, bool) {
	tenant := e.Tenant
	if ref.tenant != "" {
		tenant = ref.tenant
	}
	r, err := b.store.Reminder(ctx, tenant, ref.id)
	if err != nil {
		return Reminder{}, false
	}
	return r, mayPress(r, e)
}

// mayPress reports whether the presser of e may use a button on a delivery
// of r: on r's platform, where r is visible to them as for commands; from
// another tenant (a DM on Discord) only on their own personal reminder.
func mayPress(r Reminder, e ActionEvent) bool {
	switch {
	case r.Platform != e.Platform:
		return false
	case r.Tenant != e.Tenant:
		return r.Kind == Personal && r.Owner == e.User
	case r.Kind == ChannelSchedule && r.Channel != "" && r.Channel != e.Channel:
		// A team break's buttons sit on its post in its channel; a press
		// from anywhere else is forged.
		return false
	}
	return visible(r, e.Message)
}

// buttonRun checks that a Done or Join button names a delivered run the
// presser may count, and returns that run's tenant. The delivery log
// answers even after the reminder was deleted; without one, the live
// reminder is checked.
func (b *Bot) buttonRun(ctx context.Context, e ActionEvent, ref buttonRef) (TenantID, bool, error) {
	if b.deliveries == nil {
		r, ok := b.buttonReminder(ctx, e, ref)
		return r.Tenant, ok && b.delivered(r, ref.at), nil
	}
	run, err := b.deliveries.DeliveredRun(ctx, ref.id, ref.at)
	if ErrorCode(err) == ENOTFOUND {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("bot: delivered run: %w", err)
	}
	r := Reminder{ID: run.Reminder, Tenant: run.Tenant, Platform: run.Platform, Kind: run.Kind, Owner: run.Owner, Channel: run.Channel}
	return r.Tenant, mayPress(r, e), nil
}

// buttonRef is what a delivery's buttons carry: the reminder, the run (for
// Done and Join) and, for personal reminders, their tenant.
type buttonRef struct {
	id     ReminderID
	at     time.Time
	tenant TenantID
}

// String is "<id>[@<unix>][@<tenant>]"; an empty middle stays "@@".
func (r buttonRef) String() string {
	s := string(r.id)
	if !r.at.IsZero() || r.tenant != "" {
		s += "@"
		if !r.at.IsZero() {
			s += strconv.FormatInt(r.at.Unix(), 10)
		}
	}
	if r.tenant != "" {
		s += "@" + string(r.tenant)
	}
	return s
}

var errDamagedButton = Invalid("done", "That button is damaged; say the command instead.")

func parseButtonRef(v string) (buttonRef, error) {
	parts := strings.SplitN(v, "@", 3)
	id, err := parseID(parts[0])
	if err != nil {
		return buttonRef{}, errDamagedButton
	}
	ref := buttonRef{id: id}
	if len(parts) > 1 && parts[1] != "" {
		sec, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return buttonRef{}, errDamagedButton
		}
		ref.at = time.Unix(sec, 0)
	}
	if len(parts) > 2 {
		ref.tenant = TenantID(parts[2])
	}
	return ref, nil
}

// countAction records Done or Join for the presser and reports the count.
func (b *Bot) countAction(ctx context.Context, e ActionEvent) (ActionResult, error) {
	now := b.clock.Now()
	c := Completion{Tenant: e.Tenant, User: e.User, Channel: e.Channel, Kind: KindDone, At: now}
	if e.ID == ActionJoin {
		c.Kind = KindJoin
	}
	if strings.HasPrefix(e.Value, "b:") {
		// A break reply's button: it counts for the presser's latest break.
		// "b:<time>" or, since buttons name the break's owner, "b:<time>.<user>".
		at, owner, _ := strings.Cut(strings.TrimPrefix(e.Value, "b:"), ".")
		n, err := strconv.ParseInt(at, 36, 64)
		if err != nil {
			return ActionResult{}, errDamagedButton
		}
		if owner != "" && UserID(owner) != e.User {
			return ActionResult{}, Invalid("break", "That was someone else's break. Say `break` for one of your own; its Done button counts for you.")
		}
		c.Key = fmt.Sprintf("break:%s:%d", e.User, n)
		u, err := b.store.User(ctx, e.Tenant, e.User)
		if err != nil || u.LastBreakKey != c.Key {
			return ActionResult{}, Invalid("break", "Only your latest break can be marked done; start a new one with `break`.")
		}
	} else {
		ref, err := parseButtonRef(e.Value)
		if err != nil || ref.at.IsZero() {
			return ActionResult{}, errDamagedButton
		}
		tenant, ok, err := b.buttonRun(ctx, e, ref)
		if err != nil {
			return ActionResult{}, err
		}
		if !ok {
			return ActionResult{}, &Error{Code: ENOTFOUND, Message: "I have no record of that break; say `done` to record one anyway.", Example: "done"}
		}
		c.Tenant, c.Key, c.Reminder = tenant, occurrenceKey(ref.id, ref.at), ref.id
	}
	added, err := b.store.AddCompletion(ctx, c)
	if err != nil {
		return ActionResult{}, fmt.Errorf("bot: record %s: %w", c.Kind, err)
	}
	done, err := b.store.CountCompletions(ctx, c.Tenant, c.Key, KindDone)
	if err != nil {
		return ActionResult{}, fmt.Errorf("bot: count: %w", err)
	}
	joined, err := b.store.CountCompletions(ctx, c.Tenant, c.Key, KindJoin)
	if err != nil {
		return ActionResult{}, fmt.Errorf("bot: count: %w", err)
	}
	var status []string
	if joined > 0 {
		status = append(status, fmt.Sprintf("🙋 %s joined", plural(joined, "person", "people")))
	}
	if done > 0 {
		status = append(status, fmt.Sprintf("✅ %s did this break", plural(done, "person", "people")))
	}
	msg := "Counted. Nice work!"
	if c.Kind == KindJoin {
		msg = "You're in. Press Done when you've finished."
	}
	if !added {
		msg = "You were already counted."
	}
	blocks := []string{msg}
	if added && c.Kind == KindDone {
		if offer := b.levelOffer(ctx, c.Tenant, e.User, now); offer != "" {
			blocks = append(blocks, offer)
		}
	}
	return ActionResult{Status: strings.Join(status, " · "), Ephemeral: &Reply{Blocks: blocks, Visibility: Private}}, nil
}
