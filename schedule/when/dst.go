package when

import "time"

// This file turns local wall-clock readings into instants under the
// daylight-saving policy every wall-clock rule follows:
//
//   - a wall time that does not exist on a day (spring forward) happens at
//     the first instant after the gap, the moment of the change itself;
//   - a wall time that occurs twice (fall back) happens once, at its first
//     occurrence.
//
// time.Date leaves both cases unspecified (it may give 03:30 for 02:30 in a
// one-hour gap), so the policy is applied explicitly here. The resulting
// wall-to-instant mapping never decreases, which is what lets Next walk wall
// times in order and stop at the first instant after t.

const secondsPerDay = 86400

// civilDay is a count of days since 1970-01-01 in the proleptic Gregorian
// calendar; it lets the rules step through dates without time.Date.
type civilDay int64

// daysFromCivil converts a date to its day number (Howard Hinnant's algorithm).
func daysFromCivil(y int64, m, d int) civilDay {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := int64((m + 9) % 12)
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return civilDay(era*146097 + doe - 719468)
}

// date converts a day number back to year, month and day.
func (z civilDay) date() (y int64, m, d int) {
	n := int64(z) + 719468
	era := floorDiv(n, 146097)
	doe := n - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekday of day z; 1970-01-01 was a Thursday.
func (z civilDay) weekday() time.Weekday {
	return time.Weekday(floorMod(int64(z)+4, 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 {
	return a - floorDiv(a, b)*b
}

func isLeap(y int64) bool {
	return y%4 == 0 && (y%100 != 0 || y%400 == 0)
}

func daysIn(y int64, m int) int {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// localClock returns the local day and the second of that day at which t
// reads in loc.
func localClock(t time.Time, loc *time.Location) (civilDay, int) {
	_, off := t.In(loc).Zone()
	w := t.Unix() + int64(off)
	day := floorDiv(w, secondsPerDay)
	return civilDay(day), int(w - day*secondsPerDay)
}

// wallInstant returns the instant at which the wall clock in loc reads sec
// seconds after the midnight of day, following the daylight-saving policy
// above.
func wallInstant(loc *time.Location, day civilDay, sec int) time.Time {
	y, m, d := day.date()
	if y < -1e9 || y > 1e9 {
		// Far outside any schedule's reach; avoids overflow below.
		return time.Time{}
	}
	t0 := time.Date(int(y), time.Month(m), d, 0, 0, sec, 0, loc)
	w := int64(day)*secondsPerDay + int64(sec) // the wall reading as if UTC
	_, off := t0.Zone()
	u := t0.Unix()
	if u+int64(off) == w {
		// The wall time exists. Prefer an earlier occurrence if t0 is the
		// second one of a fall-back overlap.
		start, _ := t0.ZoneBounds()
		if !start.IsZero() && u-start.Unix() < secondsPerDay {
			_, prev := start.Add(-time.Second).Zone()
			if alt := w - int64(prev); alt < start.Unix() && alt < u {
				return time.Unix(alt, 0).In(loc)
			}
		}
		return t0
	}
	// The wall time falls in a gap: find the transition that skipped it,
	// either where t0's zone period starts or where it ends.
	start, end := t0.ZoneBounds()
	for _, tr := range [2]time.Time{start, end} {
		if tr.IsZero() {
			continue
		}
		_, before := tr.Add(-time.Second).Zone()
		_, after := tr.Zone()
		s := tr.Unix()
		if after > before && s+int64(before) <= w && w < s+int64(after) {
			return tr.In(loc)
		}
	}
	return t0
}
