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

// Label is the category's name as a stage of a routine: "Mobility",
// "Traction", "Stabilization", "Strengthening", "Low-impact aerobic".
func (c Category) Label() string {
	if i := c.index(); i < len(labels) {
		return labels[i]
	}
	return label(c)
}

// labels are the Labels of Categories, spelt once.
var labels = func() []string {
	out := make([]string, len(Categories))
	for i, c := range Categories {
		out[i] = label(c)
	}
	return out
}()

// label spells c's Label.
func label(c Category) string {
	if c == Aerobic {
		return "Low-impact aerobic"
	}
	s := string(c)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// group names the part of the source text each category comes from.
var group = map[Category]string{
	Mobility:      "range-of-motion",
	Traction:      "traction",
	Stabilization: "spine-stabilizing",
	Strengthening: "muscle-strengthening",
	Aerobic:       "low-impact aerobic",
}

// Origins say how an exercise relates to the source text.
const (
	Named   = "named"   // the source names this exercise
	Yoga    = "yoga"    // a yoga move, which the source recommends for stretching
	Adapted = "adapted" // a version of a named exercise for another setting
	Added   = "added"   // added from common physiotherapy practice
)

var origins = map[string]string{
	Named:   "the source names it",
	Yoga:    "a yoga move, as the source suggests",
	Adapted: "adapted from an exercise the source names",
	Added:   "added from common physiotherapy practice",
}

// Difficulty levels, from easiest. A Request's Difficulty is a ceiling.
const (
	Easy     = "easy"
	Moderate = "moderate"
	Hard     = "hard"
)

var difficulties = []string{Easy, Moderate, Hard}

// difficultyRank orders difficulties; unknown values rank -1.
func difficultyRank(d string) int { return slices.Index(difficulties, d) }

// Exercise is one entry of the library. The JSON field names are the
// snake-case forms of the Go names; Places, Office and Seconds are derived
// by New.
type Exercise struct {
	ID       string   `json:"id"`      // slug, e.g. "childs-pose"
	Name     string   `json:"name"`    // display name
	Aliases  []string `json:"aliases"` // other names people use; matched by Find
	Category Category `json:"category"`
	// Movement groups variants of one movement ("hamstring-stretch"): a
	// routine never has two exercises with the same movement.
	Movement string `json:"movement"`
	// Position is one of standing, seated, kneeling, lying on back, lying on
	// front, on all fours, moving, in water.
	Position string `json:"position"`
	// Equipment is everything the steps need (a chair, a wall, a mat…);
	// together with Position it decides where the exercise can be done.
	Equipment []string `json:"equipment"`
	// Dose says how the holds or repetitions scale with the time given.
	Dose       DoseRule `json:"dose"`
	Steps      []string `json:"steps"`    // 3–6 short imperative steps, without counts or times
	Cautions   string   `json:"cautions"` // one or two short sentences
	Difficulty string   `json:"difficulty"`
	Summary    string   `json:"summary"` // one line
	// Why is one sentence telling the user how the exercise helps the back.
	Why string `json:"why"`
	// Origin is how the exercise relates to the source text: named, yoga,
	// adapted or added.
	Origin string `json:"origin"`

	// Places lists where the exercise can be done, in the order of Places.
	Places []Place `json:"-"`
	// Office is true when it can be done at a desk (Places contains Desk).
	Office bool `json:"-"`
	// Seconds is the time of the usual dose.
	Seconds int `json:"-"`
}

// derive fills in the fields New computes.
func (e *Exercise) derive() {
	e.Places = nil
	for _, p := range Places {
		if settings[p].allows(e.Position, e.Equipment) {
			e.Places = append(e.Places, p)
		}
	}
	e.Office = slices.Contains(e.Places, Desk)
	e.Seconds = e.Usual().Seconds
}

// FitsPlace reports whether e can be done at p; "" matches everything.
func (e Exercise) FitsPlace(p Place) bool {
	return p == "" || settings[p].allows(e.Position, e.Equipment)
}

// At returns e as a routine item given seconds: the largest dose that fits,
// and the time shown for it (the dose rounded up to 5 s, never more than
// seconds). It reports false when even the shortest dose needs longer.
func (e Exercise) At(seconds int) (Item, bool) {
	secs, d, ok := e.Dose.fit(seconds)
	if !ok {
		return Item{}, false
	}
	return Item{Exercise: e, Seconds: secs, Dose: d, Stage: e.Category.Label()}, true
}

// Usual returns e with its usual dose, as shown on its own.
func (e Exercise) Usual() Item {
	it, _ := e.At(ceil5(e.Dose.usual().Seconds()))
	return it
}

// span returns the shortest and longest times an item of e can be shown
// with; every multiple of 5 s in between gets a dose.
func (e Exercise) span() (lo, hi int) {
	return ceil5(e.Dose.shortest().Seconds()), ceil5(e.Dose.longest().Seconds())
}

// Background tells the user why the exercise helps and which part of the
// source it comes from, e.g. "From the range-of-motion group (the source
// names it): …".
func (e Exercise) Background() string {
	why := e.Why
	if why != "" {
		why = strings.ToLower(why[:1]) + why[1:]
	}
	return fmt.Sprintf("From the %s group (%s): %s", group[e.Category], origins[e.Origin], why)
}

// Detail is a one-line description of position, the plainest place the
// exercise suits and its equipment, such as "seated · desk · chair" or
// "lying on back · floor · mat".
func (e Exercise) Detail() string {
	eq := "no equipment"
	if len(e.Equipment) > 0 {
		eq = strings.Join(e.Equipment, ", ")
	}
	where := ""
	if len(e.Places) > 0 {
		where = string(e.Places[0]) + " · "
	}
	return e.Position + " · " + where + eq
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
