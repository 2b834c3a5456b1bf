package bot

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. The code decides how an error is answered; the message is what
// the user reads.
const (
	EINVALID   = "invalid"   // the user's input cannot be used
	EUNREAD    = "unread"    // EINVALID, and none of the input could be read (see IsInvalid)
	ENOTFOUND  = "not_found" // no such thing for this caller
	EFORBIDDEN = "forbidden" // exists, but the caller may not change it
	ECONFLICT  = "conflict"  // lost a race with another writer; try again
	EINTERNAL  = "internal"  // a bug or an outage; details only in logs
)

// ErrOneOffSeveral is the cause of a refusal of a one-off given several
// times or days ("tomorrow at 9 and 15:00", "on the 1st and 15th"), or
// of times one rule cannot hold together ("every friday night at 11 and
// 1", either side of midnight): the
// rule parser has read them as one list and says what to do, so callers
// need not split the words themselves.
var ErrOneOffSeveral = errors.New("a one-off with several times or days")

// Error is a domain error: Code for programs, Message for people. Message is
// one line and never contains secrets or internal details. Example, when set,
// is a command that would have worked.
type Error struct {
	Code    string
	Message string
	Example string
	Err     error // underlying cause for logs; never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error with a working example.
func Invalid(example, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Example: example}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// IsInvalid reports whether err refuses the user's input: code EINVALID,
// or EUNREAD for input none of which could be read. An EUNREAD error's
// example is a fresh start ("in 20 minutes"), not the user's words mended,
// so a caller may offer an example of its own instead.
func IsInvalid(err error) bool {
	c := ErrorCode(err)
	return c == EINVALID || c == EUNREAD
}

// ErrorMessage returns the user-facing message of err. Errors that are not
// *Error get a generic apology so that internals never leak.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Sorry, something went wrong on our side. Please try again in a moment."
}

// ErrorExample returns the example carried by err, if any.
func ErrorExample(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Example
	}
	return ""
}

// ErrNotFound is returned by stores when a row does not exist for the caller.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "Not found."}

// ErrConflict is returned by stores when a compare-and-set lost a race.
var ErrConflict = &Error{Code: ECONFLICT, Message: "That changed while we were working on it; please try again."}

// DeliveryError classifies a failed delivery for the scheduler.
//
// Permanent errors (channel gone, bot removed, user cannot be messaged) are not
// retried: the schedule is paused and its creator told. GiveUp errors end
// one run without a post: it is not retried, and the schedule goes on.
// Other errors are retried with backoff, no sooner than RetryAfter when it
// is set.
type DeliveryError struct {
	Permanent bool
	// GiveUp: this run is passed over, not retried, and its schedule goes
	// on. The adapter cannot post it without risking a second post (an
	// earlier attempt may have been taken and cannot be looked for), and
	// the run is too late to keep waiting; nothing is wrong with the
	// schedule itself, so pausing it would punish its owner for a lost
	// answer.
	GiveUp     bool
	RetryAfter time.Duration
	Reason     string // short, user-presentable: "the channel was archived"
	Err        error
	// Unsure: the request went out and no answer came back (the send's
	// deadline passed, the connection broke), so the platform may have
	// taken the message. A refusal the platform answered (a 429, an error
	// code, a 5xx) is not unsure, unless the attempt was itself made
	// with Outgoing.Unsure and could not look for the earlier one: that
	// one may still have been taken. The next attempt then goes with
	// Outgoing.Unsure.
	Unsure bool
}

func (e *DeliveryError) Error() string {
	kind := "transient"
	switch {
	case e.Permanent:
		kind = "permanent"
	case e.GiveUp:
		kind = "given up"
	}
	return fmt.Sprintf("delivery %s: %s: %v", kind, e.Reason, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// IsUnsure reports whether err is a delivery failure after which the
// platform may have taken the message (DeliveryError.Unsure).
func IsUnsure(err error) bool {
	var d *DeliveryError
	return errors.As(err, &d) && d.Unsure
}

// IsGiveUp reports whether err ends one run without a post and without
// pausing its schedule (DeliveryError.GiveUp).
func IsGiveUp(err error) bool {
	var d *DeliveryError
	return errors.As(err, &d) && d.GiveUp
}

// IsPermanent reports whether err is a permanent delivery failure.
func IsPermanent(err error) bool {
	var d *DeliveryError
	return errors.As(err, &d) && d.Permanent
}
