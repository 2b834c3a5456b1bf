package bot

import (
	"context"
	"net/http"
	"time"
)

// Handler is the core as adapters see it. Both methods are safe for
// concurrent use, never panic and always return something to show.
type Handler interface {
	// Handle answers one command message.
	Handle(ctx context.Context, m Message) Reply
	// HandleAction answers a button press.
	HandleAction(ctx context.Context, e ActionEvent) ActionResult
}

// Adapter connects the core to one platform.
type Adapter interface {
	// Platform names the platform; deliveries are routed by it.
	Platform() Platform
	// Run receives messages until ctx is done and passes each to h. It
	// returns nil when ctx is cancelled, and an error only when the adapter
	// cannot go on at all.
	Run(ctx context.Context, h Handler) error
	// Send posts a message the bot starts itself (a delivery). Failures are
	// *DeliveryError when the adapter can tell permanent from transient.
	Send(ctx context.Context, o Outgoing) (Sent, error)
}

// HTTPMounter is an adapter that serves HTTP routes (webhooks). Mount is
// called once, before the server starts.
type HTTPMounter interface {
	Mount(mux *http.ServeMux, h Handler)
}

// ChannelVerifier is an optional Sender capability: before a team schedule
// is created for a channel other than the one the command came from, the
// core asks the platform whether that channel belongs to the caller's tenant
// and the bot can post there. It returns nil when it does; otherwise an
// *Error (ENOTFOUND when the channel is unknown, in another tenant or not
// visible to the bot — the same answer for all three, so nothing leaks; or
// EINVALID when the reference cannot be a channel on this platform) whose
// message the user reads. Other errors are treated as internal.
type ChannelVerifier interface {
	VerifyChannel(ctx context.Context, tenant TenantID, channel ChannelID) error
}

// Waker is told when reminders change so the scheduler can look again
// sooner than its next planned refill. Implemented by the schedule engine.
type Waker interface {
	Wake()
}

// ChangeWaker is an optional Waker capability: being told which reminders
// changed, instead of Wake. The scheduler claims a run shortly before its
// time; told that its reminder was paused or cancelled since, it can still
// hold the run back.
type ChangeWaker interface {
	Changed(ids ...ReminderID)
}

// Rule is a parsed <when> expression (implemented in package schedule/when; the
// core never parses cron itself).
type Rule interface {
	// Next returns the first run strictly after t, or the zero time if there
	// is none.
	Next(t time.Time) time.Time
	// Repeats reports whether the rule can fire more than once.
	Repeats() bool
	// Describe says the rule in words: "every weekday at 10:30 and 15:00".
	Describe() string
	// Spec is the canonical, re-parsable text stored with the reminder.
	Spec() string
}

// MovedRule is a Rule that can say which of its wall times a run stands
// for on the day the clocks spring forward: a run set for a time the jump
// skipped comes at the end of the gap, and so does one set for that end.
type MovedRule interface {
	// SkippedTimes returns the times of day the rule sets that the clocks
	// skipped and whose runs come at t instead, in seconds after the
	// midnight of t's day in the rule's zone (below zero for the evening
	// before), and whether the rule also sets t's own wall time.
	SkippedTimes(t time.Time) (skipped []int, own bool)
}

// StartableRule is a Rule that counts its runs from its first: an
// interval from its anchor, a cycle of days, weeks or months from the one
// of its first run. StartingFrom returns the rule counted from its first
// run at or after start, so a start said with it is that first run.
type StartableRule interface {
	StartingFrom(start time.Time) Rule
}

// DatedRule is a Rule that can say itself as of an instant, naming a
// date's year only when it is not that instant's year. Describe names it
// always.
type DatedRule interface {
	DescribeAt(now time.Time) string
}

// ZonedRule is a Rule whose words name the zone it runs in, as a cron
// rule's do ("cron 0 10 * * * (Europe/Berlin)"); with its own CRON_TZ that
// zone need not be its reminder's.
type ZonedRule interface {
	// RunZone is the IANA name of the zone its words name, or "" when they
	// name none.
	RunZone() string
}

// runZone is the zone rule's words name, or "".
func runZone(rule Rule) string {
	if z, ok := rule.(ZonedRule); ok {
		return z.RunZone()
	}
	return ""
}

// EndingRule is a repeating Rule that ends by itself ("… 10 times", "…
// until friday").
type EndingRule interface {
	// End returns the last instant it may fire at.
	End() time.Time
}

// describeRule says rule in words as of now.
func describeRule(rule Rule, now time.Time) string {
	if d, ok := rule.(DatedRule); ok {
		return d.DescribeAt(now)
	}
	return rule.Describe()
}

// RuleParser turns text into rules. Parse errors are *Error with code
// EINVALID, a one-line message and an Example that works; EUNREAD when none
// of the words could be read and the example is a fresh one.
type RuleParser interface {
	// Parse reads a <when> expression typed by a user in zone loc at now.
	Parse(text string, loc *time.Location, now time.Time) (Rule, error)
	// Load re-reads a stored Spec.
	Load(spec string, loc *time.Location) (Rule, error)
}
