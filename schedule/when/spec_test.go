package when

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// roundTripInputs are parsed, stored with Spec and re-read with Load.
var roundTripInputs = []string{
	"in 20 minutes", "in 1h30m", "at 15:30", "at 2:30 tomorrow", "at 10am on friday", "at 08:00 on 2027-01-04",
	"every 45 minutes", "every 2 hours", "every 5 seconds", "every 4 hours on weekends", "every 90 min on mon,wed,fri",
	"every 2 hours between 9:00 and 17:00", "every 2 hours between 9:00 and 17:00 on weekdays", "every 20 minutes from 8:10 to 9:00 on sunday",
	"every day at 10:30", "every weekday at 10:30 and 15:00", "every weekend at 9", "every mon,wed,fri at 11am", "every monday at 9am",
	`cron "*/30 9-17 * * 1-5"`, `cron "CRON_TZ=Europe/Berlin 0 10 * * *"`, `cron "TZ=America/New_York 30 2 * * *"`, "@daily", "@hourly",
	"@weekly", "@monthly", "@yearly", `cron "0 9 29 2 *"`, "@every 1h", `cron "0 9 1 * 1"`, `cron "0 9 */2 * *"`,
	"at 2:30 on 2026-03-08", "at 2:30 on 2026-03-29", "at 2:15 on 2026-10-04", "at 10am on 14 march",
}

func TestRoundTrip(t *testing.T) {
	p := Parser{MinInterval: time.Second}
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Australia/Adelaide", "UTC"} {
		loc := mustZone(t, zone)
		now := mustTime(t, "2026-03-01T10:17:43Z")
		for _, in := range roundTripInputs {
			t.Run(zone+"/"+in, func(t *testing.T) {
				r := mustParse(t, p, in, loc, now)
				// Load ignores configuration limits, so use a strict parser.
				back, err := Parser{MinInterval: time.Hour * 1000, MaxAhead: time.Second}.Load(r.Spec(), loc)
				if err != nil {
					t.Fatalf("Load(%q): %v", r.Spec(), err)
				}
				// Only a parse knows how it chose a time, and says so.
				if back.Spec() != r.Spec() || back.Describe() != withoutNote(r.Describe()) || back.Repeats() != r.Repeats() {
					t.Errorf("round trip changed the rule:\n %q %q\n %q %q", r.Spec(), r.Describe(), back.Spec(), back.Describe())
				}
				// Compare a year of runs across two DST changes.
				for _, from := range []time.Time{now, now.Add(-48 * time.Hour), now.AddDate(0, 7, 3)} {
					a, b := NextN(r, from, 60), NextN(back, from, 60)
					if !slices.EqualFunc(a, b, time.Time.Equal) {
						t.Errorf("runs from %v differ:\n %v\n %v", from, a, b)
					}
				}
			})
		}
	}
}

// withoutNote removes what a parse says about its choices from a rule's
// words.
func withoutNote(s string) string {
	for _, n := range []string{noteDefaultTime, noteHourly} {
		s = strings.Replace(s, " ("+n+")", "", 1)
	}
	return s
}

