package when

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// robfig/cron is used only to read the five fields into bit sets. Its Next
// is not used: it skips wall times that fall in a spring-forward gap and
// fires twice in a fall-back overlap, while wallRule applies our
// daylight-saving policy. It also panics on a lone "TZ=UTC", so the zone
// prefix is handled here and the call is guarded by recover.
var cronFields = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// cronZones caches time.LoadLocation, which reads the zone database each time,
// so that loading many stored CRON_TZ rules stays cheap.
var cronZones sync.Map // string -> *time.Location

func loadZone(name string) (*time.Location, error) {
	if v, ok := cronZones.Load(name); ok {
		return v.(*time.Location), nil
	}
	// "Local" would mean the server's zone, which users cannot see.
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("no such zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	cronZones.Store(name, loc)
	return loc, nil
}

// cronError is a reason a cron expression was refused, in our words (never
// the library's), with mended expressions the caller may offer as examples.
type cronError struct {
	msg   string
	fixes []string // expressions without the word cron, best first
}

func (e *cronError) Error() string { return e.msg }

func cronErrorf(format string, args ...any) error {
	return &cronError{msg: sentence(fmt.Sprintf(format, args...))}
}

func cronFixf(fixes []string, format string, args ...any) error {
	return &cronError{msg: sentence(fmt.Sprintf(format, args...)), fixes: fixes}
}

// buildCron reads a cron expression (the text after the word cron, quotes
// removed) read in loc unless it names its own zone. For "@every <d>" it
// returns no rule and the duration text, which the caller treats as an
// interval.
func buildCron(expr string, loc *time.Location) (r *wallRule, every string, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, every, err = nil, "", cronErrorf("That cron expression is not valid")
		}
	}()
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return nil, "", cronErrorf("Give a cron expression after the word cron")
	}
	var zone string
	if f := fields[0]; hasPrefixFold(f, "CRON_TZ=") || hasPrefixFold(f, "TZ=") {
		zone = f[strings.IndexByte(f, '=')+1:]
		z, err := loadZone(zone)
		if err != nil {
			return nil, "", cronFixf([]string{strings.Join(fields[1:], " ")}, "%s is not a time zone; use an IANA name like Europe/Berlin", quoteText(zone))
		}
		loc = z
		fields = fields[1:]
		if len(fields) == 0 {
			return nil, "", cronErrorf("Give the five cron fields after %s", quoteText(f))
		}
	}
	// Mended expressions keep the zone the user gave.
	prefix := ""
	if zone != "" {
		prefix = "CRON_TZ=" + zone + " "
	}
	if strings.HasPrefix(fields[0], "@") {
		fields[0] = strings.ToLower(fields[0])
		if fields[0] == "@every" {
			return nil, strings.Join(fields[1:], " "), nil
		}
		if len(fields) > 1 {
			return nil, "", cronFixf([]string{prefix + fields[0]}, "%s takes nothing after it", quoteText(fields[0]))
		}
	} else if len(fields) != 5 {
		var fixes []string
		if len(fields) == 6 {
			// Probably a leading seconds field.
			fixes = append(fixes, prefix+strings.Join(fields[1:], " "))
		}
		if len(fields) < 5 {
			fixes = append(fixes, prefix+strings.Join(append(slices.Clone(fields), "* * * * *"[:2*(5-len(fields))-1]), " "))
		}
		return nil, "", cronFixf(fixes, "A cron expression has 5 fields (minute hour day-of-month month day-of-week), not %d", len(fields))
	}
	text := strings.Join(fields, " ")
	sched, err := parseCronFields(fields)
	if err != nil {
		if strings.HasPrefix(text, "@") {
			var fixes []string
			if near, ok := nearestWord(strings.TrimPrefix(text, "@"), []string{"hourly", "daily", "midnight", "weekly", "monthly", "yearly", "annually"}); ok {
				fixes = append(fixes, prefix+"@"+near)
			}
			return nil, "", cronFixf(fixes, "Unknown cron shortcut %s; use @hourly, @daily, @weekly, @monthly or @yearly", quoteText(text))
		}
		why, fixed := explainCron(fields)
		if why == "" {
			return nil, "", cronErrorf("That cron expression is not valid")
		}
		// Mend the remaining problems too, so the example parses.
		for range 10 {
			next := strings.Join(fixed, " ")
			if _, err := parseCronFields(fixed); err == nil {
				return nil, "", cronFixf([]string{prefix + next}, "%s", why)
			}
			var more string
			if more, fixed = explainCron(fixed); more == "" {
				break
			}
		}
		return nil, "", cronErrorf("%s", why)
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, "", cronErrorf("That cron expression is not valid")
	}
	if zone != "" {
		text = "CRON_TZ=" + zone + " " + text
	}
	const star = 1 << 63
	return &wallRule{
		loc:  loc,
		kind: kindCron,
		cal: dateSet{
			months: uint16(spec.Month & 0x1ffe),
			dom:    uint32(spec.Dom & 0xfffffffe),
			dow:    timewords.DaySet(spec.Dow & uint64(timewords.AllDays)),
			and:    spec.Dom&star != 0 || spec.Dow&star != 0,
		},
		clk: timesOfDay{
			hours:   uint32(spec.Hour & 0xffffff),
			minutes: spec.Minute & (1<<60 - 1),
		},
		cron: text,
		zone: zone,
	}, "", nil
}

