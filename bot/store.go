package bot

import (
	"context"
	"time"
)

// UserStore keeps per-user settings.
type UserStore interface {
	// User returns the user, or ErrNotFound.
	User(ctx context.Context, tenant TenantID, id UserID) (User, error)
	// SaveUser inserts or replaces the user.
	SaveUser(ctx context.Context, u User) error
}

// CompletionStore records done/join and answers stats.
type CompletionStore interface {
	// AddCompletion records c; it reports false (and no error) when the user
	// already has a completion with the same Key and Kind.
	AddCompletion(ctx context.Context, c Completion) (added bool, err error)
	// CountCompletions counts users with a completion of kind for key.
	CountCompletions(ctx context.Context, tenant TenantID, key, kind string) (int, error)
	// Completions lists matching completions, oldest first.
	Completions(ctx context.Context, f CompletionFilter) ([]Completion, error)
}

// RotationStore keeps which exercises a user or channel has had since its
// pool was last exhausted, so consecutive breaks do not repeat.
type RotationStore interface {
	// Rotation returns the used ids for scope ("user:U1", "channel:C1");
	// nil if none.
	Rotation(ctx context.Context, tenant TenantID, scope string) ([]string, error)
	// SaveRotation replaces the used ids for scope.
	SaveRotation(ctx context.Context, tenant TenantID, scope string, used []string) error
}

// ReminderStore keeps reminders for the command handlers. Every method is
// scoped to a tenant except AdvanceReminder, whose id is globally unique.
type ReminderStore interface {
	// CreateReminder inserts r; ErrConflict if r.ID is taken (anywhere).
	CreateReminder(ctx context.Context, r Reminder) error
	// Reminder returns the reminder with id in tenant, or ErrNotFound.
	Reminder(ctx context.Context, tenant TenantID, id ReminderID) (Reminder, error)
	// Reminders lists reminders matching f, by creation time.
	Reminders(ctx context.Context, f ReminderFilter) ([]Reminder, error)
	// DeleteReminder deletes the reminder and its occurrences, keeping only
	// what DeliveryLog needs to know about its delivered runs; ErrNotFound if
	// it does not exist in tenant.
	DeleteReminder(ctx context.Context, tenant TenantID, id ReminderID) error
	// SetPaused sets Paused and PausedUntil; ErrNotFound as above. What is
	// queued for the reminder (a snooze, a retry) is dropped, not sent, if
	// it falls due while the reminder is paused (the scheduler's Acquire).
	SetPaused(ctx context.Context, tenant TenantID, id ReminderID, paused bool, until time.Time) error
	// AdvanceReminder sets NextRun to next if it is still expect
	// (compare-and-set, so a racing claim is never undone); ErrConflict if
	// not, ErrNotFound if the reminder is gone.
	AdvanceReminder(ctx context.Context, id ReminderID, expect, next time.Time) error
	// AddOccurrence inserts a pending snooze; it replaces the reminder's
	// other open snoozes (they become Skipped), so that only the latest one
	// is delivered. ErrConflict if its key exists.
	AddOccurrence(ctx context.Context, o Occurrence) error
}

// DeliveryLog is an optional Store capability: it remembers which runs were
// delivered, also after their reminder is deleted, so that Done and Join on
// a delivered break count whatever happened to its schedule since, and a
// forged button counts nothing. Without it buttons are checked against the
// live reminder.
type DeliveryLog interface {
	// DeliveredRun returns the run of reminder id delivered within the
	// second starting at at (buttons carry Unix seconds), with where it was
	// posted and whose it is; ErrNotFound if no such run was delivered.
	DeliveredRun(ctx context.Context, id ReminderID, at time.Time) (DeliveredRun, error)
}

// SnoozeLister is an optional Store capability: the snoozes still to
// come, for `list` to show. Without it `list` shows none.
type SnoozeLister interface {
	// PendingSnoozes returns tenant's snooze occurrences not yet delivered
	// nor dropped (Pending or Claimed), earliest At first.
	PendingSnoozes(ctx context.Context, tenant TenantID) ([]Occurrence, error)
}

// SkipCounter is an optional Store capability: it counts a user's runs
// passed over, atomically, so a count never races a settings change.
type SkipCounter interface {
	// CountSkip adds one to the user's Skipped, creating the user if needed.
	CountSkip(ctx context.Context, tenant TenantID, id UserID) error
}

// Store is everything the command handlers persist.
type Store interface {
	UserStore
	CompletionStore
	RotationStore
	ReminderStore
}

// UserRef names one user of one tenant.
type UserRef struct {
	Tenant TenantID
	ID     UserID
}

// UserChangeNotifier is an optional Store capability: hearing which users
// any instance sharing the store added or changed the settings of, so
// that what the Bot keeps of them in memory is read again
// (Bot.UsersChanged, Bot.FollowUserChanges). NotifyUserChanges calls
// changed with those users, possibly including this instance's own
// writes, and once with none when it starts listening, for whatever
// happened before; a store may report several users at once. It returns
// nil when ctx ends and an error when it can no longer listen.
//
// A new last break, which every `break` writes, need not be reported (the
// Bot reads it from the store where it matters), nor a count of runs
// passed over.
type UserChangeNotifier interface {
	NotifyUserChanges(ctx context.Context, changed func(users ...UserRef)) error
}

// RotationRef names one rotation of exercises written: a tenant's scope
// ("user:U1", "channel:C1"), and what was written when the store tells
// (Told), so that the instance that wrote it, which keeps what it wrote
// already, need not read it back: a break writes its rotation every time.
type RotationRef struct {
	Tenant TenantID
	Scope  string
	Used   []string
	Told   bool
}

// RotationChangeNotifier is an optional Store capability, as
// UserChangeNotifier is for users: hearing which rotations any instance
// sharing the store wrote, breaks' included, so that what the Bot keeps of
// them in memory is read again (Bot.RotationsChanged,
// Bot.FollowRotationChanges). NotifyRotationChanges calls changed with
// those rotations, possibly including this instance's own writes, and once
// with none when it starts listening, for whatever happened before; a
// store may report several at once. It returns nil when ctx ends and an
// error when it can no longer listen.
type RotationChangeNotifier interface {
	NotifyRotationChanges(ctx context.Context, changed func(rotations ...RotationRef)) error
}
