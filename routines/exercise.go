package routines

import (
	"fmt"
	"slices"
	"strings"
)

// Category is one of the five kinds of exercise the library groups by. The
// order of Categories is the order a routine follows.
type Category string

// The five categories, named after the seed's sections.
const (
	Mobility      Category = "mobility"      // range of motion: stretches and yoga
	Traction      Category = "traction"      // gentle self-decompression
	Stabilization Category = "stabilization" // holding a neutral spine
	Strengthening Category = "strengthening" // lumbar and core strength
	Aerobic       Category = "aerobic"       // low-impact cardio
)

// Categories lists every category in progression order: a routine warms up
// with mobility and ends with aerobic work.
var Categories = []Category{Mobility, Traction, Stabilization, Strengthening, Aerobic}

// categoryWords maps what people type to a category; keys are normalized
// once at start-up so that lookups and keys agree on plurals and spacing.
var categoryWords = normalizeKeys(map[string]Category{
	"mobility": Mobility, "range of motion": Mobility, "rom": Mobility,
	"stretch": Mobility, "stretches": Mobility, "stretching": Mobility,
	"flexibility": Mobility, "yoga": Mobility, "mobilization": Mobility,
	"traction": Traction, "decompression": Traction, "decompress": Traction,
	"unload": Traction, "hang": Traction,
	"stabilization": Stabilization, "stabilisation": Stabilization,
	"stability": Stabilization, "stabilize": Stabilization, "stabilise": Stabilization,
	"stabilizing": Stabilization, "neutral spine": Stabilization, "balance": Stabilization,
	"strengthening": Strengthening, "strength": Strengthening, "strengthen": Strengthening,
	"strong": Strengthening, "core": Strengthening,
	"aerobic": Aerobic, "cardio": Aerobic, "low impact": Aerobic,
	"low impact aerobic": Aerobic, "endurance": Aerobic,
})

// ParseCategory reads a category the way a user types it: case does not
// matter, and common synonyms are accepted ("range of motion", "rom",
// "stretching" → Mobility; "decompression" → Traction; "stability" →
// Stabilization; "strength", "core" → Strengthening; "cardio",
// "low-impact" → Aerobic).
func ParseCategory(s string) (Category, bool) {
	c, ok := categoryWords[normalizeWords(s)]
	return c, ok
}

// index is c's position in Categories, or len(Categories) if unknown.
func (c Category) index() int {
	if i := slices.Index(Categories, c); i >= 0 {
		return i
	}
	return len(Categories)
}

func (c Category) valid() bool { return c.index() < len(Categories) }

// Place is where an exercise can be done.
type Place string

// The places a routine can be filtered by. Desk is special: it selects the
// exercises marked Office (doable in work clothes without lying down).
const (
	Desk     Place = "desk"
	Floor    Place = "floor"
	Anywhere Place = "anywhere"
	Outdoors Place = "outdoors"
	Pool     Place = "pool"
	Gym      Place = "gym"
)

var places = []Place{Desk, Floor, Anywhere, Outdoors, Pool, Gym}

var placeWords = normalizeKeys(map[string]Place{
	"desk": Desk, "office": Desk, "work": Desk, "chair": Desk, "at desk": Desk, "at my desk": Desk,
	"floor": Floor, "mat": Floor, "ground": Floor, "on floor": Floor, "home": Floor,
	"anywhere": Anywhere, "any": Anywhere, "anyplace": Anywhere,
	"outdoors": Outdoors, "outdoor": Outdoors, "outside": Outdoors,
	"pool": Pool, "swimming pool": Pool, "water": Pool,
	"gym": Gym, "fitness center": Gym, "fitness centre": Gym,
})

// ParsePlace reads a place the way a user types it, case-insensitively:
// "desk", "office", "work", "chair" → Desk; "floor", "mat", "ground",
// "home" → Floor; "anywhere", "any" → Anywhere; "outdoors", "outside" →
// Outdoors; "pool" → Pool; "gym" → Gym. Postures such as "standing" are not
// places and are refused: Desk already covers standing office exercises.
func ParsePlace(s string) (Place, bool) {
	p, ok := placeWords[normalizeWords(s)]
	return p, ok
}

