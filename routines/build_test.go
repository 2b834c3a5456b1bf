package routines

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// userError is the interface the bot maps Build errors through.
type userError interface {
	UserMessage() string
	Example() string
}

// doseSeconds recomputes what a dose takes from its parts: every hold or
// repetition on every side, plus the setup, the rests between holds and
// the change of sides.
func doseSeconds(d Dose) int {
	work := d.Sides * d.Count * d.Each
	switch d.Kind {
	case Steady:
		return d.Each
	case Reps:
		return d.Setup + work + (d.Sides-1)*d.Rest
	default:
		return d.Setup + work + (d.Sides*d.Count-1)*d.Rest
	}
}

// checkRoutine asserts the invariants every routine must keep.
func checkRoutine(t *testing.T, l *Library, req Request, r Routine) {
	t.Helper()
	if req.Minutes == 0 {
		req.Minutes = DefaultMinutes
	}
	if req.Place == "" {
		req.Place = DefaultPlace
	}
	budget := req.Minutes * 60
	name := fmt.Sprintf("%d min %s %s %s seed %d", req.Minutes, req.Place, req.Category, req.Difficulty, req.Seed)
	if len(r.Items) == 0 {
		t.Fatalf("%s: empty routine without an error", name)
	}
	if r.Seconds > budget || float64(r.Seconds) < MinFill*float64(budget) {
		t.Errorf("%s: %d s for a %d s break, want %.0f%%..100%%: %s", name, r.Seconds, budget, MinFill*100, describe(r))
	}
	sum := 0
	ids, moves := map[string]bool{}, map[string]bool{}
	stageSecs := map[Category]int{}
	for i, it := range r.Items {
		e := it.Exercise
		sum += it.Seconds
		stageSecs[e.Category] += it.Seconds
		if ids[e.ID] || moves[e.Movement] {
			t.Errorf("%s: %s (%s) repeats a movement: %s", name, e.ID, e.Movement, describe(r))
		}
		ids[e.ID], moves[e.Movement] = true, true
		if i > 0 && r.Items[i-1].Exercise.Category.index() > e.Category.index() {
			t.Errorf("%s: %s (%s) after %s breaks the progression", name, e.ID, e.Category, r.Items[i-1].Exercise.ID)
		}
		if !e.FitsPlace(req.Place) {
			t.Errorf("%s: %s does not fit place %s", name, e.ID, req.Place)
		}
		if req.Category != "" && e.Category != req.Category {
			t.Errorf("%s: %s is %s", name, e.ID, e.Category)
		}
		if req.Difficulty != "" && difficultyRank(e.Difficulty) > difficultyRank(req.Difficulty) {
			t.Errorf("%s: %s is %s", name, e.ID, e.Difficulty)
		}
		d, rule := it.Dose, e.Dose
		if ds := doseSeconds(d); ds > it.Seconds || it.Seconds-ds > 4 || it.Seconds%5 != 0 || ds != d.Seconds() {
			t.Errorf("%s: %s shows %d s for a dose of %d s (%s)", name, e.ID, it.Seconds, ds, d)
		}
		if d.Each < rule.Each[0] || d.Each > rule.Each[2] || d.Kind != Steady && (d.Count < rule.Count[0] || d.Count > rule.Count[2]) {
			t.Errorf("%s: %s dose %+v is outside its rule %+v", name, e.ID, d, rule)
		}
		if it.Stage == "" || !strings.Contains(strings.ToLower(it.Stage), strings.ToLower(strings.Fields(e.Category.Label())[0])) {
			t.Errorf("%s: %s has stage %q", name, e.ID, it.Stage)
		}
	}
	if sum != r.Seconds {
		t.Errorf("%s: items add up to %d s, Seconds = %d", name, sum, r.Seconds)
	}
	if r.Request.Minutes != req.Minutes || r.Request.Place != req.Place {
		t.Errorf("%s: Request = %+v, want the defaults filled in", name, r.Request)
	}
	if req.Category != "" {
		return
	}
	if first := r.Items[0].Exercise.Category; first != Mobility {
		t.Errorf("%s: starts with %s, want a mobility warm-up: %s", name, first, describe(r))
	}
	if req.Minutes < SessionMinutes {
		n := len(r.Items)
		if req.Minutes <= 4 && (n < 1 || n > 3) || n > 5 || len(stageSecs) != n {
			t.Errorf("%s: %d items in %d stages: %s", name, n, len(stageSecs), describe(r))
		}
		return
	}
	for _, c := range Categories {
		_, lo, hi := StageShare(c)
		got := float64(stageSecs[c]) / float64(budget)
		if got < lo-1e-9 || got > hi+1e-9 {
			t.Errorf("%s: %s takes %.0f%%, want %.0f%%..%.0f%%: %s", name, c, got*100, lo*100, hi*100, describe(r))
		}
	}
}

