package when

import (
	"strings"
	"testing"
	"time"
)

// A day its month never has, said without a year, is refused for that
// month's next occurrence, not for one a year later, and the example keeps
// the user's words: said in January, "31 april" is April this year.
func TestDayTheMonthNeverHas(t *testing.T) {
	p := Parser{MinInterval: time.Minute}
	now := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ in, msg, example, next string }{
		{"on 31 april", "April has 30 days", "on 30 april", "2027-04-30"},
		{"on april 31 at 9", "April has 30 days", "on 30 april at 9", "2027-04-30"},
		{"on 30 february", "February has 28 days (29 in a leap year)", "on 28 february", "2027-02-28"},
		{"every year on 31 june", "June has 30 days", "every year on 30 june", "2027-06-30"},
		{"on 29 february 2027", "February 2027 has 28 days", "on 28 february 2027", "2027-02-28"},
		{"on 2027-02-29", "February 2027 has 28 days", "on 2027-02-28", "2027-02-28"},
	} {
		_, err := p.Parse(tt.in, time.UTC, now)
		if err == nil {
			t.Errorf("%q is taken", tt.in)
			continue
		}
		e := checkError(t, p, err, time.UTC, now)
		if !strings.Contains(e.Message, tt.msg) || e.Example != tt.example {
			t.Errorf("%q: %q, example %q; want %q and %q", tt.in, e.Message, e.Example, tt.msg, tt.example)
			continue
		}
		r, err := p.Parse(e.Example, time.UTC, now)
		if err != nil {
			t.Errorf("%q offers %q: %v", tt.in, e.Example, err)
			continue
		}
		if got := r.Next(now).Format("2006-01-02"); got != tt.next {
			t.Errorf("%q offers %q, first on %s, want %s", tt.in, e.Example, got, tt.next)
		}
	}
	// Past the month this year, the next one is next year's.
	later := time.Date(2027, 5, 2, 9, 0, 0, 0, time.UTC)
	if _, err := p.Parse("on 31 april", time.UTC, later); err == nil || !strings.Contains(err.Error(), "April has 30 days") {
		t.Errorf("31 april in May: %v", err)
	}
	if r, err := p.Parse("on 30 april", time.UTC, later); err != nil || r.Next(later).Format("2006-01-02") != "2028-04-30" {
		t.Errorf("30 april in May: %v", err)
	}
}

// Crontab reads day-of-week 7 as Sunday, as it does 0: "1-7" is every day,
// not refused with an example that leaves Sunday out.
func TestCronSundaySeven(t *testing.T) {
	p := Parser{MinInterval: time.Minute}
	now := time.Date(2027, 1, 20, 9, 30, 0, 0, time.UTC) // a Wednesday
	for in, want := range map[string]string{
		`cron "0 9 * * 7"`:       "Sun 24 Jan, Sun 31 Jan, Sun 7 Feb",
		`cron "0 9 * * 1-7"`:     "Thu 21 Jan, Fri 22 Jan, Sat 23 Jan, Sun 24 Jan, Mon 25 Jan",
		`cron "0 9 * * 5-7"`:     "Fri 22 Jan, Sat 23 Jan, Sun 24 Jan, Fri 29 Jan",
		`cron "0 9 * * 1-7/2"`:   "Fri 22 Jan, Sun 24 Jan, Mon 25 Jan, Wed 27 Jan",
		`cron "0 9 * * 6,7"`:     "Sat 23 Jan, Sun 24 Jan, Sat 30 Jan",
		`cron "0 9 * * 0-7"`:     "Thu 21 Jan, Fri 22 Jan, Sat 23 Jan",
		`cron "0 9 * * 7-7"`:     "Sun 24 Jan, Sun 31 Jan",
		`cron "0 9 * * sat-sun"`: "Sat 23 Jan, Sun 24 Jan, Sat 30 Jan",
		`cron "0 9 * * FRI-SUN"`: "Fri 22 Jan, Sat 23 Jan, Sun 24 Jan, Fri 29 Jan",
	} {
		r, err := p.Parse(in, time.UTC, now)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var got []string
		for at := r.Next(now); len(got) < strings.Count(want, ",")+1; at = r.Next(at) {
			got = append(got, at.Format("Mon 2 Jan"))
		}
		if strings.Join(got, ", ") != want {
			t.Errorf("%s runs %s, want %s", in, strings.Join(got, ", "), want)
		}
		// The stored rule reads back the same.
		l, err := p.Load(r.Spec(), time.UTC)
		if err != nil || !l.Next(now).Equal(r.Next(now)) {
			t.Errorf("%s reloads as %v, %v", in, l, err)
		}
	}
}

