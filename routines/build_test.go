package routines

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// userError is the interface the bot maps Build errors through.
type userError interface {
	UserMessage() string
	Example() string
}

// checkRoutine asserts the invariants every routine must keep.
func checkRoutine(t *testing.T, l *Library, req Request, r Routine) {
	t.Helper()
	minutes := req.Minutes
	if minutes == 0 {
		minutes = DefaultMinutes
	}
	budget := minutes * 60
	if len(r.Items) == 0 {
		t.Fatalf("%+v: empty routine without an error", req)
	}
	if r.Seconds > budget {
		t.Errorf("%+v: %d s exceeds the %d s budget", req, r.Seconds, budget)
	}
	sum := 0
	seen := map[string]bool{}
	for i, it := range r.Items {
		e := it.Exercise
		sum += it.Seconds
		if seen[e.ID] {
			t.Errorf("%+v: %s appears twice", req, e.ID)
		}
		seen[e.ID] = true
		if it.Seconds > e.Seconds || it.Seconds < e.minSeconds() {
			t.Errorf("%+v: %s gets %d s, want %d..%d", req, e.ID, it.Seconds, e.minSeconds(), e.Seconds)
		}
		if i > 0 && r.Items[i-1].Exercise.Category.index() > e.Category.index() {
			t.Errorf("%+v: %s (%s) after %s (%s) breaks the progression", req, e.ID, e.Category,
				r.Items[i-1].Exercise.ID, r.Items[i-1].Exercise.Category)
		}
		if !e.FitsPlace(req.Place) {
			t.Errorf("%+v: %s does not fit place %q", req, e.ID, req.Place)
		}
		if req.Category != "" && e.Category != req.Category {
			t.Errorf("%+v: %s is %s", req, e.ID, e.Category)
		}
		if req.Difficulty != "" && difficultyRank(e.Difficulty) > difficultyRank(req.Difficulty) {
			t.Errorf("%+v: %s is %s", req, e.ID, e.Difficulty)
		}
		if _, ok := l.Get(e.ID); !ok {
			t.Errorf("%+v: %s is not in the library", req, e.ID)
		}
	}
	if sum != r.Seconds {
		t.Errorf("%+v: items add up to %d s, Seconds = %d", req, sum, r.Seconds)
	}
	if r.Request.Minutes != minutes {
		t.Errorf("%+v: Routine.Request.Minutes = %d, want %d", req, r.Request.Minutes, minutes)
	}
}

// TestBuildProperties builds every minutes × place × category combination
// and checks the invariants, or that the refusal is a proper ErrNoFit.
func TestBuildProperties(t *testing.T) {
	l := mustDefault(t)
	placeList := append([]Place{""}, places...)
	catList := append([]Category{""}, Categories...)
	built, refused := 0, 0
	for minutes := 1; minutes <= MaxMinutes; minutes++ {
		for _, p := range placeList {
			for _, c := range catList {
				req := Request{Minutes: minutes, Place: p, Category: c, Rand: rand.New(rand.NewPCG(uint64(minutes), 7))}
				r, err := l.Build(req)
				if err != nil {
					refused++
					var ue userError
					if !errors.Is(err, ErrNoFit) || !errors.As(err, &ue) || ue.UserMessage() == "" || ue.Example() == "" {
						t.Errorf("%+v: error %v is not a usable ErrNoFit", req, err)
					}
					continue
				}
				built++
				checkRoutine(t, l, req, r)
			}
		}
	}
	if built == 0 || refused == 0 {
		t.Errorf("built %d, refused %d: expected both", built, refused)
	}
}

func TestBuildFillsTheBreak(t *testing.T) {
	l := mustDefault(t)
	tests := []Request{
		{}, {Minutes: 1}, {Minutes: 2}, {Minutes: 3}, {Minutes: 10}, {Minutes: 15}, {Minutes: 30}, {Minutes: 60},
		{Minutes: 2, Place: Desk}, {Minutes: 5, Place: Desk}, {Minutes: 10, Place: Desk},
		{Minutes: 5, Place: Floor}, {Minutes: 10, Place: Floor}, {Minutes: 30, Place: Pool},
		{Minutes: 5, Category: Mobility}, {Minutes: 5, Category: Stabilization}, {Minutes: 5, Difficulty: Easy},
	}
	for _, req := range tests {
		t.Run(fmt.Sprintf("%d min %s %s %s", req.Minutes, req.Place, req.Category, req.Difficulty), func(t *testing.T) {
			r, err := l.Build(req)
			if err != nil {
				t.Fatal(err)
			}
			checkRoutine(t, l, req, r)
			budget := r.Request.Minutes * 60
			if float64(r.Seconds) < minFill*float64(budget) {
				t.Errorf("fills %d of %d s, want at least %.0f%%", r.Seconds, budget, minFill*100)
			}
		})
	}
}

