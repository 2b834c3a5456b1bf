package bot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/editdist"
	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// maxSpans bounds how many time ranges one setting may hold.
const maxSpans = 6

// span is a daily time range in minutes after local midnight. An end
// before the start is a night span: it runs past midnight into the next
// day. An end of 24*60 is the end of the day, last minute included.
type span struct{ from, to int }

// endOfDay is a span's end at midnight after the day: 24:00.
const endOfDay = 24 * 60

func (s span) night() bool { return s.to < s.from }

// String is the span as shown: "09:00-17:30", "18:00-24:00", "all day".
func (s span) String() string {
	if s.from == 0 && s.to == endOfDay {
		return "all day"
	}
	return hhmm(s.from) + "-" + hhmm(s.to)
}

// stored is the span as stored, in a form earlier builds read the same
// way: an end of the day is 00:00 (a night span ending at midnight), and
// the whole day, which that would make empty, 00:00-23:59; loadSpans
// reads both back as 24:00.
func (s span) stored() string {
	switch {
	case s.to != endOfDay:
		return hhmm(s.from) + "-" + hhmm(s.to)
	case s.from == 0:
		return "00:00-23:59"
	}
	return hhmm(s.from) + "-00:00"
}

// toEndOfDay reads an end at midnight, or at 23:59, as the end of the
// day: "18:00-24:00", "22:00-00:00" and "0:00-23:59" all run through the
// day's last minute, which an end of 23:59 would leave out.
func (s span) toEndOfDay() span {
	if s.to == 23*60+59 || s.to == 0 && s.from > 0 {
		s.to = endOfDay
	}
	return s
}

func hhmm(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// timeSpans are time ranges on some days of the week in one zone: working
// hours, or quiet periods. Stored as "zone|mon,tue|09:00-12:00,13:00-17:30".
type timeSpans struct {
	zone  string
	days  timewords.DaySet
	spans []span
	// loc is zone loaded, set by loadSpans: settings read once are
	// checked against many runs.
	loc *time.Location
}

// String is the stored form; loadSpans reads it back.
func (w timeSpans) String() string {
	parts := make([]string, len(w.spans))
	for i, s := range w.spans {
		parts[i] = s.stored()
	}
	return w.zone + "|" + strings.ToLower(strings.Join(w.days.Names(false), ",")) + "|" + strings.Join(parts, ",")
}

// loadSpans reads what String wrote; ok is false for an empty or damaged
// value, which callers treat as "not set".
func loadSpans(s string) (w timeSpans, ok bool) {
	zone, rest, ok1 := strings.Cut(s, "|")
	days, list, ok2 := strings.Cut(rest, "|")
	if !ok1 || !ok2 || zone == "" || list == "" {
		return timeSpans{}, false
	}
	w.zone = zone
	w.loc = w.location()
	for _, d := range strings.Split(days, ",") {
		set, ok := timewords.ParseDays(d)
		if !ok {
			return timeSpans{}, false
		}
		w.days |= set
	}
	for _, p := range strings.Split(list, ",") {
		a, b, _ := strings.Cut(p, "-")
		from, okA := clockMinutes(a)
		to, okB := clockMinutes(b)
		if !okA || !okB || from == to {
			return timeSpans{}, false
		}
		w.spans = append(w.spans, span{from, to}.toEndOfDay())
	}
	return w, true
}

// clockMinutes reads "HH:MM" as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	h, m, ok := strings.Cut(s, ":")
	hi, err1 := strconv.Atoi(h)
	mi, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hi < 0 || hi > 23 || mi < 0 || mi > 59 {
		return 0, false
	}
	return hi*60 + mi, true
}

// location is the zone the spans are read in (UTC if it no longer loads).
func (w timeSpans) location() *time.Location {
	if w.loc != nil {
		return w.loc
	}
	if loc, err := zones.Load(w.zone); err == nil {
		return loc
	}
	return time.UTC
}

// contains reports whether t falls inside one of the spans on one of the
// days, by the wall clock of the zone, so 09:00 stays 09:00 across daylight
// saving changes. A night span belongs to the day it starts on.
func (w timeSpans) contains(t time.Time) bool {
	local := t.In(w.location())
	return w.containsClock(local.Weekday(), local.Hour()*60+local.Minute())
}

