package schedule

import (
	"context"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Claim asks the store to take one scheduled run of a reminder.
type Claim struct {
	Reminder bot.ReminderID
	// Expect is the reminder's NextRun as the engine read it; the claim fails
	// if it changed (another instance claimed it, or the user skipped it).
	Expect time.Time
	// At is the occurrence being delivered (Expect itself, or the latest
	// missed run within the catch-up window).
	At time.Time
	// Next becomes the reminder's NextRun (zero: the rule is finished).
	Next       time.Time
	Owner      string
	LeaseUntil time.Time
	Late       bool
	// Ref is the run's DueRun.Ref, a hint for the store that listed it
	// (zero: none). The claim is the same with or without it.
	Ref uint64
}

// Store is the persistence the engine needs. Every claim and lease is a
// store operation, so several instances can share one database.
type Store interface {
	// DueReminders returns reminders that are not Paused, whose NextRun is
	// non-zero and not after until, earliest first, at most limit.
	DueReminders(ctx context.Context, until time.Time, limit int) ([]bot.Reminder, error)
	// OpenOccurrences returns Pending and Claimed occurrences whose
	// LeaseUntil is not after until, earliest LeaseUntil first, at most limit.
	OpenOccurrences(ctx context.Context, until time.Time, limit int) ([]bot.Occurrence, error)
	// ReminderByID returns a reminder in any tenant, or bot.ErrNotFound.
	ReminderByID(ctx context.Context, id bot.ReminderID) (bot.Reminder, error)
	// Claim atomically checks that the reminder exists, is not Paused and
	// has NextRun == c.Expect; inserts occurrence (c.Reminder, c.At, run) as
	// Claimed by c.Owner until c.LeaseUntil with Attempts 1; and sets
	// NextRun = c.Next. It reports false (no error) when any check fails or
	// the occurrence already exists; then nothing changes.
	Claim(ctx context.Context, c Claim) (bool, error)
	// Acquire takes over an open occurrence: compare-and-set on its current
	// State, Owner and LeaseUntil (as in o), setting State Claimed, Owner,
	// LeaseUntil and Attempts+1. False when someone else changed it first.
	// Also false if its reminder is Paused, or PausedUntil is after
	// o.LeaseUntil (the pause covers the moment it fell due): then the
	// occurrence is closed as Skipped, so a snooze or retry queued before a
	// pause never arrives.
	Acquire(ctx context.Context, o bot.Occurrence, owner string, leaseUntil time.Time) (bool, error)
	// Delivered marks the occurrence Delivered with the platform message id,
	// if owner still holds it, and records on the reminder LastRun = the run
	// shown (o.At, or o.Repeats for a snooze that names one), LastMessage
	// and LastRoutine = o.Routine, unless a later run was recorded.
	// ErrConflict if owner lost the lease.
	Delivered(ctx context.Context, o bot.Occurrence, owner, messageID string, at time.Time) error
	// Retry keeps the occurrence Claimed but sets LeaseUntil = at (when any
	// instance may try again) and LastError. ErrConflict if owner lost it.
	Retry(ctx context.Context, o bot.Occurrence, owner string, at time.Time, lastErr string) error
	// Fail marks the occurrence Failed and pauses its reminder, in one
	// transaction. ErrConflict if owner lost it.
	Fail(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error
	// AdvanceReminder is bot.ReminderStore's compare-and-set on NextRun.
	AdvanceReminder(ctx context.Context, id bot.ReminderID, expect, next time.Time) error

	// ClaimBatch runs every claim of cs as Claim would, in as few
	// transactions as the store can (a burst then costs a few commits, not
	// one per run), and returns one Claimed per claim, in order. A claim
	// that loses changes nothing, whatever the others do. An error means
	// none was taken.
	ClaimBatch(ctx context.Context, cs []Claim) ([]Claimed, error)
	// DeliveredBatch records every delivery of ds as Delivered would, in as
	// few transactions as it can. It returns one error per delivery, in
	// order: nil, or bot.ErrConflict when its owner lost the lease. An
	// error of its own means none was recorded.
	DeliveredBatch(ctx context.Context, ds []Delivery) ([]error, error)
}

// ClaimerInto is an optional Store capability: ClaimBatch writing its
// outcomes into out, one per claim of cs (len(out) == len(cs)), every
// element overwritten, rather than into a slice of its own. The engine
// hands it the memory of an earlier batch whose deliveries are done: with
// a million schedules spread over the minute, a fresh slice of outcomes
// for every batch was memory the collector scanned and the store wrote
// cold.
type ClaimerInto interface {
	ClaimBatchInto(ctx context.Context, cs []Claim, out []Claimed) error
}

// ClaimBatchOf is ClaimBatch for a store that implements ClaimerInto: the
// outcomes in a slice of their own.
func ClaimBatchOf(ctx context.Context, s ClaimerInto, cs []Claim) ([]Claimed, error) {
	out := make([]Claimed, len(cs))
	if err := s.ClaimBatchInto(ctx, cs, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Claimed is the outcome of one claim of a batch.
type Claimed struct {
	Won bool
	// Reminder is the reminder as the won claim left it (NextRun is the
	// claim's Next): what the delivery shows.
	Reminder bot.Reminder
}

// Delivery is one posted occurrence to record (Store.Delivered's
// arguments).
type Delivery struct {
	Occurrence bot.Occurrence
	Owner      string
	MessageID  string
	At         time.Time
	// Ref is the claim's Ref for a run this instance claimed (zero: none),
	// a hint for the store as in Claim: the record is the same without it.
	Ref uint64
}

// Pinger is an optional Store capability: a cheap check that the store
// answers, which the engine uses to notice the end of an outage without
// running its queries.
type Pinger interface {
	Ping(ctx context.Context) error
}

// ParallelWriter is an optional Store capability: how many record
// transactions may usefully run at once. A burst's records are then
// written by that many writers while chunks wait, instead of one after
// another. Without it, one (SQLite has a single writer anyway).
type ParallelWriter interface {
	ParallelWrites() int
}

// DueCounter is an optional Store capability: how many reminders, not
// paused, have their next run exactly at an instant, counting no further
// than limit. The engine asks when a full refill lies at one instant, to
// tell a burst that must be claimed well ahead (see maxLead) from an
// instant its usual claim ahead covers. Without it, nothing is claimed
// more than claimAhead ahead.
type DueCounter interface {
	CountDueAt(ctx context.Context, at time.Time, limit int) (int, error)
}

// DueRun is a reminder's next run as the engine's window keeps it: what
// claiming the run needs, and what a Skipper judges it by (whose it is and
// where it goes), without the rest of the reminder (its texts, its last
// delivery), which a won claim returns for the delivery.
type DueRun struct {
	Reminder    bot.ReminderID
	Tenant      bot.TenantID
	Platform    bot.Platform
	Kind        bot.ReminderKind
	Owner       bot.UserID
	Channel     bot.ChannelID
	Rule, Zone  string
	NextRun     time.Time
	PausedUntil time.Time
	// Ref is the store's own hint for finding the reminder again, handed
	// back in Claim.Ref (zero: none): a slot, say. A store must not trust
	// it beyond a check that it still names the claim's reminder.
	Ref uint64
}

// RunLister is an optional Store capability: DueReminders' rows as
// DueRuns, appended to buf[:0] so that the caller may reuse it. With a
// million schedules spread over the minute the engine loads some 17 000
// runs a second; building and copying a whole reminder for each was a
// quarter of its work. The engine lists runs with it whatever its
// Deliverer: a Skipper's reminder is made from the run (see Skipper).
type RunLister interface {
	DueRuns(ctx context.Context, until time.Time, limit int, buf []DueRun) ([]DueRun, error)
}

// Notifier is an optional Store capability: hearing at once that another
// instance made work due sooner than this one knows (created or resumed a
// reminder, moved a run earlier, queued a snooze), instead of at the next
// periodic refill. Notify calls changed for each such change, and once
// when it starts; it returns nil when ctx ends, an error when it can no
// longer listen.
type Notifier interface {
	Notify(ctx context.Context, changed func()) error
}

// ChangeNotifier is an optional Store capability beside Notifier: hearing
// also which reminders another instance paused or deleted, so that a run of
// theirs this instance already claimed is looked up again before it goes
// out (see Engine.Changed). NotifyChanges calls changed as Notify does,
// with the reminders named by the change (none when it only made work due
// sooner). When a store has it, the engine listens with it instead of
// Notify.
type ChangeNotifier interface {
	NotifyChanges(ctx context.Context, changed func(ids ...bot.ReminderID)) error
}

// Releaser is an optional Store capability: handing back runs this
// instance claimed ahead of their time and will not deliver, because it is
// stopping, so that whichever instance runs at their time delivers them
// then (see Engine.Run). Without it a stopping engine keeps such runs and
// delivers them at their time before it returns.
type Releaser interface {
	// Release undoes each claim of cs, as ClaimBatch won it (Reminder,
	// At, Next, Owner, LeaseUntil), whose run Owner still holds as
	// claimed: Claimed, Attempts 1 and LeaseUntil as claimed (so neither
	// sent, retried, dropped nor taken over). If the reminder's NextRun is
	// still c.Next, the run's occurrence is deleted and NextRun goes back
	// to c.Expect, as if the claim had never been: the run is claimed
	// again at its time, and a pause made since applies to it as to any
	// run. If NextRun moved (the user changed the reminder after the
	// claim), the claim stays, with LeaseUntil = c.At: the run goes out at
	// its time by takeover, as it would have from this instance, unless a
	// pause covers it then (see Acquire). Stores that tell other instances
	// of work due sooner (Notifier) tell them of a release.
	//
	// It reports per claim, in order, whether it was handed back; false
	// when its run is no longer Owner's as claimed (its reminder was
	// deleted, for one), and then nothing changed for it. It works in as
	// few transactions as it can; an error means none was released.
	Release(ctx context.Context, cs []Claim) ([]bool, error)
}

// Abandoner is an optional Store capability: closing a run an adapter gave
// up on (bot.DeliveryError.GiveUp) without pausing its reminder. Without
// it, such a run fails as a permanent failure does, and its reminder is
// paused.
type Abandoner interface {
	// Abandon marks the occurrence Skipped with LastError, if owner still
	// holds it as Claimed; the reminder is left as it is. ErrConflict if
	// owner lost it.
	Abandon(ctx context.Context, o bot.Occurrence, owner string, lastErr string) error
}
