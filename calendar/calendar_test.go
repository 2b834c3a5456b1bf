package calendar

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rickar/cal/v2"

	"github.com/stretchbot/stretchbot/bot"
)

func TestLookup(t *testing.T) {
	for _, tt := range []struct{ in, code, name string }{
		{"DE", "DE", "Germany"},
		{" de-by ", "DE-BY", "Germany (Bavaria)"},
		{"de_by", "DE-BY", "Germany (Bavaria)"},
		{"us", "US", "United States"},
		{"GB-SCT", "GB-SCT", "United Kingdom (Scotland)"},
		{"au nsw", "AU-NSW", "Australia (New South Wales)"},
	} {
		c, err := Lookup(tt.in)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.in, err)
			continue
		}
		if c.Code() != tt.code || c.Name() != tt.name {
			t.Errorf("Lookup(%q) = %s %s, want %s %s", tt.in, c.Code(), c.Name(), tt.code, tt.name)
		}
	}
	for _, bad := range []string{"", "X", "XX", "Germany", "US-CA", "DE-ZZ", "AU", "12", "DE-BY-X"} {
		if _, err := Lookup(bad); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Lookup(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestOn(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 10, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		code string
		day  time.Time
		want string
	}{
		{"DE", d(2026, 12, 25), "Christmas Day"},
		{"DE", d(2026, 12, 26), "Second Day of Christmas"},
		{"DE", d(2026, 12, 24), ""},
		{"DE", d(2026, 1, 6), ""},
		{"DE-BY", d(2026, 1, 6), "Epiphany"},
		{"US", d(2026, 11, 26), "Thanksgiving Day"},
		{"US", d(2026, 11, 27), ""},
		{"US", d(2027, 12, 24), "Christmas Day (observed)"}, // Saturday's holiday, taken on Friday
		{"US", d(2027, 12, 25), "Christmas Day"},
		{"US", d(2027, 12, 31), "New Year's Day (observed)"}, // 2028's, taken in 2027
		{"NZ", d(2026, 12, 26), "Boxing Day"},
		{"NZ", d(2026, 12, 28), "Boxing Day (observed)"},
		{"NZ", d(2026, 12, 27), ""},
		{"GB", d(2026, 8, 31), "Summer Bank Holiday"},
		{"GB-SCT", d(2026, 8, 31), ""},
		{"GB-SCT", d(2026, 8, 3), "Summer Bank Holiday"},
	} {
		c, err := Lookup(tt.code)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := c.On(tt.day)
		if got != tt.want {
			t.Errorf("%s on %s = %q, want %q", tt.code, tt.day.Format(time.DateOnly), got, tt.want)
		}
	}
}

func TestNext(t *testing.T) {
	c, _ := Lookup("US")
	got := c.Next(time.Date(2026, 11, 26, 23, 0, 0, 0, time.UTC), 5)
	var s []string
	for _, h := range got {
		s = append(s, h.Date.Format(time.DateOnly)+" "+h.Name)
	}
	want := "2026-11-26 Thanksgiving Day|2026-12-25 Christmas Day|2027-01-01 New Year's Day|2027-01-18 Martin Luther King Jr. Day|2027-02-15 Presidents' Day"
	if strings.Join(s, "|") != want {
		t.Errorf("Next = %s\nwant %s", strings.Join(s, "|"), want)
	}
	// A holiday of next year taken this year is listed in its place.
	s = nil
	for _, h := range c.Next(time.Date(2027, 12, 20, 0, 0, 0, 0, time.UTC), 4) {
		s = append(s, h.Date.Format(time.DateOnly)+" "+h.Name)
	}
	want = "2027-12-24 Christmas Day (observed)|2027-12-25 Christmas Day|2027-12-31 New Year's Day (observed)|2028-01-01 New Year's Day"
	if strings.Join(s, "|") != want {
		t.Errorf("Next = %s\nwant %s", strings.Join(s, "|"), want)
	}
	for _, cc := range Countries() {
		codes := append([]string{cc}, Regions(cc)...)
		for _, code := range codes {
			c, err := Lookup(code)
			if err != nil {
				if code == "AU" {
					continue
				}
				t.Errorf("Lookup(%s): %v", code, err)
				continue
			}
			if n := len(c.Next(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), 5)); n != 5 {
				t.Errorf("%s lists %d upcoming holidays, want 5", code, n)
			}
		}
	}
}

// FuzzParseCode checks that any input is either refused with one line for
// the user or read as a code that reads back the same.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"DE", "de-by", "GB-SCT", "au nsw", "us", "", "-", "DE--BY", "ÄÖ", "x_y", "DE/BY", " US ", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cc, rc, err := ParseCode(s)
		if err != nil {
			msg := bot.ErrorMessage(err)
			if bot.ErrorCode(err) != bot.EINVALID || strings.Contains(msg, "\n") || !utf8.ValidString(msg) {
				t.Fatalf("ParseCode(%q) error %q is not one valid line", s, msg)
			}
			return
		}
		code := cc
		if rc != "" {
			code += "-" + rc
		}
		cc2, rc2, err := ParseCode(code)
		if err != nil || cc2 != cc || rc2 != rc {
			t.Fatalf("ParseCode(%q) = %s %s, but %q reads back as %s %s, %v", s, cc, rc, code, cc2, rc2, err)
		}
		if c, err := Lookup(s); err == nil && !strings.HasPrefix(c.Code(), cc) {
			t.Fatalf("Lookup(%q) = %s, want a %s calendar", s, c.Code(), cc)
		}
	})
}

// A country named in English is answered with its code.
func TestLookupByCountryName(t *testing.T) {
	for name, want := range map[string]string{"germany": "DE", "United States": "US", "usa": "US", "UK": "GB", " france ": "FR"} {
		_, err := Lookup(name)
		if ex := bot.ErrorExample(err); ex != "holidays "+want {
			t.Errorf("Lookup(%q): example %q, want holidays %s (%v)", name, ex, want, err)
		}
	}
}

// namedInEnglish are the countries whose calendars name holidays in
// English.
var namedInEnglish = map[string]bool{"AU": true, "CA": true, "GB": true, "IE": true, "JP": true, "MW": true, "NZ": true, "US": true, "ZA": true}

// Every holiday of every supported calendar has an English name: either
// its own, or one from the table.
func TestEveryHolidayInEnglish(t *testing.T) {
	for _, cc := range Countries() {
		lists := map[string][]*cal.Holiday{cc: countries[cc].holidays}
		for rc, r := range countries[cc].regions {
			lists[cc+"-"+rc] = r.holidays
		}
		for code, hs := range lists {
			for _, h := range hs {
				if _, ok := english[h.Name]; !ok && !namedInEnglish[cc] {
					t.Errorf("%s: %q has no English name", code, h.Name)
				}
			}
		}
	}
	for local := range english {
		if !used(local) {
			t.Errorf("%q is in the table but in no calendar", local)
		}
	}
}

func used(name string) bool {
	for _, c := range countries {
		for _, h := range c.holidays {
			if h.Name == name {
				return true
			}
		}
		for _, r := range c.regions {
			for _, h := range r.holidays {
				if h.Name == name {
					return true
				}
			}
		}
	}
	return false
}