// containsClock reports whether minute m after midnight on day falls
// inside one of the spans.
func (w timeSpans) containsClock(day time.Weekday, m int) bool {
	yesterday := (day + 6) % 7
	for _, s := range w.spans {
		switch {
		case !s.night():
			if w.days.Has(day) && m >= s.from && m < s.to {
				return true
			}
		case w.days.Has(day) && m >= s.from, w.days.Has(yesterday) && m < s.to:
			return true
		}
	}
	return false
}

// holdsRun is contains for a run of rule, read in the zone named ruleZone:
// at the moment the clocks spring forward a run moved there from a wall
// time the jump skipped stands for that time, so it is inside if that time
// is. "every day at 02:30" within hours 22:00-03:00 keeps its run, come at
// 03:00, on that day too; "every day at 02:15" under a quiet 02:00-03:00
// stays quiet that day; "every day at 03:00" is judged at 03:00 alone. A
// rule that cannot say which times it set there, or is read in another
// zone, stands for every time the jump skipped.
func (w timeSpans) holdsRun(t time.Time, rule Rule, ruleZone string) bool {
	if w.contains(t) {
		return true
	}
	local := t.In(w.location())
	skipped, ok := springGap(t, w.location())
	if !ok {
		return false
	}
	// The skipped wall times are the gap's minutes before the landing
	// one; a gap starting before midnight reaches into the day before.
	day := local.Weekday()
	inside := func(sm int) bool {
		d := day
		if sm < 0 {
			d, sm = (day+6)%7, sm+endOfDay
		}
		return w.containsClock(d, sm)
	}
	if m, ok := rule.(MovedRule); ok && ruleZone == w.location().String() {
		skipped, _ := m.SkippedTimes(t)
		for _, sec := range skipped {
			if inside(int(math.Floor(float64(sec) / 60))) {
				return true
			}
		}
		return false
	}
	m := local.Hour()*60 + local.Minute()
	for sm := m - skipped; sm < m; sm++ {
		if inside(sm) {
			return true
		}
	}
	return false
}

// springGap reports whether t is the moment loc's clocks spring forward,
// and how many minutes of wall time the jump skips.
func springGap(t time.Time, loc *time.Location) (minutes int, ok bool) {
	local := t.In(loc)
	if start, _ := local.ZoneBounds(); !start.Equal(t) {
		return 0, false
	}
	_, before := t.Add(-time.Second).In(loc).Zone()
	_, after := local.Zone()
	if after <= before {
		return 0, false // fall back, or no change of offset
	}
	return (after - before) / 60, true
}

// skippedTime is the wall time a repeating rule's run at t stands for
// when t is the end of a spring-forward gap that skipped it ("02:15" for
// "every day at 02:15" on that day); "" for a run at its own time. A rule
// that cannot say keeps its time of day, so its next run says which one
// it is.
func skippedTime(rule Rule, t time.Time, loc *time.Location) string {
	gap, ok := springGap(t, loc)
	if !ok {
		return ""
	}
	if m, ok := rule.(MovedRule); ok {
		skipped, own := m.SkippedTimes(t)
		if own || len(skipped) == 0 {
			return ""
		}
		const day = 24 * 3600
		sec := (skipped[0]%day + day) % day
		return fmt.Sprintf("%02d:%02d", sec/3600, sec%3600/60)
	}
	n := rule.Next(t)
	if n.IsZero() {
		return ""
	}
	local, next := t.In(loc), n.In(loc)
	landing := local.Hour()*60 + local.Minute()
	m := next.Hour()*60 + next.Minute()
	if m >= landing { // a gap that starts the evening before
		m -= endOfDay
	}
	if m < landing-gap {
		return ""
	}
	return next.Format("15:04")
}

// describe says the spans in words: "09:00-17:30 on weekdays (Europe/Berlin)".
func (w timeSpans) describe() string {
	parts := make([]string, len(w.spans))
	for i, s := range w.spans {
		parts[i] = s.String()
		if s.night() {
			parts[i] += " overnight"
		}
	}
	days := w.days.OnPhrase()
	if days == "" && len(w.spans) == 1 && w.spans[0].String() == "all day" {
		days = ", every day"
	}
	return timewords.JoinAnd(parts) + days + " (" + w.zone + ")"
}

