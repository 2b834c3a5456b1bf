// Package routines holds stretchbot's exercise library and builds stretch
// breaks from it. It uses only the standard library (and internal/editdist,
// itself standard-library only) so that the bot core can import it without
// pulling in anything else.
//
// The library is embedded from exercises.json and checked by New; Default
// returns it. Exercises belong to five categories that mirror the source
// text's sections and make up the progression every routine follows:
// mobility (range of motion) → traction → stabilization → strengthening →
// aerobic. Each exercise says where it can be done (Places) and whether it
// suits an office (Office); the Desk place selects the office exercises.
//
// Build turns a Request (minutes, place, category, maximum difficulty and
// the rotation so far) into a Routine. It never exceeds the requested time,
// trims an exercise to no less than 60% of its nominal time (and not below
// 30 s), aims to fill at least 60% of the break, orders the items by the
// progression and, with no category filter, spreads them over several
// categories that can be done in one spot. Rotation works like drawing
// cards without replacement: ids in Request.Used are skipped until every
// eligible exercise has had its turn, and Routine.Used is the state to
// store for next time. For a given Request.Rand seed the result is always
// the same.
//
// Errors from Build are *Error values carrying a one-line UserMessage and
// an Example command; errors.Is tells ErrNoFit (nothing fits) from
// ErrInvalid (bad minutes or filters).
//
// Every reply that suggests exercises should carry SafetyNote for the
// user's time zone, which names the local emergency number. The texts are
// general advice written for this project; they are not a substitute for a
// clinician.
package routines
