// Package bot is stretchbot's platform-neutral core.
//
// Adapters (console, Slack, Discord) translate platform events into a
// Message and hand it to Bot.Handle, which routes the first word through
// a table of Commands (the same table generates `help`, and adapters build
// slash-command schemas from it through Commands) and returns a
// structured Reply: title, paragraphs, exercise cards, a note and buttons,
// which each adapter renders its own way. Button presses come back through
// Bot.HandleAction.
//
// Everything the core needs from outside is a small interface declared
// here, next to its use: the stores (UserStore, CompletionStore,
// RotationStore, ReminderStore), the <when> parser (RuleParser, implemented
// by package schedule/when), the Clock, and a Sender per platform for
// deliveries. The package imports only the standard library, the exercise
// library (routines), internal/editdist and internal/timewords (the time
// words it shares with the <when> grammar), all standard-library only; CI
// checks that with `go list -deps`.
//
// Optional capabilities are separate interfaces: a Store may be a
// DeliveryLog or a SkipCounter, and a Sender a DNDChecker (Slack's
// do-not-disturb). Bot is the scheduler's Skipper: repeating personal runs
// outside the owner's working hours, in a quiet period, while away or in
// do-not-disturb are passed over and counted.
//
// Errors are *Error values with a Code for programs and a one-line Message
// (plus an Example that works) for people; anything else is logged and
// answered with a generic apology, so internals never reach a chat.
package bot
