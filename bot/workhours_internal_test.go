package bot

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

func TestParseSpans(t *testing.T) {
	tests := []struct {
		in      string
		want    string // stored form without the zone
		wantErr string // substring of the message
	}{
		{"9:00-17:30 mon-fri", "mon,tue,wed,thu,fri|09:00-17:30", ""},
		{"9-17", "mon,tue,wed,thu,fri|09:00-17:00", ""},
		{"9-5 weekdays", "mon,tue,wed,thu,fri|09:00-17:00", ""},
		{"8-12 and 13-17 weekdays", "mon,tue,wed,thu,fri|08:00-12:00,13:00-17:00", ""},
		{"9am to 5:30pm monday to friday", "mon,tue,wed,thu,fri|09:00-17:30", ""},
		{"from 9 to 17 on mon, wed and fri", "mon,wed,fri|09:00-17:00", ""},
		{"10:00–14:00 saturdays", "sat|10:00-14:00", ""},
		{"9-17 daily", "mon,tue,wed,thu,fri,sat,sun|09:00-17:00", ""},
		{"22:00-06:00 sun-thu", "mon,tue,wed,thu,sun|22:00-06:00", ""},
		{"10pm-6am fri-mon", "mon,fri,sat,sun|22:00-06:00", ""},
		{"12-1", "mon,tue,wed,thu,fri|12:00-13:00", ""},
		{"mon-fri 9-17", "mon,tue,wed,thu,fri|09:00-17:00", ""},
		{"00:00-24:00 daily", "mon,tue,wed,thu,fri,sat,sun|00:00-23:59", ""},
		{"12am-12pm", "mon,tue,wed,thu,fri|00:00-12:00", ""},
		{"9-17 mon-fri 10-14 sat", "", "one set of days"},
		{"mon 9-12 tue", "", "one set of days"},
		{"17-9", "", "night shift"},
		{"17-9", "", "hours 17:00-09:00"},
		{"9-17 funday", "", `“funday”`},
		{"9-17 mnday", "", `did you mean “monday”`},
		{"8-12 and 1-5", "mon,tue,wed,thu,fri|08:00-12:00,13:00-17:00", ""},
		{"9-5 and 6-8", "mon,tue,wed,thu,fri|09:00-17:00,18:00-20:00", ""},
		{"22:00-23:00 and 1-2", "mon,tue,wed,thu,fri|22:00-23:00,01:00-02:00", ""},
		{"1-5", "mon,tue,wed,thu,fri|01:00-05:00", ""},
		{"15-16 and 8-12", "mon,tue,wed,thu,fri|15:00-16:00,08:00-12:00", ""},
		{"9h-17h30 mon-fri", "mon,tue,wed,thu,fri|09:00-17:30", ""},
		{"12h-13h", "mon,tue,wed,thu,fri|12:00-13:00", ""},
		{"nine to five", "mon,tue,wed,thu,fri|09:00-17:00", ""},
		{"nine am to five pm", "mon,tue,wed,thu,fri|09:00-17:00", ""},
		{"25h-26h", "", `“25h”`},
		{"9am-5pm mon-fir", "", `I don't know the day “fir”; did you mean “fri”?`},
		{"9-17 monday to fridy", "", `did you mean “friday”`},
		{"9-17 mon-", "", `“mon-” needs a last day`},
		{"9-17 mon to", "", `“mon to” needs a last day`},
		{"9-9", "", "same time"},
		{"25:00-26:00", "", "time of day"},
		{"9", "", "needs an end"},
		{"mon-fri", "", "time range"},
		{"1-2 3-4 5-6 7-8 9-10 11-12 13-14", "", "more than 6"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := parseSpans(tt.in, "hours", timewords.WorkDays)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("parseSpans(%q) = %v, want error with %q", tt.in, w, tt.wantErr)
				}
				if !strings.Contains(err.msg, tt.wantErr) {
					t.Errorf("error %q, want it to contain %q", err.msg, tt.wantErr)
				}
				if !strings.HasPrefix(err.example, "hours ") {
					t.Errorf("example %q is not a command", err.example)
				}
				if ex, perr := parseSpans(strings.TrimPrefix(err.example, "hours "), "hours", timewords.WorkDays); perr != nil {
					t.Errorf("example %q fails: %s (%v)", err.example, perr.msg, ex)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseSpans(%q): %s", tt.in, err.msg)
			}
			w.zone = "UTC"
			if got := strings.TrimPrefix(w.String(), "UTC|"); got != tt.want {
				t.Errorf("parseSpans(%q) = %q, want %q", tt.in, got, tt.want)
			}
			back, ok := loadSpans(w.String())
			if !ok || back.String() != w.String() {
				t.Errorf("stored form %q reads back as %q (ok %v)", w.String(), back.String(), ok)
			}
		})
	}
}

