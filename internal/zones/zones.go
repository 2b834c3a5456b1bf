package zones

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/internal/editdist"
)

// How a Match was read from the input.
const (
	ByName   = "name"         // an IANA name, in any case or spacing
	ByPlace  = "place"        // a city, country or region
	ByAbbrev = "abbreviation" // "PST", "CET"
	ByOffset = "offset"       // "UTC+2": a fixed offset
)

// Match is the zone found for what someone typed.
type Match struct {
	Name string // IANA name to store: "America/Los_Angeles"
	Loc  *time.Location
	By   string // how the input was read: ByName, ByPlace, ByAbbrev or ByOffset
	// Label names the time the input stands for, for abbreviations and
	// offsets: "Pacific time".
	Label string
	// Note is a hint for those who meant another zone by the same words:
	// "for Arizona, which keeps standard time all year, use America/Phoenix".
	Note string
}

// Miss is why Lookup found no zone: Suggestions are the IANA names the
// input most likely meant, best first (empty when nothing is close), and
// Ambiguous is set when the input names a country with several zones.
type Miss struct {
	Input       string
	Suggestions []string
	Ambiguous   bool
}

func (m *Miss) Error() string {
	if len(m.Suggestions) == 0 {
		return fmt.Sprintf("zones: %q is not a time zone", m.Input)
	}
	return fmt.Sprintf("zones: %q is not a time zone; did you mean %s?", m.Input, m.Suggestions[0])
}

// maxInput bounds what is looked at; zone names are short.
const maxInput = 64

// Lookup reads a zone the way people name it. An error is a *Miss.
func Lookup(s string) (Match, error) {
	s = strings.Join(strings.Fields(s), " ")
	miss := &Miss{Input: s}
	if s == "" || len([]rune(s)) > maxInput {
		return Match{}, miss
	}
	k := key(s)
	if k == "" {
		return Match{}, miss
	}
	if a, ok := abbreviations()[strings.ToUpper(s)]; ok {
		return load(a.zone, ByAbbrev, a.label, a.note)
	}
	if name, ok := byKey()[k]; ok {
		return load(name, ByName, "", "")
	}
	if m, ok := offset(s); ok {
		return m, nil
	}
	if p, ok := places()[k]; ok {
		if len(p) > 1 {
			miss.Suggestions, miss.Ambiguous = p, true
			return Match{}, miss
		}
		return load(p[0], ByPlace, "", "")
	}
	// "Berlin, Germany", "Portland, OR": the place before the comma.
	if before, _, ok := strings.Cut(s, ","); ok && strings.TrimSpace(before) != "" {
		if m, err := Lookup(before); err == nil {
			return m, nil
		}
	}
	if m, ok := raw(s); ok {
		return m, nil
	}
	// "Pacific Time", "Central European Summer Time", "Berlin time".
	if name, ok := spelled(s); ok {
		if a, ok := abbreviations()[name]; ok {
			return load(a.zone, ByAbbrev, a.label, a.note)
		}
		if m, err := Lookup(name); err == nil {
			return m, nil
		}
	}
	miss.Suggestions = nearest(k)
	return Match{}, miss
}

// timeWords end the name of a time said in words, longest first.
var timeWords = []string{" standard time", " daylight time", " summer time", " time zone", " timezone", " time", " zone"}

// spelledNames are the names of times, said in words without "time", that
// are neither abbreviations nor places.
var spelledNames = map[string]string{
	"pacific": "PT", "mountain": "MT", "central": "CT", "eastern": "ET", "atlantic": "AST", "alaska": "AKST",
	"hawaii": "HST", "hawaiian": "HST", "newfoundland": "NST", "central european": "CET", "western european": "WET",
	"eastern european": "EET", "greenwich mean": "GMT", "british": "BST", "uk": "BST", "coordinated universal": "UTC",
	"universal": "UTC", "india": "IST", "indian": "IST", "japan": "JST", "korea": "KST", "china": "Asia/Shanghai",
	"australian eastern": "AEST", "australian central": "ACST", "australian western": "AWST", "new zealand": "NZST",
	"moscow": "MSK", "us pacific": "PT", "us eastern": "ET", "us central": "CT", "us mountain": "MT",
	"north american eastern": "ET", "north american central": "CT", "north american pacific": "PT",
}