// spanError is a parse error of spans: the message and a command that works.
type spanError struct{ msg, example string }

// parseSpans reads time ranges and days as people type them after `hours`
// or `quiet`: "9:00-17:30 mon-fri", "8-12 and 13-17 weekdays", "9am to
// 5pm monday to friday", "22:00-06:00". Without day words the days are
// defaultDays. cmd names the command for examples.
//
// Bare hours are read as a working day: "9-5" is 09:00-17:00, and "8-12 and
// 1-5" is 08:00-12:00 and 13:00-17:00 (see afterNoon). A range that
// ends before it starts is a night shift only when written in 24-hour
// form ("22:00-06:00"); "17-9" is refused with a question, since it is
// more often a slip than a night shift.
func parseSpans(args, cmd string, defaultDays timewords.DaySet) (timeSpans, *spanError) {
	example := cmd + " 9:00-17:30 mon-fri"
	like := spanLike(cmd)
	if cmd == "quiet" {
		example = "quiet " + like
	}
	toks := spanTokens(args)
	var w timeSpans
	var days, left timewords.DaySet
	except := false // day words from here on are left out: "every day except friday"
	// order records whether times (t) or days (d) came, once per run of
	// each, so "8-12 mon 13-17 tue" (days for each range) is caught.
	order := ""
	seen := func(kind string) *spanError {
		if !strings.HasSuffix(order, kind) {
			order += kind
		}
		if len(order) > 2 {
			return &spanError{"Give one set of days for all the ranges, like `" + cmd + " 8-12 and 13-17 weekdays`.", cmd + " 8-12 and 13-17 weekdays"}
		}
		return nil
	}
	prevBare := false // the range before was said on the 12-hour clock
	for i := 0; i < len(toks); {
		tok := toks[i]
		switch tok {
		case "from", "between", "on", "every", "and", ",", "&", "at":
			i++
			continue
		case "except", "but", "not":
			except = true
			i++
			continue
		}
		if t, n, ok := readClock(toks, i); ok {
			i += n
			if i < len(toks) && isRangeWord(toks[i]) {
				i++
			} else {
				return w, &spanError{fmt.Sprintf("%s needs an end, like %s.", quote.Text(t.text), like), example}
			}
			end, n, ok := readClock(toks, i)
			if !ok {
				return w, &spanError{fmt.Sprintf("%s needs an end time, like %s.", quote.Text(t.text), like), example}
			}
			i += n
			s, err := makeSpan(t, end, cmd)
			if err != nil {
				return w, err
			}
			if prevBare {
				s = afterNoon(s, t, end, w.spans)
			}
			prevBare = !t.h24 && !end.h24
			if err := seen("t"); err != nil {
				return w, err
			}
			if len(w.spans) == maxSpans {
				return w, &spanError{fmt.Sprintf("That is more than %d time ranges; join some.", maxSpans), example}
			}
			w.spans = append(w.spans, s)
			continue
		}
		if d, ok := timewords.LookupDay(tok); ok {
			i++
			set := d.Days
			// "mon-fri", "monday to friday", "fri through mon".
			if d.Single && i < len(toks) && (isRangeWord(toks[i]) || toks[i] == "through" || toks[i] == "thru") {
				e, ok := timewords.LookupDay("")
				if i+1 < len(toks) {
					e, ok = timewords.LookupDay(toks[i+1])
				}
				switch {
				case ok && e.Single:
					set, _ = timewords.ParseDays(firstDayWord(d) + "-" + firstDayWord(e))
					i += 2
				case i+1 < len(toks) && (toks[i+1][0] < '0' || toks[i+1][0] > '9'):
					// "mon-fir": the end of the range is the slip, not the dash.
					return w, dayRangeError(toks[i+1], example)
				case i+1 == len(toks):
					typed := toks[i-1] + " " + toks[i]
					if toks[i] == "-" {
						typed = toks[i-1] + "-"
					}
					return w, &spanError{fmt.Sprintf("%s needs a last day, like mon-fri.", quote.Short(typed, 20)), example}
				}
			}
			if except {
				left |= set
				continue
			}
			if err := seen("d"); err != nil {
				return w, err
			}
			days |= set
			continue
		}
		if tok[0] >= '0' && tok[0] <= '9' {
			return w, &spanError{fmt.Sprintf("I couldn't read %s as a time of day.", quote.Short(tok, 20)), example}
		}
		msg := fmt.Sprintf("I don't know the day %s.", quote.Short(tok, 20))
		if near := nearDayWord(tok); near != "" {
			msg = fmt.Sprintf("I don't know the day %s; did you mean %s?", quote.Short(tok, 20), quote.Text(near))
		}
		return w, &spanError{msg + " Use day names (mon, tuesday), ranges (mon-fri) or weekdays, weekends, daily.", example}
	}
	if len(w.spans) == 0 {
		return w, &spanError{"Say a time range, like " + like + ".", example}
	}
	if days == 0 {
		days = defaultDays
	}
	if except && left == 0 {
		return w, &spanError{"Name the days to leave out after except, like except friday.", cmd + " " + strings.Join(strings.Fields(args), " ") + " friday"}
	}
	if days &^= left; days == 0 {
		return w, &spanError{"That leaves out every day; name the days to keep, like mon-fri.", example}
	}
	w.days = days
	return w, nil
}