// Working hours follow the wall clock of their zone: 09:00 New York is
// 14:00 UTC in winter and 13:00 UTC once daylight saving starts (8 March
// 2026), and a Berlin night shift crosses midnight into the next day.
func TestSpansAcrossDSTAndZones(t *testing.T) {
	ny, _ := parseSpans("9:00-17:00 mon-fri", "hours", 0)
	ny.zone = "America/New_York"
	berlin, _ := parseSpans("22:00-06:00 mon-fri", "hours", 0)
	berlin.zone = "Europe/Berlin"
	utc := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	tests := []struct {
		w    timeSpans
		at   string
		want bool
	}{
		{ny, "2026-03-06T14:00:00Z", true},      // Fri 09:00 EST
		{ny, "2026-03-06T13:30:00Z", false},     // Fri 08:30 EST
		{ny, "2026-03-09T13:00:00Z", true},      // Mon 09:00 EDT
		{ny, "2026-03-09T21:30:00Z", false},     // Mon 17:30 EDT
		{ny, "2026-03-09T20:59:00Z", true},      // Mon 16:59 EDT
		{ny, "2026-03-07T15:00:00Z", false},     // Saturday
		{berlin, "2026-03-27T21:30:00Z", true},  // Fri 22:30 CET
		{berlin, "2026-03-28T04:30:00Z", true},  // Sat 05:30 CET: Friday's shift
		{berlin, "2026-03-29T04:30:00Z", false}, // Sun 06:30 CEST: no shift on Saturday
		{berlin, "2026-03-30T03:59:00Z", false}, // Mon 05:59 CEST: Sunday has no shift
		{berlin, "2026-03-30T20:00:00Z", true},  // Mon 22:00 CEST
		{berlin, "2026-03-31T03:59:00Z", true},  // Tue 05:59 CEST
		{berlin, "2026-03-31T04:00:00Z", false}, // Tue 06:00 CEST
	}
	for _, tt := range tests {
		if got := tt.w.contains(utc(tt.at)); got != tt.want {
			t.Errorf("%s contains %s = %v, want %v", tt.w.describe(), tt.at, got, tt.want)
		}
	}
}

