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
	"tomorrow", "every weekday", "every 2 days at 9", "every other wednesday at 10", "every 2 weeks on monday and thursday at 9",
	"every 3 weeks", "every month on the 1st at 9", "on the last friday of every month at 16:00", "on the 2nd tuesday of every month",
	"every month on the 31st", "on the last day of every month at 2:30", "on the 1st and last day of every month at 9", "every 2 months on the 15th and last day", "every 3 months on the 15th", "every year on 1 march",
	"every year on 29 february at 9", "from 9 to 5", "every 30 min from 9 to 5", "every hour between 22:00 and 06:00 on fridays",
	"every day at 9 for 3 weeks", "every weekday at 10:30 until 2026-12-24", "every day at 9 10 times", "every 2 hours 5 times",
	"on the first of every month 3 times", "in 5 years", "tomorrow night", "every morning",
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
	for _, n := range []string{" (early morning; say ", " (afternoon; say "} {
		if i := strings.Index(s, n); i >= 0 {
			s = s[:i]
		}
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
		"days every 1 from 2026-11-28 at 09:00", "days every 2 from 2026-11-31 at 09:00", "days every 2000 from 2026-11-28 at 09:00",
		"days every 2 from 2026-11-28", "weeks every 2 from 2026-12-01 on wed at 10:00", "weeks every 2 from 2026-11-30 at 10:00",
		"weeks every 2 from 2026-11-30 on blursday at 10:00", "monthly on 0 at 09:00", "monthly on 32 at 09:00", "monthly on 15,1 at 09:00",
		"monthly on 6th fri at 09:00", "monthly on 2th fri at 09:00", "monthly on last blursday at 09:00", "monthly on 1 at 25:00",
		"monthly every 1 from 2026-12 on 1 at 09:00", "monthly every 2 from 2026-13 on 1 at 09:00", "monthly", "yearly on 02-30 at 09:00",
		"yearly on 3-1 at 09:00", "yearly on 03-01", "days mon at 09:00 until tomorrow", "days mon at 09:00 until 2027-01-01T00:00:00Z times 0",
		"days mon at 09:00 until 2027-01-01T00:00:00Z count 3", "once 2027-01-01T00:00:00Z until 2027-02-01T00:00:00Z",
		"days mon at 09:00 until 2027-01-01T00:00:00Z until 2027-02-01T00:00:00Z",
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
		// The last day said with others is still said (it was dropped).
		{"on the 1st and last day of every month at 9", "on the 1st and last day of every month at 09:00"},
		{"on the 15th and last day of every month at 9", "on the 15th and last day of every month at 09:00"},
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
		{"tomorrow", "once 2026-11-28T08:00:00Z"},
		{"every weekday", "days mon,tue,wed,thu,fri at 09:00"},
		{"every 2 days at 9", "days every 2 from 2026-11-28 at 09:00"},
		{"every 2 days at 11:30", "days every 2 from 2026-11-27 at 11:30"},
		{"every other wednesday at 10", "weeks every 2 from 2026-11-30 on wed at 10:00"},
		{"every 2 weeks on friday and monday at 11:30", "weeks every 2 from 2026-11-23 on mon,fri at 11:30"},
		{"every month on the 1st and 15th at 9", "monthly on 1,15 at 09:00"},
		{"on the last day of every month", "monthly on last at 09:00"},
		{"on the last friday of every month at 16:00", "monthly on last fri at 16:00"},
		{"every first monday of the month", "monthly on 1st mon at 09:00"},
		{"every 3 months on the 15th", "monthly every 3 from 2026-12 on 15 at 09:00"},
		{"every year on 1 march", "yearly on 03-01 at 09:00"},
		{"every hour between 22:00 and 06:00", "every 1h0m0s between 22:00 and 06:00"},
		{"every day at 9 until friday", "days mon,tue,wed,thu,fri,sat,sun at 09:00 until 2026-12-04T22:59:59Z"},
		{"every day at 9 3 times", "days mon,tue,wed,thu,fri,sat,sun at 09:00 until 2026-11-30T08:00:00Z times 3"},
		{"every 2 hours for a day", "every 2h0m0s from 2026-11-27T10:00:00Z until 2026-11-28T10:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mustParse(t, p, tt.in, berlin, now).Spec(); got != tt.want {
				t.Errorf("Spec() = %q, want %q", got, tt.want)
			}
		})
	}
}

