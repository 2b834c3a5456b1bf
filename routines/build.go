package routines

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// Limits on a routine's length, in minutes.
const (
	DefaultMinutes = 5
	MaxMinutes     = 60
)

// Request describes the routine a caller wants. The zero value asks for a
// five-minute routine from the whole library.
type Request struct {
	// Minutes is the length of the break: 0 means DefaultMinutes, and
	// anything outside 1..MaxMinutes is refused.
	Minutes int
	// Place restricts exercises to one place; "" allows any.
	Place Place
	// Category restricts exercises to one category; "" allows any and the
	// routine then spans several categories in progression order.
	Category Category
	// Difficulty is the hardest level allowed (easy < moderate < hard);
	// "" allows any.
	Difficulty string
	// Used holds the ids already given in the current rotation; they are
	// not picked again until every eligible exercise has been used.
	Used []string
	// Rand drives the choice. Nil means a fixed-seed source, so the result
	// is the same on every call. A *rand.Rand is not safe for concurrent
	// use: give each goroutine its own.
	Rand *rand.Rand
}

// Item is one exercise in a routine with the time allotted to it, which
// may be shorter than the exercise's nominal Seconds (down to 60% of it, or
// 30 s) but never longer.
type Item struct {
	Exercise Exercise
	Seconds  int
}

// Routine is a built break.
type Routine struct {
	// Items are in progression order: mobility first, aerobic last.
	Items []Item
	// Seconds is the total time of Items, never more than Minutes*60.
	Seconds int
	// Used is the rotation state to store for the next request: the
	// request's Used plus the ids picked now or, when this routine used up
	// the eligible pool and started a new rotation, only the ids picked now.
	Used []string
	// Request is the request as served, with defaults filled in.
	Request Request
}

// Sentinel errors for errors.Is; Build wraps them in *Error.
var (
	// ErrNoFit means no eligible exercise fits the request (for example a
	// pool break of 2 minutes).
	ErrNoFit = errors.New("routines: no exercise fits the request")
	// ErrInvalid means the request itself is malformed (minutes out of
	// range, unknown place, category or difficulty).
	ErrInvalid = errors.New("routines: invalid request")
)

// Error is the error Build returns. UserMessage is one line for people and
// Example a `break` command that would have worked; errors.Is matches
// ErrNoFit or ErrInvalid. Callers map it to their own user-facing error
// type, e.g. bot.Invalid(e.Example(), "%s", e.UserMessage()).
type Error struct {
	kind    error
	message string
	example string
}

// Error returns the message with the package prefix, for logs.
func (e *Error) Error() string { return "routines: " + e.message }

// Unwrap returns ErrNoFit or ErrInvalid.
func (e *Error) Unwrap() error { return e.kind }

// UserMessage is the one-line reason, safe to show to users.
func (e *Error) UserMessage() string { return e.message }

// Example is a command that would have worked, such as "break 10 min".
func (e *Error) Example() string { return e.example }

func newError(kind error, example, format string, args ...any) *Error {
	return &Error{kind: kind, message: fmt.Sprintf(format, args...), example: example}
}

// Tuning of the builder.
const (
	attempts    = 48   // random candidate routines scored per Build
	longSeconds = 300  // exercises longer than this are "long"
	minFill     = 0.6  // fraction of the break a routine should fill
	fixedSeed1  = 0x5f // seed of the source used when Request.Rand is nil
	fixedSeed2  = 0xba
)