// A range to the end of the day (24:00, midnight, 23:59) takes in its last
// minute, reads as 24:00 or "all day", and is stored in the form earlier
// builds read: a whole day as 00:00-23:59, a range to midnight as ending at
// 00:00.
func TestSpansToTheEndOfTheDay(t *testing.T) {
	at := time.Date(2026, 12, 1, 23, 59, 30, 0, time.UTC) // a Tuesday
	for _, tt := range []struct{ in, stored, shown string }{
		{"0-24", "00:00-23:59", "all day on weekdays (UTC)"},
		{"00:00-24:00 daily", "00:00-23:59", "all day, every day (UTC)"},
		{"00:00-23:59", "00:00-23:59", "all day on weekdays (UTC)"},
		{"18:00-24:00", "18:00-00:00", "18:00-24:00 on weekdays (UTC)"},
		{"18:00-midnight", "18:00-00:00", "18:00-24:00 on weekdays (UTC)"},
		{"10pm-12am", "22:00-00:00", "22:00-24:00 on weekdays (UTC)"},
	} {
		w, err := parseSpans(tt.in, "hours", timewords.WorkDays)
		if err != nil {
			t.Fatalf("parseSpans(%q): %s", tt.in, err.msg)
		}
		w.zone = "UTC"
		if !strings.HasSuffix(w.String(), "|"+tt.stored) {
			t.Errorf("%s stored as %q, want it to end in %q", tt.in, w.String(), tt.stored)
		}
		back, ok := loadSpans(w.String())
		if !ok {
			t.Fatalf("%s: %q does not load", tt.in, w.String())
		}
		if got := back.describe(); got != tt.shown {
			t.Errorf("%s shown as %q, want %q", tt.in, got, tt.shown)
		}
		if !back.contains(at) {
			t.Errorf("%s does not take in 23:59:30", tt.in)
		}
	}
}

