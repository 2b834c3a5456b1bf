// Package routines holds stretchbot's exercise library and builds stretch
// breaks from it. It uses only the standard library (and internal/editdist,
// itself standard-library only) so that the bot core and the renderers can
// import it without pulling in anything else.
//
// The library is embedded from exercises.json and checked by New; Default
// returns it. Exercises belong to five categories that mirror the source
// text's sections and make up the progression every routine follows:
// mobility (range of motion) → traction → stabilization → strengthening →
// low-impact aerobic. Each exercise names its position and everything its
// steps need; a Place (desk, floor, home, gym, outdoors, pool) allows some
// positions and has some equipment, and that decides where the exercise
// fits. The desk is the default: standing or seated, a chair, a desk and a
// wall, nothing else.
//
// Each exercise carries a DoseRule rather than fixed numbers: Build gives an
// item some seconds and the rule picks the holds or repetitions that fill
// them, so the steps (which name no counts or times) and the dose line
// always agree with the time shown.
//
// Build turns a Request (minutes, place, category, maximum difficulty,
// rotation and seed) into a Routine. Breaks under SessionMinutes have one to
// five items from different stages, starting with mobility; longer ones are
// sessions that visit every stage with its share of the time (StageShare).
// A routine never repeats a movement, fills between MinFill and all of the
// time, and labels each item with its stage. Rotation works like drawing
// cards without replacement, per category: ids in Request.Used are skipped
// until the category's eligible exercises have all had their turn, and
// Routine.Used is the state to store for next time. The same Request always
// gives the same Routine; Routine.Spec is a compact form of what was shown
// that Library.FromSpec turns back into the same routine.
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