func (p Place) valid() bool { return slices.Contains(places, p) }

// Difficulty levels, from easiest. A Request's Difficulty is a ceiling.
const (
	Easy     = "easy"
	Moderate = "moderate"
	Hard     = "hard"
)

var difficulties = []string{Easy, Moderate, Hard}

// difficultyRank orders difficulties; unknown values rank -1.
func difficultyRank(d string) int { return slices.Index(difficulties, d) }

// Positions an exercise may be done in.
var positions = []string{"standing", "seated", "kneeling", "lying on back", "lying on front", "on all fours", "moving"}

// Equipment names an exercise may list.
var equipmentNames = []string{"chair", "desk", "mat", "exercise ball", "medicine ball", "bike", "pool", "doorway/bar", "stairs"}

// floorPositions and floorEquipment cannot be part of an office exercise.
var (
	floorPositions = []string{"kneeling", "lying on back", "lying on front", "on all fours"}
	floorEquipment = []string{"mat", "exercise ball", "medicine ball", "bike", "pool", "doorway/bar"}
)

// Exercise is one entry of the library. The JSON field names are the
// snake-case forms of the Go names.
type Exercise struct {
	ID       string   `json:"id"`      // slug, e.g. "childs-pose"
	Name     string   `json:"name"`    // display name
	Aliases  []string `json:"aliases"` // other names people use; matched by Find
	Category Category `json:"category"`
	// Position is one of standing, seated, kneeling, lying on back, lying on
	// front, on all fours, moving.
	Position string `json:"position"`
	// Places lists where it can be done (desk, floor, anywhere, outdoors,
	// pool, gym); it contains desk exactly when Office is true.
	Places    []Place  `json:"places"`
	Equipment []string `json:"equipment"` // may be empty
	// Seconds is the nominal time the exercise takes inside a routine.
	Seconds int `json:"seconds"`
	// Reps is an optional dose such as "8 slow reps each side".
	Reps       string   `json:"reps"`
	Steps      []string `json:"steps"`    // 3–6 short imperative steps
	Cautions   string   `json:"cautions"` // one or two short sentences
	Difficulty string   `json:"difficulty"`
	Summary    string   `json:"summary"` // one line
	// Source names the passage of the seed text the exercise comes from.
	Source string `json:"source"`
	// Office is true when it can be done in office clothes without getting
	// on the floor.
	Office bool `json:"office"`
}

// FitsPlace reports whether e can be done at p. Desk selects the Office
// exercises; every other place matches the exercises listing it; "" matches
// everything.
func (e Exercise) FitsPlace(p Place) bool {
	switch p {
	case "":
		return true
	case Desk:
		return e.Office
	default:
		return slices.Contains(e.Places, p)
	}
}

// Duration describes the dose for display: the reps when set, else the
// nominal time ("45 s", "2 min").
func (e Exercise) Duration() string {
	if e.Reps != "" {
		return e.Reps
	}
	return FormatSeconds(e.Seconds)
}

// Detail is a one-line description of position, places and equipment, such
// as "seated · desk · chair".
func (e Exercise) Detail() string {
	parts := []string{e.Position}
	ps := make([]string, len(e.Places))
	for i, p := range e.Places {
		ps[i] = string(p)
	}
	parts = append(parts, strings.Join(ps, ", "))
	if len(e.Equipment) > 0 {
		parts = append(parts, strings.Join(e.Equipment, ", "))
	} else {
		parts = append(parts, "no equipment")
	}
	return strings.Join(parts, " · ")
}

// minSeconds is the shortest an exercise may be trimmed to inside a
// routine: 60% of its nominal time, but never below 30 s (or its nominal
// time when that is shorter).
func (e Exercise) minSeconds() int {
	m := (e.Seconds*6 + 9) / 10
	return max(m, min(30, e.Seconds))
}

// FormatSeconds renders a duration for people: "45 s", "2 min", "1 min 30 s".
func FormatSeconds(s int) string {
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s%60 == 0:
		return fmt.Sprintf("%d min", s/60)
	default:
		return fmt.Sprintf("%d min %d s", s/60, s%60)
	}
}
