package bot

import "time"

// User is what the bot remembers about a person in one tenant.
type User struct {
	Tenant TenantID
	ID     UserID
	// Zone is the IANA zone the user chose with `timezone`; empty means "not
	// set" (the platform hint or the configured default applies).
	Zone string
	// LastBreak is when the user last got a routine (a `break` reply or a
	// delivery); `done` credits it. Zero if never. Stores need not tell
	// other instances of a new one (UserChangeNotifier): code that needs
	// the latest reads the store, not the user cache.
	LastBreak time.Time
	// LastBreakKey identifies that break for de-duplicating `done`.
	LastBreakKey string

	// Hours are the working hours set with `hours`, in their canonical
	// form ("mon,tue,wed,thu,fri 09:00-17:30"); empty: none set.
	Hours string
	// Quiet are daily quiet periods ("12:00-13:00"); empty: none.
	Quiet string
	// AwayUntil is when the user is back; zero or past: not away.
	AwayUntil time.Time
	// Level is the routine level ("easy", "medium", "hard"); empty: easy.
	Level string
	// LevelSince is when Level was set; breaks done since count toward
	// the offer of the next level. LevelOffered is when that offer was
	// made (zero: not yet), so it is made once.
	LevelSince   time.Time
	LevelOffered time.Time
	// Prefer is the standing place for breaks that name none ("floor").
	Prefer string
	// Skipped counts this user's runs passed over by working hours, quiet
	// periods, time away or do-not-disturb. Stores keep it with
	// SkipCounter; SaveUser leaves it alone.
	Skipped int
}

// Completion kinds.
const (
	KindDone = "done" // the user did the break
	KindJoin = "join" // the user joined a team break
)

// Completion records that a user did (or joined) a break. Key identifies the
// break (a delivered occurrence, or one `break` reply); a user counts once per
// Key and Kind.
type Completion struct {
	Tenant   TenantID
	User     UserID
	Channel  ChannelID
	Key      string
	Kind     string
	Reminder ReminderID // empty for ad-hoc breaks
	At       time.Time
}

// CompletionFilter selects completions. Tenant is required; empty fields
// match everything.
type CompletionFilter struct {
	Tenant  TenantID
	User    UserID
	Channel ChannelID
	Kind    string
	Since   time.Time
}

// ReminderID is a short public id: 3–8 lowercase letters and digits, unique
// across the whole store (so a fortiori per tenant), shown as "#<id>".
type ReminderID string

// ReminderKind distinguishes personal reminders from team schedules.
type ReminderKind string

const (
	// Personal reminders belong to Owner and are delivered to them by DM
	// (in the console, to the console).
	Personal ReminderKind = "personal"
	// ChannelSchedule posts team breaks to Channel; its creator (Owner) or a
	// tenant admin may change it.
	ChannelSchedule ReminderKind = "channel"
)

// RoutineOptions sizes and filters the routine a delivery carries.
type RoutineOptions struct {
	Minutes  int    // 0 means the default (5)
	Place    string // "", "desk", "floor", "gym", …
	Category string // "", "mobility", …
}

// Reminder is a personal reminder or a team schedule.
type Reminder struct {
	ID          ReminderID
	Tenant      TenantID
	Platform    Platform
	Kind        ReminderKind
	Owner       UserID
	Channel     ChannelID // team schedules: target; personal: where it was created
	ChannelName string
	// Rule is the canonical rule text produced by package schedule/when; it
	// re-parses to the same rule (when.Parser.Load).
	Rule string
	// Zone is the IANA zone the rule is read in.
	Zone    string
	Note    string
	Routine RoutineOptions
	// Paused stops deliveries until resumed. PausedUntil, when set and Paused
	// is false, skips occurrences before that instant.
	Paused      bool
	PausedUntil time.Time
	// NextRun is the next occurrence not yet claimed; zero when the rule has
	// no more runs (a delivered one-shot).
	NextRun time.Time
	// LastRun is the latest delivered run (a snooze re-delivers a run, so
	// it never names a snooze); LastMessage the platform id of the latest
	// delivery, and LastRoutine the routine it carried.
	LastRun     time.Time
	LastMessage string
	LastRoutine RoutineSpec
	CreatedAt   time.Time
}

// Finished reports whether the reminder will never fire again.
func (r Reminder) Finished() bool { return r.NextRun.IsZero() }

// ReminderFilter selects reminders in one tenant: everything Owner created
// (personal reminders and team schedules in any channel) plus the team
// schedules of Channel, each once. Empty Owner or Channel selects none of
// that part. Finished reminders are excluded unless IncludeFinished.
type ReminderFilter struct {
	Tenant          TenantID
	Owner           UserID
	Channel         ChannelID
	IncludeFinished bool
}

// OccurrenceKind tells a scheduled run from a snoozed re-delivery.
type OccurrenceKind string

const (
	RunOccurrence    OccurrenceKind = "run"
	SnoozeOccurrence OccurrenceKind = "snooze"
)

// OccurrenceState is where an occurrence is in its delivery.
type OccurrenceState string

const (
	// Pending: created (by a snooze) and not yet claimed; due at LeaseUntil.
	Pending OccurrenceState = "pending"
	// Claimed: an instance holds it until LeaseUntil; when the lease expires
	// any instance may take it over (this is also how retries are scheduled).
	Claimed   OccurrenceState = "claimed"
	Delivered OccurrenceState = "delivered"
	Failed    OccurrenceState = "failed"
	// Skipped: closed without delivery, because its reminder was paused
	// when it fell due or a later snooze replaced it.
	Skipped OccurrenceState = "skipped"
)

// Occurrence is one delivery of a reminder. (Reminder, At, Kind) is unique:
// it is the claim key that makes delivery exactly-once across instances.
type Occurrence struct {
	Reminder   ReminderID
	Tenant     TenantID
	At         time.Time
	Kind       OccurrenceKind
	State      OccurrenceState
	Owner      string // instance holding the lease
	LeaseUntil time.Time
	Attempts   int
	Late       bool
	// Unsure: the latest attempt at it may have reached the platform
	// unrecorded. A claim or takeover sets it (an attempt whose holder
	// stops before writing anything may have posted); Retry stores the
	// value the scheduler gives, false after a failure the platform
	// answered. Taken over with Unsure set, it is delivered with
	// Outgoing.Unsure. A snooze waiting to be claimed has it unset.
	Unsure      bool
	MessageID   string
	DeliveredAt time.Time
	LastError   string
	// Repeats is the delivered run a snooze sends again (Done on it counts
	// for that run); zero for runs.
	Repeats time.Time
	// Routine is what a snooze sends again; empty: build a fresh routine.
	Routine RoutineSpec
}

// Run is the run a delivery of o shows: o.At, or the run a snooze repeats
// when it names one.
func (o Occurrence) Run() time.Time {
	if o.Kind == SnoozeOccurrence && !o.Repeats.IsZero() {
		return o.Repeats
	}
	return o.At
}

// RoutineSpec records the routine a delivery carried, so that it can be
// sent again exactly: each exercise's id and its seconds, in order
// ("cat-cow:60 childs-pose:45"). Empty means nothing recorded.
type RoutineSpec string

// DeliveredRun is a delivered run of a reminder, as Done and Join check it:
// where it was posted and whose it is, as the reminder was then.
type DeliveredRun struct {
	Reminder ReminderID
	At       time.Time
	Tenant   TenantID
	Platform Platform
	Kind     ReminderKind
	Owner    UserID
	Channel  ChannelID
}