// A monthly day that a month lacks falls on the month's last day, so the
// reminder never skips a month; a yearly 29 February falls on the 28th in
// common years. A one-off "on the 31st" is the next month that has one.
func TestMissingMonthDaysFallOnTheLastDay(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, "2027-01-15T12:00:00+01:00")
	p := Parser{MinInterval: time.Minute}
	tests := []struct {
		in   string
		want []string
	}{
		{"every month on the 31st at 9", []string{"2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"}},
		{"every month on the 30th at 9", []string{"2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"}},
		{"every month on the 15th and 31st at 9", []string{"2027-01-31", "2027-02-15", "2027-02-28", "2027-03-15"}},
		{"on the last day of every month at 9", []string{"2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"}},
		{"every year on 29 february at 9", []string{"2027-02-28", "2028-02-29", "2029-02-28"}},
		{"every 2 months on the 31st at 9", []string{"2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31"}},
		{"on the 31st at 9", []string{"2027-01-31"}},
		{"on the 30th at 9", []string{"2027-01-30"}},
	}
	for _, tt := range tests {
		r := mustParse(t, p, tt.in, loc, now)
		var got []string
		for _, at := range NextN(r, now, len(tt.want)) {
			got = append(got, at.In(loc).Format(time.DateOnly))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q runs on %v, want %v", tt.in, got, tt.want)
		}
	}
	// From February a one-off "on the 30th" skips to March.
	r := mustParse(t, p, "on the 30th at 9", loc, mustTime(t, "2027-02-01T12:00:00+01:00"))
	if got := r.Next(now).In(loc).Format(time.DateOnly); got != "2027-03-30" {
		t.Errorf("one-off on the 30th from February = %s, want 2027-03-30", got)
	}
	if got := describeAt(mustParse(t, p, "every month on the 31st at 9", loc, now), now); !strings.Contains(got, "the last day in shorter months") {
		t.Errorf("Describe = %q, want it to state the rule for short months", got)
	}
}

// A bounded repeat stops after its end, says so, and keeps its end in the
// spec; a count ends at the instant of its last run.
func TestBoundedRepeats(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: 10 * time.Minute}
	tests := []struct {
		in       string
		n        int
		describe string
	}{
		{"every day at 9 10 times", 10, "every day at 09:00, 10 times, the last on Mon 7 Dec at 09:00 CET"},
		{"every day at 9 ten times", 10, "every day at 09:00, 10 times, the last on Mon 7 Dec at 09:00 CET"},
		{"every day at 9 for 3 weeks", 21, "every day at 09:00 until Fri 18 Dec at 09:00 CET"},
		{"every day at 9 until friday", 7, "every day at 09:00 until Fri 4 Dec"},
		{"every day at 9 until 2027-01-31", 65, "every day at 09:00 until Sun 31 Jan 2027"},
		{"every weekday at 9 until next friday", 5, "every weekday at 09:00 until Fri 4 Dec"},
		{"every 2 hours until 6pm", 3, "every 2 hours until Fri 27 Nov at 18:00 CET"},
		{"every day at 9 until december 1 at 8am", 3, "every day at 09:00 until Tue 1 Dec at 08:00 CET"},
		{"every day at 9 until the 15th", 18, "every day at 09:00 until Tue 15 Dec"},
	}
	for _, tt := range tests {
		r := mustParse(t, p, tt.in, loc, now)
		if got := len(NextN(r, now, 1000)); got != tt.n {
			t.Errorf("%q has %d runs, want %d", tt.in, got, tt.n)
		}
		if got := describeAt(r, now); got != tt.describe {
			t.Errorf("%q DescribeAt = %q, want %q", tt.in, got, tt.describe)
		}
		e, ok := r.(interface{ End() time.Time })
		if !ok || !r.Repeats() {
			t.Fatalf("%q is not an ending repeat", tt.in)
		}
		if next := r.Next(e.End()); !next.IsZero() {
			t.Errorf("%q fires at %v, after its end %v", tt.in, next, e.End())
		}
	}
}