func TestLoadAcceptsWhatParseRefuses(t *testing.T) {
	loc := mustZone(t, "UTC")
	strict := Parser{MinInterval: time.Hour, MaxAhead: time.Hour}
	for _, spec := range []string{
		"once 2019-01-01T00:00:00Z",                       // in the past
		"once 2127-01-01T00:00:00Z",                       // far ahead
		"every 1s0ms from 2026-01-01T00:00:00Z",           // below the minimum
		"every 5s between 09:00 and 17:00",                // below the minimum
		"days mon at 10:00,10:01",                         // times close together
		"cron * * * * *",                                  // fires every minute
		"cron 0 0 30 2 *",                                 // never fires
		"every 1h0m0s from 2026-01-01T00:00:00.5Z on sat", // fractional anchor
	} {
		if _, err := strict.Load(spec, loc); err != nil {
			t.Errorf("Load(%q): %v", spec, err)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	loc := mustZone(t, "UTC")
	now := mustTime(t, tableNow)
	for _, spec := range []string{
		"", "once", "once tomorrow", "every", "every 0s from 2026-01-01T00:00:00Z", "every -1h from 2026-01-01T00:00:00Z",
		"every 1h from yesterday", "every 1h between 09:00 and 09:00", "every 25h between 09:00 and 17:00",
		"every 1.5s between 09:00 and 17:00", "every 1h from 2026-01-01T00:00:00Z on funday", "every 1h from 2026-01-01T00:00:00Z extra",
		"days mon at 25:00", "days mon at 10:00,09:00", "days at 10:00", "days noday at 10:00", "cron", "cron * * *",
		"cron TZ=UTC", "cron @every 1h", "at 15:30", "weekly",
	} {
		_, err := Parser{}.Load(spec, loc)
		if err == nil {
			t.Errorf("Load(%q) succeeded, want an error", spec)
			continue
		}
		e := checkError(t, Parser{}, err, loc, now)
		if e.Example != exampleSpec {
			t.Errorf("Load(%q) example = %q", spec, e.Example)
		}
	}
}

func TestDescribe(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: time.Second}
	tests := []struct{ in, want string }{
		{"at 15:30 on 2026-12-04", "once on Fri 4 Dec at 15:30 CET"},
		{"at 15:30 on 2027-01-04", "once on Mon 4 Jan 2027 at 15:30 CET"},
		{"in 20 minutes", "once on Fri 27 Nov at 12:20 CET"},
		{"every 45 minutes", "every 45 minutes"},
		{"every hour", "every hour"},
		{"every 90 min", "every 90 minutes"},
		{"every 1 hour 30 seconds", "every 3630 seconds"},
		{"every 2 days", "every 2 days at 09:00 (the default time, as none was given)"},
		{"every 1 week", "every Friday at 09:00 (the default time, as none was given)"},
		{"every 4 hours on weekends", "every 4 hours on weekends"},
		{"every 4 hours on monday", "every 4 hours on Mondays"},
		{"every 2 hours between 9:00 and 17:00 on weekdays", "every 2 hours between 09:00 and 17:00 on weekdays"},
		{"every 30 minutes between 8:15 and 12:00 on tue,thu", "every 30 minutes between 08:15 and 12:00 on Tue and Thu"},
		{"every day at 10:30", "every day at 10:30"},
		{"every weekday at 10:30 and 15:00", "every weekday at 10:30 and 15:00"},
		{"every mon,wed,fri at 11am", "every Mon, Wed and Fri at 11:00"},
		{"every monday at 9am", "every Monday at 09:00"},
		{"every weekend at 9", "every Sat and Sun at 09:00"},
		{"every day at 9, 12 and 3pm", "every day at 09:00, 12:00 and 15:00"},
		{`cron "*/30 9-17 * * 1-5"`, "cron */30 9-17 * * 1-5 (Europe/Berlin)"},
		{`cron "CRON_TZ=America/New_York 0 10 * * *"`, "cron 0 10 * * * (America/New_York)"},
		{"@daily", "cron @daily (Europe/Berlin)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r := mustParse(t, p, tt.in, berlin, now)
			if got := describeAt(r, now); got != tt.want {
				t.Errorf("DescribeAt(now) = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSpec(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	now := mustTime(t, "2026-11-27T11:00:00+01:00")
	p := Parser{MinInterval: time.Second}
	tests := []struct{ in, want string }{
		{"at 08:00 on 2027-01-04", "once 2027-01-04T07:00:00Z"},
		{"in 20 minutes", "once 2026-11-27T10:20:00Z"},
		{"every 2 hours", "every 2h0m0s from 2026-11-27T10:00:00Z"},
		{"every 2 hours on mon,wed", "every 2h0m0s from 2026-11-27T10:00:00Z on mon,wed"},
		{"every 2 hours between 9:00 and 17:00 on weekdays", "every 2h0m0s between 09:00 and 17:00 on mon,tue,wed,thu,fri"},
		{"every weekday at 10:30 and 15:00", "days mon,tue,wed,thu,fri at 10:30,15:00"},
		{"every sunday at 9", "days sun at 09:00"},
		{`cron "*/30  9-17 * * 1-5"`, "cron */30 9-17 * * 1-5"},
		{`cron "TZ=Europe/Berlin 0 10 * * *"`, "cron CRON_TZ=Europe/Berlin 0 10 * * *"},
		{"@Daily", "cron @daily"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mustParse(t, p, tt.in, berlin, now).Spec(); got != tt.want {
				t.Errorf("Spec() = %q, want %q", got, tt.want)
			}
		})
	}
}
