package when

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

var fuzzSeeds = append([]string{
	"this morning at 4pm", "every morning at 4pm", "every weekday at lunch 4pm", "tonight at 4pm", "every morning at 8", "at lunch 1", "tonight at 1", "every working day at 9", "every day for the next 5 days", "every day for the coming month", "every day for the", "every day for the next", "every day this week", "this week", "this week at 9", "every friday night at 1", "weeknights at 1 and 11", "every other friday night at 1", "tomorrow night at 1", "friday night at 12", "at 12 tomorrow night", "every day at about 3pm", "around 10", "about", "at about", "every day around noon", "on the 1st and 15th at 9", "every monday at 9am and wednesday at 3pm", "at 9:30h", "at 9:45hrs", "at 9:30:15", "every week day", "working days", "every single work day at 9", "at 10:30-15:00", "every day at 9 to 17", "at 3pm - 4 pm every day", "at 9 till", "at 10 - 11", "tonight at 12", "tonight at 12am", "every night at 12:30", "every morning and afternoon at 10", "at 9 at 10 and", "at 9 on monday at 3 pm, 4", "at 9 at", "at 1330am", "at 13:30am", "at 13:30 pm", "tomorrow at 9 and 3", "today at 10:30 and 14:00", "tomorrow at 9, 12 and 15:00", "at 9 and at 15:00 tomorrow", "at 2400", "at 2400pm", "every day at 9 and 1745pm",
	"", "at 930", "at 930pm", "at 199", "every day at 730 and 1230", "at 9, 1030 and 1530pm", "every day at 9 and 100 times", "at 1260pm", "at 093", "every morning and afternoon", "every morning, afternoon and evening at 10", "every and morning", "every morning and and afternoon", "every monday morning, and every afternoon", "every morning and", "every hour from 900 to 1700", "between 0830 and 1630pm", "every weekday at lunch and 4pm", "every afternoon and evening on weekdays", "every morning and afternoon except weekends", "every morning and evening monday", "at 7 30pm", "every 1230", "every 930 on weekdays", "every 1299", "at 7 99pm", "at 13 30pm", "at 7 30pmx", "at lunch and evening and", "at 9 and lunch, every monday", "every day at 9 1 times", "every day at 9 0 times", "at 9 30", "every day at 9 30 pm", "at 9 30 min", `"in 5 min"`, "“every day at 9”", `"cron "`, "in 5 minutes 5 minutes", "every 30 min and 1 hour", "at 25:99", "every 0 seconds", "every -5 minutes", "in 100 years", "at 15:30 on 2019-01-01", `cron "* * *"`,
	`cron "TZ=UTC"`, `cron "0 0 30 2 *"`, "every 5 seconds", "tomorrow at 9", "at 3:15 pm", "at noon", "at midnight",
	"on 2027-01-04 at 8am", "every tuesday and thursday at 14:00", "weekdays at 10:30", "daily at 9", "in a minute",
	"in an hour", "in 2 days", "every mon-fri at 8", "cron TZ=", "cron CRON_TZ= 0 0 * * *", "@every", "@every -1h",
	"every 1h30m between 9 and 5pm on weekends", "at 12am", "at 13pm", "at 24:00", "every 99999999999999999999 seconds",
	"in 9223372036854775807ns", "cron \"0 0 * * 7\"", "cron “0 9 * * *”", "at 9 on 0000-01-01", "every 2h between 0 and 23:59",
	"at 2:30 on 2027-03-14", "at 08:00 on 2027-02-30", "every blursday at 10", "at 10am on 14 march", "in 5 parsecs",
	"every 500 milliseconds", `cron "61 * * * *"`, `cron "0 0 31 4 *"`, "at 7pm tomorrow tomorrow", "every weekday at", "every at 10",
	"at 10:30 on 2027-13-01", "on 2027-01-04", "at ١٠:٣٠", "at 10:30 am pm", "march 14, 2027 at 9", "29th of feb at 9", "@dayly",
	"every 2nd and 4th tuesday", "the 1st, 2nd and 3rd friday of every month at 9", "every day at 3", "at 4:30",
	"every mon/wed/fri at 11", "every day @ 10:30", "at @", "@10", "at 10h30", "at 9h", "at 1030", "at 2400", "after 20 minutes", "after",
	"on 14.03.2027 at 9", "on 1.2.27", "on 99.99.9999", "on 1..2", "on friday the 4th at 9",
	"every day at 9 except friday", "every hour between 9 and 5 except lunch", "every hour except 12-13 on weekdays", "every hour except between 12 and", "except 12 -", "except", "every day except", "every hour except weekends but monday", "at 9 but", "every quarter hour", "every quarter-hour", "during", "every hour during", "during work hours",
	"at 9 o clock", "o clock", "at half nine", "at half", "half", "in a bit", "later today", "soon",
	"on the last weekday of every month", "on the last of every month", "on the 1st and last day of every month",
	"every weekday at 9 except holidays", "except public holidays", "holidays", "on 25.12.", "25.12", "on 1.12", "31.13.", "9.30.", "on christmas", "every christmas", "christmas eve at 9", "new year's eve", "new", "new year",
	"at end of day", "at the end of the day", "end of", "eod", "by close of business", "before lunch", "every day after lunch", "before", "quiet lunch", "every hour 9-17 quiet 12-13", "quiet", "at ~3pm", "~", "at ~", "3pm-ish", "ish", "-ish", "at 10ish",
	"every friday night at 11 and 1", "friday night at 11 and 1", "every weekday night at 11 and 12", "every night at 11 and 1", "every 3 weeks on friday and saturday night at 2", "every other sunday night at 1", "saturday night at 1",
}, roundTripInputs...)