func TestBuildDefaultBreakShape(t *testing.T) {
	l := mustDefault(t)
	for seed := range uint64(20) {
		r, err := l.Build(Request{Rand: rand.New(rand.NewPCG(seed, seed))})
		if err != nil {
			t.Fatal(err)
		}
		cats := map[Category]bool{}
		for _, it := range r.Items {
			cats[it.Exercise.Category] = true
		}
		if len(cats) < 3 {
			t.Errorf("seed %d: a 5-minute break covers %d categories, want at least 3", seed, len(cats))
		}
		if first := r.Items[0].Exercise.Category; first != Mobility {
			t.Errorf("seed %d: break starts with %s, want mobility", seed, first)
		}
		oneSpot := slices.ContainsFunc(places, func(v Place) bool {
			return !slices.ContainsFunc(r.Items, func(it Item) bool { return !atVenue(it.Exercise, v) })
		})
		if !oneSpot {
			t.Errorf("seed %d: break cannot be done in one spot: %v", seed, itemIDs(r))
		}
	}
}

func TestBuildDifficultyCeiling(t *testing.T) {
	l := mustDefault(t)
	for _, d := range difficulties {
		req := Request{Minutes: 20, Difficulty: d}
		r, err := l.Build(req)
		if err != nil {
			t.Fatalf("%s: %v", d, err)
		}
		checkRoutine(t, l, req, r)
	}
}

func itemIDs(r Routine) []string {
	ids := make([]string, len(r.Items))
	for i, it := range r.Items {
		ids[i] = it.Exercise.ID
	}
	return ids
}

// TestBuildRotation feeds Routine.Used back in and checks that no exercise
// comes back before the whole eligible pool has been used.
func TestBuildRotation(t *testing.T) {
	l := mustDefault(t)
	tests := []Request{
		{Minutes: 1, Place: Desk},
		{Minutes: 2},
		{Minutes: 5},
		{Minutes: 5, Place: Desk},
		{Minutes: 5, Place: Floor},
		{Minutes: 5, Category: Traction},
		{Minutes: 10, Category: Mobility},
		{Minutes: 30, Place: Outdoors},
		{Minutes: 45, Place: Pool},
	}
	for _, base := range tests {
		t.Run(fmt.Sprintf("%d min %s %s", base.Minutes, base.Place, base.Category), func(t *testing.T) {
			var pool []string
			for _, e := range l.All() {
				if l.matches(e, base) && e.minSeconds() <= base.Minutes*60 {
					pool = append(pool, e.ID)
				}
			}
			rng := rand.New(rand.NewPCG(1, 2))
			cycle := map[string]bool{} // ids given since the rotation last reset
			ever := map[string]bool{}
			var used []string
			for round := range 3*len(pool) + 3 {
				req := base
				req.Used, req.Rand = used, rng
				r, err := l.Build(req)
				if err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				checkRoutine(t, l, req, r)
				ids := itemIDs(r)
				var repeats []string
				for _, id := range ids {
					ever[id] = true
					if cycle[id] {
						repeats = append(repeats, id)
					}
				}
				// The pool is used up once every id came up in this rotation or now.
				exhausted := !slices.ContainsFunc(pool, func(id string) bool { return !cycle[id] && !slices.Contains(ids, id) })
				if len(repeats) > 0 && !exhausted {
					t.Fatalf("round %d: %v repeated before the pool %v was used up", round, repeats, pool)
				}
				if exhausted {
					clear(cycle) // a new rotation starts with the ids given now
				}
				for _, id := range ids {
					cycle[id] = true
				}
				if !sameSet(r.Used, cycle) {
					t.Fatalf("round %d: Used = %v, want the ids of the current rotation %v", round, r.Used, cycle)
				}
				used = r.Used
			}
			for _, id := range pool {
				if !ever[id] {
					t.Errorf("%s never came up in %d breaks", id, 3*len(pool)+3)
				}
			}
		})
	}
}

func sameSet(ids []string, set map[string]bool) bool {
	if len(ids) != len(set) {
		return false
	}
	for _, id := range ids {
		if !set[id] {
			return false
		}
	}
	return true
}

func TestBuildKeepsForeignUsedIDs(t *testing.T) {
	l := mustDefault(t)
	// Ids from other filters stay in the rotation state untouched.
	req := Request{Minutes: 2, Place: Desk, Used: []string{"swimming", "childs-pose", "swimming"}}
	r, err := l.Build(req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Used[:2], []string{"swimming", "childs-pose"}) || len(r.Used) != 2+len(r.Items) {
		t.Errorf("Used = %v, want swimming, childs-pose, then %v", r.Used, itemIDs(r))
	}
	if &req.Used[0] == &r.Used[0] {
		t.Error("Used aliases the request's slice")
	}
}