// dayRangeError answers a range of days whose end is no day ("mon-fir"),
// naming the end and the day it most likely meant.
func dayRangeError(end, example string) *spanError {
	msg := fmt.Sprintf("I don't know the day %s.", quote.Short(end, 20))
	if near := nearDayWord(end); near != "" {
		msg = fmt.Sprintf("I don't know the day %s; did you mean %s?", quote.Short(end, 20), quote.Text(near))
	}
	return &spanError{msg + " Write a range of days like mon-fri.", example}
}

// firstDayWord is the short name of a single-day word ("mon").
func firstDayWord(d timewords.DayWord) string {
	return strings.ToLower(d.Days.First().String()[:3])
}

// nearDayWord is the day word closest to a misspelt one, or "".
func nearDayWord(tok string) string {
	best, bestD := "", 3
	for _, w := range timewords.DayWords() {
		if d := editdist.Distance(tok, w); d < bestD {
			best, bestD = w, d
		}
	}
	return best
}

func isRangeWord(tok string) bool {
	switch tok {
	case "-", "to", "until", "till", "til":
		return true
	}
	return false
}

// spanTokens lower-cases args and splits it into words, with dashes and
// commas as words of their own.
func spanTokens(args string) []string {
	s := strings.ToLower(args)
	s = strings.NewReplacer("–", " - ", "—", " - ", "-", " - ", ",", " , ", "a.m.", "am", "p.m.", "pm").Replace(s)
	toks := strings.Fields(s)
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		// "working days", "work days", "business days", "week days"
		if i+1 < len(toks) && (toks[i+1] == "day" || toks[i+1] == "days") && slices.Contains([]string{"working", "work", "business", "week"}, toks[i]) {
			out = append(out, "weekdays")
			i++
			continue
		}
		out = append(out, toks[i])
	}
	return out
}

// clockTime is one end of a range as typed.
type clockTime struct {
	minutes int
	h24     bool // "17:30", "09:00", "17": unambiguous 24-hour clock
	ampm    bool // "5pm": said which half of the day
	text    string
}

