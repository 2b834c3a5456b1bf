package routines

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// mustDefault returns the embedded library, failing the test instead of
// panicking if it is broken.
func mustDefault(tb testing.TB) *Library {
	tb.Helper()
	exs, err := decode(exercisesJSON)
	if err != nil {
		tb.Fatalf("embedded exercises.json: %v", err)
	}
	if _, err := New(exs); err != nil {
		tb.Fatalf("embedded exercises.json: %v", err)
	}
	return Default()
}

func TestDefaultLoads(t *testing.T) {
	l := mustDefault(t)
	if got := len(l.All()); got < 24 {
		t.Errorf("library has %d exercises, want at least 24", got)
	}
	if Default() != l {
		t.Error("Default returned a different library on the second call")
	}
}

// TestSeedExercisesPresent checks that every exercise the seed text names can
// be found by the words a user would type.
func TestSeedExercisesPresent(t *testing.T) {
	l := mustDefault(t)
	tests := []struct {
		query    string
		category Category // "" = any
	}{
		{"child's pose", Mobility},
		{"kneeling hip flexor stretch", Mobility},
		{"hamstring stretch", Mobility},
		{"standing hamstring stretch", Mobility},
		{"seated hamstring stretch", Mobility},
		{"supine hamstring stretch", Stabilization},
		{"cat cow", Mobility},         // yoga
		{"sphinx pose", Mobility},     // yoga
		{"reclined pigeon", Mobility}, // yoga
		{"bar hang", Traction},
		{"desk decompression", Traction},
		{"90/90 position", Traction},
		{"neutral spine", Stabilization},
		{"pelvic tilt", Stabilization},
		{"exercise ball bridge", Stabilization},
		{"floor bridge", Stabilization},
		{"supine hip twist", Strengthening},
		{"knees to chest", Strengthening},
		{"medicine ball twist", Strengthening},
		{"walking", Aerobic},
		{"biking", Aerobic},
		{"swimming", Aerobic},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			e, ok := l.Find(tt.query)
			if !ok {
				t.Fatalf("Find(%q) found nothing", tt.query)
			}
			if tt.category != "" && e.Category != tt.category {
				t.Errorf("Find(%q) = %s in %s, want category %s", tt.query, e.ID, e.Category, tt.category)
			}
		})
	}
	var yoga int
	for _, e := range l.All() {
		if e.Origin == Yoga {
			yoga++
		}
	}
	if yoga < 2 {
		t.Errorf("%d exercises are yoga moves, want at least 2", yoga)
	}
}

// nonImperativeStarts are first words that mark a step as a description
// rather than an instruction; a step must also start with a capital and end
// with a full stop.
var nonImperativeStarts = []string{"you", "your", "the", "this", "it", "a", "an", "i", "we", "they", "there"}

func TestEveryFieldFilled(t *testing.T) {
	l := mustDefault(t)
	for _, e := range l.All() {
		t.Run(e.ID, func(t *testing.T) {
			for field, v := range map[string]string{
				"id": e.ID, "name": e.Name, "movement": e.Movement, "position": e.Position,
				"cautions": e.Cautions, "difficulty": e.Difficulty, "summary": e.Summary, "why": e.Why, "origin": e.Origin,
			} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s is empty", field)
				}
			}
			if len(e.Aliases) == 0 {
				t.Error("no aliases")
			}
			if len(e.Places) == 0 {
				t.Error("no places")
			}
			if e.Equipment == nil {
				t.Error("equipment missing (use [] for none)")
			}
			if e.Seconds < 30 || e.Seconds > 1200 {
				t.Errorf("usual dose takes %d s, want 30..1200", e.Seconds)
			}
			if lo, _ := e.span(); lo > 300 {
				t.Errorf("shortest dose takes %d s, want at most 5 min", lo)
			}
			if !strings.HasSuffix(e.Why, ".") || strings.Contains(strings.ToLower(e.Why), "seed") {
				t.Errorf("why %q is not a sentence for users", e.Why)
			}
			if n := strings.Count(e.Cautions, ". ") + 1; n > 2 {
				t.Errorf("cautions has %d sentences, want 1 or 2", n)
			}
			if len(e.Steps) < 3 || len(e.Steps) > 6 {
				t.Errorf("%d steps, want 3..6", len(e.Steps))
			}
			for _, s := range e.Steps {
				first, _, _ := strings.Cut(s, " ")
				r := []rune(first)
				switch {
				case len(s) >= 160:
					t.Errorf("step too long (%d bytes): %q", len(s), s)
				case len(r) == 0 || !unicode.IsUpper(r[0]):
					t.Errorf("step does not start with a capital: %q", s)
				case slices.Contains(nonImperativeStarts, strings.ToLower(first)):
					t.Errorf("step does not read as an instruction: %q", s)
				case !strings.HasSuffix(s, "."):
					t.Errorf("step does not end with a full stop: %q", s)
				}
			}
			if e.Category == Traction && !strings.Contains(e.Cautions, "physical therapist") {
				t.Errorf("traction cautions %q do not say clinical traction is a physical therapist's job", e.Cautions)
			}
		})
	}
}

