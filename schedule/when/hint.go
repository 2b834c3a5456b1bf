package when

import (
	"fmt"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/editdist"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// Helpers that turn a refused <when> into the nearest one that works: the
// user's own words with the offending part mended. Every candidate is
// parsed before it is offered, so an example never fails in turn; when no
// candidate parses, the form's stock example is used.

// sentence keeps a message on one line and ends it with a full stop.
func sentence(s string) string {
	s = oneLine(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// failWith refuses the input with the first candidate that parses as the
// example, or the form's stock example.
func (ps *whenParser) failWith(cands []string, format string, args ...any) error {
	return bot.Invalid(ps.suggest(cands...), "%s", sentence(fmt.Sprintf(format, args...)))
}

// suggest returns the first candidate that parses under the same parser,
// zone and instant, or ps.ex. Nested parses do not search for suggestions
// of their own.
func (ps *whenParser) suggest(cands ...string) string {
	ex, _ := ps.suggestMended(cands...)
	return ex
}

// suggestMended is suggest, and reports whether a candidate was taken
// rather than ps.ex.
func (ps *whenParser) suggestMended(cands ...string) (string, bool) {
	if ps.nested {
		return ps.ex, false
	}
	self := strings.Join(strings.Fields(strings.ToLower(ps.text)), " ")
	for _, c := range cands {
		if c == "" || strings.ToLower(c) == self {
			continue
		}
		if _, err := ps.Parser.parse(c, ps.loc, ps.now, true); err == nil {
			return c, true
		}
	}
	return ps.ex, false
}

// withTokens rebuilds the input with toks[from:to] replaced by repl.
func (ps *whenParser) withTokens(from, to int, repl ...string) string {
	if from < 0 || to < from || to > len(ps.toks) {
		return ""
	}
	out := slices.Concat(ps.toks[:from], repl, ps.toks[to:])
	// Put back the commas, and the dashes of ranges words split ("9-17").
	return strings.NewReplacer(" , ", ", ", " - ", "-").Replace(strings.Join(out, " "))
}

// withCompactClocks rebuilds the input with every time written without
// its colon ("900", "1730") written with it.
func (ps *whenParser) withCompactClocks() string {
	toks := slices.Clone(ps.toks)
	for i, t := range toks {
		if c := compactClock(t); c != "" {
			toks[i] = c
		}
	}
	return strings.NewReplacer(" , ", ", ", " - ", "-").Replace(strings.Join(toks, " "))
}

// vocabulary lists the words of the grammar that a typo may be close to.
var vocabulary = func() []string {
	words := []string{"in", "at", "every", "on", "next", "this", "today", "tomorrow", "tonight", "noon", "midnight",
		"morning", "afternoon", "evening", "night", "between", "and", "from", "to", "until", "for", "times", "other",
		"last", "the", "of", "month", "year", "hourly", "daily", "weekly", "monthly", "yearly",
		"except", "twice", "fortnight", "starting", "lunch", "past", "half", "quarter"}
	words = append(words, timewords.DayWords()...)
	for _, w := range timewords.UnitWords() {
		if len(w) > 2 {
			words = append(words, w)
		}
	}
	words = append(words, timewords.MonthWords()...)
	slices.Sort(words)
	return slices.Compact(words)
}()

// nearestWord returns the grammar word closest to tok when tok looks like
// a misspelling of it (at most two edits, and few for a short word).
func nearestWord(tok string, vocab []string) (string, bool) {
	if len(tok) < 3 || !allLetters(tok) {
		return "", false
	}
	best, bestD := "", 3
	for _, w := range vocab {
		if w == tok {
			return "", false
		}
		if d := editdist.Distance(tok, w); d < bestD || d == bestD && len(w) < len(best) {
			best, bestD = w, d
		}
	}
	if best == "" || bestD > 2 || bestD*3 > len(tok)+1 {
		return "", false
	}
	return best, true
}

func allLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}