// spelled reads a time said in words ("Pacific Time", "Eastern Standard
// Time", "Berlin time") and returns the abbreviation or place it names.
func spelled(s string) (string, bool) {
	lower := strings.ToLower(s)
	if i := strings.LastIndexByte(lower, ' '); i > 0 && lower[i+1:] != "time" && editdist.Distance(lower[i+1:], "time") == 1 {
		lower = lower[:i] + " time" // "Pacific Tiem"
	}
	for _, w := range timeWords {
		if rest, ok := strings.CutSuffix(lower, w); ok && strings.TrimSpace(rest) != "" {
			lower = strings.TrimSpace(rest)
			break
		}
	}
	if n, ok := spelledNames[lower]; ok {
		return n, true
	}
	return lower, lower != strings.ToLower(s)
}

// load builds a Match for an IANA name from the tables. The tables are
// tested to load, so a failure means a host without zone data.
func load(name, by, label, note string) (Match, error) {
	loc, err := Load(name)
	if err != nil {
		return Match{}, fmt.Errorf("zones: load %s: %w", name, err)
	}
	return Match{Name: name, Loc: loc, By: by, Label: label, Note: note}, nil
}

// raw accepts any other name the zone database loads in exactly the
// spelling given ("US/Pacific", "EST5EDT"), refusing paths and "Local".
func raw(s string) (Match, bool) {
	if strings.EqualFold(s, "local") || strings.Contains(s, "..") || strings.HasPrefix(s, "/") || strings.ContainsAny(s, " \\\x00") {
		return Match{}, false
	}
	loc, err := Load(s)
	if err != nil {
		return Match{}, false
	}
	return Match{Name: loc.String(), Loc: loc, By: ByName}, true
}

// offset reads a fixed offset, "UTC+2", "GMT-5", "+3", "UTC+05:30" or
// "+0530". A whole hour is the Etc/GMT zone that keeps it (whose sign is
// inverted, as POSIX has it); a part hour, which no Etc zone keeps, is the
// zone of the country that keeps it ("UTC+05:30" is Asia/Kolkata).
func offset(s string) (Match, bool) {
	u := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	u = strings.NewReplacer("−", "-", "–", "-").Replace(u)
	for _, p := range []string{"UTC", "GMT"} {
		u = strings.TrimPrefix(u, p)
	}
	if len(u) < 2 || (u[0] != '+' && u[0] != '-') {
		return Match{}, false
	}
	hs, ms, colon := strings.Cut(u[1:], ":")
	if !colon && len(hs) == 4 {
		hs, ms = hs[:2], hs[2:] // "+0530"
	}
	if ms != "" && ms != "00" {
		mins, err := strconv.Atoi(ms)
		h, herr := strconv.Atoi(hs)
		if err != nil || herr != nil || len(ms) != 2 || len(hs) > 2 {
			return Match{}, false
		}
		total := h*60 + mins
		if u[0] == '-' {
			total = -total
		}
		zone, ok := partHourZones[total]
		if !ok {
			return Match{}, false
		}
		label := fmt.Sprintf("UTC%c%02d:%s", u[0], h, ms)
		m, err := load(zone, ByOffset, "the zone that keeps "+label, "")
		return m, err == nil
	}
	digits := hs
	h, err := strconv.Atoi(digits)
	if err != nil || len(digits) > 2 || h > 14 || (u[0] == '-' && h > 12) {
		return Match{}, false
	}
	if h == 0 {
		m, err := load("UTC", ByOffset, "UTC", "")
		return m, err == nil
	}
	inv := map[byte]string{'+': "-", '-': "+"}[u[0]]
	m, err := load("Etc/GMT"+inv+strconv.Itoa(h), ByOffset, fmt.Sprintf("a fixed UTC%c%02d:00", u[0], h),
		"a city such as Europe/Berlin also follows its daylight saving")
	return m, err == nil
}

// partHourZones are the zones that keep offsets of part of an hour, in
// minutes east of UTC: one for each offset, the most populous.
var partHourZones = map[int]string{
	-570: "Pacific/Marquesas", -210: "America/St_Johns", 210: "Asia/Tehran", 270: "Asia/Kabul", 330: "Asia/Kolkata",
	345: "Asia/Kathmandu", 390: "Asia/Yangon", 525: "Australia/Eucla", 570: "Australia/Darwin", 630: "Australia/Lord_Howe",
	765: "Pacific/Chatham",
}

