package routines

import "slices"

// Place is where the person taking a break is. It decides which exercises a
// routine may use: each place allows some positions and has some equipment,
// and an exercise fits a place when the place allows its position and has
// everything it needs.
type Place string

// The places. Desk is the default: what any office offers.
const (
	// Desk: standing, seated or walking about, with a chair, a desk and a
	// wall. No mat, ball, bar, bike, pool or stairs.
	Desk Place = "desk"
	// Floor: the desk plus mat work (kneeling, lying, on all fours).
	Floor Place = "floor"
	// Home: the floor plus a step, stairs and an exercise ball.
	Home Place = "home"
	// Gym: home plus a medicine ball, a pull-up bar and an exercise bike.
	Gym Place = "gym"
	// Outdoors: standing and walking, with a wall, a step and stairs.
	Outdoors Place = "outdoors"
	// Pool: standing and walking on the side, and the water itself.
	Pool Place = "pool"
)

// DefaultPlace is the place of a request that names none: a break at work.
const DefaultPlace = Desk

// Places lists every place, the default first.
var Places = []Place{Desk, Floor, Home, Gym, Outdoors, Pool}

// Positions an exercise may be done in.
const (
	Standing     = "standing"
	Seated       = "seated"
	Kneeling     = "kneeling"
	LyingOnBack  = "lying on back"
	LyingOnFront = "lying on front"
	OnAllFours   = "on all fours"
	Moving       = "moving"
	InWater      = "in water"
)

// positions is ordered from up on your feet to down on the floor: a
// routine's stage follows this order.
var positions = []string{Standing, Moving, Seated, Kneeling, OnAllFours, LyingOnFront, LyingOnBack, InWater}

// Equipment names an exercise may list. A wall, a chair and a desk are
// equipment too: they decide where an exercise can be done.
var equipmentNames = []string{
	"chair", "desk", "wall", "mat", "step", "stairs", "exercise ball", "medicine ball", "pull-up bar", "bike", "pool",
}

// setting is what one place offers.
type setting struct {
	positions []string
	equipment []string
}

var (
	deskSetting  = setting{[]string{Standing, Seated, Moving}, []string{"chair", "desk", "wall"}}
	floorSetting = deskSetting.plus([]string{Kneeling, LyingOnBack, LyingOnFront, OnAllFours}, "mat")
	homeSetting  = floorSetting.plus(nil, "step", "stairs", "exercise ball")
	settings     = map[Place]setting{
		Desk:     deskSetting,
		Floor:    floorSetting,
		Home:     homeSetting,
		Gym:      homeSetting.plus(nil, "medicine ball", "pull-up bar", "bike"),
		Outdoors: {[]string{Standing, Moving}, []string{"wall", "step", "stairs"}},
		Pool:     {[]string{Standing, Moving, InWater}, []string{"wall", "pool"}},
	}
)

func (s setting) plus(positions []string, equipment ...string) setting {
	return setting{
		positions: append(slices.Clone(s.positions), positions...),
		equipment: append(slices.Clone(s.equipment), equipment...),
	}
}

// allows reports whether an exercise in position pos needing equipment can
// be done in s.
func (s setting) allows(pos string, equipment []string) bool {
	if !slices.Contains(s.positions, pos) {
		return false
	}
	for _, q := range equipment {
		if !slices.Contains(s.equipment, q) {
			return false
		}
	}
	return true
}

var placeWords = normalizeKeys(map[string]Place{
	"desk": Desk, "office": Desk, "work": Desk, "chair": Desk, "at desk": Desk, "at my desk": Desk, "at work": Desk,
	"anywhere": Desk, "any": Desk, "anyplace": Desk,
	"floor": Floor, "mat": Floor, "ground": Floor, "on floor": Floor, "on the floor": Floor,
	"home": Home, "at home": Home, "house": Home,
	"gym": Gym, "fitness center": Gym, "fitness centre": Gym,
	"outdoors": Outdoors, "outdoor": Outdoors, "outside": Outdoors, "park": Outdoors,
	"pool": Pool, "swimming pool": Pool, "water": Pool,
})

// ParsePlace reads a place the way a user types it, case-insensitively:
// "desk", "office", "work", "anywhere" → Desk; "floor", "mat" → Floor;
// "home" → Home; "gym" → Gym; "outdoors", "outside", "park" → Outdoors;
// "pool", "water" → Pool. Postures such as "standing" are not places and
// are refused.
func ParsePlace(s string) (Place, bool) {
	p, ok := placeWords[normalizeWords(s)]
	return p, ok
}

func (p Place) valid() bool { return slices.Contains(Places, p) }

// Provides reports whether p has the piece of equipment q ("mat", "pool").
func (p Place) Provides(q string) bool { return slices.Contains(settings[p].equipment, q) }

// Signature reports whether e is what a person names p for: mat work on
// the floor, a step, stairs or an exercise ball at home, gym equipment at
// the gym, a walk outdoors, the water at the pool. A routine for p
// includes at least one such exercise whenever one fits (see Build). The
// desk has no signature: any office exercise will do.
func (p Place) Signature(e *Exercise) bool {
	needs := func(qs ...string) bool {
		return slices.ContainsFunc(e.Equipment, func(q string) bool { return slices.Contains(qs, q) })
	}
	switch p {
	case Floor:
		return e.FitsPlace(Floor) && !e.FitsPlace(Desk)
	case Home:
		return needs("step", "stairs", "exercise ball")
	case Gym:
		return needs("pull-up bar", "medicine ball", "bike", "exercise ball")
	case Outdoors:
		return e.Movement == "walk"
	case Pool:
		return needs("pool")
	}
	return false
}

// preferred is the category whose signature exercise a short break at p
// reaches for first: the pool's swim and the outdoors' walk are aerobic.
func (p Place) preferred() Category {
	if p == Pool || p == Outdoors {
		return Aerobic
	}
	return ""
}

// signatureWords name what Signature looks for, for a routine that has to
// go without it.
var signatureWords = map[Place]string{
	Floor: "mat work", Home: "step, stairs or exercise ball", Gym: "gym equipment", Outdoors: "walk", Pool: "time in the water",
}