func TestBuildDeterministic(t *testing.T) {
	l := mustDefault(t)
	for _, req := range []Request{{}, {Minutes: 12, Place: Floor}, {Minutes: 40}} {
		a, errA := l.Build(req)
		b, errB := l.Build(req)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !reflect.DeepEqual(a.Items, b.Items) {
			t.Errorf("nil Rand: %v then %v", itemIDs(a), itemIDs(b))
		}
		req.Rand = rand.New(rand.NewPCG(42, 42))
		a, _ = l.Build(req)
		req.Rand = rand.New(rand.NewPCG(42, 42))
		b, _ = l.Build(req)
		if !reflect.DeepEqual(a.Items, b.Items) {
			t.Errorf("same seed: %v then %v", itemIDs(a), itemIDs(b))
		}
	}
	distinct := map[string]bool{}
	for seed := range uint64(10) {
		r, _ := l.Build(Request{Minutes: 5, Place: Desk, Rand: rand.New(rand.NewPCG(seed, 1))})
		distinct[strings.Join(itemIDs(r), ",")] = true
	}
	if len(distinct) < 2 {
		t.Error("ten seeds gave the same routine: the seed is ignored")
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
		{"pool in 2 min", Request{Minutes: 2, Place: Pool}, ErrNoFit,
			"No pool exercise fits in 2 minutes; try `break 6 min pool` or `break 2 min desk`", "break 6 min pool"},
		{"swim in 1 min", Request{Minutes: 1, Place: Pool, Category: Aerobic}, ErrNoFit,
			"No pool aerobic exercise fits in 1 minute; try `break 6 min pool aerobic` or `break 1 min desk aerobic`", "break 6 min pool aerobic"},
		{"pool stabilization", Request{Place: Pool, Category: Stabilization}, ErrNoFit,
			"There is no pool stabilization exercise in the library; try `break pool` or `break stabilization`", "break pool"},
		{"easy gym strengthening", Request{Place: Gym, Category: Strengthening, Difficulty: Easy}, ErrNoFit,
			"There is no easy gym strengthening exercise in the library; try `break gym` or `break strengthening`", "break gym"},
		{"unknown place", Request{Place: "moon"}, ErrInvalid, `Unknown place "moon"`, "break desk"},
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
			if !strings.HasPrefix(ue.UserMessage(), tt.wantMsg) {
				t.Errorf("UserMessage() = %q, want prefix %q", ue.UserMessage(), tt.wantMsg)
			}
			if strings.Contains(ue.UserMessage(), "\n") {
				t.Errorf("UserMessage() spans lines: %q", ue.UserMessage())
			}
			if ue.Example() != tt.wantExample {
				t.Errorf("Example() = %q, want %q", ue.Example(), tt.wantExample)
			}
			if !strings.HasPrefix(err.Error(), "routines: ") {
				t.Errorf("Error() = %q, want the package prefix", err.Error())
			}
		})
	}
}

// TestBuildSuggestionWorks checks that the command a refusal proposes does
// build.
func TestBuildSuggestionWorks(t *testing.T) {
	l := mustDefault(t)
	_, err := l.Build(Request{Minutes: 2, Place: Pool})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	var minutes int
	if _, scanErr := fmt.Sscanf(e.Example(), "break %d min pool", &minutes); scanErr != nil {
		t.Fatalf("Example() = %q: %v", e.Example(), scanErr)
	}
	if _, err := l.Build(Request{Minutes: minutes, Place: Pool}); err != nil {
		t.Errorf("the suggested %q fails too: %v", e.Example(), err)
	}
	if _, err := l.Build(Request{Minutes: minutes - 1, Place: Pool}); err == nil {
		t.Errorf("the suggested %q is not the shortest that works", e.Example())
	}
}

func BenchmarkBuild(b *testing.B) {
	l := Default()
	rng := rand.New(rand.NewPCG(1, 1))
	var used []string
	b.ReportAllocs()
	for b.Loop() {
		r, err := l.Build(Request{Used: used, Rand: rng})
		if err != nil {
			b.Fatal(err)
		}
		used = r.Used
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
		if r := <-done; !reflect.DeepEqual(itemIDs(r), itemIDs(first)) {
			t.Errorf("concurrent builds with a nil Rand differ: %v vs %v", itemIDs(r), itemIDs(first))
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
	l := Default()
	f.Fuzz(func(t *testing.T, minutes int, place, cat, diff, used string, seed uint64) {
		req := Request{Minutes: minutes, Place: Place(place), Category: Category(cat), Difficulty: diff,
			Used: strings.Split(used, ","), Rand: rand.New(rand.NewPCG(seed, seed))}
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