// readClock reads a time at toks[i]: "9", "09:00", "5:30pm", "5 pm",
// "noon", "midnight".
func readClock(toks []string, i int) (clockTime, int, bool) {
	if i >= len(toks) {
		return clockTime{}, 0, false
	}
	tok, n := toks[i], 1
	switch tok {
	case "noon", "midday":
		return clockTime{minutes: 12 * 60, h24: true, text: tok}, 1, true
	case "midnight":
		return clockTime{minutes: 0, h24: true, text: tok}, 1, true
	}
	if n, used, ok := timewords.Number(toks, i); ok && used == 1 && strings.Trim(tok, "0123456789") != "" && n >= 1 && n <= 12 {
		// "nine to five": a number word is a bare hour.
		tok = strconv.FormatInt(n, 10)
		if i+1 < len(toks) && (toks[i+1] == "am" || toks[i+1] == "pm") {
			tok += toks[i+1]
			n := 2
			t, _, ok := readClock([]string{tok}, 0)
			t.text = strings.Join(toks[i:i+n], " ")
			return t, n, ok
		}
		t, _, ok := readClock([]string{tok}, 0)
		t.text = toks[i]
		return t, 1, ok
	}
	// "17h", "12h30": hours and minutes written the French way.
	if h, m, ok := strings.Cut(tok, "h"); ok && h != "" && len(h) <= 2 && strings.Trim(h, "0123456789") == "" &&
		(m == "" || len(m) == 2 && strings.Trim(m, "0123456789") == "") {
		if m == "" {
			m = "00"
		}
		t, _, ok := readClock([]string{h + ":" + m}, 0)
		t.text = tok
		return t, 1, ok
	}
	suffix := ""
	for _, s := range []string{"am", "pm"} {
		if strings.HasSuffix(tok, s) {
			tok, suffix = strings.TrimSuffix(tok, s), s
		}
	}
	if (len(tok) == 3 || len(tok) == 4) && strings.Trim(tok, "0123456789") == "" && tok[len(tok)-2] <= '5' {
		// "0900-1730", "930am", "930 am": the time without its colon.
		c := tok[:len(tok)-2] + ":" + tok[len(tok)-2:] + suffix
		if suffix == "" && i+1 < len(toks) && (toks[i+1] == "am" || toks[i+1] == "pm") {
			c, n = c+toks[i+1], 2
		}
		t, _, ok := readClock([]string{c}, 0)
		t.text = strings.Join(toks[i:i+n], " ")
		return t, n, ok
	}
	if suffix == "" && i+1 < len(toks) && (toks[i+1] == "am" || toks[i+1] == "pm") {
		suffix, n = toks[i+1], 2
	}
	h, m, colon := strings.Cut(strings.ReplaceAll(tok, ".", ":"), ":")
	if h == "" || len(h) > 2 || strings.Trim(h, "0123456789") != "" {
		return clockTime{}, 0, false
	}
	hi, _ := strconv.Atoi(h)
	mi := 0
	if colon {
		if len(m) != 2 || strings.Trim(m, "0123456789") != "" {
			return clockTime{}, 0, false
		}
		mi, _ = strconv.Atoi(m)
	}
	if hi > 24 || mi > 59 || (hi == 24 && mi != 0) {
		return clockTime{}, 0, false
	}
	t := clockTime{minutes: hi*60 + mi, text: strings.Join(toks[i:i+n], " ")}
	switch {
	case suffix != "":
		if hi < 1 || hi > 12 {
			return clockTime{}, 0, false
		}
		t.ampm = true
		hi %= 12
		if suffix == "pm" {
			hi += 12
		}
		t.minutes = hi*60 + mi
	case colon && len(h) == 2, hi > 12:
		t.h24 = true
	case colon && hi == 0:
		t.h24 = true
	}
	if t.minutes == 24*60 {
		// "until 24:00": the end of the day, which makeSpan reads as a
		// start at 00:00.
		t.h24 = true
	}
	return t, n, true
}

// afterNoon reads a range of bare hours that starts before the range said
// before it ends as the afternoon's, as a list of times does: "8-12 and
// 1-5" is 08:00-12:00 and 13:00-17:00. Only when the range before was said
// on the 12-hour clock too ("15-16 and 8-12" keeps its morning), the
// afternoon then comes after its end, and the range stays within the day.
func afterNoon(s span, from, to clockTime, before []span) span {
	if len(before) == 0 || from.h24 || from.ampm || to.h24 || to.ampm || s.night() || s.to > 12*60 {
		return s
	}
	prev := before[len(before)-1]
	if prev.night() || s.from >= prev.to || s.from+12*60 < prev.to {
		return s
	}
	return span{s.from + 12*60, s.to + 12*60}
}