// parseCronFields parses five cron fields (or one shortcut) with the
// library, Sunday said as 7 written as 0 first.
func parseCronFields(fields []string) (cron.Schedule, error) {
	if len(fields) == 5 {
		fields = append(slices.Clone(fields[:4]), sundaySeven(fields[4]))
	}
	return cronFields.Parse(strings.Join(fields, " "))
}

// sundaySeven writes the day-of-week 7, which crontab reads as Sunday as it
// does 0, as 0: "7", "1-7" and "5-7/2" become "0", "1-6,0" and "5-6/2,0";
// a range of names that ends on Sunday ("fri-sun") is read the same way.
func sundaySeven(field string) string {
	items := strings.Split(field, ",")
	for i, item := range items {
		rng, step, hasStep := strings.Cut(item, "/")
		lo, hi, isRange := strings.Cut(rng, "-")
		if n, ok := cronDay(strings.ToLower(lo)); ok && isRange && strings.EqualFold(hi, "sun") {
			// "fri-sun": the week's end, Sunday as 7.
			lo, hi = strconv.Itoa(n), "7"
		}
		switch {
		case !isRange && !hasStep && lo == "7":
			items[i] = "0"
		case isRange && hi == "7" && allDigits(lo) && len(lo) == 1:
			a := int(lo[0] - '0')
			n := 1
			if hasStep {
				var err error
				if n, err = strconv.Atoi(step); err != nil || n <= 0 {
					continue // explainCron says what is wrong with the step
				}
			}
			switch {
			case a == 7:
				items[i] = "0"
			case a > 7:
				continue
			default:
				items[i] = lo + "-6"
				if hasStep {
					items[i] += "/" + step
				}
				if (7-a)%n == 0 {
					items[i] += ",0"
				}
			}
		}
	}
	return strings.Join(items, ",")
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// cronField describes one of the five fields for explainCron.
type cronField struct {
	name     string
	min, max int
	names    func(string) (int, bool) // names for numbers: "mar", "fri"
	star     string                   // what replaces an item that cannot be read
}

var cronFieldInfo = [5]cronField{
	{name: "minute", max: 59, star: "0"},
	{name: "hour", max: 23, star: "0"},
	{name: "day-of-month", min: 1, max: 31, star: "*"},
	{name: "month", min: 1, max: 12, names: monthNumber, star: "*"},
	{name: "day-of-week", max: 7, names: cronDay, star: "*"}, // 7 is Sunday too
}

func (f *cronField) lookup(s string) (int, bool) {
	if f.names == nil {
		return 0, false
	}
	return f.names(s)
}

func monthNumber(s string) (int, bool) {
	m, ok := timewords.Month(s)
	return int(m), ok
}

// cronDay reads the day names cron itself accepts: "sun" to "sat".
func cronDay(s string) (int, bool) {
	w, ok := timewords.LookupDay(s)
	if !ok || !w.Single || len(s) != 3 {
		return 0, false
	}
	return int(w.Days.First()), true
}

// explainCron finds the first problem in five cron fields the library
// refused, and returns it in our words with the fields mended. It returns
// no reason when it finds no problem.
func explainCron(fields []string) (string, []string) {
	if len(fields) != 5 {
		return "", nil
	}
	for i, info := range cronFieldInfo {
		items := strings.Split(fields[i], ",")
		for j, item := range items {
			why, fix := explainCronItem(info, item)
			if why == "" {
				continue
			}
			items[j] = fix
			fixed := slices.Clone(fields)
			fixed[i] = strings.Join(items, ",")
			return why, fixed
		}
	}
	return "", nil
}

// explainCronItem checks one comma-separated item of a field: "*", "5",
// "1-5", "*/15", "9-17/2", "mon-fri".
func explainCronItem(f cronField, item string) (why, fix string) {
	rng, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		if strings.Contains(step, "/") {
			return fmt.Sprintf("In the %s field, %s has more than one /", f.name, quoteText(item)), rng + "/" + strings.Split(step, "/")[0]
		}
		if n, err := strconv.Atoi(step); err != nil || n <= 0 {
			return fmt.Sprintf("In the %s field, the step after / in %s must be a whole number more than zero", f.name, quoteText(item)), rng + "/1"
		}
	}
	suffix := ""
	if hasStep {
		suffix = "/" + step
	}
	if rng == "*" || rng == "?" {
		return "", ""
	}
	lo, hi, isRange := strings.Cut(rng, "-")
	read := func(s string) (int, bool) {
		if n, ok := f.lookup(strings.ToLower(s)); ok && !allDigits(s) {
			return n, true
		}
		if !allDigits(s) || len(s) > 4 {
			return 0, false
		}
		n, _ := strconv.Atoi(s)
		return n, true
	}
	clamp := func(n int) int { return min(max(n, f.min), f.max) }
	a, okA := read(lo)
	if !okA {
		return fmt.Sprintf("In the %s field, %s is not a number", f.name, quoteText(lo)), f.star
	}
	if !isRange {
		if a < f.min || a > f.max {
			return fmt.Sprintf("%s %d is out of range %d–%d", capital(f.name), a, f.min, f.max), strconv.Itoa(clamp(a)) + suffix
		}
		return "", ""
	}
	if strings.Contains(hi, "-") {
		return fmt.Sprintf("In the %s field, %s has more than one -", f.name, quoteText(rng)), lo + suffix
	}
	b, okB := read(hi)
	if !okB {
		return fmt.Sprintf("In the %s field, %s is not a number", f.name, quoteText(hi)), lo + suffix
	}
	for _, n := range []int{a, b} {
		if n < f.min || n > f.max {
			return fmt.Sprintf("%s %d is out of range %d–%d", capital(f.name), n, f.min, f.max),
				strconv.Itoa(clamp(a)) + "-" + strconv.Itoa(clamp(b)) + suffix
		}
	}
	if a > b {
		return fmt.Sprintf("In the %s field, the range %s runs backwards", f.name, quoteText(rng)),
			strconv.Itoa(b) + "-" + strconv.Itoa(a) + suffix
	}
	return "", ""
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// cronNeverReason says why a cron rule that never fires does not: its days
// of the month do not occur in its months ("April has no 31st"). fix is the
// expression with the day of the month moved to the last day that does.
func cronNeverReason(r *wallRule) (why, fix string) {
	if !r.cal.and || strings.HasPrefix(r.cron, "@") {
		return "", ""
	}
	fields := strings.Fields(r.cron)
	prefix := ""
	if len(fields) == 6 {
		prefix, fields = fields[0]+" ", fields[1:]
	}
	if len(fields) != 5 {
		return "", ""
	}
	var months []int
	longest, lastDay := 0, 0
	for m := 1; m <= 12; m++ {
		if r.cal.months&(1<<m) != 0 {
			months = append(months, m)
			longest = max(longest, daysIn(2028, m)) // a leap year: 29 February exists
			lastDay = max(lastDay, daysIn(2027, m))
		}
	}
	first := 0
	for d := 1; d <= 31; d++ {
		if r.cal.dom&(1<<d) != 0 {
			first = d
			break
		}
	}
	if len(months) == 0 || first <= longest {
		return "", ""
	}
	if len(months) == 1 {
		why = fmt.Sprintf("%s has no %s", time.Month(months[0]), timewords.Ordinal(first))
	} else {
		why = fmt.Sprintf("none of its months has a %s", timewords.Ordinal(first))
	}
	fields[2] = strconv.Itoa(lastDay)
	return why, prefix + strings.Join(fields, " ")
}

// cron reads a cron expression, with or without quotes around it.
func (ps *whenParser) cron(rest string) (bot.Rule, error) {
	ps.ex = ps.exampleCron()
	expr := unquote(strings.TrimSpace(rest))
	if inner, after, ok := splitQuoted(strings.TrimSpace(rest)); ok && after != "" {
		// `cron "0 10 * * *" for 2 weeks`: the quotes end the expression.
		// Counted with it, the words after them made a wrong number of
		// fields; a sound expression is told they are not part of it.
		if _, _, err := buildCron(inner, ps.loc); err == nil {
			return nil, ps.failWith([]string{cronExample(inner)},
				"%s after the cron expression is not part of it; a cron rule takes nothing after its closing quote", quoteText(after))
		}
		expr = inner
	}
	r, every, err := buildCron(expr, ps.loc)
	if err != nil {
		var cands []string
		var ce *cronError
		if errors.As(err, &ce) {
			for _, f := range ce.fixes {
				cands = append(cands, cronExample(f))
			}
		}
		return nil, ps.failWith(cands, "%s", err.Error())
	}
	if r == nil {
		// robfig's "@every 1h" is our "every 1 hour".
		ps.toks, ps.i = append([]string{"every"}, timewords.Tokens(every)...), 0
		ph, err := ps.readPhrase()
		if err != nil {
			return nil, err
		}
		return ps.build(ph)
	}
	if ps.MinInterval > 0 {
		if gap := minGap(r.clk.all(), true); gap < ps.MinInterval {
			return nil, ps.fail("That cron expression has runs only %s apart; the shortest repeat allowed is %s",
				timewords.FormatDuration(gap), timewords.FormatDuration(ps.MinInterval))
		}
	}
	return r, nil
}

// splitQuoted splits s, which opens with a quote, into what the quotes
// enclose and what follows the closing one; ok is false unless both quotes
// are there.
func splitQuoted(s string) (inner, after string, ok bool) {
	for _, p := range quotePairs {
		if rest, found := strings.CutPrefix(s, p[0]); found {
			if i := strings.Index(rest, p[1]); i >= 0 {
				return strings.TrimSpace(rest[:i]), strings.TrimSpace(rest[i+len(p[1]):]), true
			}
		}
	}
	return "", "", false
}

// cronExample is the <when> for a cron expression.
func cronExample(expr string) string {
	if expr == "" {
		return ""
	}
	return `cron "` + expr + `"`
}