func TestCategoriesAndOffice(t *testing.T) {
	l := mustDefault(t)
	for _, c := range Categories {
		if n := len(l.ByCategory(c)); n < 3 {
			t.Errorf("category %s has %d exercises, want at least 3", c, n)
		}
	}
	var office int
	for _, e := range l.All() {
		if e.Office && e.Seconds <= 120 && e.FitsPlace(Desk) {
			office++
		}
	}
	if office < 6 {
		t.Errorf("%d office exercises of at most 120 s, want at least 6", office)
	}
	if got := l.ByCategory("nonsense"); got != nil {
		t.Errorf("ByCategory(nonsense) = %v, want nil", got)
	}
}

func TestAllInProgressionOrder(t *testing.T) {
	all := mustDefault(t).All()
	for i := 1; i < len(all); i++ {
		if all[i-1].Category.index() > all[i].Category.index() {
			t.Fatalf("All()[%d] %s (%s) comes after %s (%s)", i, all[i].ID, all[i].Category, all[i-1].ID, all[i-1].Category)
		}
	}
	all[0].ID = "changed"
	if mustDefault(t).All()[0].ID == "changed" {
		t.Error("All returned the library's own slice")
	}
}

func TestIDsAndAliasesUnique(t *testing.T) {
	l := mustDefault(t)
	ids := map[string]bool{}
	keys := map[string]string{}
	for _, e := range l.All() {
		if !slugRE.MatchString(e.ID) {
			t.Errorf("id %q is not a slug", e.ID)
		}
		if ids[e.ID] {
			t.Errorf("duplicate id %q", e.ID)
		}
		ids[e.ID] = true
		if got, ok := l.Get(e.ID); !ok || got.ID != e.ID {
			t.Errorf("Get(%q) = %q, %v", e.ID, got.ID, ok)
		}
		for _, a := range append([]string{e.Name}, e.Aliases...) {
			k := normalizeWords(a)
			if o, ok := keys[k]; ok && o != e.ID {
				t.Errorf("%q of %s clashes with %s", a, e.ID, o)
			}
			keys[k] = e.ID
		}
	}
}

// seedPath is the original seed text, used when present; the committed
// hashes in testdata keep the test meaningful without it.
var seedPath = flag.String("seed", filepath.Join("..", "..", "shared", "seed", "spinal-decompression-exercises.txt"),
	"seed text for TestNoSeedCopy; with -update, rewrites testdata/seed-windows.txt from it")

var update = flag.Bool("update", false, "rewrite testdata files")

const seedWindow = 8

// words splits s the way the copy check compares text: lower case, no
// apostrophes, anything not a letter or digit separates words.
func words(s string) []string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\'' || r == '’':
			return -1
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	return strings.Fields(s)
}

func windowHash(w []string) string {
	h := sha256.Sum256([]byte(strings.Join(w, " ")))
	return hex.EncodeToString(h[:8])
}