// describe lists a routine's items for failure messages.
func describe(r Routine) string {
	parts := make([]string, len(r.Items))
	for i, it := range r.Items {
		parts[i] = fmt.Sprintf("%s %ds (%s)", it.Exercise.ID, it.Seconds, it.Dose)
	}
	return strings.Join(parts, ", ")
}

// parseExample reads back the `break` commands errors propose.
func parseExample(t *testing.T, cmd string) Request {
	t.Helper()
	words := strings.Fields(cmd)
	if len(words) == 0 || words[0] != "break" {
		t.Fatalf("example %q is not a break command", cmd)
	}
	var req Request
	for i := 1; i < len(words); i++ {
		w := words[i]
		if n, err := strconv.Atoi(w); err == nil && i+1 < len(words) && words[i+1] == "min" {
			req.Minutes = n
			i++
			continue
		}
		if p, ok := ParsePlace(w); ok {
			req.Place = p
		} else if c, ok := ParseCategory(w); ok {
			req.Category = c
		} else if difficultyRank(w) >= 0 {
			req.Difficulty = w
		} else {
			t.Fatalf("example %q has the unknown word %q", cmd, w)
		}
	}
	return req
}

// TestBuildProperties builds every length from 1 to 60 minutes with every
// place, category and difficulty filter and several seeds, and checks each
// routine's invariants: progression order, stage shares of sessions, the
// total within 90–100 % of the time, no repeated movement, doses that fit
// their times, and that the routine rebuilds exactly. Only a category
// filter may be refused, and then with a working example.
func TestBuildProperties(t *testing.T) {
	l := mustDefault(t)
	placeList := append([]Place{""}, Places...)
	catList := append([]Category{""}, Categories...)
	diffList := append([]string{""}, difficulties...)
	built, refused := 0, 0
	for minutes := 1; minutes <= MaxMinutes; minutes++ {
		for _, p := range placeList {
			for _, c := range catList {
				for _, d := range diffList {
					for seed := range uint64(3) {
						req := Request{Minutes: minutes, Place: p, Category: c, Difficulty: d, Seed: seed*7919 + uint64(minutes)}
						r, err := l.Build(req)
						if err != nil {
							refused++
							var ue userError
							if c == "" || minutes <= 3 || !errors.Is(err, ErrNoFit) || !errors.As(err, &ue) || ue.UserMessage() == "" {
								t.Fatalf("%+v: refused with %v", req, err)
							}
							if seed == 0 {
								alt := parseExample(t, ue.Example())
								alt.Seed = req.Seed
								if _, err := l.Build(alt); err != nil {
									t.Errorf("%+v: the example %q fails too: %v", req, ue.Example(), err)
								}
							}
							continue
						}
						built++
						checkRoutine(t, l, req, r)
						if again, _ := l.Build(r.Request); !reflect.DeepEqual(again, r) {
							t.Fatalf("%+v: Build(r.Request) differs: %s vs %s", req, describe(again), describe(r))
						}
						if back, err := l.FromSpec(r.Spec()); err != nil || !reflect.DeepEqual(back.Items, r.Items) || back.Seconds != r.Seconds {
							t.Fatalf("%+v: FromSpec(%q) = %s, %v; want %s", req, r.Spec(), describe(back), err, describe(r))
						}
					}
				}
			}
		}
	}
	t.Logf("built %d routines, refused %d", built, refused)
}

