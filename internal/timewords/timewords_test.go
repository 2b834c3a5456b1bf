package timewords_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr error
	}{
		{"2 weeks", 2 * timewords.Week, nil},
		{"a fortnight", 2 * timewords.Week, nil},
		{"3 fortnights", 6 * timewords.Week, nil},
		{"a few minutes", 3 * time.Minute, nil},
		{"1 hour 30 minutes", 90 * time.Minute, nil},
		{"1 hour and 30 minutes", 90 * time.Minute, nil},
		{"1 hour, 30 minutes", 90 * time.Minute, nil},
		{"1 hour 30", 90 * time.Minute, nil},
		{"2 hrs 5", 125 * time.Minute, nil},
		{"1.5 hours 10", 0, timewords.ErrNotDuration},
		{"1 hour 75", 0, timewords.ErrNotDuration},
		{"30 minutes 10", 0, timewords.ErrNotDuration},
		{"5 minutes 5 minutes", 0, timewords.ErrTwice},
		{"2 hours and 2 hours", 0, timewords.ErrTwice},
		{"30 minutes 1 hour", 0, timewords.ErrTwice},
		{"1h30m 10 min", 0, timewords.ErrTwice},
		{"1 hour 1h", 0, timewords.ErrTwice},
		{"90s", 90 * time.Second, nil},
		{"2h", 2 * time.Hour, nil},
		{"1h30m", 90 * time.Minute, nil},
		{"2h 15m", 135 * time.Minute, nil},
		{"10 min", 10 * time.Minute, nil},
		{"10 M", 10 * time.Minute, nil},
		{"a day", timewords.Day, nil},
		{"an hour", time.Hour, nil},
		{"one week", timewords.Week, nil},
		{"3 wk", 3 * timewords.Week, nil},
		{"2 wks", 2 * timewords.Week, nil},
		{"1 w", timewords.Week, nil},
		{"1 yr", timewords.Year, nil},
		{"5 secs", 5 * time.Second, nil},
		{"5 hrs", 5 * time.Hour, nil},
		{"0 s", 0, nil},
		{"٥ min", 5 * time.Minute, nil},
		{"one hour", time.Hour, nil},
		{"ten minutes", 10 * time.Minute, nil},
		{"twenty five minutes", 25 * time.Minute, nil},
		{"twenty-five minutes", 25 * time.Minute, nil},
		{"sixty seconds", time.Minute, nil},
		{"a couple of hours", 2 * time.Hour, nil},
		{"a couple hours", 2 * time.Hour, nil},
		{"couple of days", 2 * timewords.Day, nil},
		{"half an hour", 30 * time.Minute, nil},
		{"half hour", 30 * time.Minute, nil},
		{"a half hour", 30 * time.Minute, nil},
		{"half a day", 12 * time.Hour, nil},
		{"an hour and a half", 90 * time.Minute, nil},
		{"one and a half hours", 90 * time.Minute, nil},
		{"2 and a half hours", 150 * time.Minute, nil},
		{"a quarter of an hour", 15 * time.Minute, nil},
		{"quarter of an hour", 15 * time.Minute, nil},
		{"three quarters of an hour", 45 * time.Minute, nil},
		{"1.5 hours", 90 * time.Minute, nil},
		{"0.25 hours", 15 * time.Minute, nil},
		{"1.5h", 90 * time.Minute, nil},
		{"90 mins", 90 * time.Minute, nil},
		{"1h30", 90 * time.Minute, nil},
		{"2m30", 150 * time.Second, nil},
		{"2 months", 2 * timewords.MonthLength, nil},
		{"an hour and", 0, timewords.ErrNotDuration},
		{"half", 0, timewords.ErrNotDuration},
		{"twenty", 0, timewords.ErrNotDuration},
		{"1.5.5 hours", 0, timewords.ErrNotDuration},
		{"30h30h", 30*time.Hour + 30*time.Hour, nil},
		{"1d30", 0, timewords.ErrNotDuration},
		{"  2   days ", 2 * timewords.Day, nil},
		{"", 0, timewords.ErrNotDuration},
		{"15", 0, timewords.ErrNotDuration},
		{"minutes", 0, timewords.ErrNotDuration},
		{"5 parsecs", 0, timewords.ErrNotDuration},
		{"2 weeks please", 0, timewords.ErrNotDuration},
		{"2 hours and", 0, timewords.ErrNotDuration},
		{"500ms", 0, timewords.ErrNotDuration},
		{"-5 min", 0, timewords.ErrNegative},
		{"1 hour -5min", 0, timewords.ErrNegative},
		{"99999999999999999999 seconds", 0, timewords.ErrTooLong},
		{"300 years", 0, timewords.ErrTooLong},
		{"200 years 5000 weeks", 0, timewords.ErrTooLong},
		{"9223372036854775807s", 0, timewords.ErrTooLong},
	}
	for _, tt := range tests {
		got, err := timewords.ParseDuration(tt.in)
		switch {
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("ParseDuration(%q) error = %v, want %v", tt.in, err, tt.wantErr)
		case tt.wantErr == nil && err != nil:
			t.Errorf("ParseDuration(%q) error = %v", tt.in, err)
		case got != tt.want:
			t.Errorf("ParseDuration(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Read stops where the length ends and says which tokens it used, so a
// grammar can go on from there or mend just that part.
func TestReadStopsAtTheEndOfTheLength(t *testing.T) {
	toks := timewords.Tokens("every 1 hour and 30 min between 9 and 17")
	sp, err := timewords.Read(toks, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := timewords.Span{Value: 90 * time.Minute, From: 1, To: 6, Parts: 2, Unit: time.Minute, Clock: 90 * time.Minute}
	if sp != want {
		t.Errorf("Read = %+v, want %+v", sp, want)
	}
	if sp, err := timewords.Read(toks, 0); err != nil || sp.Parts != 0 || sp.To != 0 {
		t.Errorf("Read at a non-length = %+v, %v; want no parts", sp, err)
	}
	_, err = timewords.Read(timewords.Tokens("in 2 hours and -5 minutes"), 1)
	var pe *timewords.PartError
	if !errors.As(err, &pe) || !errors.Is(err, timewords.ErrNegative) || pe.From != 4 || pe.Used != 2 || pe.Text != "-5 minutes" || pe.Value != -5*time.Minute {
		t.Errorf("Read of a negative part: %#v", err)
	}
}

// A length says each unit once, largest first: a part in a unit already
// said, or a larger one, is not added on but ends the length, and
// ParseDuration refuses it naming the length as first given.
func TestReadStopsAtALengthGivenTwice(t *testing.T) {
	toks := timewords.Tokens("in 5 minutes 5 minutes")
	sp, err := timewords.Read(toks, 1)
	if err != nil || sp.Value != 5*time.Minute || sp.To != 3 || sp.Parts != 1 {
		t.Errorf("Read = %+v, %v; want 5 minutes, ending at token 3", sp, err)
	}
	_, err = timewords.ParseDuration("2 hours and 2 hours")
	var pe *timewords.PartError
	if !errors.As(err, &pe) || !errors.Is(err, timewords.ErrTwice) || pe.Text != "2 hours" || pe.Value != 2*time.Hour {
		t.Errorf("ParseDuration of a length given twice: %#v", err)
	}
}

// Whole days and longer count on the calendar; the rest is elapsed time.
func TestReadCalendarBreakdown(t *testing.T) {
	for _, tt := range []struct {
		in           string
		months, days int64
		clock        time.Duration
	}{
		{"5 years", 60, 0, 0},
		{"2 months 1 week 3 days", 2, 10, 0},
		{"1 day 2 hours", 0, 1, 2 * time.Hour},
		{"1.5 days", 0, 0, 36 * time.Hour},
		{"half an hour", 0, 0, 30 * time.Minute},
	} {
		sp, err := timewords.Read(timewords.Tokens(tt.in), 0)
		if err != nil || sp.Months != tt.months || sp.Days != tt.days || sp.Clock != tt.clock {
			t.Errorf("Read(%q) = %+v, %v; want months %d days %d clock %v", tt.in, sp, err, tt.months, tt.days, tt.clock)
		}
	}
}

func TestNumbersAndOrdinals(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int64
		used int
	}{{"7", 7, 1}, {"seven", 7, 1}, {"twenty one", 21, 2}, {"forty-two", 42, 1}, {"sixty", 60, 1}, {"zero", 0, 1}} {
		if n, used, ok := timewords.Number(timewords.Tokens(tt.in), 0); !ok || n != tt.n || used != tt.used {
			t.Errorf("Number(%q) = %d, %d, %v", tt.in, n, used, ok)
		}
	}
	for _, bad := range []string{"", "seventh", "twenty-zero", "1st", "x"} {
		if _, _, ok := timewords.Number(timewords.Tokens(bad), 0); ok {
			t.Errorf("Number(%q) accepted", bad)
		}
	}
	for _, tt := range []struct {
		in   string
		n    int
		used int
	}{{"1st", 1, 1}, {"22nd", 22, 1}, {"first", 1, 1}, {"twenty-first", 21, 1}, {"thirty first", 31, 2}, {"twelfth", 12, 1}, {"thirtieth", 30, 1}} {
		if n, used, ok := timewords.ReadOrdinal(timewords.Tokens(tt.in), 0); !ok || n != tt.n || used != tt.used {
			t.Errorf("ReadOrdinal(%q) = %d, %d, %v", tt.in, n, used, ok)
		}
	}
	for _, bad := range []string{"", "one", "st", "twenty", "first-one"} {
		if _, _, ok := timewords.ReadOrdinal(timewords.Tokens(bad), 0); ok {
			t.Errorf("ReadOrdinal(%q) accepted", bad)
		}
	}
}

func TestReadPart(t *testing.T) {
	toks := timewords.Tokens("2 weeks 1h30m an hour x")
	for _, tt := range []struct {
		i    int
		want timewords.Part
		ok   bool
	}{
		{0, timewords.Part{Value: 2 * timewords.Week, Unit: timewords.Week, Used: 2, Text: "2 weeks"}, true},
		{2, timewords.Part{Value: 90 * time.Minute, Unit: time.Minute, Used: 1, Text: "1h30m"}, true},
		{3, timewords.Part{Value: time.Hour, Unit: time.Hour, Used: 2, Text: "an hour"}, true},
		{5, timewords.Part{}, false},
		{6, timewords.Part{}, false},
		{-1, timewords.Part{}, false},
	} {
		got, ok, err := timewords.ReadPart(toks, tt.i)
		if err != nil || ok != tt.ok || got != tt.want {
			t.Errorf("ReadPart(%d) = %+v, %v, %v; want %+v, %v", tt.i, got, ok, err, tt.want, tt.ok)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tt := range []struct {
		d                   time.Duration
		words, every, short string
		rough               string
	}{
		{45 * time.Minute, "45 minutes", "45 minutes", "45 min", "45 min"},
		{90 * time.Minute, "90 minutes", "90 minutes", "1 h 30 min", "1 h 30 min"},
		{time.Hour, "1 hour", "hour", "1 h", "1 h"},
		{2 * time.Hour, "2 hours", "2 hours", "2 h", "2 h"},
		{timewords.Week, "1 week", "week", "7 d", "7 d"},
		{2 * timewords.Week, "2 weeks", "2 weeks", "14 d", "14 d"},
		{timewords.Year, "1 year", "year", "365 d", "about 1 year"},
		{time.Second, "1 second", "second", "1 s", "1 s"},
		{270 * time.Second, "270 seconds", "270 seconds", "4 min 30 s", "4 min 30 s"},
		{6*timewords.Day + 10*time.Hour + 5*time.Minute, "9245 minutes", "9245 minutes", "6 d 10 h 5 min", "6 d 10 h"},
		{1500 * time.Millisecond, "1.5s", "1.5s", "2 s", "2 s"},
		{0, "0s", "0s", "0 s", "0 s"},
	} {
		if got := timewords.FormatDuration(tt.d); got != tt.words {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.words)
		}
		if got := timewords.FormatEvery(tt.d); got != tt.every {
			t.Errorf("FormatEvery(%v) = %q, want %q", tt.d, got, tt.every)
		}
		if got := timewords.FormatShort(tt.d); got != tt.short {
			t.Errorf("FormatShort(%v) = %q, want %q", tt.d, got, tt.short)
		}
		if got := timewords.FormatRough(tt.d); got != tt.rough {
			t.Errorf("FormatRough(%v) = %q, want %q", tt.d, got, tt.rough)
		}
	}
}

// A wait of months or years reads as such, not as hundreds of days.
func TestFormatRoughLongWaits(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{59*timewords.Day + 23*time.Hour, "59 d 23 h"},
		{60 * timewords.Day, "about 2 months"},
		{90 * timewords.Day, "about 3 months"},
		{364 * timewords.Day, "about 1 year"},
		{timewords.Year + 100*timewords.Day, "about 1 year"},
		{2*timewords.Year - 10*timewords.Day, "about 2 years"},
		{1825*timewords.Day + 23*time.Hour, "about 5 years"},
	} {
		if got := timewords.FormatRough(tt.d); got != tt.want {
			t.Errorf("FormatRough(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

// Whatever the bot says as a length, it reads back.
func TestFormattedLengthsParseBack(t *testing.T) {
	for _, d := range []time.Duration{time.Second, 59 * time.Second, 90 * time.Second, time.Hour, 25 * time.Hour,
		timewords.Week, 3*timewords.Day + 4*time.Hour + 5*time.Minute + 6*time.Second, timewords.Year, 5 * timewords.Year} {
		for name, f := range map[string]func(time.Duration) string{"FormatDuration": timewords.FormatDuration, "FormatShort": timewords.FormatShort} {
			s := f(d)
			if got, err := timewords.ParseDuration(s); err != nil || got != d {
				t.Errorf("ParseDuration(%s(%v) = %q) = %v, %v", name, d, s, got, err)
			}
		}
	}
}

func TestJoinAnd(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"},
	} {
		if got := timewords.JoinAnd(tt.in); got != tt.want {
			t.Errorf("JoinAnd(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDays(t *testing.T) {
	for _, tt := range []struct {
		word         string
		want         timewords.DaySet
		every, on    string
		single, many bool
	}{
		{"day", timewords.AllDays, "day", "", false, false},
		{"weekdays", timewords.WorkDays, "weekday", " on weekdays", false, true},
		{"weekend", timewords.Weekend, "Sat and Sun", " on weekends", false, false},
		{"tues", timewords.Days(time.Tuesday), "Tuesday", " on Tuesdays", true, false},
		{"fridays", timewords.Days(time.Friday), "Friday", " on Fridays", false, true},
		{"mon-wed", timewords.Days(time.Monday, time.Tuesday, time.Wednesday), "Mon, Tue and Wed", " on Mon, Tue and Wed", false, false},
		{"fri-mon", timewords.Days(time.Friday, time.Saturday, time.Sunday, time.Monday), "Mon, Fri, Sat and Sun", " on Mon, Fri, Sat and Sun", false, false},
	} {
		got, ok := timewords.ParseDays(tt.word)
		if !ok || got != tt.want {
			t.Errorf("ParseDays(%q) = %07b, %v; want %07b", tt.word, got, ok, tt.want)
			continue
		}
		if s := got.EveryPhrase(); s != tt.every {
			t.Errorf("%q EveryPhrase = %q, want %q", tt.word, s, tt.every)
		}
		if s := got.OnPhrase(); s != tt.on {
			t.Errorf("%q OnPhrase = %q, want %q", tt.word, s, tt.on)
		}
		if w, ok := timewords.LookupDay(tt.word); ok && (w.Single != tt.single || w.Plural != tt.many) {
			t.Errorf("LookupDay(%q) = %+v", tt.word, w)
		}
	}
	for _, bad := range []string{"", "blursday", "mon-", "weekdays-fri", "mon-fri-sat"} {
		if _, ok := timewords.ParseDays(bad); ok {
			t.Errorf("ParseDays(%q) accepted", bad)
		}
	}
	if !timewords.Days(time.Saturday, time.Sunday).Consecutive() || timewords.Days(time.Monday, time.Wednesday).Consecutive() {
		t.Error("Consecutive does not see Sunday after Saturday, or sees gaps as neighbours")
	}
	if got := timewords.Days(time.Sunday, time.Monday).Names(true); !slices.Equal(got, []string{"Monday", "Sunday"}) {
		t.Errorf("Names = %q, want Monday first", got)
	}
}

func TestMonthsAndOrdinals(t *testing.T) {
	for word, want := range map[string]time.Month{"jan": time.January, "march": time.March, "sept": time.September, "sep": time.September, "december": time.December} {
		if got, ok := timewords.Month(word); !ok || got != want {
			t.Errorf("Month(%q) = %v, %v", word, got, ok)
		}
	}
	if _, ok := timewords.Month("marchh"); ok {
		t.Error("Month accepted a misspelling")
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 22: "22nd", 31: "31st", 111: "111th"} {
		if got := timewords.Ordinal(n); got != want {
			t.Errorf("Ordinal(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	got := timewords.Tokens("Every Mon,Wed & FRI at ١٠:٣٠")
	want := []string{"every", "mon", ",", "wed", "and", "fri", "at", "10:30"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}

func TestWordLists(t *testing.T) {
	for name, words := range map[string][]string{"UnitWords": timewords.UnitWords(), "DayWords": timewords.DayWords(), "MonthWords": timewords.MonthWords(), "UnitNames": timewords.UnitNames()} {
		if len(words) == 0 {
			t.Errorf("%s is empty", name)
		}
		for _, w := range words {
			if w != strings.ToLower(w) || strings.TrimSpace(w) != w || w == "" {
				t.Errorf("%s has %q, not a lower-case word", name, w)
			}
		}
	}
	for _, w := range timewords.UnitNames() {
		if _, ok := timewords.Unit(w); !ok {
			t.Errorf("unit name %q is not a unit", w)
		}
	}
	for _, w := range []string{"s", "sec", "secs", "second", "seconds", "m", "min", "mins", "minute", "minutes", "h", "hr", "hrs",
		"hour", "hours", "d", "day", "days", "w", "wk", "week", "weeks"} {
		if _, ok := timewords.Unit(w); !ok {
			t.Errorf("%q is not a unit", w)
		}
	}
	if !timewords.SubSecond("ms") || timewords.SubSecond("s") {
		t.Error("SubSecond is wrong about ms or s")
	}
}

// FuzzParseDuration checks that no text panics ParseDuration, that every
// length it reads is not negative and says itself back the same.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"2 weeks", "1 hour 30 minutes", "90s", "2h", "1h30m", "an hour", "-5 min", "1h-5m", "500ms",
		"99999999999999999999 seconds", "9223372036854775807ns", "1 hour and", ", 5 min", "5 min,, 5 min", "٥ min", "&",
		"half an hour", "an hour and a half", "a couple of days", "1.5 hours", "1h30", "twenty five minutes", "0.000000001s",
		"5 minutes 5 minutes", "30 min and 1 hour", "1h30m 10 min", "1 hour 30", "2562047 hours 59", "1 hour 0", "1 day 30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := timewords.ParseDuration(s)
		if err != nil {
			if !errors.Is(err, timewords.ErrNotDuration) && !errors.Is(err, timewords.ErrTooLong) && !errors.Is(err, timewords.ErrNegative) && !errors.Is(err, timewords.ErrTwice) {
				t.Fatalf("ParseDuration(%q) error %v wraps none of the package's errors", s, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v, negative", s, d)
		}
		if back, err := timewords.ParseDuration(timewords.FormatShort(d)); d%time.Second == 0 && (err != nil || back != d) {
			t.Fatalf("ParseDuration(FormatShort(%v)) = %v, %v", d, back, err)
		}
	})
}

func TestTrimSentenceEnd(t *testing.T) {
	for _, c := range []struct{ in, marks, want string }{
		{"level medium!", ".!?", "level medium"},
		{"at 3pm 🙂", ".!?", "at 3pm"},
		{"done 👍🏽", "", "done"},
		{"at 9.", ".", "at 9"},
		{"at 9;", ".", "at 9;"}, // a mark not given stays
		{"9-17 . !\u00a0", ".!", "9-17"},
		{"👍", "", ""},
		{"café", ".", "café"},
	} {
		if got := timewords.TrimSentenceEnd(c.in, c.marks); got != c.want {
			t.Errorf("TrimSentenceEnd(%q, %q) = %q, want %q", c.in, c.marks, got, c.want)
		}
	}
}
