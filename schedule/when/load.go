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
//	days mon,tue,wed,thu,fri at 10:30,15:00
//	cron [CRON_TZ=Europe/Berlin ]*/30 9-17 * * 1-5
//
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
	case "days":
		if len(f) != 4 || f[2] != "at" {
			return nil, "want days <days> at <times>"
		}
		days, ok := loadDays(f[1])
		if !ok {
			return nil, "bad days"
		}
		var list []int32
		for _, s := range strings.Split(f[3], ",") {
			t, ok := loadTime(s)
			if !ok || len(list) > 0 && int32(t) <= list[len(list)-1] {
				return nil, "bad times"
			}
			list = append(list, int32(t))
		}
		return &wallRule{loc: loc, kind: kindDays, cal: everyDay(days), clk: timesOfDay{list: list}, days: days}, ""
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
	if !ok1 || !ok2 || end <= start {
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