// A repeat may run to the end of this week, month or year, said as people
// say it; "this month" alone is mended to that.
func TestUntilTheEndOfTheMonth(t *testing.T) {
	p := Parser{MinInterval: time.Minute}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	now := time.Date(2027, 2, 10, 9, 30, 0, 0, berlin) // a Wednesday
	for in, want := range map[string]string{
		"every weekday at 9 until the end of the month": "2027-02-26", // the last weekday of February
		"every day at 9 until end of month":             "2027-02-28",
		"every day at 9 until the end of this month":    "2027-02-28",
		"every day at 9 for the rest of the month":      "2027-02-28",
		"every day at 9 until the end of the week":      "2027-02-14",
		"every day at 9 for the rest of this week":      "2027-02-14",
		"every day at 9 until end of the year":          "2027-12-31",
		"every day at 9 for the rest of the year":       "2027-12-31",
	} {
		r, err := p.Parse(in, berlin, now)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		var last time.Time
		for at := r.Next(now); !at.IsZero(); at = r.Next(at) {
			last = at
		}
		if got := last.In(berlin).Format("2006-01-02 15:04"); got != want+" 09:00" {
			t.Errorf("%q: last run %s, want %s 09:00", in, got, want)
		}
		if !strings.Contains(r.Describe(), "until") {
			t.Errorf("%q is described %q", in, r.Describe())
		}
		if l, err := p.Load(r.Spec(), berlin); err != nil || !l.Next(last.Add(-time.Second)).Equal(last) || !l.Next(last).IsZero() {
			t.Errorf("%q reloads as %v, %v", in, l, err)
		}
	}
	for in, example := range map[string]string{
		"every weekday at 9 this month":          "every weekday at 9 until the end of the month",
		"every day at 9 this year":               "every day at 9 until the end of the year",
		"every hour until the end of the day":    "every hour until 17:00",
		"every day at 9 until the end of":        "every day at 9 until the end of the month",
		"every day at 9 until the end of a week": "every day at 9 until the end of the month",
	} {
		_, err := p.Parse(in, berlin, now)
		if err == nil {
			t.Errorf("%q is taken", in)
			continue
		}
		if e := checkError(t, p, err, berlin, now); e.Example != example {
			t.Errorf("%q offers %q, want %q (%s)", in, e.Example, example, e.Message)
		}
	}
}

// A one-off at the end of a period is offered as the day the period ends.
func TestAtTheEndOfTheMonth(t *testing.T) {
	p := Parser{MinInterval: time.Minute}
	now := time.Date(2027, 2, 10, 9, 30, 0, 0, time.UTC)
	for in, example := range map[string]string{
		"at the end of the month":          "on the last day of the month",
		"at the end of the month at 16:00": "on the last day of the month at 16:00",
		"end of this week":                 "on sunday",
		"by the end of the year at 9":      "on december 31 at 9",
	} {
		_, err := p.Parse(in, time.UTC, now)
		if err == nil {
			t.Errorf("%q is taken", in)
			continue
		}
		if e := checkError(t, p, err, time.UTC, now); e.Example != example {
			t.Errorf("%q offers %q, want %q (%s)", in, e.Example, example, e.Message)
		}
	}
}