// TestPlainBreakIsForTheOffice checks that a break without a place uses
// only what an office has, and that a place that needs asking for (pool,
// bike) never turns up unasked.
func TestPlainBreakIsForTheOffice(t *testing.T) {
	l := mustDefault(t)
	for _, minutes := range []int{0, 2, 10, 30, 60} {
		for seed := range uint64(10) {
			r, err := l.Build(Request{Minutes: minutes, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range r.Items {
				if !it.Exercise.Office {
					t.Errorf("%d min seed %d: %s is not an office exercise", minutes, seed, it.Exercise.ID)
				}
			}
		}
	}
	for _, p := range []Place{Desk, Floor, Home, Outdoors} {
		for seed := range uint64(10) {
			r, _ := l.Build(Request{Minutes: 60, Place: p, Seed: seed})
			for _, it := range r.Items {
				if slices.ContainsFunc(it.Exercise.Equipment, func(q string) bool { return q == "pool" || q == "bike" }) {
					t.Errorf("%s seed %d: %s needs a place that was not asked for", p, seed, it.Exercise.ID)
				}
			}
		}
	}
	// Asking for the place brings its sport.
	r, err := l.Build(Request{Minutes: 30, Place: Pool, Category: Aerobic})
	if err != nil || !slices.ContainsFunc(r.Items, func(it Item) bool { return slices.Contains(it.Exercise.Equipment, "pool") }) {
		t.Errorf("a pool aerobic break has no water: %s, %v", describe(r), err)
	}
	r, err = l.Build(Request{Minutes: 30, Place: Outdoors, Category: Aerobic})
	if err != nil || r.Items[0].Exercise.ID != "walking" && !slices.ContainsFunc(r.Items, func(it Item) bool { return it.Exercise.ID == "walking" }) {
		t.Errorf("an outdoor aerobic break has no walk: %s, %v", describe(r), err)
	}
}

// TestSessionsUseThePlace checks that a floor, home or gym session makes
// use of what the place adds rather than keeping to office exercises.
func TestSessionsUseThePlace(t *testing.T) {
	l := mustDefault(t)
	for _, p := range []Place{Floor, Home, Gym, Pool} {
		r, err := l.Build(Request{Minutes: 30, Place: p})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(r.Items, func(it Item) bool { return !it.Exercise.Office }) {
			t.Errorf("a 30-minute %s session uses only office exercises: %s", p, describe(r))
		}
	}
}

func TestStageLabels(t *testing.T) {
	l := mustDefault(t)
	r, err := l.Build(Request{Minutes: 30})
	if err != nil {
		t.Fatal(err)
	}
	var stages []string
	for _, it := range r.Items {
		if !slices.Contains(stages, it.Stage) {
			stages = append(stages, it.Stage)
		}
	}
	want := []string{"Mobility warm-up", "Traction", "Stabilization", "Strengthening", "Low-impact aerobic"}
	if !slices.Equal(stages, want) {
		t.Errorf("stages %q, want %q", stages, want)
	}
	r, _ = l.Build(Request{Minutes: 5, Category: Mobility})
	for _, it := range r.Items {
		if it.Stage != "Mobility" {
			t.Errorf("a mobility-only break labels %s %q", it.Exercise.ID, it.Stage)
		}
	}
}

// TestBuildRotation feeds Routine.Used back in and checks that, within a
// category, no exercise comes back before the category starts a new
// rotation, and that every eligible exercise comes up.
func TestBuildRotation(t *testing.T) {
	l := mustDefault(t)
	tests := []Request{
		{Minutes: 1},
		{Minutes: 2},
		{Minutes: 5},
		{Minutes: 5, Place: Floor},
		{Minutes: 5, Category: Traction},
		{Minutes: 10, Category: Mobility},
		{Minutes: 30, Place: Outdoors},
		{Minutes: 45, Place: Pool},
	}
	for _, base := range tests {
		t.Run(fmt.Sprintf("%d min %s %s", base.Minutes, base.Place, base.Category), func(t *testing.T) {
			norm, _ := normalize(base)
			pool := map[string]bool{}
			for _, e := range l.All() {
				if lo, _ := e.span(); matches(&e, norm) && lo <= base.Minutes*60 {
					pool[e.ID] = true
				}
			}
			// Short breaks visit only some stages, but always mobility.
			mustCome := map[string]bool{}
			for id := range pool {
				e, _ := l.Get(id)
				if base.Place == Outdoors && e.Category == Aerobic && !Outdoors.Signature(&e) {
					continue // outdoors, the aerobic stage is a walk
				}
				if base.Category != "" || base.Minutes >= SessionMinutes || e.Category == Mobility {
					mustCome[id] = true
				}
			}
			cycle := map[string]bool{} // ids given since their category last started over
			ever := map[string]bool{}
			var used []string
			rounds := 3*len(pool) + 3
			for round := range rounds {
				req := base
				req.Used, req.Seed = used, uint64(round)
				r, err := l.Build(req)
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				checkRoutine(t, l, req, r)
				inUsed := map[string]bool{}
				for _, id := range r.Used {
					inUsed[id] = true
				}
				for _, it := range r.Items {
					e := it.Exercise
					ever[e.ID] = true
					if !cycle[e.ID] {
						continue
					}
					// A repeat starts the category over: Used keeps only
					// this round's ids of it.
					for id := range cycle {
						if x, _ := l.Get(id); x.Category == e.Category && inUsed[id] && !slices.ContainsFunc(r.Items, func(it Item) bool { return it.Exercise.ID == id }) {
							t.Fatalf("round %d: %s repeated but %s stays in the rotation", round, e.ID, id)
						}
					}
				}
				clear(cycle)
				for _, id := range r.Used {
					if pool[id] {
						cycle[id] = true
					}
				}
				used = r.Used
			}
			for id := range mustCome {
				if !ever[id] {
					t.Errorf("%s never came up in %d breaks", id, rounds)
				}
			}
		})
	}
}

func TestBuildKeepsForeignUsedIDs(t *testing.T) {
	l := mustDefault(t)
	// Ids from other filters stay in the rotation state untouched; ids the
	// library no longer has are dropped.
	req := Request{Minutes: 2, Used: []string{"swimming", "childs-pose", "swimming", "retired-exercise"}}
	r, err := l.Build(req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Used[:2], []string{"swimming", "childs-pose"}) || len(r.Used) != 2+len(r.Items) {
		t.Errorf("Used = %v, want swimming, childs-pose, then %s", r.Used, describe(r))
	}
	if &req.Used[0] == &r.Used[0] {
		t.Error("Used aliases the request's slice")
	}
}

func TestBuildDeterministic(t *testing.T) {
	l := mustDefault(t)
	for _, req := range []Request{{}, {Minutes: 12, Place: Floor}, {Minutes: 40, Seed: 42}} {
		a, errA := l.Build(req)
		b, errB := l.Build(req)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%+v: %s then %s", req, describe(a), describe(b))
		}
	}
	distinct := map[string]bool{}
	for seed := range uint64(10) {
		r, _ := l.Build(Request{Minutes: 5, Seed: seed})
		distinct[describe(r)] = true
	}
	if len(distinct) < 3 {
		t.Errorf("ten seeds gave %d routines: the seed is ignored", len(distinct))
	}
}

func TestFromSpecRejects(t *testing.T) {
	l := mustDefault(t)
	r, err := l.Build(Request{Minutes: 10})
	if err != nil {
		t.Fatal(err)
	}
	good := r.Spec()
	if len(good) > 40*len(r.Items) {
		t.Errorf("spec %q is long", good)
	}
	for _, spec := range []string{
		"", "2" + good[1:], "1;10;desk;;", "1;x;desk;;;walking:300", "1;10;moon;;;walking:300", "1;10;;;;walking:300",
		"1;10;desk;;;", "1;10;desk;;;walking", "1;10;desk;;;unicorn:60", "1;10;desk;;;walking:7", "1;10;desk;;;walking:99999",
		"1;0;desk;;;walking:60", "1;010;desk;;;walking:60", "1;10;desk;;;walking:060", "1;1;desk;;;walking:120",
		"1;10;desk;;;walking:60,walking:60", "1;10;desk;;;standing-hamstring-stretch:60,seated-hamstring-stretch:60",
	} {
		if _, err := l.FromSpec(spec); !errors.Is(err, ErrInvalid) {
			t.Errorf("FromSpec(%q) = %v, want ErrInvalid", spec, err)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	l := mustDefault(t)
	tests := []struct {
		name        string
		req         Request
		kind        error
		wantMsg     string
		wantExample string
	}{
		{"negative minutes", Request{Minutes: -1}, ErrInvalid, "A break can be 1 to 60 minutes long", "break 10 min"},
		{"too long", Request{Minutes: 61}, ErrInvalid, "A break can be 1 to 60 minutes long", "break 10 min"},
		{"hour of desk traction", Request{Minutes: 60, Category: Traction}, ErrNoFit,
			"There are not enough different easy desk traction exercises", "break "},
		{"unknown place", Request{Place: "moon"}, ErrInvalid, `Unknown place "moon"`, "break floor"},
		{"unknown category", Request{Category: "yoga"}, ErrInvalid, `Unknown focus "yoga"`, "break mobility"},
		{"unknown difficulty", Request{Difficulty: "brutal"}, ErrInvalid, `Unknown difficulty "brutal"`, "break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Build(tt.req)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Build(%+v) = %v, want %v", tt.req, err, tt.kind)
			}
			var ue userError
			if !errors.As(err, &ue) {
				t.Fatalf("%T has no UserMessage/Example", err)
			}
			if msg := strings.Replace(ue.UserMessage(), "easy ", "", 1); !strings.HasPrefix(ue.UserMessage(), tt.wantMsg) && !strings.HasPrefix(msg, strings.Replace(tt.wantMsg, "easy ", "", 1)) {
				t.Errorf("UserMessage() = %q, want prefix %q", ue.UserMessage(), tt.wantMsg)
			}
			if strings.Contains(ue.UserMessage(), "\n") {
				t.Errorf("UserMessage() spans lines: %q", ue.UserMessage())
			}
			if !strings.HasPrefix(ue.Example(), tt.wantExample) {
				t.Errorf("Example() = %q, want prefix %q", ue.Example(), tt.wantExample)
			}
			if !strings.HasPrefix(err.Error(), "routines: ") {
				t.Errorf("Error() = %q, want the package prefix", err.Error())
			}
		})
	}
}

