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
	// SessionMinutes is the length from which a routine is a session that
	// visits every stage with its share of the time.
	SessionMinutes = 10
)

// MinFill is the least fraction of the asked time a routine fills; it
// never exceeds the time.
const MinFill = 0.9

// Request describes the routine a caller wants. The zero value asks for a
// five-minute desk routine.
type Request struct {
	// Minutes is the length of the break: 0 means DefaultMinutes, and
	// anything outside 1..MaxMinutes is refused.
	Minutes int
	// Place is where the person is; "" means DefaultPlace (Desk). Only
	// exercises the place allows are used.
	Place Place
	// Category restricts exercises to one category; "" asks for a routine
	// through the stages in progression order.
	Category Category
	// Difficulty is the hardest level allowed (easy < moderate < hard);
	// "" allows any.
	Difficulty string
	// Level is the person's level (easy, moderate or hard): exercises at
	// that level are drawn before easier variants, so that someone who has
	// moved on gets the harder form of a movement (floor bridge → ball
	// bridge) when the place allows it. "" prefers nothing.
	Level string
	// Used holds the ids already given in the current rotation; within a
	// category they are not picked again until that category's eligible
	// exercises have all had their turn.
	Used []string
	// Seed drives the choice: Build gives the same routine for the same
	// request, so a routine can be rebuilt from its Request.
	Seed uint64
}

// Item is one exercise in a routine: the time shown for it, the dose that
// fits in that time, and the stage of the routine it belongs to.
type Item struct {
	Exercise Exercise
	// Seconds is the time shown; the dose takes at most this long and at
	// most 4 s less.
	Seconds int
	// Dose is the holds or repetitions scaled to Seconds.
	Dose Dose
	// Stage labels the item's part of the routine for every renderer:
	// "Mobility warm-up", "Traction", "Stabilization", "Strengthening",
	// "Low-impact aerobic" (a routine of one category shows its label).
	Stage string
}

// Routine is a built break.
type Routine struct {
	// Items are in progression order: mobility first, aerobic last.
	Items []Item
	// Seconds is the total time of Items: at least MinFill of the asked
	// time and never more.
	Seconds int
	// Used is the rotation state to store for the next request.
	Used []string
	// Request is the request as served, with defaults filled in;
	// Build(Request) returns this routine again.
	Request Request
	// Note is one line to show with the routine when it lacks what its
	// place is named for (a one-minute pool break is only its warm-up),
	// saying which request would have it; "" otherwise.
	Note string
}

