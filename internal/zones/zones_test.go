package zones

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		in, want, by string
		label        string // "" when not checked
	}{
		{"Europe/Berlin", "Europe/Berlin", ByName, ""},
		{"europe/berlin", "Europe/Berlin", ByName, ""},
		{"AMERICA/NEW_YORK", "America/New_York", ByName, ""},
		{"America/NewYork", "America/New_York", ByName, ""},
		{"america/new york", "America/New_York", ByName, ""},
		{"America/Port-au-Prince", "America/Port-au-Prince", ByName, ""},
		{"america/port au prince", "America/Port-au-Prince", ByName, ""},
		{"Asia/Calcutta", "Asia/Calcutta", ByName, ""},
		{"US/Pacific", "US/Pacific", ByName, ""},
		{"UTC", "UTC", ByAbbrev, ""},
		{"utc", "UTC", ByAbbrev, ""},
		{"Berlin", "Europe/Berlin", ByPlace, ""},
		{"berlin", "Europe/Berlin", ByPlace, ""},
		{"new york", "America/New_York", ByPlace, ""},
		{"New_York", "America/New_York", ByPlace, ""},
		{"NYC", "America/New_York", ByPlace, ""},
		{"LA", "America/Los_Angeles", ByPlace, ""},
		{"sf", "America/Los_Angeles", ByPlace, ""},
		{"kolkata", "Asia/Kolkata", ByPlace, ""},
		{"Mumbai", "Asia/Kolkata", ByPlace, ""},
		{"bangalore", "Asia/Kolkata", ByPlace, ""},
		{"São Paulo", "America/Sao_Paulo", ByPlace, ""},
		{"sao paulo", "America/Sao_Paulo", ByPlace, ""},
		{"Zürich", "Europe/Zurich", ByPlace, ""},
		{"München", "Europe/Berlin", ByPlace, ""},
		{"buenos aires", "America/Argentina/Buenos_Aires", ByPlace, ""},
		{"Kiev", "Europe/Kyiv", ByPlace, ""},
		{"san francisco", "America/Los_Angeles", ByPlace, ""},
		{"Berlin, Germany", "Europe/Berlin", ByPlace, ""},
		{"Washington, DC", "America/New_York", ByPlace, ""},
		{"Japan", "Asia/Tokyo", ByPlace, ""},
		{"india", "Asia/Kolkata", ByPlace, ""},
		{"uk", "Europe/London", ByPlace, ""},
		{"PST", "America/Los_Angeles", ByAbbrev, "Pacific time"},
		{"pdt", "America/Los_Angeles", ByAbbrev, "Pacific time"},
		{"EST", "America/New_York", ByAbbrev, "Eastern time"},
		{"CST", "America/Chicago", ByAbbrev, "Central time"},
		{"MST", "America/Denver", ByAbbrev, "Mountain time"},
		{"CET", "Europe/Berlin", ByAbbrev, "Central European time"},
		{"CEST", "Europe/Berlin", ByAbbrev, "Central European time"},
		{"IST", "Asia/Kolkata", ByAbbrev, "India time"},
		{"JST", "Asia/Tokyo", ByAbbrev, "Japan time"},
		{"AEST", "Australia/Sydney", ByAbbrev, "Australian Eastern time"},
		{"GMT", "UTC", ByAbbrev, "Greenwich Mean Time"},
		{"UTC+2", "Etc/GMT-2", ByOffset, "a fixed UTC+02:00"},
		{"GMT-5", "Etc/GMT+5", ByOffset, "a fixed UTC-05:00"},
		{"utc +3:00", "Etc/GMT-3", ByOffset, "a fixed UTC+03:00"},
		{"UTC+0", "UTC", ByOffset, "UTC"},
		{"UTC+05:30", "Asia/Kolkata", ByOffset, "the zone that keeps UTC+05:30"},
		{"UTC+5:30", "Asia/Kolkata", ByOffset, "the zone that keeps UTC+05:30"},
		{"GMT+0545", "Asia/Kathmandu", ByOffset, "the zone that keeps UTC+05:45"},
		{"UTC-03:30", "America/St_Johns", ByOffset, "the zone that keeps UTC-03:30"},
		{"Pacific Time", "America/Los_Angeles", ByAbbrev, "Pacific time"},
		{"pacific standard time", "America/Los_Angeles", ByAbbrev, "Pacific time"},
		{"Eastern Daylight Time", "America/New_York", ByAbbrev, "Eastern time"},
		{"Central European Summer Time", "Europe/Berlin", ByAbbrev, "Central European time"},
		{"India Standard Time", "Asia/Kolkata", ByAbbrev, "India time"},
		{"Berlin time", "Europe/Berlin", ByPlace, ""},
		{"Pacific Tiem", "America/Los_Angeles", ByAbbrev, "Pacific time"},
		{"EST5EDT", "EST5EDT", ByName, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := Lookup(tt.in)
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tt.in, err)
			}
			if m.Name != tt.want || m.By != tt.by || m.Loc == nil || m.Loc.String() != tt.want {
				t.Errorf("Lookup(%q) = %s by %s, want %s by %s", tt.in, m.Name, m.By, tt.want, tt.by)
			}
			if tt.label != "" && m.Label != tt.label {
				t.Errorf("Lookup(%q) label = %q, want %q", tt.in, m.Label, tt.label)
			}
		})
	}
}