// TestBuildSuggestionWorks checks that the shorter break a refusal proposes
// builds and is the longest that does.
func TestBuildSuggestionWorks(t *testing.T) {
	l := mustDefault(t)
	_, err := l.Build(Request{Minutes: 60, Category: Traction})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	alt := parseExample(t, e.Example())
	if _, err := l.Build(alt); err != nil {
		t.Errorf("the suggested %q fails too: %v", e.Example(), err)
	}
	alt.Minutes++
	if _, err := l.Build(alt); err == nil {
		t.Errorf("the suggested %q is not the longest that works", e.Example())
	}
}

func TestStageShares(t *testing.T) {
	sum := 0.0
	for _, c := range Categories {
		target, lo, hi := StageShare(c)
		if lo > target || target > hi {
			t.Errorf("%s: %v not within %v..%v", c, target, lo, hi)
		}
		sum += target
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("targets add up to %v", sum)
	}
	if target, _, _ := StageShare("nonsense"); target != 0 {
		t.Error("an unknown category has a share")
	}
}

func BenchmarkBuild(b *testing.B) {
	l := Default()
	var used []string
	seed := uint64(1)
	b.ReportAllocs()
	for b.Loop() {
		r, err := l.Build(Request{Used: used, Seed: seed})
		if err != nil {
			b.Fatal(err)
		}
		used = r.Used
		seed++
	}
}