// makeSpan checks a range and reads bare hours as a working day.
func makeSpan(from, to clockTime, cmd string) (span, *spanError) {
	s := span{from.minutes % endOfDay, to.minutes}.toEndOfDay()
	if s.from == s.to {
		return s, &spanError{fmt.Sprintf("%s-%s starts and ends at the same time.", from.text, to.text), cmd + " " + spanLike(cmd)}
	}
	if !s.night() {
		return s, nil
	}
	// "9-5", "12-1": an afternoon end said on the 12-hour clock.
	if !to.h24 && !to.ampm && s.from <= 12*60 && s.to < 12*60 && s.to+12*60 > s.from {
		return span{s.from, s.to + 12*60}, nil
	}
	if from.h24 && to.h24 || from.ampm && to.ampm {
		// Written so that it can only mean a night: accepted.
		return s, nil
	}
	night := hhmm(s.from) + "-" + hhmm(s.to)
	day := hhmm(s.to) + "-" + hhmm(s.from)
	what := "a night shift"
	if cmd == "quiet" {
		what = "a quiet night"
	}
	example := cmd + " " + day
	if from.ampm && s.from >= 12*60 {
		// "10pm-6": an evening start said as such runs overnight.
		example = cmd + " " + night
	}
	return s, &spanError{fmt.Sprintf("%s-%s ends before it starts. For %s write it in 24-hour form, `%s %s`; for the day, `%s %s`.",
		from.text, to.text, what, cmd, night, cmd, day), example}
}

// spanLike is a range for cmd's examples: a working day for hours, a
// lunch hour for quiet periods.
func spanLike(cmd string) string {
	if cmd == "quiet" {
		return "12:00-13:00"
	}
	return "9:00-17:30"
}

// rezone moves stored spans to zone, keeping their wall-clock times:
// working hours of 9 to 5 stay 9 to 5 where the person now is.
func rezone(stored, zone string) string {
	w, ok := loadSpans(stored)
	if !ok {
		return stored
	}
	w.zone, w.loc = zone, nil
	return w.String()
}

// merged joins spans that overlap or touch ("12:00-13:00 and 12:30-14:00"
// is 12:00-14:00), in order of their start, so a setting never holds the
// same minute twice and reads as the periods it covers. On every day of the
// week a night span's morning also meets the next day's spans
// ("23:00-01:00 and 00:30-02:00" is 23:00-02:00); on some days only, a
// span is joined only with those of the day it starts on, so the minutes
// covered stay the same. joined is false when nothing was joined.
func (w timeSpans) merged() (out timeSpans, joined bool) {
	type iv struct{ from, to int } // minutes after the start day's midnight
	ivs := make([]iv, 0, len(w.spans))
	for _, s := range w.spans {
		v := iv{s.from, s.to}
		if s.night() {
			v.to += endOfDay
		}
		ivs = append(ivs, v)
	}
	slices.SortFunc(ivs, func(a, b iv) int { return cmp.Or(a.from-b.from, a.to-b.to) })
	all := w.days == timewords.AllDays
	var m []iv
	for _, v := range ivs {
		// On some days only, a join may not outlast a day: the minutes
		// from one start to the same clock time the next day are not one
		// span.
		if n := len(m); n > 0 && v.from <= m[n-1].to && (all || max(v.to, m[n-1].to)-m[n-1].from < endOfDay) {
			m[n-1].to = max(m[n-1].to, v.to)
			continue
		}
		m = append(m, v)
	}
	if all {
		// A night's morning meets the spans that start the next day.
		for len(m) > 1 && m[0].from+endOfDay <= m[len(m)-1].to {
			last := m[len(m)-1]
			last.to = max(last.to, m[0].to+endOfDay)
			m = append(m[1:len(m)-1], last)
		}
		for _, v := range m {
			if v.to-v.from >= endOfDay {
				m = []iv{{0, endOfDay}} // every minute of every day
				break
			}
		}
	}
	out = w
	out.spans = make([]span, len(m))
	for i, v := range m {
		to := v.to
		if to > endOfDay {
			to -= endOfDay
		}
		out.spans[i] = span{v.from, to}
	}
	return out, len(m) < len(w.spans)
}

// joinedNote says which typed ranges were joined and into what, or "".
func joinedNote(typed, merged timeSpans) string {
	if len(merged.spans) == len(typed.spans) {
		return ""
	}
	parts := make([]string, len(typed.spans))
	for i, s := range typed.spans {
		parts[i] = s.String()
	}
	return fmt.Sprintf("%s overlap or meet, so they are joined: %s.", timewords.JoinAnd(parts), merged.describeSpans())
}

// describeSpans is the spans alone, without days or zone.
func (w timeSpans) describeSpans() string {
	parts := make([]string, len(w.spans))
	for i, s := range w.spans {
		parts[i] = s.String()
	}
	return timewords.JoinAnd(parts)
}
