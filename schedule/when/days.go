package when

import (
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// daysAtTimes reads "<days> at <time> [and <time>…]".
func (ps *whenParser) daysAtTimes() (bot.Rule, error) {
	ps.ex = ps.exampleDays()
	days, err := ps.dayList()
	if err != nil {
		return nil, err
	}
	if ps.peek() != "at" {
		if ps.done() {
			return nil, ps.failWith([]string{ps.withTokens(ps.i, ps.i, "at", "10:30")}, "Say at what time")
		}
		return nil, ps.unexpected(ps.withTokens(ps.i, ps.i, "at"))
	}
	ps.take()
	var times []int
	for {
		t, err := ps.clockTime()
		if err != nil {
			return nil, err
		}
		times = append(times, t)
		if sep := ps.peek(); sep != "," && sep != "and" {
			break
		}
		ps.take()
	}
	if !ps.done() {
		return nil, ps.unexpected()
	}
	slices.Sort(times)
	times = slices.Compact(times)
	if err := ps.checkGaps(times, days.consecutive()); err != nil {
		return nil, err
	}
	list := make([]int32, len(times))
	for i, t := range times {
		list[i] = int32(t)
	}
	return &wallRule{loc: ps.loc, kind: kindDays, cal: everyDay(days), clk: timesOfDay{list: list}, days: days}, nil
}

// checkGaps refuses times of day closer together than MinInterval.
func (ps *whenParser) checkGaps(times []int, wrap bool) error {
	if ps.MinInterval <= 0 || minGap(times, wrap) >= ps.MinInterval {
		return nil
	}
	for i := 1; i < len(times); i++ {
		if gap := time.Duration(times[i]-times[i-1]) * time.Second; gap < ps.MinInterval {
			return ps.fail("%s and %s are only %s apart; the shortest repeat allowed is %s",
				hhmm(times[i-1]), hhmm(times[i]), durationWords(gap, false), durationWords(ps.MinInterval, false))
		}
	}
	first, last := times[0], times[len(times)-1]
	gap := time.Duration(secondsPerDay-last+first) * time.Second
	return ps.fail("%s and %s the next day are only %s apart; the shortest repeat allowed is %s",
		hhmm(last), hhmm(first), durationWords(gap, false), durationWords(ps.MinInterval, false))
}

// dayWord describes one word naming days of the week.
type dayWord struct {
	days   weekdays
	plural bool // "mondays", "weekdays": clearly repeating
	single bool // names exactly one day: usable in "on friday"
}

var dayWords = func() map[string]dayWord {
	m := map[string]dayWord{
		"day": {days: allDays}, "days": {days: allDays, plural: true}, "daily": {days: allDays},
		"weekday": {days: workDays}, "weekdays": {days: workDays, plural: true},
		"weekend": {days: weekendDays}, "weekends": {days: weekendDays, plural: true},
	}
	names := [7][]string{
		{"sun", "sunday"}, {"mon", "monday"}, {"tue", "tues", "tuesday"}, {"wed", "weds", "wednesday"},
		{"thu", "thur", "thurs", "thursday"}, {"fri", "friday"}, {"sat", "saturday"},
	}
	for d, words := range names {
		for _, w := range words {
			m[w] = dayWord{days: 1 << d, single: true}
		}
		m[words[len(words)-1]+"s"] = dayWord{days: 1 << d, plural: true}
	}
	return m
}()

// isDayWord reports whether tok names days, alone or as a range "mon-fri".
func isDayWord(tok string) bool {
	_, ok := dayRange(tok)
	return ok
}

// dayRange reads a day word or a range of single days such as "mon-fri"
// (which may wrap: "fri-mon").
func dayRange(tok string) (weekdays, bool) {
	if w, ok := dayWords[tok]; ok {
		return w.days, true
	}
	a, b, ok := strings.Cut(tok, "-")
	wa, okA := dayWords[a]
	wb, okB := dayWords[b]
	if !ok || !okA || !okB || !wa.single || !wb.single {
		return 0, false
	}
	from, to := bitIndex(wa.days), bitIndex(wb.days)
	var set weekdays
	for d := from; ; d = (d + 1) % 7 {
		set |= 1 << d
		if d == to {
			return set, true
		}
	}
}

func bitIndex(w weekdays) int {
	for i := range 7 {
		if w&(1<<i) != 0 {
			return i
		}
	}
	return 0
}

// dayList reads day words joined by commas or "and".
func (ps *whenParser) dayList() (weekdays, error) {
	var set weekdays
	for {
		d, ok := dayRange(ps.peek())
		if !ok {
			if ps.done() {
				return 0, ps.failWith([]string{ps.withTokens(ps.i, ps.i, "weekday", "at", "10:30")}, "Say which days")
			}
			return 0, ps.unexpected(ps.withTokens(ps.i, ps.i+1, "weekday"))
		}
		ps.take()
		set |= d
		if sep := ps.peek(); (sep == "," || sep == "and") && isDayWord(ps.peekAt(1)) {
			ps.take()
			continue
		}
		return set, nil
	}
}