func TestBuildConcurrent(t *testing.T) {
	l := Default()
	done := make(chan Routine)
	for range 8 {
		go func() {
			r, _ := l.Build(Request{Minutes: 7})
			done <- r
		}()
	}
	first := <-done
	for range 7 {
		if r := <-done; !reflect.DeepEqual(r, first) {
			t.Errorf("concurrent builds differ: %s vs %s", describe(r), describe(first))
		}
	}
}

// FuzzBuild throws arbitrary requests at Build: it must not panic, must
// keep to the time limit, and every refusal must explain itself.
func FuzzBuild(f *testing.F) {
	f.Add(5, "", "", "", "", uint64(1))
	f.Add(2, "pool", "", "", "swimming", uint64(2))
	f.Add(61, "desk", "mobility", "easy", "childs-pose,cat-cow", uint64(3))
	f.Add(0, "gym", "aerobic", "hard", "", uint64(4))
	f.Add(-3, "moon", "yoga", "brutal", ",,", uint64(5))
	f.Add(60, "outdoors", "traction", "", "", uint64(6))
	l := Default()
	f.Fuzz(func(t *testing.T, minutes int, place, cat, diff, used string, seed uint64) {
		req := Request{Minutes: minutes, Place: Place(place), Category: Category(cat), Difficulty: diff,
			Used: strings.Split(used, ","), Seed: seed}
		r, err := l.Build(req)
		if err != nil {
			var ue userError
			if !errors.As(err, &ue) || ue.UserMessage() == "" || ue.Example() == "" {
				t.Fatalf("Build(%+v) error %v lacks a message or example", req, err)
			}
			return
		}
		checkRoutine(t, l, req, r)
	})
}

// FuzzFromSpec feeds arbitrary specs to FromSpec: it must not panic, and
// what it accepts must be a routine that specs back to the same text.
func FuzzFromSpec(f *testing.F) {
	l := Default()
	for _, req := range []Request{{}, {Minutes: 30, Place: Gym}, {Minutes: 2, Category: Aerobic}} {
		r, _ := l.Build(req)
		f.Add(r.Spec())
	}
	f.Add("1;10;desk;;;walking:300,walking:300")
	f.Add("1;0;desk;;;")
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := l.FromSpec(spec)
		if err != nil {
			return
		}
		if r.Spec() != spec {
			t.Errorf("FromSpec(%q).Spec() = %q", spec, r.Spec())
		}
	})
}