func TestSettingsSkip(t *testing.T) {
	at := time.Date(2026, 12, 1, 12, 30, 0, 0, time.UTC) // a Tuesday
	hours := timeSpans{zone: "UTC", days: timewords.WorkDays, spans: []span{{9 * 60, 17 * 60}}}.String()
	quiet := timeSpans{zone: "UTC", days: timewords.AllDays, spans: []span{{12 * 60, 13 * 60}}}.String()
	every := Reminder{Kind: Personal, Rule: "every 1h0m0s from 2026-12-01T09:00:00Z"}
	window := Reminder{Kind: Personal, Rule: "every 45m0s between 09:00 and 17:00"}
	tests := []struct {
		name string
		u    User
		r    Reminder
		at   time.Time
		want string
	}{
		{"nothing set", User{}, every, at, ""},
		{"inside hours", User{Hours: hours}, every, at, ""},
		{"outside hours", User{Hours: hours}, every, at.Add(6 * time.Hour), SkipOutsideHours},
		{"own window keeps it", User{Hours: hours}, window, at.Add(6 * time.Hour), ""},
		{"quiet", User{Quiet: quiet}, every, at, SkipQuiet},
		{"quiet also on a window", User{Quiet: quiet}, window, at, SkipQuiet},
		{"away", User{AwayUntil: at.Add(time.Hour)}, every, at, SkipAway},
		{"back at the end", User{AwayUntil: at}, every, at, ""},
		{"damaged hours fire", User{Hours: "nonsense"}, every, at.Add(6 * time.Hour), ""},
	}
	for _, tt := range tests {
		if got := readSettings(tt.u).skip(tt.r, ruleRun{}, tt.at); got != tt.want {
			t.Errorf("%s: settingsSkip = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestParseAway(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, berlin)
	tests := []struct {
		in      string
		want    time.Time
		wantErr string
	}{
		{"until 2027-01-04", time.Date(2027, 1, 4, 0, 0, 0, 0, berlin), ""},
		{"2027-01-04", time.Date(2027, 1, 4, 0, 0, 0, 0, berlin), ""},
		{"for 2 weeks", now.Add(14 * 24 * time.Hour), ""},
		{"3 days", now.Add(3 * 24 * time.Hour), ""},
		{"until yesterday", time.Time{}, "in the past"},
		{"until 2026-11-30", time.Time{}, "in the past"},
		{"for 2 years", time.Time{}, "up to a year"},
		{"for 0 days", time.Time{}, "more than zero"}, // not "up to a year"
		{"0 minutes", time.Time{}, "more than zero"},
		{"for ages", time.Time{}, "length of time"},
		{"until", time.Time{}, "Until when"},
		{"until someday", time.Time{}, "as a date"},
	}
	for _, tt := range tests {
		got, err := parseAway(tt.in, now, berlin, nil)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(ErrorMessage(err), tt.wantErr) {
				t.Errorf("parseAway(%q) = %v, %v; want error with %q", tt.in, got, err, tt.wantErr)
			}
			if ex := ErrorExample(err); ex != "" {
				if _, eerr := parseAway(strings.TrimPrefix(ex, "away "), now, berlin, nil); eerr != nil {
					t.Errorf("parseAway(%q): example %q fails: %v", tt.in, ex, eerr)
				}
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseAway(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// FuzzParseSpans: the hours and quiet parser never panics, and what it
// accepts is stored and read back unchanged, inside 24 hours.
func FuzzParseSpans(f *testing.F) {
	for _, s := range []string{"9:00-17:30 mon-fri", "0900-1730", "930am-6pm", "930 am - 6 pm", "960-1700", "0000-2400", "1299-1300", "9-17 working days", "9-17 on work days", "9-17 week day", "working days 9-5", "8-12 and 13-17 weekdays", "22:00-06:00", "17-9", "9-17 funday",
		"9am to 5pm monday to friday", "12-1", "–", "9:-", "24:00-1", "10pm-6am fri-mon", "mon thru fri 9-5",
		"noon-1pm", "midday to 13:30", "18:00-midnight", "midnight-noon",
		"12:00-13:00 and 12:30-14:00 daily", "23:00-01:00 and 00:30-02:00 daily", "22:00-06:00 and 06:00-22:00 mon-fri",
		"22:00-06:00 and 06:00-22:00 daily", "9-12 and 12-17", "18:00-24:00 and 00:00-06:00 mon,wed,fri",
		"9am-5pm mon-fir", "9-17 mon-", "9-17 mon to", "9-17 tue thru",
		"12h-13h", "9h30-17h", "nine to five", "twelve pm-one pm", "h-h", "1hh-2h", "zero to twelve",
		"8-12 and 1-5", "9-5 and 6-8", "22:00-23:00 and 1-2", "11-12 and 11:30-1",
		"9-17 every day except friday", "9-17 except", "9-17 mon except mon", "12-13 but not on weekends",
		"9pm-5", "10pm-6", "12-12", "12", "12-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Quiet periods share the parser; their refusals speak of them.
		if _, err := parseSpans(s, "quiet", timewords.AllDays); err != nil {
			if err.msg == "" || !strings.HasPrefix(err.example, "quiet ") || strings.Contains(err.msg, "night shift") {
				t.Fatalf("parseSpans(%q) for quiet: %+v", s, err)
			}
		}
		w, err := parseSpans(s, "hours", timewords.WorkDays)
		if err != nil {
			if err.msg == "" || err.example == "" {
				t.Fatalf("parseSpans(%q): empty error %+v", s, err)
			}
			return
		}
		w.zone = "UTC"
		back, ok := loadSpans(w.String())
		if !ok || back.String() != w.String() {
			t.Fatalf("parseSpans(%q) stored %q, read back %q (ok %v)", s, w.String(), back.String(), ok)
		}
		for _, sp := range w.spans {
			if sp.from < 0 || sp.from >= 24*60 || sp.to < 0 || sp.to > 24*60 || sp.from == sp.to {
				t.Fatalf("parseSpans(%q): bad span %v", s, sp)
			}
		}
		m, _ := w.merged()
		if mb, ok := loadSpans(m.String()); !ok || mb.String() != m.String() {
			t.Fatalf("parseSpans(%q) merged %q, read back %q (ok %v)", s, m.String(), mb.String(), ok)
		}
		if minute, ok := sameMinutes(w, m); !ok {
			t.Fatalf("parseSpans(%q): %v merged into %v differs at %v", s, w.spans, m.spans, minute)
		}
	})
}

// sameMinutes checks that a and b hold the same minutes of a week; if not,
// it returns the first minute that differs.
func sameMinutes(a, b timeSpans) (time.Time, bool) {
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday
	for m := 0; m < 8*24*60; m++ {
		at := start.Add(time.Duration(m) * time.Minute)
		if a.contains(at) != b.contains(at) {
			return at, false
		}
	}
	return time.Time{}, true
}

// Ranges that overlap or meet are joined into one, keeping the minutes
// they cover; across midnight only when they hold every day.
func TestMergedSpans(t *testing.T) {
	for _, tt := range []struct {
		in, want string // want: the stored form without zone
		joined   bool
	}{
		{"12:00-13:00 and 12:30-14:00 daily", "mon,tue,wed,thu,fri,sat,sun|12:00-14:00", true},
		{"12:30-14:00 and 12:00-13:00 daily", "mon,tue,wed,thu,fri,sat,sun|12:00-14:00", true},
		{"12-13 and 12-13 daily", "mon,tue,wed,thu,fri,sat,sun|12:00-13:00", true},
		{"9-12 and 12-17", "mon,tue,wed,thu,fri|09:00-17:00", true},
		{"10-11 and 10:30-10:45 and 15-16", "mon,tue,wed,thu,fri|10:00-11:00,15:00-16:00", true},
		{"15-16 and 8-12", "mon,tue,wed,thu,fri|08:00-12:00,15:00-16:00", false},
		{"23:00-01:00 and 00:30-02:00 daily", "mon,tue,wed,thu,fri,sat,sun|23:00-02:00", true},
		{"22:00-24:00 and 0-6 daily", "mon,tue,wed,thu,fri,sat,sun|22:00-06:00", true},
		{"22:00-06:00 and 06:00-22:00 daily", "mon,tue,wed,thu,fri,sat,sun|00:00-23:59", true},
		// On some days only the morning belongs to the day before.
		{"23:00-01:00 and 00:30-02:00 mon-fri", "mon,tue,wed,thu,fri|00:30-02:00,23:00-01:00", false},
		{"22:00-06:00 and 06:00-22:00 mon-fri", "mon,tue,wed,thu,fri|06:00-22:00,22:00-06:00", false},
		{"20:00-23:00 and 22:00-02:00 mon-fri", "mon,tue,wed,thu,fri|20:00-02:00", true},
	} {
		w, perr := parseSpans(tt.in, "quiet", timewords.WorkDays)
		if perr != nil {
			t.Fatalf("parseSpans(%q): %s", tt.in, perr.msg)
		}
		w.zone = "UTC"
		m, joined := w.merged()
		if got := strings.TrimPrefix(m.String(), "UTC|"); got != tt.want || joined != tt.joined {
			t.Errorf("%q merged = %q (joined %v), want %q (%v)", tt.in, got, joined, tt.want, tt.joined)
		}
		if minute, ok := sameMinutes(w, m); !ok {
			t.Errorf("%q: merged differs at %v", tt.in, minute)
		}
	}
}

// FuzzParseAway: parsing time away never panics, and an accepted answer
// lies after now and within a year.
func FuzzParseAway(f *testing.F) {
	for _, s := range []string{"until 2027-01-04", "until 8", "until 23", "until today", "today", "for the rest of the day", "until eod", "for 2 weeks", "until yesterday", "3 days", "for", "until 0000-01-01", "for 1e9 years",
		"from monday to friday", "next week", "from today - 2027-01-04", "on friday", "starting tomorrow", "next wednesday", "on", "from - to", "until 12/25", "until 1/4/2020", "until 13/13",
		"from next monday to friday", "from friday to monday", "from tomorrow to today"} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseAway(s, now, time.UTC, nil)
		if err != nil {
			if ErrorMessage(err) == "" {
				t.Fatalf("parseAway(%q): error without a message: %v", s, err)
			}
			return
		}
		if !got.After(now) || got.Sub(now) > maxAway {
			t.Fatalf("parseAway(%q) = %v, outside (now, now+1y]", s, got)
		}
	})
}
