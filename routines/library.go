package routines

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/internal/editdist"
)

//go:embed exercises.json
var exercisesJSON []byte

// Library is a validated, read-only set of exercises. It is safe for
// concurrent use.
type Library struct {
	exs  []Exercise     // progression order: category, then input order
	byID map[string]int // id → index in exs
	keys map[string]int // normalized id, name and aliases → index in exs
	// notes caches the place notes of routines (see Routine.Note) by
	// what decides them: noteKey → string.
	notes sync.Map
	// facts is indexed like exs (see prepare); moves is the number of
	// distinct movements.
	facts []facts
	moves int
}

var (
	defaultOnce sync.Once
	defaultLib  *Library
)

// Default returns the library built from the embedded exercises.json,
// parsed once. It panics only if that file is broken, which the package
// tests rule out.
func Default() *Library {
	defaultOnce.Do(func() {
		exs, err := decode(exercisesJSON)
		if err == nil {
			defaultLib, err = New(exs)
		}
		if err != nil {
			panic("routines: embedded exercises.json: " + err.Error())
		}
	})
	return defaultLib
}

// decode parses the exercise list strictly, so a misspelt field is an error
// rather than a silently empty value.
func decode(data []byte) ([]Exercise, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var exs []Exercise
	if err := dec.Decode(&exs); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return exs, nil
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// countInStep catches a count or a time written into a step ("hold 30
// seconds", "repeat 5 times"): the dose line carries those, scaled to the
// time an item gets, so a step that names one would contradict it.
var countInStep = regexp.MustCompile(`(?i)\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twice|once)\b` +
	`(\s*(-|to|or)\s*\d+)?\s*(s|secs?|seconds?|mins?|minutes?|reps?|times|rounds?|breaths?|holds?)\b`)

// Limits New enforces on text fields.
const (
	maxStepLen = 160
	maxLineLen = 200
	// maxSeconds bounds every dose: no single item runs past the longest break.
	maxSeconds = MaxMinutes * 60
)

// New validates exs and builds a library from them. Every problem found is
// reported in one error, one "id: problem" per line. Aliases and Equipment
// may be empty; everything else is required. It fills in the derived fields
// Places, Office and Seconds.
func New(exs []Exercise) (*Library, error) {
	var probs []string
	bad := func(id, format string, args ...any) {
		if id == "" {
			id = "(no id)"
		}
		probs = append(probs, id+": "+fmt.Sprintf(format, args...))
	}
	if len(exs) == 0 {
		probs = append(probs, "no exercises")
	}
	l := &Library{byID: map[string]int{}, keys: map[string]int{}}
	owner := map[string]string{} // normalized key → id, to report clashes
	for _, e := range exs {
		validate(e, bad)
		if e.ID != "" {
			if _, dup := l.byID[e.ID]; dup {
				bad(e.ID, "duplicate id")
			}
			l.byID[e.ID] = -1
		}
		for _, k := range append([]string{e.ID, e.Name}, e.Aliases...) {
			n := normalizeWords(k)
			if n == "" {
				continue // reported by validate
			}
			if o, ok := owner[n]; ok && o != e.ID {
				bad(e.ID, "name or alias %q clashes with exercise %s", k, o)
				continue
			}
			owner[n] = e.ID
		}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("routines: %d problem(s) in exercise list:\n%s", len(probs), strings.Join(probs, "\n"))
	}
	l.exs = slices.Clone(exs)
	sort.SliceStable(l.exs, func(i, j int) bool { return l.exs[i].Category.index() < l.exs[j].Category.index() })
	for i := range l.exs {
		e := &l.exs[i]
		e.derive()
		l.byID[e.ID] = i
		for _, k := range append([]string{e.ID, e.Name}, e.Aliases...) {
			l.keys[normalizeWords(k)] = i
		}
	}
	l.prepare()
	return l, nil
}

// validate reports every problem with one exercise through bad.
func validate(e Exercise, bad func(id, format string, args ...any)) {
	id := e.ID
	if !slugRE.MatchString(e.ID) {
		bad(id, "id %q is not a lowercase slug", e.ID)
	}
	if !slugRE.MatchString(e.Movement) {
		bad(id, "movement %q is not a lowercase slug", e.Movement)
	}
	line := func(field, v string) {
		switch {
		case strings.TrimSpace(v) == "":
			bad(id, "%s is empty", field)
		case len(v) > maxLineLen:
			bad(id, "%s is longer than %d bytes", field, maxLineLen)
		case strings.ContainsAny(v, "\n\r"):
			bad(id, "%s spans several lines", field)
		}
	}
	line("name", e.Name)
	line("cautions", e.Cautions)
	line("summary", e.Summary)
	line("why", e.Why)
	for _, a := range e.Aliases {
		if normalizeWords(a) == "" {
			bad(id, "alias %q is empty", a)
		}
	}
	if !e.Category.valid() {
		bad(id, "category %q is not one of %v", e.Category, Categories)
	}
	if _, ok := origins[e.Origin]; !ok {
		bad(id, "origin %q is not one of named, yoga, adapted, added", e.Origin)
	}
	if !slices.Contains(positions, e.Position) {
		bad(id, "position %q is not one of %q", e.Position, positions)
	}
	for _, q := range e.Equipment {
		if !slices.Contains(equipmentNames, q) {
			bad(id, "equipment %q is not one of %q", q, equipmentNames)
		}
	}
	if !slices.ContainsFunc(Places, func(p Place) bool { return settings[p].allows(e.Position, e.Equipment) }) {
		bad(id, "no place allows position %q with equipment %q", e.Position, e.Equipment)
	}
	e.Dose.validate(func(format string, args ...any) { bad(id, format, args...) })
	if lo, hi := e.span(); lo <= 0 || hi > maxSeconds {
		bad(id, "dose takes %d..%d s, want within 1..%d", lo, hi, maxSeconds)
	}
	if len(e.Steps) < 3 || len(e.Steps) > 6 {
		bad(id, "has %d steps, want 3 to 6", len(e.Steps))
	}
	for i, s := range e.Steps {
		if strings.TrimSpace(s) == "" || len(s) >= maxStepLen || strings.ContainsAny(s, "\n\r") {
			bad(id, "step %d must be one non-empty line under %d bytes", i+1, maxStepLen)
		}
		if m := countInStep.FindString(s); m != "" {
			bad(id, "step %d names a count or time (%q); the dose carries those", i+1, m)
		}
	}
	if difficultyRank(e.Difficulty) < 0 {
		bad(id, "difficulty %q is not one of %q", e.Difficulty, difficulties)
	}
}

// All returns every exercise in progression order: by category (see
// Categories), then in the order of the source list. The slice is a copy.
func (l *Library) All() []Exercise { return slices.Clone(l.exs) }

// ByCategory returns the exercises of c in source order; nil if c is unknown.
func (l *Library) ByCategory(c Category) []Exercise {
	var out []Exercise
	for _, e := range l.exs {
		if e.Category == c {
			out = append(out, e)
		}
	}
	return out
}

// Get returns the exercise with exactly this id.
func (l *Library) Get(id string) (Exercise, bool) {
	i, ok := l.byID[id]
	if !ok || i < 0 {
		return Exercise{}, false
	}
	return l.exs[i], true
}

// Find looks an exercise up by id, name or alias. Matching ignores case,
// apostrophes, hyphens and other punctuation, extra spaces, the words "the",
// "a" and "an", and plural endings, so "Child-Pose", "childs pose" and
// "child's pose" all find the same exercise, as do "knees to chest" and
// "knee to chest". Use Suggest for near misses.
func (l *Library) Find(query string) (Exercise, bool) {
	n := normalizeWords(query)
	if n == "" {
		return Exercise{}, false
	}
	i, ok := l.keys[n]
	if !ok {
		return Exercise{}, false
	}
	return l.exs[i], true
}

// Named returns the exercises whose names hold every word of query
// (matched as Find matches: case, punctuation and plurals aside), in
// library order: "hamstring" names the standing, seated and supine
// hamstring stretches.
func (l *Library) Named(query string) []Exercise {
	q := strings.Fields(normalizeWords(query))
	if len(q) == 0 {
		return nil
	}
	var out []Exercise
	for _, e := range l.exs {
		name := strings.Fields(normalizeWords(e.Name))
		all := true
		for _, w := range q {
			if !slices.Contains(name, w) {
				all = false
				break
			}
		}
		if all {
			out = append(out, e)
		}
	}
	return out
}

// suggestThreshold is the similarity below which Suggest offers nothing:
// a "did you mean" that is unrelated helps nobody.
const suggestThreshold = 0.4

// maxSuggestRunes bounds the work Suggest does on hostile input.
const maxSuggestRunes = 64

// Suggest returns up to n exercises whose id, name or an alias is closest
// to query, best first, for "did you mean" replies. Similarity combines
// shared words, substring containment and edit distance; exercises below a
// minimum similarity are left out, so the result may be empty.
func (l *Library) Suggest(query string, n int) []Exercise {
	q := normalizeWords(query)
	if n <= 0 || q == "" {
		return nil
	}
	if utf8.RuneCountInString(q) > maxSuggestRunes {
		q = string([]rune(q)[:maxSuggestRunes])
	}
	type scored struct {
		i     int
		score float64
	}
	best := map[int]float64{}
	for k, i := range l.keys {
		if s := similarity(q, k); s > best[i] {
			best[i] = s
		}
	}
	// An exercise whose own name has every word asked for ("squat" in
	// "Mini squat") comes before one that only an alias names.
	for i, e := range l.exs {
		name := strings.Fields(normalizeWords(e.Name))
		if qt := strings.Fields(q); len(qt) > 0 && !slices.ContainsFunc(qt, func(w string) bool { return !slices.Contains(name, w) }) {
			best[i] = max(best[i], 0.8)
		}
	}
	var cands []scored
	for i, s := range best {
		if s >= suggestThreshold {
			cands = append(cands, scored{i, s})
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		if cands[a].score != cands[b].score {
			return cands[a].score > cands[b].score
		}
		return cands[a].i < cands[b].i
	})
	out := make([]Exercise, 0, min(n, len(cands)))
	for _, c := range cands[:min(n, len(cands))] {
		out = append(out, l.exs[c.i])
	}
	return out
}

// similarity scores two normalized strings in [0, 1].
func similarity(q, k string) float64 {
	if q == k {
		return 1
	}
	qt, kt := strings.Fields(q), strings.Fields(k)
	common := 0
	for _, w := range qt {
		if slices.Contains(kt, w) {
			common++
		}
	}
	s := 2 * float64(common) / float64(len(qt)+len(kt)) // Dice coefficient on words
	if len(q) >= 3 && strings.Contains(k, q) {
		s = max(s, 0.75)
	}
	d := editdist.Distance(q, k)
	return max(s, 1-float64(d)/float64(max(utf8.RuneCountInString(q), utf8.RuneCountInString(k))))
}

// stopWords are dropped before matching names.
var stopWords = []string{"the", "a", "an"}

// normalizeWords folds a name for matching: lower case, apostrophes removed,
// every other non-alphanumeric rune a space, stop words dropped and simple
// English plurals made singular. Both sides of every comparison go through
// it, so the singular forms need not be real words.
func normalizeWords(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			return -1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		default:
			return ' '
		}
	}, s)
	words := strings.Fields(s)
	out := words[:0]
	for _, w := range words {
		if slices.Contains(stopWords, w) {
			continue
		}
		out = append(out, singular(w))
	}
	return strings.Join(out, " ")
}

// singular strips a plural ending from longer words: "stretches" →
// "stretch", "knees" → "knee"; words ending in "ss", "us" or "is" are kept.
func singular(w string) string {
	if len(w) <= 3 {
		return w
	}
	for _, suf := range []string{"ches", "shes", "sses", "xes"} {
		if strings.HasSuffix(w, suf) {
			return w[:len(w)-2]
		}
	}
	if strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") &&
		!strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is") {
		return w[:len(w)-1]
	}
	return w
}

// normalizeKeys returns m with its keys passed through normalizeWords.
func normalizeKeys[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[normalizeWords(k)] = v
	}
	return out
}