// Build makes a routine for req. It tries a number of random candidate
// routines from the eligible exercises (those matching the filters, whose
// shortest allowed time fits the break, and not yet used in the rotation)
// and keeps the one that best fills the time, spans the most categories
// and trims least. Errors are *Error values.
func (l *Library) Build(req Request) (Routine, error) {
	if req.Minutes == 0 {
		req.Minutes = DefaultMinutes
	}
	if req.Minutes < 1 || req.Minutes > MaxMinutes {
		return Routine{}, newError(ErrInvalid, "break 10 min", "A break can be 1 to %d minutes long", MaxMinutes)
	}
	if req.Place != "" && !req.Place.valid() {
		return Routine{}, newError(ErrInvalid, "break desk", "Unknown place %q; use desk, floor, anywhere, outdoors, pool or gym", req.Place)
	}
	if req.Category != "" && !req.Category.valid() {
		return Routine{}, newError(ErrInvalid, "break mobility",
			"Unknown focus %q; use mobility, traction, stabilization, strengthening or aerobic", req.Category)
	}
	if req.Difficulty != "" && difficultyRank(req.Difficulty) < 0 {
		return Routine{}, newError(ErrInvalid, "break", "Unknown difficulty %q; use easy, moderate or hard", req.Difficulty)
	}
	budget := req.Minutes * 60
	var matching, pool []int
	for i, e := range l.exs {
		if !l.matches(e, req) {
			continue
		}
		matching = append(matching, i)
		if e.minSeconds() <= budget {
			pool = append(pool, i)
		}
	}
	if len(pool) == 0 {
		return Routine{}, l.noFit(req, matching)
	}

	used := make(map[string]bool, len(req.Used))
	for _, id := range req.Used {
		used[id] = true
	}
	var fresh, spent []int
	for _, i := range pool {
		if used[l.exs[i].ID] {
			spent = append(spent, i)
		} else {
			fresh = append(fresh, i)
		}
	}
	restart := len(fresh) == 0
	if restart {
		fresh, spent = pool, nil
	}

	b := &builder{lib: l, budget: budget, category: req.Category, longLimit: 1, venues: []Place{""}}
	if req.Place == "" {
		// Each attempt may keep to one venue, so that a break from the whole
		// library can still be done in one spot.
		b.venues = append(b.venues, places...)
		b.anyPlace = true
	}
	if !slices.ContainsFunc(pool, func(i int) bool { return l.exs[i].Seconds <= longSeconds }) {
		b.longLimit = len(pool) // nothing short to mix in: allow long ones together
	}
	for _, i := range pool {
		if l.exs[i].Category == Mobility {
			b.poolHasMobility = true
		}
	}
	b.capPerCategory = max(2, budget/300)
	rng := req.Rand
	if rng == nil {
		rng = rand.New(rand.NewPCG(fixedSeed1, fixedSeed2))
	}
	var best plan
	bestScore := math.Inf(-1)
	for range attempts {
		p := b.attempt(rng, fresh, spent)
		if s := b.score(p); s > bestScore {
			best, bestScore = p, s
		}
	}

	slices.SortFunc(best.picks, func(x, y pick) int { return x.i - y.i }) // l.exs is in progression order
	r := Routine{Request: req, Seconds: best.total}
	picked := make([]string, 0, len(best.picks))
	for _, p := range best.picks {
		e := l.exs[p.i]
		r.Items = append(r.Items, Item{Exercise: e, Seconds: p.secs})
		picked = append(picked, e.ID)
	}
	if restart || best.reset {
		r.Used = picked
	} else {
		r.Used = make([]string, 0, len(req.Used)+len(picked))
		seen := map[string]bool{}
		for _, id := range append(slices.Clone(req.Used), picked...) {
			if !seen[id] {
				seen[id] = true
				r.Used = append(r.Used, id)
			}
		}
	}
	return r, nil
}

// matches applies the place, category and difficulty filters.
func (l *Library) matches(e Exercise, req Request) bool {
	if !e.FitsPlace(req.Place) {
		return false
	}
	if req.Category != "" && e.Category != req.Category {
		return false
	}
	if req.Difficulty != "" && difficultyRank(e.Difficulty) > difficultyRank(req.Difficulty) {
		return false
	}
	return true
}

// noFit explains why nothing matched and proposes a request that would.
func (l *Library) noFit(req Request, matching []int) *Error {
	desc := strings.Join(nonEmpty(req.Difficulty, string(req.Place), string(req.Category)), " ")
	if desc != "" {
		desc += " "
	}
	if len(matching) == 0 {
		alts := nonEmpty(breakCmd(0, req.Place, ""), breakCmd(0, "", req.Category))
		alts = slices.DeleteFunc(alts, func(s string) bool { return s == "break" })
		if len(alts) == 0 {
			alts = []string{"break"}
		}
		return newError(ErrNoFit, alts[0], "There is no %sexercise in the library; try %s", desc, quoteOr(alts))
	}
	need := math.MaxInt
	for _, i := range matching {
		need = min(need, l.exs[i].minSeconds())
	}
	alts := []string{breakCmd((need+59)/60, req.Place, req.Category)}
	if req.Place != Desk {
		alt := Request{Minutes: req.Minutes, Place: Desk, Category: req.Category, Difficulty: req.Difficulty}
		if _, err := l.Build(alt); err == nil {
			alts = append(alts, breakCmd(req.Minutes, Desk, req.Category))
		}
	}
	return newError(ErrNoFit, alts[0], "No %sexercise fits in %s; try %s", desc, minutesWords(req.Minutes), quoteOr(alts))
}

func nonEmpty(ss ...string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return s == "" })
}

// breakCmd spells the chat command for a request; minutes 0 is left out.
func breakCmd(minutes int, p Place, c Category) string {
	parts := []string{"break"}
	if minutes > 0 {
		parts = append(parts, fmt.Sprintf("%d min", minutes))
	}
	return strings.Join(append(parts, nonEmpty(string(p), string(c))...), " ")
}