// TestPlaceBreaksHaveThePlace checks that a break at a place includes
// what the place is named for: mat work on the floor, a step or ball at
// home, gym equipment, a walk outdoors, the water at the pool.
func TestPlaceBreaksHaveThePlace(t *testing.T) {
	l := mustDefault(t)
	for _, p := range []Place{Floor, Home, Gym, Outdoors, Pool} {
		for _, minutes := range []int{2, 3, 4, 5, 7, 9, 10, 15, 30, 45, 60} {
			for seed := range uint64(25) {
				r, err := l.Build(Request{Minutes: minutes, Place: p, Seed: seed})
				if err != nil {
					t.Fatalf("%s %d min seed %d: %v", p, minutes, seed, err)
				}
				if !slices.ContainsFunc(r.Items, func(it Item) bool { return p.Signature(&it.Exercise) }) {
					t.Errorf("%s %d min seed %d has nothing the place is for: %s", p, minutes, seed, describe(r))
				}
			}
		}
	}
	// The pool's signature for a break long enough is in the water and
	// aerobic: a swim or a water walk.
	r, _ := l.Build(Request{Minutes: 5, Place: Pool})
	if !slices.ContainsFunc(r.Items, func(it Item) bool { return it.Exercise.Category == Aerobic && Pool.Signature(&it.Exercise) }) {
		t.Errorf("a 5-minute pool break has no swim or water walk: %s", describe(r))
	}
}

// A break that cannot have what its place is named for says so, with a
// request that would; one that has it says nothing.
func TestPlaceNote(t *testing.T) {
	l := mustDefault(t)
	for _, tt := range []struct {
		req  Request
		want string
	}{
		{Request{Minutes: 1, Place: Pool}, "This break has no time in the water; `break 2 min pool` has."},
		{Request{Place: Outdoors, Category: Stabilization}, "This break has no walk; `break outdoors` has."},
		{Request{Place: Gym}, ""},
		{Request{}, ""},
	} {
		r, err := l.Build(tt.req)
		if err != nil {
			t.Fatal(err)
		}
		if r.Note != tt.want {
			t.Errorf("%+v: note %q, want %q", tt.req, r.Note, tt.want)
		}
		if tt.want != "" {
			alt := parseExample(t, strings.Split(tt.want, "`")[1])
			if r, err := l.Build(alt); err != nil || r.Note != "" {
				t.Errorf("the suggested %+v still has no signature: %q, %v", alt, r.Note, err)
			}
		}
	}
}

// The builder's dose lookups answer as DoseRule.fit does, for every
// exercise and every time up to the longest break.
func TestFittedMatchesFit(t *testing.T) {
	l := Default()
	for i, e := range l.exs {
		for secs := -1; secs <= maxSeconds+5; secs++ {
			ws, wd, wok := e.Dose.fit(secs)
			gs, gd, gok := l.fitted(i, secs)
			if gs != ws || gd != wd || gok != wok {
				t.Fatalf("%s at %d s: fitted %d %+v %v, fit %d %+v %v", e.ID, secs, gs, gd, gok, ws, wd, wok)
			}
		}
	}
}

// The facts worked out once per library agree with the exercises.
func TestFacts(t *testing.T) {
	if numCategories != len(Categories) {
		t.Fatalf("numCategories = %d, want %d", numCategories, len(Categories))
	}
	l := Default()
	for i := range l.exs {
		e, f := &l.exs[i], l.facts[i]
		lo, hi := e.span()
		if f.lo != lo || f.hi != hi || f.usual != min(max(e.Seconds, lo), hi) || f.cat != e.Category.index() ||
			f.rank != difficultyRank(e.Difficulty) {
			t.Errorf("%s: facts %+v", e.ID, f)
		}
		for _, p := range append([]Place{""}, Places...) {
			if got := f.places&placeBits(p) != 0; got != e.FitsPlace(p) {
				t.Errorf("%s at %q: fits %v", e.ID, p, got)
			}
			if got := f.signs&signBits(p) != 0; got != p.Signature(e) {
				t.Errorf("%s at %q: signature %v", e.ID, p, got)
			}
		}
		for j := range l.exs {
			if same := l.facts[j].move == f.move; same != (l.exs[j].Movement == e.Movement) {
				t.Errorf("%s and %s: same movement number %v", e.ID, l.exs[j].ID, same)
			}
		}
	}
}
