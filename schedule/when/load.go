package when

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// Stored specs, as Spec writes them and Load reads them:
//
//	once 2027-01-04T08:00:00Z [gap 02:30]
//	every 2h0m0s from 2026-11-27T10:00:00Z [on mon,tue,wed,thu,fri]
//	every 2h0m0s between 09:00 and 17:00 [on mon,tue,wed,thu,fri]
//	every 1h0m0s between 22:00 and 06:00      (an end before the start: across midnight)
//	days mon,tue,wed,thu,fri at 10:30,15:00
//	days every 2 from 2026-11-28 at 09:00      (every second day counted from that date)
//	weeks every 2 from 2026-11-30 on mon,thu at 09:00   (the date is the Monday of a week with runs)
//	monthly on 1,15 at 09:00                   (days past a month's end fall on its last day)
//	monthly on last at 09:00 | monthly on last fri at 16:00 | monthly on 2nd tue at 09:00
//	monthly every 3 from 2026-12 on 1 at 09:00 (every third month counted from that month)
//	yearly on 03-01 at 09:00
//	cron [CRON_TZ=Europe/Berlin ]*/30 9-17 * * 1-5
//
// Any repeating spec may end with " until <instant>" (no run after it) and
// then " times <n>" (the bound was a count, whose last run is the instant).
// Instants are RFC 3339 in UTC; durations are Go durations; times of day are
// local wall time in the zone passed to Load.

// exampleSpec is the Example of Load errors: a <when> a user could retype,
// since a spec that cannot be read is best replaced by a new reminder.
const exampleSpec = "every weekday at 10:30"

// Load rebuilds a rule from its Spec, read in zone loc. It applies neither
// MinInterval nor MaxAhead and accepts one-shots in the past, so that a
// stored reminder keeps working when the configuration changes.
func (p Parser) Load(spec string, loc *time.Location) (rule bot.Rule, err error) {
	defer func() {
		if v := recover(); v != nil {
			rule, err = nil, &bot.Error{Code: bot.EINVALID, Message: "The stored schedule cannot be read.", Example: exampleSpec,
				Err: fmt.Errorf("when: load %q: panic: %v", spec, v)}
		}
	}()
	if loc == nil {
		loc = time.UTC
	}
	r, reason := loadSpec(spec, loc)
	if reason != "" {
		return nil, bot.Invalid(exampleSpec, "%s", sentence("The stored schedule "+quoteText(spec)+" cannot be read: "+reason))
	}
	return r, nil
}

// loadSpec returns the rule or a reason it cannot.
func loadSpec(spec string, loc *time.Location) (bot.Rule, string) {
	if i := strings.LastIndex(spec, " until "); i >= 0 {
		return loadBounded(spec[:i], strings.Fields(spec[i+len(" until "):]), loc)
	}
	f := strings.Fields(spec)
	if len(f) == 0 {
		return nil, "it is empty"
	}
	switch f[0] {
	case "once":
		if len(f) != 2 && (len(f) != 4 || f[2] != "gap") {
			return nil, "want once <instant> [gap <time>]"
		}
		at, err := time.Parse(time.RFC3339Nano, f[1])
		if err != nil {
			return nil, "bad instant"
		}
		r := &onceRule{at: at, loc: loc}
		if len(f) == 4 {
			// The wall time asked for, which fell in a spring-forward gap.
			sec, ok := loadTime(f[3])
			if !ok {
				return nil, "bad gap time"
			}
			r.gap = hhmm(sec)
		}
		return r, ""
	case "every":
		return loadEvery(f, loc)
	case "days", "weeks":
		return loadDaysSpec(f, loc)
	case "monthly":
		return loadMonthly(f, loc)
	case "yearly":
		if len(f) != 5 || f[1] != "on" || f[3] != "at" || len(f[2]) != 5 || f[2][2] != '-' {
			return nil, "want yearly on <mm-dd> at <times>"
		}
		m, err1 := strconv.Atoi(f[2][:2])
		d, err2 := strconv.Atoi(f[2][3:])
		if err1 != nil || err2 != nil || m < 1 || m > 12 || d < 1 || d > daysIn(2028, m) {
			return nil, "bad date"
		}
		list, ok := loadTimes(f[4])
		if !ok {
			return nil, "bad times"
		}
		cal := dateSet{months: 1 << m, dom: 1 << d, dow: timewords.AllDays, and: true, clamp: true}
		return &wallRule{loc: loc, kind: kindYearly, cal: cal, clk: timesOfDay{list: list}}, ""
	case "cron":
		r, _, err := buildCron(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(spec), "cron")), loc)
		if err != nil {
			return nil, err.Error()
		}
		if r == nil {
			return nil, "@every needs a start; store it as every <interval> from <instant>"
		}
		return r, ""
	}
	return nil, "unknown kind " + quoteText(f[0])
}