func quoteOr(cmds []string) string {
	q := make([]string, len(cmds))
	for i, c := range cmds {
		q[i] = "`" + c + "`"
	}
	return strings.Join(q, " or ")
}

func minutesWords(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}

// builder holds what every attempt of one Build shares.
type builder struct {
	lib             *Library
	budget          int
	category        Category
	capPerCategory  int // soft cap when no category is requested
	longLimit       int // most long exercises in one routine
	poolHasMobility bool
	anyPlace        bool    // the request has no Place filter
	venues          []Place // an attempt keeps to one of these ("" = none)
}

// atVenue reports whether e can be done at venue v; exercises that fit
// anywhere fit every venue.
func atVenue(e Exercise, v Place) bool {
	return v == "" || e.FitsPlace(v) || e.FitsPlace(Anywhere)
}

// coherent reports whether every pick can be done at one venue and whether
// all of them are office exercises.
func (b *builder) coherent(p plan) (oneVenue, office bool) {
	office = !slices.ContainsFunc(p.picks, func(x pick) bool { return !b.lib.exs[x.i].Office })
	for _, v := range places {
		if !slices.ContainsFunc(p.picks, func(x pick) bool { return !atVenue(b.lib.exs[x.i], v) }) {
			return true, office
		}
	}
	return false, office
}

type pick struct{ i, secs int }

// plan is one candidate routine.
type plan struct {
	picks   []pick
	total   int
	trimmed int  // seconds cut from nominal times
	long    int  // long exercises picked
	reset   bool // the fresh pool was used up and spent exercises were drawn
}

func (p *plan) has(i int) bool {
	return slices.ContainsFunc(p.picks, func(x pick) bool { return x.i == i })
}

func (p *plan) count(l *Library, c Category) int {
	n := 0
	for _, x := range p.picks {
		if l.exs[x.i].Category == c {
			n++
		}
	}
	return n
}

// attempt fills one candidate routine greedily from a random order of the
// fresh exercises; only when all of them made it in does it continue with
// the spent ones, which starts a new rotation.
func (b *builder) attempt(r *rand.Rand, fresh, spent []int) plan {
	v := b.venues[r.IntN(len(b.venues))]
	at := func(s []int) []int {
		return slices.DeleteFunc(slices.Clone(s), func(i int) bool { return !atVenue(b.lib.exs[i], v) })
	}
	var p plan
	order := shuffled(r, at(fresh))
	b.fill(&p, order, true)
	b.fill(&p, order, false)
	if len(spent) > 0 && len(p.picks) == len(fresh) {
		p.reset = true
		order = shuffled(r, at(spent))
		b.fill(&p, order, true)
		b.fill(&p, order, false)
	}
	return p
}

// fill adds exercises from order while they fit. With capped set it skips
// categories that already have their share, so a first pass spreads the
// routine across categories and a second pass tops up the time.
func (b *builder) fill(p *plan, order []int, capped bool) {
	for _, i := range order {
		e := b.lib.exs[i]
		rem := b.budget - p.total
		if p.has(i) || e.minSeconds() > rem {
			continue
		}
		if capped && b.category == "" && p.count(b.lib, e.Category) >= b.capPerCategory {
			continue
		}
		long := e.Seconds > longSeconds
		if long && p.long >= b.longLimit {
			continue
		}
		secs := e.Seconds
		if secs > rem {
			// Trim to what is left, rounded down to 5 s for readability.
			secs = rem - rem%5
			if secs < e.minSeconds() {
				secs = rem
			}
		}
		p.picks = append(p.picks, pick{i, secs})
		p.total += secs
		p.trimmed += e.Seconds - secs
		if long {
			p.long++
		}
	}
}

// score ranks candidate routines; higher is better.
func (b *builder) score(p plan) float64 {
	ratio := float64(p.total) / float64(b.budget)
	s := 3 * ratio
	if ratio < minFill {
		s -= 2
	}
	s -= float64(p.trimmed) / float64(b.budget)
	if b.category == "" {
		cats := make([]bool, len(Categories))
		n := 0
		for _, x := range p.picks {
			c := b.lib.exs[x.i].Category.index()
			if !cats[c] {
				cats[c] = true
				n++
			}
		}
		s += 0.4 * float64(n)
		if cats[Mobility.index()] && b.poolHasMobility {
			s += 0.5 // warm up with range of motion, as the seed's order suggests
		}
		if cats[Aerobic.index()] {
			s += 0.3
		}
	}
	if b.anyPlace {
		// A break should be doable in one spot; among those, a slight
		// preference for office exercises suits a bot used at work.
		oneVenue, office := b.coherent(p)
		if oneVenue {
			s += 1
		}
		if office {
			s += 0.5
		}
	}
	return s
}

func shuffled(r *rand.Rand, s []int) []int {
	out := slices.Clone(s)
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}
