package when

import (
	"slices"
	"testing"
	"time"
)

// Three or four digits said as a time of day are the clock without its
// colon: "at 930" is "at 9:30" and "at 1230" is "at 12:30", read by the
// same rules (a leading zero or an hour past 12 is 24-hour form), also in
// a list of times.
func TestClockWithoutColon(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: 10 * time.Minute}
	for _, tt := range []struct{ in, same string }{
		{"at 930", "at 9:30"},
		{"at 930pm", "at 9:30pm"},
		{"at 745 pm", "at 7:45 pm"},
		{"at 1230", "at 12:30"},
		{"at 0730", "at 07:30"},
		{"at 1700", "at 17:00"},
		{"every day at 730 and 1230", "every day at 7:30 and 12:30"},
		{"every weekday at 900, 1300 and 1600", "every weekday at 9:00, 13:00 and 16:00"},
		{"every day at 9 and 1530", "every day at 9 and 15:30"},
		{"at 1230pm", "at 12:30pm"},
		{"at 7 30pm", "at 7:30pm"},
		{"every day at 9 15am and 3 45pm", "every day at 9:15am and 3:45pm"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			want, err := p.Parse(tt.same, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.same, err)
			}
			got, err := p.Parse(tt.in, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if a, b := NextN(got, now, 10), NextN(want, now, 10); !slices.EqualFunc(a, b, time.Time.Equal) {
				t.Errorf("%q runs %v, want those of %q: %v", tt.in, a, tt.same, b)
			}
		})
	}
}

// Parts of the day joined by "and" after a day are that day at each part's
// time: "every morning and afternoon" is every day at 09:00 and 15:00.
func TestPartsOfTheDayInAList(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: 10 * time.Minute}
	for _, tt := range []struct{ in, same string }{
		{"every morning and afternoon", "every day at 09:00 and 15:00"},
		{"every morning, afternoon and evening", "every day at 09:00, 15:00 and 18:00"},
		{"mornings and afternoons", "every day at 09:00 and 15:00"},
		{"every morning and every evening", "every day at 09:00 and 18:00"},
		{"every weekday morning and afternoon", "every weekday at 09:00 and 15:00"},
		{"every monday morning and afternoon", "every monday at 09:00 and 15:00"},
		{"every afternoon and evening on weekdays", "every weekday at 15:00 and 18:00"},
		{"every morning and afternoon except weekends", "every weekday at 09:00 and 15:00"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			want, err := p.Parse(tt.same, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.same, err)
			}
			got, err := p.Parse(tt.in, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if a, b := NextN(got, now, 10), NextN(want, now, 10); !slices.EqualFunc(a, b, time.Time.Equal) {
				t.Errorf("%q runs %v, want those of %q: %v", tt.in, a, tt.same, b)
			}
		})
	}
}

// A part of the day in a list of times after "at" is its time: "at lunch
// and 4pm" is 12:00 and 16:00, not 16:00 alone.
func TestPartOfTheDayInAListOfTimes(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: 10 * time.Minute}
	for _, tt := range []struct{ in, same string }{
		{"every weekday at lunch and 4pm", "every weekday at 12:00 and 16:00"},
		{"every day at 10 and lunch", "every day at 10:00 and 12:00"},
		{"every day at 9, lunch and 5pm", "every day at 9:00, 12:00 and 17:00"},
		{"every day at lunch and evening", "every day at 12:00 and 18:00"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			want, err := p.Parse(tt.same, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.same, err)
			}
			got, err := p.Parse(tt.in, loc, now)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if a, b := NextN(got, now, 10), NextN(want, now, 10); !slices.EqualFunc(a, b, time.Time.Equal) {
				t.Errorf("%q runs %v, want those of %q: %v", tt.in, a, tt.same, b)
			}
		})
	}
}
