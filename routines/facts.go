package routines

import (
	"slices"
	"sort"
)

// facts is what the builder reads about one exercise, worked out once per
// library rather than on every break: a builder is made for every break,
// and it reads these for every exercise of the library.
type facts struct {
	cat  int // index in Categories
	rank int // difficulty rank (see difficultyRank)
	pos  int // index in positions
	// move numbers the exercise's movement: exercises of one movement
	// share it, and the numbers run from 0 up.
	move int
	// places and signs have bit k set when Places[k] allows the exercise,
	// and when it is what Places[k] is named for (Place.Signature).
	places, signs uint8
	// lo and hi are the shortest and longest times shown (Exercise.span);
	// usual is the usual dose's time within them.
	lo, hi, usual int
	// doses are the doses DoseRule.choose can return, by ascending
	// seconds: for each length, the one choose prefers (see fitted).
	doses []sizedDose
}

// sizedDose is a dose with its time, transitions included.
type sizedDose struct {
	secs int
	dose Dose
}

// prepare fills in l.facts and l.moves from l.exs.
func (l *Library) prepare() {
	l.facts = make([]facts, len(l.exs))
	moves := map[string]int{}
	for i := range l.exs {
		e := &l.exs[i]
		f := &l.facts[i]
		f.cat = e.Category.index()
		f.rank = difficultyRank(e.Difficulty)
		f.pos = slices.Index(positions, e.Position)
		m, ok := moves[e.Movement]
		if !ok {
			m = len(moves)
			moves[e.Movement] = m
		}
		f.move = m
		for k, p := range Places {
			if e.FitsPlace(p) {
				f.places |= 1 << k
			}
			if p.Signature(e) {
				f.signs |= 1 << k
			}
		}
		f.lo, f.hi = e.span()
		f.usual = min(max(e.Seconds, f.lo), f.hi)
		f.doses = e.Dose.doses()
	}
	l.moves = len(moves)
}

// placeBits is the bit of p in facts.places and facts.signs; "" has every
// place's bit, as Exercise.FitsPlace matches everything for it, and a
// place not in Places has none.
func placeBits(p Place) uint8 {
	if p == "" {
		return 1<<len(Places) - 1
	}
	if k := slices.Index(Places, p); k >= 0 {
		return 1 << k
	}
	return 0
}

// signBits is placeBits for facts.signs: "" is named for nothing, as
// Place.Signature has it.
func signBits(p Place) uint8 {
	if p == "" {
		return 0
	}
	return placeBits(p)
}

// doses lists, by ascending seconds, the dose choose returns for every
// length a dose of the rule can take: choose takes the longest dose within
// its limit, and among doses of one length always the same one, whatever
// the limit, so a lookup in this list answers it.
func (r DoseRule) doses() []sizedDose {
	var lengths []int
	r.each(func(d Dose) { lengths = append(lengths, d.Seconds()) })
	slices.Sort(lengths)
	lengths = slices.Compact(lengths)
	out := make([]sizedDose, 0, len(lengths))
	for _, s := range lengths {
		if d, ok := r.choose(s); ok {
			out = append(out, sizedDose{d.Seconds(), d})
		}
	}
	return out
}

// fitted is DoseRule.fit for exercise i, from its dose list.
func (l *Library) fitted(i, seconds int) (int, Dose, bool) {
	ds := l.facts[i].doses
	k := sort.Search(len(ds), func(k int) bool { return ds[k].secs > seconds })
	if k == 0 {
		return 0, Dose{}, false
	}
	return ceil5(ds[k-1].secs), ds[k-1].dose, true
}