// seedWindows returns the hashes of every 8-word window of the seed: from
// the seed file if it can be read, else from testdata.
func seedWindows(t *testing.T) map[string]bool {
	t.Helper()
	const golden = "testdata/seed-windows.txt"
	set := map[string]bool{}
	if data, err := os.ReadFile(*seedPath); err == nil {
		ws := words(string(data))
		for i := 0; i+seedWindow <= len(ws); i++ {
			set[windowHash(ws[i:i+seedWindow])] = true
		}
		if *update {
			hashes := make([]string, 0, len(set))
			for h := range set {
				hashes = append(hashes, h)
			}
			slices.Sort(hashes)
			out := "# sha256[:8] of every 8-word window of the seed text, normalized by words() in library_test.go\n" +
				strings.Join(hashes, "\n") + "\n"
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return set
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatalf("no seed text and no %s: %v", golden, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}

// TestNoSeedCopy asserts that no 8 consecutive words of the seed text appear
// in any exercise text or in the safety note: the library is written in its
// own words.
func TestNoSeedCopy(t *testing.T) {
	seed := seedWindows(t)
	if len(seed) < 500 {
		t.Fatalf("only %d seed windows; the seed text looks truncated", len(seed))
	}
	check := func(where, text string) {
		ws := words(text)
		for i := 0; i+seedWindow <= len(ws); i++ {
			if seed[windowHash(ws[i:i+seedWindow])] {
				t.Errorf("%s copies the seed: %q", where, strings.Join(ws[i:i+seedWindow], " "))
			}
		}
	}
	for _, zone := range []string{"", "Europe/Berlin"} {
		check("SafetyNote", SafetyNote(zone))
	}
	for _, e := range mustDefault(t).All() {
		texts := append([]string{e.Name, e.Usual().Dose.String(), e.Cautions, e.Summary, e.Background()}, e.Steps...)
		texts = append(texts, e.Aliases...)
		for i, s := range texts {
			check(fmt.Sprintf("%s text %d", e.ID, i), s)
		}
	}
	// The check itself must bite: a sentence lifted from the seed is caught.
	lifted := words("Traction stretches out the spine, creating more space between discs")
	if !seed[windowHash(lifted[:seedWindow])] {
		t.Error("a copied seed sentence was not detected")
	}
}

func TestFind(t *testing.T) {
	l := mustDefault(t)
	tests := []struct {
		query string
		want  string // "" = not found
	}{
		{"child's pose", "childs-pose"},
		{"childs pose", "childs-pose"},
		{"Child-Pose", "childs-pose"},
		{"  CHILD’S   POSE ", "childs-pose"},
		{"balasana", "childs-pose"},
		{"childs-pose", "childs-pose"},
		{"the child's pose", "childs-pose"},
		{"knees to chest", "knees-to-chest"},
		{"knee to chest", "knees-to-chest"},
		{"Knees-to-chest", "knees-to-chest"},
		{"hamstring stretches", "standing-hamstring-stretch"},
		{"supine hamstring stretch", "supine-hamstring-stretch"},
		{"pelvic tilts", "neutral-spine-pelvic-tilt"},
		{"seated pelvic tilts", "seated-pelvic-tilt"},
		{"walk around the office", "walking"},
		{"brisk-office-walk", "walking"},
		{"cycling", "biking"},
		{"swim", "swimming"},
		{"bird-dog", "bird-dog"},
		{"90/90", ""},
		{"", ""},
		{"   ", ""},
		{"the", ""},
		{"handstand", ""},
		{"child", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			e, ok := l.Find(tt.query)
			if got := map[bool]string{true: e.ID}[ok]; got != tt.want {
				t.Errorf("Find(%q) = %q, %v; want %q", tt.query, e.ID, ok, tt.want)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	l := mustDefault(t)
	tests := []struct {
		query string
		n     int
		first string // "" = expect no suggestions
	}{
		{"chlid pose", 3, "childs-pose"},
		{"child", 3, "childs-pose"},
		{"hamstrng stretch", 3, "standing-hamstring-stretch"},
		{"knee chest", 3, "knees-to-chest"},
		{"medicine ball", 3, "medicine-ball-twist"},
		{"swiming", 3, "swimming"},
		{"bridge", 3, "floor-bridge"},
		{"zzzzqqq", 3, ""},
		{"", 3, ""},
		{"child pose", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := l.Suggest(tt.query, tt.n)
			if len(got) > max(tt.n, 0) {
				t.Errorf("Suggest(%q, %d) returned %d", tt.query, tt.n, len(got))
			}
			if tt.first == "" {
				if len(got) != 0 {
					t.Errorf("Suggest(%q, %d) = %s…, want none", tt.query, tt.n, got[0].ID)
				}
				return
			}
			if len(got) == 0 || got[0].ID != tt.first {
				ids := make([]string, len(got))
				for i, e := range got {
					ids[i] = e.ID
				}
				t.Errorf("Suggest(%q, %d) = %v, want %s first", tt.query, tt.n, ids, tt.first)
			}
		})
	}
}

func TestParseCategory(t *testing.T) {
	tests := []struct {
		in   string
		want Category
		ok   bool
	}{
		{"mobility", Mobility, true},
		{"Range of Motion", Mobility, true},
		{"ROM", Mobility, true},
		{"stretching", Mobility, true},
		{"stretches", Mobility, true},
		{"traction", Traction, true},
		{"decompression", Traction, true},
		{"stability", Stabilization, true},
		{"Stabilisation", Stabilization, true},
		{"strength", Strengthening, true},
		{"core", Strengthening, true},
		{"cardio", Aerobic, true},
		{"low-impact", Aerobic, true},
		{" AEROBIC ", Aerobic, true},
		{"", "", false},
		{"dancing", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseCategory(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseCategory(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
	for _, c := range Categories {
		if got, ok := ParseCategory(string(c)); !ok || got != c {
			t.Errorf("ParseCategory(%q) = %q, %v", c, got, ok)
		}
	}
}

func TestParsePlace(t *testing.T) {
	tests := []struct {
		in   string
		want Place
		ok   bool
	}{
		{"desk", Desk, true},
		{"Office", Desk, true},
		{"at my desk", Desk, true},
		{"floor", Floor, true},
		{"mat", Floor, true},
		{"anywhere", Desk, true},
		{"home", Home, true},
		{"At Home", Home, true},
		{"park", Outdoors, true},
		{"outside", Outdoors, true},
		{"outdoors", Outdoors, true},
		{"pool", Pool, true},
		{"GYM", Gym, true},
		{"standing", "", false},
		{"", "", false},
		{"moon", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParsePlace(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParsePlace(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	good := func() Exercise {
		return Exercise{
			ID: "test-stretch", Name: "Test stretch", Aliases: []string{"tester"}, Category: Mobility, Movement: "test",
			Position: Seated, Equipment: []string{"chair"},
			Dose:  DoseRule{Kind: Holds, Sides: 2, Each: [3]int{15, 30, 45}, Count: [3]int{1, 1, 2}, Rest: 5, Setup: 5},
			Steps: []string{"Sit.", "Stretch.", "Relax."}, Cautions: "Stop if it hurts.", Difficulty: Easy,
			Summary: "A test.", Why: "It helps.", Origin: Added,
		}
	}
	if _, err := New([]Exercise{good()}); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
	tests := []struct {
		name   string
		change func(*[]Exercise)
		want   string
	}{
		{"empty list", func(x *[]Exercise) { *x = nil }, "no exercises"},
		{"bad slug", func(x *[]Exercise) { (*x)[0].ID = "Test Stretch" }, "not a lowercase slug"},
		{"no movement", func(x *[]Exercise) { (*x)[0].Movement = "" }, "movement"},
		{"no name", func(x *[]Exercise) { (*x)[0].Name = " " }, "name is empty"},
		{"bad category", func(x *[]Exercise) { (*x)[0].Category = "yoga" }, "category"},
		{"bad position", func(x *[]Exercise) { (*x)[0].Position = "upside down" }, "position"},
		{"bad equipment", func(x *[]Exercise) { (*x)[0].Equipment = []string{"rocket"} }, "equipment"},
		{"fits no place", func(x *[]Exercise) { (*x)[0].Position, (*x)[0].Equipment = LyingOnBack, []string{"pool"} }, "no place allows"},
		{"no dose", func(x *[]Exercise) { (*x)[0].Dose = DoseRule{} }, "dose kind"},
		{"holds out of order", func(x *[]Exercise) { (*x)[0].Dose.Each = [3]int{30, 15, 45} }, "in order"},
		{"odd hold", func(x *[]Exercise) { (*x)[0].Dose.Each = [3]int{12, 30, 45} }, "multiples of 5"},
		{"one rep", func(x *[]Exercise) {
			(*x)[0].Dose = DoseRule{Kind: Reps, Each: [3]int{4, 4, 4}, Count: [3]int{1, 5, 8}}
		}, "start at 2"},
		{"steady with count", func(x *[]Exercise) {
			(*x)[0].Dose = DoseRule{Kind: Steady, Each: [3]int{60, 120, 300}, Count: [3]int{1, 1, 1}}
		}, "only each"},
		{"too long", func(x *[]Exercise) { (*x)[0].Dose.Each = [3]int{15, 30, 3000} }, "dose takes"},
		{"two steps", func(x *[]Exercise) { (*x)[0].Steps = []string{"A.", "B."} }, "2 steps"},
		{"long step", func(x *[]Exercise) { (*x)[0].Steps[1] = strings.Repeat("x", 200) }, "step 2"},
		{"time in a step", func(x *[]Exercise) { (*x)[0].Steps[1] = "Hold 30 seconds." }, "names a count or time"},
		{"count in a step", func(x *[]Exercise) { (*x)[0].Steps[2] = "Repeat five times." }, "names a count or time"},
		{"range in a step", func(x *[]Exercise) { (*x)[0].Steps[2] = "Stay 45-60 s." }, "names a count or time"},
		{"bad difficulty", func(x *[]Exercise) { (*x)[0].Difficulty = "extreme" }, "difficulty"},
		{"no cautions", func(x *[]Exercise) { (*x)[0].Cautions = "" }, "cautions is empty"},
		{"no summary", func(x *[]Exercise) { (*x)[0].Summary = "" }, "summary is empty"},
		{"no why", func(x *[]Exercise) { (*x)[0].Why = "" }, "why is empty"},
		{"bad origin", func(x *[]Exercise) { (*x)[0].Origin = "seed" }, "origin"},
		{"duplicate id", func(x *[]Exercise) { *x = append(*x, (*x)[0]) }, "duplicate id"},
		{"alias clash", func(x *[]Exercise) {
			e := good()
			e.ID, e.Name, e.Aliases = "other", "Other", []string{"Tester"}
			*x = append(*x, e)
		}, "clashes with exercise test-stretch"},
		{"two problems", func(x *[]Exercise) { (*x)[0].Summary, (*x)[0].Why = "", "" }, "2 problem(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exs := []Exercise{good()}
			exs[0].Steps = slices.Clone(exs[0].Steps)
			tt.change(&exs)
			l, err := New(exs)
			if err == nil {
				t.Fatalf("New accepted it (%d exercises)", len(l.All()))
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New error = %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestDecodeRejectsUnknownFields(t *testing.T) {
	if _, err := decode([]byte(`[{"id":"x","nmae":"typo"}]`)); err == nil {
		t.Error("decode accepted an unknown field")
	}
}

func TestExerciseHelpers(t *testing.T) {
	l := mustDefault(t)
	e, _ := l.Get("seated-spinal-twist")
	if got, want := e.Detail(), "seated · desk · chair"; got != want {
		t.Errorf("Detail() = %q, want %q", got, want)
	}
	if !e.FitsPlace("") || !e.FitsPlace(Desk) || !e.FitsPlace(Floor) || e.FitsPlace(Outdoors) || !e.Office {
		t.Errorf("places of a chair exercise: %v", e.Places)
	}
	if got, want := e.Background(), "From the range-of-motion group (added from common physiotherapy practice): gentle turning"; !strings.HasPrefix(got, want) {
		t.Errorf("Background() = %q, want prefix %q", got, want)
	}
	u := e.Usual()
	if u.Seconds != e.Seconds || u.Dose.Seconds() > u.Seconds || u.Stage != "Mobility" {
		t.Errorf("Usual() = %+v, want %d s and its dose inside", u, e.Seconds)
	}
	for s, want := range map[int]string{45: "45 s", 60: "1 min", 90: "1 min 30 s", 1200: "20 min"} {
		if got := FormatSeconds(s); got != want {
			t.Errorf("FormatSeconds(%d) = %q, want %q", s, got, want)
		}
	}
}

// equipmentWords are the words in steps that mean a piece of equipment.
var equipmentWords = map[string]*regexp.Regexp{
	"chair":         regexp.MustCompile(`(?i)\b(chair|armrests?)\b`),
	"desk":          regexp.MustCompile(`(?i)\bdesk\b`),
	"wall":          regexp.MustCompile(`(?i)\bwall\b`),
	"mat":           regexp.MustCompile(`(?i)\bmat\b`),
	"step":          regexp.MustCompile(`(?i)\b(a|the|low|sturdy) step\b`),
	"stairs":        regexp.MustCompile(`(?i)\b(stairs?|stairwell|handrail)\b`),
	"exercise ball": regexp.MustCompile(`(?i)\bexercise ball\b`),
	"medicine ball": regexp.MustCompile(`(?i)\bmedicine ball\b`),
	"pull-up bar":   regexp.MustCompile(`(?i)\bbar\b`),
	"bike":          regexp.MustCompile(`(?i)\b(bike|saddle|pedal)\b`),
	"pool":          regexp.MustCompile(`(?i)\b(pool|water)\b`),
}

// optional marks a sentence that offers equipment without needing it.
var optional = regexp.MustCompile(`(?i)if you need|if needed|in case|whenever you need`)

// TestEquipmentMatchesSteps checks that what the steps use is listed as
// equipment (unless a step offers it as optional help) and that listed
// equipment other than a mat appears in the steps.
func TestEquipmentMatchesSteps(t *testing.T) {
	for _, e := range mustDefault(t).All() {
		text := strings.Join(e.Steps, " ")
		for q, re := range equipmentWords {
			listed := slices.Contains(e.Equipment, q)
			for _, s := range append(slices.Clone(e.Steps), e.Cautions) {
				if !listed && re.MatchString(s) && !optional.MatchString(s) {
					t.Errorf("%s: %q uses a %s, which its equipment %q lacks", e.ID, s, q, e.Equipment)
				}
			}
			if listed && q != "mat" && !re.MatchString(text) {
				t.Errorf("%s lists %s, but no step uses it", e.ID, q)
			}
		}
	}
}

// TestPlaces checks the place model: the desk allows no mat, ball, bar,
// pool, bike or stairs; every place has every stage; floor, home and gym
// each add to the one before.
func TestPlaces(t *testing.T) {
	l := mustDefault(t)
	for _, e := range l.All() {
		if !e.FitsPlace(Desk) {
			continue
		}
		if slices.Contains([]string{Kneeling, LyingOnBack, LyingOnFront, OnAllFours, InWater}, e.Position) {
			t.Errorf("%s (%s) fits the desk", e.ID, e.Position)
		}
		for _, q := range e.Equipment {
			if !slices.Contains([]string{"chair", "desk", "wall"}, q) {
				t.Errorf("%s needs %s and fits the desk", e.ID, q)
			}
		}
	}
	for _, p := range Places {
		for _, c := range Categories {
			var easy int
			for _, e := range l.ByCategory(c) {
				if e.FitsPlace(p) && e.Difficulty == Easy {
					easy++
				}
			}
			if easy == 0 {
				t.Errorf("no easy %s exercise at %s", c, p)
			}
		}
	}
	for _, pair := range [][2]Place{{Desk, Floor}, {Floor, Home}, {Home, Gym}} {
		for _, e := range l.All() {
			if e.FitsPlace(pair[0]) && !e.FitsPlace(pair[1]) {
				t.Errorf("%s fits %s but not %s", e.ID, pair[0], pair[1])
			}
		}
	}
	// Sports that need a place appear only there.
	for id, only := range map[string][]Place{"swimming": {Pool}, "water-walking": {Pool}, "biking": {Gym}, "deep-water-hang": {Pool}} {
		e, _ := l.Get(id)
		if !slices.Equal(e.Places, only) {
			t.Errorf("%s fits %v, want only %v", id, e.Places, only)
		}
	}
	if !Gym.Provides("pull-up bar") || Desk.Provides("mat") || !Floor.Provides("mat") {
		t.Error("Provides disagrees with the place model")
	}
}

// TestDoseScales checks every exercise at every time it can take: the dose
// fits the time shown, comes within 5 s of it, and rebuilding from the
// shown time gives the same dose.
func TestDoseScales(t *testing.T) {
	for _, e := range mustDefault(t).All() {
		lo, hi := e.span()
		if _, ok := e.At(lo - 5); ok && lo > 5 {
			t.Errorf("%s: a dose fits in %d s, below its shortest %d s", e.ID, lo-5, lo)
		}
		for s := lo; s <= hi; s += 5 {
			it, ok := e.At(s)
			switch {
			case !ok:
				t.Errorf("%s: no dose for %d s", e.ID, s)
			case it.Seconds > s || it.Dose.Seconds() > it.Seconds || it.Seconds-it.Dose.Seconds() > 4:
				t.Errorf("%s at %d s: shows %d s for a %d s dose (%s)", e.ID, s, it.Seconds, it.Dose.Seconds(), it.Dose)
			default:
				if again, _ := e.At(it.Seconds); again.Dose != it.Dose {
					t.Errorf("%s: %d s gives %s, but its shown %d s gives %s", e.ID, s, it.Dose, it.Seconds, again.Dose)
				}
			}
		}
	}
}

func TestDoseString(t *testing.T) {
	tests := []struct {
		d    Dose
		want string
		secs int
	}{
		{Dose{Kind: Holds, Sides: 1, Count: 1, Each: 45, Setup: 10}, "hold 45 s", 55},
		{Dose{Kind: Holds, Sides: 1, Count: 3, Each: 10, Rest: 5, Setup: 5}, "3 holds of 10 s", 45},
		{Dose{Kind: Holds, Sides: 2, Count: 1, Each: 30, Rest: 5, Setup: 5, Per: "leg"}, "hold 30 s each leg", 70},
		{Dose{Kind: Holds, Sides: 2, Count: 2, Each: 15, Rest: 5, Setup: 5, Per: "side"}, "2 holds of 15 s each side", 80},
		{Dose{Kind: Reps, Sides: 1, Count: 8, Each: 5, Setup: 5, Noun: "slow reps"}, "8 slow reps", 45},
		{Dose{Kind: Reps, Sides: 2, Count: 6, Each: 4, Rest: 5, Setup: 5, Per: "side", Noun: "slow reps"}, "6 slow reps each side", 58},
		{Dose{Kind: Steady, Sides: 1, Count: 1, Each: 300}, "steady pace", 300},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.d, got, tt.want)
		}
		if got := tt.d.Seconds(); got != tt.secs {
			t.Errorf("%+v.Seconds() = %d, want %d", tt.d, got, tt.secs)
		}
	}
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"child's pose", "Child-Pose", "knees to chest", "", "the the", "’’’", "90/90", "ßtretch", "\xff\xfe", strings.Repeat("a b ", 200)} {
		f.Add(s)
	}
	l := Default()
	f.Fuzz(func(t *testing.T, q string) {
		if e, ok := l.Find(q); ok && e.ID == "" {
			t.Errorf("Find(%q) found an exercise without id", q)
		}
		got := l.Suggest(q, 3)
		if len(got) > 3 {
			t.Errorf("Suggest(%q, 3) returned %d", q, len(got))
		}
		_, _ = ParsePlace(q)
	})
}

func FuzzParseCategory(f *testing.F) {
	for _, s := range []string{"mobility", "Range of Motion", "ROM", "low-impact aerobic", "", "strengths", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseCategory(s)
		if ok != c.valid() {
			t.Errorf("ParseCategory(%q) = %q, %v: ok disagrees with validity", s, c, ok)
		}
	})
}

// A word of an exercise's own name ranks it before exercises that only an
// alias connects with the word.
func TestSuggestPrefersTheName(t *testing.T) {
	l := Default()
	if got := l.Suggest("squat", 3); len(got) == 0 || got[0].ID != "mini-squat" {
		t.Errorf("Suggest(squat) = %v, want mini-squat first", got)
	}
}

// Named matches every word of the query against names, as Find reads
// words (plurals and case aside), in library order.
func TestNamed(t *testing.T) {
	l := Default()
	names := func(q string) string {
		var s []string
		for _, e := range l.Named(q) {
			s = append(s, e.Name)
		}
		return strings.Join(s, ", ")
	}
	for q, want := range map[string]string{
		"Hamstrings":         "Standing hamstring stretch, Seated hamstring stretch, Supine hamstring stretch",
		"seated   hamstring": "Seated hamstring stretch",
		"bridge":             "Floor bridge, Exercise-ball bridge",
		"banana":             "",
		"":                   "",
		"the":                "",
	} {
		if got := names(q); got != want {
			t.Errorf("Named(%q) = %q, want %q", q, got, want)
		}
	}
}