// Sentinel errors for errors.Is; Build wraps them in *Error.
var (
	// ErrNoFit means no routine of the requested kind fits (for example
	// sixty minutes of traction exercises without repeats).
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

// share is a stage's part of a session: the target and the bounds.
type share struct{ target, lo, hi float64 }

// shares follow Categories: warm up longest, traction briefly.
var shares = [...]share{
	{0.30, 0.20, 0.40}, // mobility
	{0.10, 0.05, 0.20}, // traction
	{0.20, 0.10, 0.30}, // stabilization
	{0.20, 0.10, 0.30}, // strengthening
	{0.20, 0.10, 0.30}, // aerobic
}

// StageShare returns the share of a session's time that stage c aims for
// and the bounds it keeps to (fractions of the asked time).
func StageShare(c Category) (target, lo, hi float64) {
	if !c.valid() {
		return 0, 0, 0
	}
	s := shares[c.index()]
	return s.target, s.lo, s.hi
}

// shortItems is how many items a break shorter than a session has, by
// minutes: one to three for 1–4 minutes, up to five for 5–9.
var shortItems = [SessionMinutes]int{0, 1, 2, 2, 3, 3, 4, 4, 5, 5}

// comfortable is the time an item usually gets in a session; a stage is
// split into about target/comfortable items.
func comfortable(c Category) int {
	if c == Aerobic {
		return 600
	}
	return 120
}

// Build makes a routine for req. Short breaks (under SessionMinutes) have
// one to five items, each from a different stage and starting with
// mobility; sessions warm up with mobility and then visit every stage with
// its share of the time (see StageShare). A routine never repeats a
// movement, keeps to the place, fills at least MinFill of the time and
// never more, and each item's dose fits the time shown for it. Errors are
// *Error values.
func (l *Library) Build(req Request) (Routine, error) {
	req, err := normalize(req)
	if err != nil {
		return Routine{}, err
	}
	r, fail := l.build(req)
	if fail != fitOK {
		return Routine{}, l.noFit(req, fail)
	}
	return r, nil
}

// normalize fills in defaults and refuses malformed requests.
func normalize(req Request) (Request, error) {
	if req.Minutes == 0 {
		req.Minutes = DefaultMinutes
	}
	if req.Place == "" {
		req.Place = DefaultPlace
	}
	if req.Minutes < 1 || req.Minutes > MaxMinutes {
		return req, newError(ErrInvalid, "break 10 min", "A break can be 1 to %d minutes long", MaxMinutes)
	}
	if !req.Place.valid() {
		return req, newError(ErrInvalid, "break floor", "Unknown place %q; use desk, floor, home, gym, outdoors or pool", req.Place)
	}
	if req.Category != "" && !req.Category.valid() {
		return req, newError(ErrInvalid, "break mobility",
			"Unknown focus %q; use mobility, traction, stabilization, strengthening or aerobic", req.Category)
	}
	if req.Difficulty != "" && difficultyRank(req.Difficulty) < 0 {
		return req, newError(ErrInvalid, "break", "Unknown difficulty %q; use easy, moderate or hard", req.Difficulty)
	}
	return req, nil
}

// fit says why an internal build failed.
type fit int

const (
	fitOK      fit = iota
	fitNone        // no exercise matches the filters
	fitShort       // every matching exercise needs more time
	fitTooLong     // not enough different exercises to fill the time
)

// build runs the builder on a normalized request. A routine for a place
// that lacks what the place is named for (a pool break without water) is
// built again around one such exercise, when one fits.
func (l *Library) build(req Request) (Routine, fit) {
	b := newBuilder(l, req)
	if !b.anyMatch {
		return Routine{}, fitNone
	}
	why := b.run()
	if why == fitOK && !b.hasSignature() {
		// A new builder for req orders the exercises as b did (running
		// leaves the order alone), so b tells which exercise it would
		// require, and a place with nothing to require costs no second
		// builder.
		if i := b.signatureFor(); i >= 0 {
			again := newBuilder(l, req)
			again.require(i)
			if again.run() == fitOK && again.hasSignature() {
				b = again
			}
		}
	}
	if why != fitOK {
		return Routine{}, why
	}
	r := b.routine()
	if _, ok := signatureWords[req.Place]; ok && !b.hasSignature() {
		r.Note = l.placeNote(req)
	}
	return r, fitOK
}

// noteKey is what a place note depends on.
type noteKey struct {
	minutes           int
	place             Place
	category          Category
	difficulty, level string
}

// placeNote says what a routine for req lacks and which break has it; it
// is the same for every seed and rotation, so it is worked out once.
func (l *Library) placeNote(req Request) string {
	k := noteKey{req.Minutes, req.Place, req.Category, req.Difficulty, req.Level}
	if n, ok := l.notes.Load(k); ok {
		return n.(string)
	}
	what := signatureWords[req.Place]
	note := "This break has no " + what + "."
	req.Seed, req.Used = 0, nil
	if alt, ok := l.withSignature(req); ok {
		note = fmt.Sprintf("This break has no %s; `%s` has.", what, breakCmd(alt))
	}
	l.notes.Store(k, note)
	return note
}

// withSignature finds the request nearest req whose routine has what the
// place is named for: without the category, then a few minutes longer,
// from the shortest break the place's exercises fit in.
func (l *Library) withSignature(req Request) (Request, bool) {
	var alts []Request
	if req.Category != "" {
		alt := req
		alt.Category = ""
		alts = append(alts, alt)
	}
	shortest := MaxMinutes * 60
	for i := range l.exs {
		if e := &l.exs[i]; req.Place.Signature(e) {
			lo, _ := e.span()
			shortest = min(shortest, lo)
		}
	}
	m0 := max(req.Minutes+1, (shortest+59)/60)
	if m0 < SessionMinutes && shortItems[m0] < 2 {
		m0 = 2 // a one-item break is only its warm-up
	}
	for m := m0; m <= min(MaxMinutes, m0+3); m++ {
		alt := req
		alt.Minutes = m
		alts = append(alts, alt)
		if req.Category != "" {
			alt.Category = ""
			alts = append(alts, alt)
		}
	}
	for _, alt := range alts {
		b := newBuilder(l, alt)
		if !b.anyMatch || b.run() != fitOK {
			continue
		}
		if b.hasSignature() {
			return alt, true
		}
		again := newBuilder(l, alt)
		if i := again.signatureFor(); i >= 0 {
			again.require(i)
			if again.run() == fitOK && again.hasSignature() {
				return alt, true
			}
		}
	}
	return Request{}, false
}

// run fills the routine's slots.
func (b *builder) run() fit {
	present := b.present()
	switch {
	case len(present) == 0:
		return fitShort
	case b.req.Category == "" && b.req.Minutes < SessionMinutes:
		b.fillShort(b.pickStages(present, shortItems[b.req.Minutes]))
	default:
		carry := 0
		stages := b.plan(present)
		for k, st := range stages {
			want := st.target + carry
			got := b.fill(st, want, k == len(stages)-1)
			carry = want - got
		}
	}
	b.grow()
	if b.total() < int(math.Ceil(MinFill*float64(b.budget))) {
		return fitTooLong
	}
	return fitOK
}

// routine turns the slots into the routine.
func (b *builder) routine() Routine {
	l, req := b.lib, b.req
	// Stages in order; within a stage, standing work before getting down
	// to the floor, so nobody gets up and down more than needed. The
	// slots keep their order (used reads it): an order of them is sorted.
	var buf [16]int
	order := buf[:0]
	for k := range b.slots {
		order = append(order, k)
	}
	slices.SortStableFunc(order, func(x, y int) int {
		fx, fy := &l.facts[b.slots[x].i], &l.facts[b.slots[y].i]
		if c := fx.cat - fy.cat; c != 0 {
			return c
		}
		return fx.pos - fy.pos
	})
	r := Routine{Request: req, Items: make([]Item, len(b.slots))}
	for k, j := range order {
		s := &b.slots[j]
		r.Items[k] = Item{Exercise: l.exs[s.i], Seconds: s.secs, Dose: s.dose}
	}
	labelStages(r.Items)
	r.Seconds = b.total()
	r.Used = b.used()
	return r
}

// labelStages sets each item's stage: the category's label, with mobility
// marked as the warm-up when other stages follow.
func labelStages(items []Item) {
	if len(items) == 0 {
		return
	}
	multi := slices.ContainsFunc(items, func(it Item) bool { return it.Exercise.Category != items[0].Exercise.Category })
	for k := range items {
		c := items[k].Exercise.Category
		items[k].Stage = c.Label()
		if multi && c == Mobility {
			items[k].Stage = "Mobility warm-up"
		}
	}
}

// builder holds the state of one Build.
type builder struct {
	lib      *Library
	req      Request
	budget   int
	rng      *rand.Rand
	anyMatch bool
	// order lists, per category, the eligible exercises in preference
	// order: fresh before spent, and at a place other than the desk, those
	// that use what the place offers before those any office allows.
	order [numCategories][]int
	// spent and eligible are indexed like lib.exs, moves (movements
	// already in the routine) like the movements' numbers (facts.move):
	// slices, not maps, because a builder is made for every break. They
	// share one array.
	spent    []bool
	eligible []bool
	moves    []bool
	slots    []slot
	// The random source, kept in the builder so that it costs no
	// allocation of its own; rng draws from it.
	pcg  rand.PCG
	rand rand.Rand
	// Arrays for slots, present and pickStages while they are short.
	slotBuf    [8]slot
	presentBuf [numCategories]Category
	chosenBuf  [numCategories]Category
	// must is an exercise the routine includes (see require), or -1.
	must int
}

// slot is one chosen exercise with the room it may grow into.
type slot struct {
	cand
	cap  *int // the stage's remaining room, nil for no limit
	secs int  // time shown
	dose Dose
}

// cand is an exercise a stage may choose, with its times: a stage weighs
// many of them for the few it picks, so they are kept small.
type cand struct {
	i      int // index in lib.exs
	lo, hi int // shortest and longest time shown
	usual  int // the usual dose's time
}

// stage is one part of a session's plan.
type stage struct {
	cat    Category
	target int // seconds
	cap    int // most seconds for the stage; 0 for no limit
}

// numCategories is len(Categories).
const numCategories = 5

func newBuilder(l *Library, req Request) *builder {
	n := len(l.exs)
	flags := make([]bool, 2*n+l.moves)
	b := &builder{
		lib: l, req: req, budget: req.Minutes * 60,
		spent: flags[:n:n], eligible: flags[n : 2*n : 2*n], moves: flags[2*n:],
		must: -1,
	}
	b.pcg.Seed(req.Seed, req.Seed^0x9e3779b97f4a7c15)
	b.rand = *rand.New(&b.pcg)
	b.rng = &b.rand
	b.slots = b.slotBuf[:0]
	// Fresh before spent; within each, what the place is named for, then
	// what it adds to an office, then office exercises. Each exercise's
	// bucket is found first and counted, so that the buckets, category by
	// category, share one array and each category's order is one stretch
	// of it: a builder is made for every break.
	for _, id := range req.Used {
		if i, ok := l.byID[id]; ok {
			b.spent[i] = true
		}
	}
	const kinds = 6
	var bucketBuf [128]int8
	bucket := bucketBuf[:0] // -1: not eligible
	if n > len(bucketBuf) {
		bucket = make([]int8, 0, n)
	}
	bucket = bucket[:n]
	var counts [numCategories*kinds + 1]int
	place, signs := placeBits(req.Place), signBits(req.Place)
	cat, rank := -1, difficultyRank(req.Difficulty)
	if req.Category != "" {
		cat = req.Category.index()
	}
	for i := range l.exs {
		bucket[i] = -1
		f := &l.facts[i]
		// The place, category and difficulty filters (see matches).
		if f.places&place == 0 || cat >= 0 && f.cat != cat || req.Difficulty != "" && f.rank > rank {
			continue
		}
		b.anyMatch = true
		if f.lo > b.budget {
			continue
		}
		b.eligible[i] = true
		k := 2
		switch {
		case f.signs&signs != 0:
			k = 0
		case req.Place != Desk && !l.exs[i].Office:
			k = 1
		}
		if b.spent[i] {
			k += 3
		}
		n := f.cat*kinds + k
		bucket[i] = int8(n)
		counts[n+1]++
	}
	for n := 1; n < len(counts); n++ {
		counts[n] += counts[n-1] // counts[n]: where bucket n starts
	}
	all := make([]int, counts[len(counts)-1])
	var next [numCategories * kinds]int
	copy(next[:], counts[:])
	for i, n := range bucket {
		if n >= 0 {
			all[next[n]] = i
			next[n]++
		}
	}
	want := difficultyRank(req.Level)
	for c := range Categories {
		for k := range kinds {
			bk := all[counts[c*kinds+k]:counts[c*kinds+k+1]]
			b.rng.Shuffle(len(bk), func(x, y int) { bk[x], bk[y] = bk[y], bk[x] })
			if want > 0 {
				// Nearest to the level first; the shuffle orders the rest.
				slices.SortStableFunc(bk, func(x, y int) int {
					return rankGap(l.facts[x].rank, want) - rankGap(l.facts[y].rank, want)
				})
			}
		}
		if lo, hi := counts[c*kinds], counts[(c+1)*kinds]; hi > lo {
			b.order[c] = all[lo:hi:hi]
		}
	}
	return b
}

// require makes exercise i the routine's first choice in its category and
// keeps its stage in a short break.
func (b *builder) require(i int) {
	b.must = i
	c := b.lib.exs[i].Category.index()
	o := slices.DeleteFunc(slices.Clone(b.order[c]), func(j int) bool { return j == i })
	b.order[c] = append([]int{i}, o...)
}

// signatureFor picks the exercise a routine at the place must include
// when the first build had none: the preferred category's first (pool:
// a swim or water walk; outdoors: a walk) if it leaves room for a warm-up,
// else any that leaves that room, else any that fits at all. It returns
// -1 when no exercise the place is named for fits the request.
func (b *builder) signatureFor() int {
	best, rank := -1, 4
	place := signBits(b.req.Place)
	for c := range b.order {
		for _, i := range b.order[c] {
			e, f := &b.lib.exs[i], &b.lib.facts[i]
			if f.signs&place == 0 {
				continue
			}
			if b.req.Category == "" && b.req.Minutes < SessionMinutes && shortItems[b.req.Minutes] < 2 && e.Category != Mobility {
				continue // a one-item break is its mobility warm-up
			}
			lo := f.lo
			r := 3
			switch {
			case lo*2 <= b.budget && e.Category == b.req.Place.preferred():
				r = 0
			case lo*2 <= b.budget:
				r = 1
			case lo <= b.budget:
				r = 2
			}
			if r < rank {
				best, rank = i, r
			}
		}
	}
	return best
}

// hasSignature reports whether the routine has an exercise the place is
// named for.
func (b *builder) hasSignature() bool {
	place := signBits(b.req.Place)
	for _, s := range b.slots {
		if b.lib.facts[s.i].signs&place != 0 {
			return true
		}
	}
	return false
}

// rankGap is how far difficulty rank r is from the wanted rank.
func rankGap(r, want int) int {
	g := r - want
	if g < 0 {
		return -g
	}
	return g
}

// matches applies the place, category and difficulty filters.
func matches(e *Exercise, req Request) bool {
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

// present lists the categories that have eligible exercises.
func (b *builder) present() []Category {
	out := b.presentBuf[:0]
	for _, c := range Categories {
		if len(b.order[c.index()]) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// plan splits the time of a session, or of a one-category break, between
// its stages.
func (b *builder) plan(present []Category) []stage {
	if b.req.Category != "" {
		return []stage{{cat: b.req.Category, target: b.budget}}
	}
	sum := 0.0
	for _, c := range present {
		sum += shares[c.index()].target
	}
	out := make([]stage, len(present))
	left := b.budget
	for k, c := range present {
		s := shares[c.index()]
		t := int(s.target/sum*float64(b.budget)) / 5 * 5
		out[k] = stage{cat: c, target: t, cap: int(s.hi/sum*float64(b.budget)) / 5 * 5}
		left -= t
	}
	out[0].target += left // rounding goes to the warm-up
	return out
}

// pickStages chooses k stages for a short break: mobility first, then
// others drawn by their share, kept in progression order.
func (b *builder) pickStages(present []Category, k int) []Category {
	if k >= len(present) {
		return present
	}
	chosen := b.chosenBuf[:0]
	var restBuf [numCategories]Category
	rest := append(restBuf[:0], present...)
	if rest[0] == Mobility {
		chosen, rest = append(chosen, Mobility), rest[1:]
	}
	for len(chosen) < k {
		sum := 0.0
		for _, c := range rest {
			sum += shares[c.index()].target
		}
		x := b.rng.Float64() * sum
		j := 0
		for ; j < len(rest)-1; j++ {
			x -= shares[rest[j].index()].target
			if x < 0 {
				break
			}
		}
		chosen = append(chosen, rest[j])
		rest = slices.Delete(rest, j, j+1)
	}
	if b.must >= 0 {
		if c := b.lib.exs[b.must].Category; !slices.Contains(chosen, c) {
			// The last stage drawn makes way for the required one.
			chosen[len(chosen)-1] = c
		}
	}
	slices.SortFunc(chosen, func(x, y Category) int { return x.index() - y.index() })
	return chosen
}

// fill chooses the items of one stage for want seconds and returns the
// seconds they take; last says no stage follows.
func (b *builder) fill(st stage, want int, last bool) int {
	if st.cap > 0 {
		want = min(want, st.cap)
	}
	facts := b.lib.facts
	order := b.order[st.cat.index()]
	cands := make([]cand, 0, len(order))
	for _, i := range order {
		if f := &facts[i]; !b.moves[f.move] && f.lo <= want {
			cands = append(cands, cand{i: i, lo: f.lo, hi: f.hi, usual: f.usual})
		}
	}
	if len(cands) == 0 {
		return 0
	}
	n := max(1, (want+comfortable(st.cat)/2)/comfortable(st.cat))
	var pick []slot
	next := 0
	// picked reports whether a pick has movement m.
	picked := func(m int) bool {
		for _, p := range pick {
			if facts[p.i].move == m {
				return true
			}
		}
		return false
	}
	take := func() bool {
		for ; next < len(cands); next++ {
			c := cands[next]
			if m := facts[c.i].move; !picked(m) && sumLo(pick)+c.lo <= want {
				pick = append(pick, slot{cand: c})
				next++
				return true
			}
		}
		return false
	}
	for len(pick) < n && take() {
	}
	for sumHi(pick) < want && take() {
	}
	got := dose(b.lib, pick, want)
	// When no later stage can use what the doses leave over, one more
	// exercise may.
	for last && want-got >= 10 && take() {
		if g := dose(b.lib, pick, want); g > got {
			got = g
			continue
		}
		pick = pick[:len(pick)-1]
		got = dose(b.lib, pick, want)
		break
	}
	var room *int
	if st.cap > 0 {
		r := st.cap - got
		room = &r
	}
	b.add(pick, room)
	return got
}

// dose splits want seconds between the picks and sets each pick's item to
// the dose that fits its share; time a dose cannot use passes to the next
// pick. It returns the seconds used.
func dose(l *Library, pick []slot, want int) int {
	return doseEach(l, pick, allocate(pick, want))
}

// doseEach doses each pick for its allocated seconds; time a dose cannot
// use passes to the next pick. It returns the seconds used.
func doseEach(l *Library, pick []slot, alloc []int) int {
	got, carry := 0, 0
	for k := range pick {
		p := &pick[k]
		a := min(alloc[k]+carry, p.hi)
		p.secs, p.dose, _ = l.fitted(p.i, a)
		carry = alloc[k] + carry - p.secs
		got += p.secs
	}
	return got
}

// add puts dosed picks into the routine; room is their stage's remaining
// room, shared by them.
func (b *builder) add(pick []slot, room *int) {
	for _, p := range pick {
		p.cap = room
		b.slots = append(b.slots, p)
		b.moves[b.lib.facts[p.i].move] = true
	}
}

// fillShort fills a short break with one item from each of cats, in
// rotation order, then swaps items for others of the same stage while the
// picks are too long or too short for the break, and splits the time
// between them.
func (b *builder) fillShort(cats []Category) {
	need := int(math.Ceil(MinFill * float64(b.budget)))
	facts := b.lib.facts
	// The candidates of every stage share one array.
	total := 0
	for _, c := range cats {
		total += len(b.order[c.index()])
	}
	all := make([]cand, 0, total)
	var candsBuf [numCategories][]cand
	cands := candsBuf[:len(cats)]
	for k, c := range cats {
		start := len(all)
		for _, i := range b.order[c.index()] {
			f := &facts[i]
			all = append(all, cand{i: i, lo: f.lo, hi: f.hi, usual: f.usual})
		}
		cands[k] = all[start:len(all):len(all)]
	}
	var chosenBuf [numCategories]int
	chosen := chosenBuf[:len(cats)] // index into cands[k], -1 for none
	taken := func(k, j int) bool {
		m := facts[cands[k][j].i].move
		for k2, j2 := range chosen {
			if k2 != k && j2 >= 0 && facts[cands[k2][j2].i].move == m {
				return true
			}
		}
		return false
	}
	for k := range cats {
		chosen[k] = -1
		for j := range cands[k] {
			if !taken(k, j) {
				chosen[k] = j
				break
			}
		}
	}
	// picks reuses one array: each result is read before the next call,
	// and the last one is copied.
	buf := make([]slot, 0, len(cats))
	picks := func() []slot {
		out := buf[:0]
		for k, j := range chosen {
			if j >= 0 {
				out = append(out, slot{cand: cands[k][j]})
			}
		}
		return out
	}
	// swap replaces the pick of stage k by the first candidate better by
	// better; it reports whether it could.
	swap := func(k int, better func(x, y cand) bool) bool {
		if chosen[k] < 0 {
			return false
		}
		cur := cands[k][chosen[k]]
		for j := range cands[k] {
			if better(cands[k][j], cur) && !taken(k, j) {
				chosen[k] = j
				return true
			}
		}
		return false
	}
	for sumLo(picks()) > b.budget {
		// Too long even at their shortest: shorten the longest pick, or
		// drop it when nothing shorter exists.
		k := argBest(chosen, func(k int) int {
			if cands[k][chosen[k]].i == b.must && len(picks()) > 1 {
				return -1 // the required exercise stays while others can go
			}
			return cands[k][chosen[k]].lo
		})
		if !swap(k, func(x, y cand) bool { return x.lo < y.lo }) {
			chosen[k] = -1
		}
	}
	for sumHi(picks()) < need {
		// Too short even at their longest: lengthen the shortest pick that
		// has a longer alternative.
		swapped := false
		for _, k := range byAscending(chosen, func(k int) int { return cands[k][chosen[k]].hi }) {
			if cands[k][chosen[k]].i == b.must {
				continue
			}
			if swap(k, func(x, y cand) bool { return x.hi > y.hi && sumLo(picks())-y.lo+x.lo <= b.budget }) {
				swapped = true
				break
			}
		}
		if !swapped {
			break
		}
	}
	pick := picks() // the last use of buf
	doseEach(b.lib, pick, b.byShare(pick))
	b.add(pick, nil)
}

// byShare splits the break between the picks of a short break by their
// stages' shares, within what each can take, in multiples of 5 s.
func (b *builder) byShare(pick []slot) []int {
	share := func(p slot) float64 { return shares[b.lib.exs[p.i].Category.index()].target }
	sum := 0.0
	for _, p := range pick {
		sum += share(p)
	}
	out := make([]int, len(pick))
	total := 0
	for k, p := range pick {
		out[k] = min(max(int(share(p)/sum*float64(b.budget))/5*5, p.lo), p.hi)
		total += out[k]
	}
	for total > b.budget {
		// Take from the pick furthest above its shortest.
		k := 0
		for j := range pick {
			if out[j]-pick[j].lo > out[k]-pick[k].lo {
				k = j
			}
		}
		if out[k]-pick[k].lo < 5 {
			break
		}
		out[k] -= 5
		total -= 5
	}
	for grew := true; grew && total+5 <= b.budget; {
		grew = false
		for k, p := range pick {
			if total+5 <= b.budget && out[k]+5 <= p.hi {
				out[k] += 5
				total += 5
				grew = true
			}
		}
	}
	return out
}

// argBest returns the stage whose chosen pick has the largest f.
func argBest(chosen []int, f func(k int) int) int {
	best := -1
	for k, j := range chosen {
		if j >= 0 && (best < 0 || f(k) > f(best)) {
			best = k
		}
	}
	return best
}

// byAscending returns the stages with a pick, ordered by f ascending.
func byAscending(chosen []int, f func(k int) int) []int {
	var ks []int
	for k, j := range chosen {
		if j >= 0 {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(x, y int) int { return f(x) - f(y) })
	return ks
}

func sumLo(s []slot) (n int) {
	for _, x := range s {
		n += x.lo
	}
	return n
}

func sumHi(s []slot) (n int) {
	for _, x := range s {
		n += x.hi
	}
	return n
}

// allocate splits want seconds (a multiple of 5) between the picks: each
// gets at least its shortest time, and the rest is spread so that all of
// them move alike from shortest through usual towards longest.
func allocate(pick []slot, want int) []int {
	// at fills out for t; the search reuses one array.
	out := make([]int, len(pick))
	at := func(t float64) []int {
		for k, p := range pick {
			var v float64
			if t <= 1 {
				v = float64(p.lo) + t*float64(p.usual-p.lo)
			} else {
				v = float64(p.usual) + (t-1)*float64(p.hi-p.usual)
			}
			out[k] = int(v) / 5 * 5
		}
		return out
	}
	sum := func(s []int) (n int) {
		for _, v := range s {
			n += v
		}
		return n
	}
	lo, hi := 0.0, 2.0
	for range 40 {
		mid := (lo + hi) / 2
		if sum(at(mid)) <= want {
			lo = mid
		} else {
			hi = mid
		}
	}
	at(lo)
	for left := want - sum(out); left >= 5; {
		grew := false
		for k, p := range pick {
			if left >= 5 && out[k]+5 <= p.hi {
				out[k] += 5
				left -= 5
				grew = true
			}
		}
		if !grew {
			break
		}
	}
	return out
}

// grow hands time the stages could not use to items with room left, from
// the end of the routine back, so that the routine fills the break.
func (b *builder) grow() {
	for changed := true; changed; {
		changed = false
		for k := len(b.slots) - 1; k >= 0; k-- {
			left := b.budget - b.total()
			if left < 5 {
				return
			}
			s := &b.slots[k]
			room := left
			if s.cap != nil {
				room = min(room, *s.cap)
			}
			a := min(s.secs+room, s.hi)
			if a <= s.secs {
				continue
			}
			secs, d, _ := b.lib.fitted(s.i, a)
			if more := secs - s.secs; more > 0 {
				if s.cap != nil {
					*s.cap -= more
				}
				s.secs, s.dose = secs, d
				changed = true
			}
		}
	}
}

func (b *builder) total() (n int) {
	for _, s := range b.slots {
		n += s.secs
	}
	return n
}

// used returns the rotation state after this routine: the request's ids,
// minus those of any category that had to start over, plus the ids picked
// now. Ids no longer in the library are dropped.
func (b *builder) used() []string {
	facts := b.lib.facts
	var restart [numCategories + 1]bool
	for _, s := range b.slots {
		if b.spent[s.i] {
			restart[facts[s.i].cat] = true
		}
	}
	out := make([]string, 0, len(b.req.Used)+len(b.slots))
	// Every id added is the library's, so whether it was is kept by
	// exercise.
	var seenBuf [128]bool
	seen := seenBuf[:0]
	if n := len(b.lib.exs); n > len(seenBuf) {
		seen = make([]bool, 0, n)
	}
	seen = seen[:len(b.lib.exs)]
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			out = append(out, b.lib.exs[i].ID)
		}
	}
	for _, id := range b.req.Used {
		i, ok := b.lib.byID[id]
		if !ok || restart[facts[i].cat] && b.eligible[i] {
			continue
		}
		add(i)
	}
	for _, s := range b.slots {
		add(s.i)
	}
	return out
}

// noFit explains why nothing fitted and proposes a request that would.
func (l *Library) noFit(req Request, why fit) *Error {
	desc := strings.Join(nonEmpty(req.Difficulty, string(req.Place), string(req.Category)), " ")
	var alts []Request
	switch why {
	case fitNone:
		alts = []Request{
			{Minutes: req.Minutes, Place: req.Place},
			{Minutes: req.Minutes, Category: req.Category, Difficulty: req.Difficulty},
			{Minutes: req.Minutes, Category: req.Category},
		}
	case fitShort:
		for m := req.Minutes + 1; m <= MaxMinutes; m++ {
			alt := req
			alt.Minutes = m
			if _, ok := l.build(alt); ok == fitOK {
				alts = append(alts, alt)
				break
			}
		}
	case fitTooLong:
		// No break is longer than all eligible exercises at their longest.
		longest := 0
		b := newBuilder(l, req)
		for i, ok := range b.eligible {
			if ok {
				_, hi := l.exs[i].span()
				longest += hi
			}
		}
		for m := min(req.Minutes-1, int(float64(longest)/(MinFill*60))); m >= 1; m-- {
			alt := req
			alt.Minutes = m
			if _, ok := l.build(alt); ok == fitOK {
				alts = append(alts, alt)
				break
			}
		}
	}
	example := "break"
	for _, alt := range alts {
		if alt, err := normalize(alt); err == nil {
			if _, ok := l.build(alt); ok == fitOK {
				example = breakCmd(alt)
				break
			}
		}
	}
	switch why {
	case fitNone:
		return newError(ErrNoFit, example, "There is no %s exercise in the library", desc)
	case fitShort:
		return newError(ErrNoFit, example, "No %s exercise fits in %s", desc, minutesWords(req.Minutes))
	default:
		return newError(ErrNoFit, example, "There are not enough different %s exercises to fill %s without repeats",
			desc, minutesWords(req.Minutes))
	}
}

func nonEmpty(ss ...string) []string {
	return slices.DeleteFunc(ss, func(s string) bool { return s == "" })
}

// breakCmd spells the chat command for a normalized request; the default
// length and place are left out.
func breakCmd(req Request) string {
	parts := []string{"break"}
	if req.Minutes != DefaultMinutes {
		parts = append(parts, fmt.Sprintf("%d min", req.Minutes))
	}
	place := string(req.Place)
	if req.Place == DefaultPlace {
		place = ""
	}
	return strings.Join(append(parts, nonEmpty(place, string(req.Category), req.Difficulty)...), " ")
}

func minutesWords(n int) string {
	if n == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", n)
}