// ObservesDST reports whether loc changes its clocks in the year of t.
func ObservesDST(loc *time.Location, t time.Time) bool {
	y := t.In(loc).Year()
	_, jan := time.Date(y, time.January, 1, 12, 0, 0, 0, loc).Zone()
	_, jul := time.Date(y, time.July, 1, 12, 0, 0, 0, loc).Zone()
	return jan != jul
}

// key folds a name for comparison: lower case, accents removed, and the
// separators people vary (space, _, -, ., comma, apostrophe) dropped, so
// "New York", "new_york" and "NewYork" are one key. Slashes are kept.
func key(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '_' || r == '-' || r == '.' || r == ',' || r == '\'' || r == '’':
		case r < 0x80:
			b.WriteRune(r)
		default:
			if f, ok := accents()[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// accents maps the accented letters of place names to plain ones, so
// "São Paulo" and "Zürich" find their zones.
var accents = sync.OnceValue(func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l"}
	for plain, accented := range map[string]string{
		"a": "áàâäãåā", "c": "çčć", "e": "éèêëēę", "i": "íìîïī", "n": "ñń", "o": "óòôöõō",
		"s": "šśş", "u": "úùûüū", "y": "ýÿ", "z": "žźż", "r": "ř", "g": "ğ",
	} {
		for _, r := range accented {
			m[r] = plain
		}
	}
	return m
})

// byKey finds an IANA name by its key: every current and older name. It
// and the other tables of names are built by the first lookup, not when
// the program starts: a bot at rest looks up no zone by name.
var byKey = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, n := range slices.Concat(Names, olderNames) {
		if _, ok := m[key(n)]; !ok {
			m[key(n)] = n
		}
	}
	return m
})

// places maps the key of a place to its zone (or, for a country with
// several, the zones to choose from): each zone's own city, then the
// curated cities, countries and regions, which win on a clash.
var places = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, n := range slices.Concat(Names, olderNames) {
		city := key(n[strings.LastIndexByte(n, '/')+1:])
		if _, ok := m[city]; !ok && strings.Contains(n, "/") {
			m[city] = []string{n}
		}
	}
	for zone, names := range placeTable {
		for _, p := range strings.Split(names, ",") {
			m[key(p)] = []string{zone}
		}
	}
	for names, zs := range severalZones {
		for _, p := range strings.Split(names, ",") {
			m[key(p)] = zs
		}
	}
	return m
})

// nearest returns the names closest to an unknown key: a typo of a full
// name or of a place ("europe/berln", "kolkatta"), or a known city under
// the wrong area ("America/Berlin").
func nearest(k string) []string {
	type cand struct {
		d    int
		name string
	}
	var cands []cand
	limit := max(1, min(3, len([]rune(k))/4))
	add := func(d int, names ...string) {
		for _, n := range names {
			if !slices.ContainsFunc(cands, func(c cand) bool { return c.name == n }) {
				cands = append(cands, cand{d, n})
			}
		}
	}
	for nk, n := range byKey() {
		if d := editdist.Distance(k, nk); d <= limit {
			add(d, n)
		}
	}
	for pk, zs := range places() {
		if d := editdist.Distance(k, pk); d <= limit {
			add(d, zs...)
		}
	}
	if i := strings.LastIndexByte(k, '/'); i >= 0 {
		if zs, ok := places()[k[i+1:]]; ok {
			add(1, zs...)
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		return strings.Compare(a.name, b.name)
	})
	var out []string
	for _, c := range cands {
		if len(out) == 3 {
			break
		}
		out = append(out, c.name)
	}
	return out
}

// Abbrev is t's zone abbreviation as a reply shows it: the lettered one
// where the zone has one ("CET", "IST"), else the offset from UTC
// ("UTC+11", "UTC+10:30", "UTC-03"), since tzdata's bare "+11" reads as
// arithmetic beside a time.
func Abbrev(t time.Time) string {
	name, off := t.Zone()
	if name == "" || (name[0] != '+' && name[0] != '-') {
		return name
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	s := fmt.Sprintf("UTC%c%02d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}
