package when

import (
	"testing"
	"time"
)

// A comma before the last "and" of a list of days of the month is read as
// the list without it.
func TestCommaBeforeLastMonthDay(t *testing.T) {
	p := Parser{MinInterval: time.Minute}
	now := time.Date(2027, 1, 20, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]string{
		"on the 1st, 15th, and 28th of every month at 9": "on the 1st, 15th and 28th of every month at 9",
		"on the 1st, and the 15th of every month at 9":   "on the 1st and the 15th of every month at 9",
	} {
		got, err := p.Parse(in, time.UTC, now)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		r, _ := p.Parse(want, time.UTC, now)
		if a, b := got.Next(now), r.Next(now); !a.Equal(b) || !got.Next(a).Equal(r.Next(b)) || !got.Next(got.Next(a)).Equal(r.Next(r.Next(b))) {
			t.Errorf("%q runs from %v, want as %q from %v", in, a, want, b)
		}
	}
}