// FuzzParse checks that no input panics, every error is a usable
// *bot.Error, and every rule has a future (or no) run and a loadable spec.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range phrasings {
		f.Add(s)
	}
	for _, r := range refusals {
		f.Add(r.in)
	}
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 1, 1, 30, 0, 0, loc) // inside a fall-back overlap
	p := Parser{MinInterval: time.Second}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := p.Parse(text, loc, now)
		if err != nil {
			var e *bot.Error
			if !errors.As(err, &e) || !bot.IsInvalid(err) || e.Message == "" || e.Example == "" {
				t.Fatalf("Parse(%q) error %#v is not a complete EINVALID *bot.Error", text, err)
			}
			if e.Err != nil && !errors.Is(e.Err, bot.ErrOneOffSeveral) {
				t.Fatalf("Parse(%q) panicked: %v", text, e.Err)
			}
			if strings.ContainsAny(e.Message, "\r\n") || !strings.HasSuffix(e.Message, ".") {
				t.Fatalf("Parse(%q) message %q is not one line ending in a full stop", text, e.Message)
			}
			if _, err := p.Parse(e.Example, loc, now); err != nil {
				t.Fatalf("Parse(%q) example %q does not parse: %v", text, e.Example, err)
			}
			return
		}
		next := r.Next(now)
		if !next.IsZero() && !next.After(now) {
			t.Fatalf("Parse(%q).Next(now) = %v, not after %v", text, next, now)
		}
		if r.Describe() == "" {
			t.Fatalf("Parse(%q) has no description", text)
		}
		back, err := p.Load(r.Spec(), loc)
		if err != nil {
			t.Fatalf("Load(Spec %q of %q): %v", r.Spec(), text, err)
		}
		if got := back.Next(now); !got.Equal(next) {
			t.Fatalf("Load(%q).Next = %v, want %v", r.Spec(), got, next)
		}
	})
}

// FuzzLoad checks that no stored text panics Load and that what loads has
// a sane Next and a stable Spec.
func FuzzLoad(f *testing.F) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 29, 2, 30, 0, 0, time.UTC)
	p := Parser{MinInterval: time.Second}
	for _, s := range roundTripInputs {
		if r, err := p.Parse(s, loc, now); err == nil {
			f.Add(r.Spec())
		}
	}
	for _, s := range []string{"", "once", "once 0001-01-01T00:00:00Z", "once 9999-12-31T23:59:59Z", "every 1ns from 0001-01-01T00:00:00Z",
		"every 2562047h from 9999-01-01T00:00:00Z on sun", "every 1s between 00:00 and 23:59:59", "days sun at 23:59:59", "cron TZ=UTC",
		"cron 0 0 30 2 *", "cron @every 1h", "every 1h from 2026-01-01T00:00:00Z on mon-fri",
		"once 2026-03-29T01:00:00Z gap 02:30", "once 2026-03-29T01:00:00Z gap 2:30", "once 2026-03-29T01:00:00Z gap",
		"days every 2 from 2026-11-28 at 09:00", "weeks every 2 from 2026-11-30 on mon,thu at 09:00", "monthly on last fri at 16:00",
		"monthly every 3 from 2026-12 on 1,31 at 09:00", "yearly on 02-29 at 09:00", "every 1h0m0s between 22:00 and 06:00 on fri",
		"days mon at 09:00 until 2027-01-01T00:00:00Z times 3", "every 1h0m0s from 2026-01-01T00:00:00Z until 2026-01-02T00:00:00Z",
		"cron 0 9 * * * until 2027-01-01T00:00:00Z", "monthly on 5th sun at 23:59 until 9999-12-31T23:59:59Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		r, err := p.Load(spec, loc)
		if err != nil {
			var e *bot.Error
			if !errors.As(err, &e) || e.Code != bot.EINVALID || e.Message == "" {
				t.Fatalf("Load(%q) error %#v is not an EINVALID *bot.Error", spec, err)
			}
			if e.Err != nil && !errors.Is(e.Err, bot.ErrOneOffSeveral) {
				t.Fatalf("Load(%q) panicked: %v", spec, e.Err)
			}
			return
		}
		next := r.Next(now)
		if !next.IsZero() && !next.After(now) {
			t.Fatalf("Load(%q).Next(now) = %v, not after %v", spec, next, now)
		}
		_ = r.Describe()
		again, err := p.Load(r.Spec(), loc)
		if err != nil {
			t.Fatalf("Load(Spec %q of %q): %v", r.Spec(), spec, err)
		}
		if again.Spec() != r.Spec() {
			t.Fatalf("Spec not stable: %q then %q", r.Spec(), again.Spec())
		}
		if got := again.Next(now); !got.Equal(next) {
			t.Fatalf("reloaded Next = %v, want %v", got, next)
		}
	})
}