func TestLookupMisses(t *testing.T) {
	tests := []struct {
		in        string
		suggest   string // first suggestion; "" for none
		ambiguous bool
	}{
		{"Europe/Berln", "Europe/Berlin", false},
		{"Berln", "Europe/Berlin", false},
		{"kolkatta", "Asia/Kolkata", false},
		{"America/Berlin", "Europe/Berlin", false},
		{"Amerika/New_York", "America/New_York", false},
		{"Mars/Olympus", "", false},
		{"banana", "", false},
		{"", "", false},
		{"local", "", false},
		{"Local", "", false},
		{"../etc/passwd", "", false},
		{"/etc/localtime", "", false},
		{"UTC+15", "", false},
		{"UTC+5:17", "", false},
		{strings.Repeat("a", 65), "", false},
		{"USA", "America/New_York", true},
		{"canada", "America/Toronto", true},
		{"Washington", "America/New_York", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			m, err := Lookup(tt.in)
			miss, ok := err.(*Miss)
			if !ok {
				t.Fatalf("Lookup(%q) = %+v, %v; want a *Miss", tt.in, m, err)
			}
			first := ""
			if len(miss.Suggestions) > 0 {
				first = miss.Suggestions[0]
			}
			if first != tt.suggest || miss.Ambiguous != tt.ambiguous {
				t.Errorf("Lookup(%q) suggests %v (ambiguous %v), want %q first (ambiguous %v)", tt.in, miss.Suggestions, miss.Ambiguous, tt.suggest, tt.ambiguous)
			}
		})
	}
}

// Every name the tables offer loads, and every place and abbreviation
// resolves to one of them.
func TestTablesLoad(t *testing.T) {
	for _, n := range slices.Concat(Names, olderNames) {
		if _, err := time.LoadLocation(n); err != nil {
			t.Errorf("%s does not load: %v", n, err)
		}
	}
	for k, zs := range places() {
		for _, z := range zs {
			if _, err := time.LoadLocation(z); err != nil {
				t.Errorf("place %q: %s does not load: %v", k, z, err)
			}
		}
	}
	for a, v := range abbreviations() {
		if _, err := time.LoadLocation(v.zone); err != nil {
			t.Errorf("abbreviation %s: %s does not load: %v", a, v.zone, err)
		}
	}
	for zone, names := range placeTable {
		for _, p := range strings.Split(names, ",") {
			if m, err := Lookup(p); err != nil || m.Name != zone {
				t.Errorf("Lookup(%q) = %s, %v; want %s", p, m.Name, err, zone)
			}
		}
	}
}

func TestObservesDST(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for name, want := range map[string]bool{
		"America/Los_Angeles": true, "Europe/Berlin": true, "Australia/Sydney": true,
		"Asia/Kolkata": false, "Asia/Tokyo": false, "America/Phoenix": false, "UTC": false,
	} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := ObservesDST(loc, now); got != want {
			t.Errorf("ObservesDST(%s) = %v, want %v", name, got, want)
		}
	}
}

func FuzzLookup(f *testing.F) {
	for _, s := range []string{"Berlin", "PST", "UTC+2", "America/NewYork", "Berln, Germany", "../x", "São Paulo", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := Lookup(s)
		if err == nil && (m.Loc == nil || m.Name == "" || m.Name == "Local") {
			t.Fatalf("Lookup(%q) = %+v", s, m)
		}
		if miss, ok := err.(*Miss); ok {
			for _, n := range miss.Suggestions {
				if _, err := Lookup(n); err != nil {
					t.Fatalf("Lookup(%q) suggests %q, which does not resolve: %v", s, n, err)
				}
			}
		}
	})
}

func TestLoadSharesOneLocation(t *testing.T) {
	a, err := Load("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load("Europe/Berlin")
	if a != b || a.String() != "Europe/Berlin" {
		t.Errorf("Load twice = %p %v, %p %v; want one shared Europe/Berlin", a, a, b, b)
	}
	if _, err := Load("Europe/Berln"); err == nil {
		t.Error("Load(Europe/Berln) succeeded")
	}
	if _, err := Load("Europe/Berln"); err == nil {
		t.Error("a failed name must fail again, not be cached")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load("America/New_York"); err != nil {
			b.Fatal(err)
		}
	}
}

// The tables are built by the first lookup; lookups that arrive together
// share them (run with -race).
func TestFirstLookupsAtOnce(t *testing.T) {
	var wg sync.WaitGroup
	for _, s := range []string{"PST", "São Paulo", "Europe/Berlin", "berln"} {
		wg.Go(func() { Lookup(s) })
	}
	wg.Wait()
	if m, err := Lookup("zurich"); err != nil || m.Name != "Europe/Zurich" {
		t.Errorf("Lookup(zurich) = %+v, %v", m, err)
	}
}