func loadEvery(f []string, loc *time.Location) (bot.Rule, string) {
	if len(f) < 4 {
		return nil, "want every <interval> from <instant> or between <start> and <end>"
	}
	d, err := time.ParseDuration(f[1])
	if err != nil || d <= 0 {
		return nil, "bad interval"
	}
	days := timewords.AllDays
	var rest []string
	switch f[2] {
	case "from":
		rest = f[4:]
	case "between":
		if len(f) < 6 || f[4] != "and" {
			return nil, "want between <start> and <end>"
		}
		rest = f[6:]
	default:
		return nil, "want from or between"
	}
	switch {
	case len(rest) == 2 && rest[0] == "on":
		var ok bool
		if days, ok = loadDays(rest[1]); !ok {
			return nil, "bad days"
		}
	case len(rest) != 0:
		return nil, "unexpected " + quoteText(rest[0])
	}
	if f[2] == "from" {
		anchor, err := time.Parse(time.RFC3339Nano, f[3])
		if err != nil {
			return nil, "bad start instant"
		}
		return &intervalRule{anchor: anchor, every: d, days: days, loc: loc}, ""
	}
	start, ok1 := loadTime(f[3])
	end, ok2 := loadTime(f[5])
	if !ok1 || !ok2 || end == start {
		return nil, "bad window"
	}
	if d%time.Second != 0 || d >= timewords.Day {
		return nil, "a window needs whole seconds shorter than a day"
	}
	return &wallRule{
		loc:   loc,
		kind:  kindWindow,
		cal:   everyDay(days),
		clk:   timesOfDay{start: int32(start), step: int32(d / time.Second), end: int32(end)},
		days:  days,
		every: d,
	}, ""
}

// loadDays reads "mon,wed,fri".
func loadDays(s string) (timewords.DaySet, bool) {
	var set timewords.DaySet
	for _, name := range strings.Split(s, ",") {
		d, ok := timewords.ParseDays(strings.ToLower(name))
		if !ok {
			return 0, false
		}
		set |= d
	}
	return set, set != 0
}

// loadTime reads "09:05" or "09:05:30" as seconds after midnight.
func loadTime(s string) (int, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	limits := []int{23, 59, 59}
	sec := 0
	for i, p := range parts {
		if len(p) != 2 || !allDigits(p) {
			return 0, false
		}
		n, _ := strconv.Atoi(p)
		if n > limits[i] {
			return 0, false
		}
		sec += n * []int{3600, 60, 1}[i]
	}
	return sec, true
}

// loadTimes reads "09:00,15:00", ascending.
func loadTimes(s string) ([]int32, bool) {
	var list []int32
	for _, part := range strings.Split(s, ",") {
		t, ok := loadTime(part)
		if !ok || len(list) > 0 && int32(t) <= list[len(list)-1] {
			return nil, false
		}
		list = append(list, int32(t))
	}
	return list, true
}

// loadDate reads "2026-11-28" as a day.
func loadDate(s string) (civilDay, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return daysFromCivil(int64(t.Year()), int(t.Month()), t.Day()), true
}

// loadCycle reads "every <n> from <start>" at f[0:4] with the start read by
// start; it returns the period and anchor.
func loadCycle(f []string, unit cycleUnit, start func(string) (int64, bool)) (int64, int64, bool) {
	if len(f) < 4 || f[0] != "every" || f[2] != "from" {
		return 0, 0, false
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || n < 2 || n > maxCycle[unit] {
		return 0, 0, false
	}
	anchor, ok := start(f[3])
	return n, anchor, ok
}

func loadDaysSpec(f []string, loc *time.Location) (bot.Rule, string) {
	days := timewords.AllDays
	cal := everyDay(days)
	var rest []string
	switch {
	case f[0] == "days" && len(f) == 4 && f[2] == "at":
		var ok bool
		if days, ok = loadDays(f[1]); !ok {
			return nil, "bad days"
		}
		cal, rest = everyDay(days), f[2:]
	case f[0] == "days" && len(f) == 7:
		n, anchor, ok := loadCycle(f[1:], cycleDays, func(s string) (int64, bool) { d, ok := loadDate(s); return int64(d), ok })
		if !ok {
			return nil, "bad cycle"
		}
		cal.cycle, cal.period, cal.anchor, rest = cycleDays, n, anchor, f[5:]
	case f[0] == "weeks" && len(f) == 9 && f[5] == "on":
		n, anchor, ok := loadCycle(f[1:], cycleWeeks, func(s string) (int64, bool) {
			d, ok := loadDate(s)
			return int64(d), ok && d.weekday() == time.Monday
		})
		if !ok {
			return nil, "bad cycle"
		}
		if days, ok = loadDays(f[6]); !ok {
			return nil, "bad days"
		}
		cal = everyDay(days)
		cal.cycle, cal.period, cal.anchor, rest = cycleWeeks, n, anchor, f[7:]
	default:
		return nil, "want days <days> at <times>, days every <n> from <date> at <times> or weeks every <n> from <monday> on <days> at <times>"
	}
	if len(rest) != 2 || rest[0] != "at" {
		return nil, "want at <times>"
	}
	list, ok := loadTimes(rest[1])
	if !ok {
		return nil, "bad times"
	}
	return &wallRule{loc: loc, kind: kindDays, cal: cal, clk: timesOfDay{list: list}, days: days}, ""
}

func loadMonthly(f []string, loc *time.Location) (bot.Rule, string) {
	r := &wallRule{loc: loc, kind: kindMonthly, cal: dateSet{months: 0x1ffe, dow: timewords.AllDays, and: true, clamp: true}}
	f = f[1:]
	if len(f) > 0 && f[0] == "every" {
		n, anchor, ok := loadCycle(f, cycleMonths, func(s string) (int64, bool) {
			t, err := time.Parse("2006-01", s)
			return int64(t.Year())*12 + int64(t.Month()-1), err == nil
		})
		if !ok {
			return nil, "bad cycle"
		}
		r.cal.cycle, r.cal.period, r.cal.anchor = cycleMonths, n, anchor
		f = f[4:]
	}
	if len(f) < 4 || f[0] != "on" || f[len(f)-2] != "at" {
		return nil, "want monthly on <days> at <times>"
	}
	list, ok := loadTimes(f[len(f)-1])
	if !ok {
		return nil, "bad times"
	}
	r.clk = timesOfDay{list: list}
	switch days := f[1 : len(f)-2]; {
	case len(days) == 1 && days[0] == "last":
		r.cal.dom, r.lastDay = 1<<31, true
	case len(days) == 1:
		for _, s := range strings.Split(days[0], ",") {
			if s == "last" && r.cal.dom>>31 == 0 {
				// "1,last": the last day comes last, said as such.
				r.cal.dom, r.lastDay = r.cal.dom|1<<31, true
				continue
			}
			d, err := strconv.Atoi(s)
			if err != nil || d < 1 || d > 31 || r.cal.dom>>d != 0 {
				return nil, "bad days of the month"
			}
			r.cal.dom |= 1 << d
		}
	case len(days) == 2:
		nth := -1
		if days[0] != "last" {
			n, err := strconv.Atoi(strings.TrimRight(days[0], "stndrh"))
			if err != nil || n < 1 || n > 5 || timewords.Ordinal(n) != days[0] {
				return nil, "bad nth day"
			}
			nth = n
		}
		w, ok := timewords.LookupDay(days[1])
		if !ok || !w.Single {
			return nil, "bad day"
		}
		r.cal.dow, r.cal.nth, r.cal.clamp = w.Days, int8(nth), false
	default:
		return nil, "bad days of the month"
	}
	return r, ""
}

// loadBounded reads a repeating spec followed by "until <instant> [times <n>]".
func loadBounded(inner string, f []string, loc *time.Location) (bot.Rule, string) {
	if len(f) != 1 && (len(f) != 3 || f[1] != "times") {
		return nil, "want until <instant> [times <n>]"
	}
	until, err := time.Parse(time.RFC3339Nano, f[0])
	if err != nil {
		return nil, "bad end instant"
	}
	count := 0
	if len(f) == 3 {
		if count, err = strconv.Atoi(f[2]); err != nil || count < 1 || count > maxCount {
			return nil, "bad count"
		}
	}
	r, reason := loadSpec(inner, loc)
	if reason != "" {
		return nil, reason
	}
	if !r.Repeats() || strings.Contains(inner, " until ") {
		return nil, "only a repeating rule has an end"
	}
	return &boundedRule{rule: r, until: until, count: count, loc: loc}, ""
}
