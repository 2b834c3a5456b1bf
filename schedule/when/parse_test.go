package when

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST tables must not depend on the host's zone files

	"github.com/stretchbot/stretchbot/bot"
)

func mustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

func mustTime(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		tb.Fatalf("parse %q: %v", s, err)
	}
	return t
}

func mustParse(tb testing.TB, p Parser, text string, loc *time.Location, now time.Time) bot.Rule {
	tb.Helper()
	r, err := p.Parse(text, loc, now)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", text, err)
	}
	return r
}

// runs formats up to n runs after t in RFC 3339 with the rule zone's offsets.
func runs(r bot.Rule, t time.Time, n int, loc *time.Location) []string {
	var out []string
	for _, at := range NextN(r, t, n) {
		out = append(out, at.In(loc).Format(time.RFC3339))
	}
	return out
}

// checkError asserts that err is an EINVALID *bot.Error whose message is one
// non-empty line and whose example parses with the same parser, zone and now.
func checkError(tb testing.TB, p Parser, err error, loc *time.Location, now time.Time) *bot.Error {
	tb.Helper()
	var e *bot.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not *bot.Error", err, err)
	}
	if e.Code != bot.EINVALID && e.Code != bot.EUNREAD {
		tb.Errorf("code = %q, want %q or %q", e.Code, bot.EINVALID, bot.EUNREAD)
	}
	if e.Message == "" || strings.ContainsAny(e.Message, "\n\r") {
		tb.Errorf("message %q is not one non-empty line", e.Message)
	}
	if !strings.HasSuffix(e.Message, ".") {
		tb.Errorf("message %q does not end with a full stop", e.Message)
	}
	if e.Example != "" && strings.Contains(strings.ToLower(e.Message), strings.ToLower(e.Example)) {
		tb.Errorf("message %q repeats its example %q", e.Message, e.Example)
	}
	if leak := libraryText.FindString(e.Message); leak != "" {
		tb.Errorf("message %q leaks %q", e.Message, leak)
	}
	if e.Example == "" {
		tb.Errorf("error %q has no example", e.Message)
	} else if _, err := p.Parse(e.Example, loc, now); err != nil {
		tb.Errorf("example %q of error %q does not parse: %v", e.Example, e.Message, err)
	}
	return e
}

// libraryText matches what must not reach users: library names, their
// error wording, Go identifiers and formatting mistakes.
var libraryText = regexp.MustCompile(`robfig|strconv|parsing|above maximum|below minimum|failed to|expected exactly|%!|\b[a-z]+\.[A-Z]\w*|\bnil\b|\bpanic`)

var (
	// Friday 27 November 2026, 12:00 in Berlin: the default "now" of the tables.
	tableNow = "2026-11-27T12:00:00+01:00"
	tableLoc = "Europe/Berlin"
)

func TestParse(t *testing.T) {
	tenMin := Parser{MinInterval: 10 * time.Minute}
	oneSec := Parser{MinInterval: time.Second}
	tests := []struct {
		name    string
		p       Parser
		in      string
		now     string // default tableNow
		loc     string // default tableLoc
		want    []string
		wantErr string
	}{
		// relative, once
		{name: "in minutes", in: "in 20 minutes", want: []string{"2026-11-27T12:20:00+01:00"}},
		{name: "in glued hours", in: "in 2h", want: []string{"2026-11-27T14:00:00+01:00"}},
		{name: "in seconds", in: "in 90 seconds", want: []string{"2026-11-27T12:01:30+01:00"}},
		{name: "in hour and minutes", in: "in 1 hour 30 minutes", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "in hour and minutes with and", in: "in 1 hour and 30 minutes", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "in glued pair", in: "in 1h30m", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "hour and minutes with a space", in: "at 13 30", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "hour and minutes with a space, pm", in: "at 1 30 pm", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "in quotes", in: `"in 1h30m"`, want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "in curly quotes", in: "“in 1h30m”", want: []string{"2026-11-27T13:30:00+01:00"}},
		{name: "in min", in: "in 45 min", want: []string{"2026-11-27T12:45:00+01:00"}},
		{name: "in a minute", in: "in a minute", want: []string{"2026-11-27T12:01:00+01:00"}},
		{name: "in an hour", in: "In  An   Hour", want: []string{"2026-11-27T13:00:00+01:00"}},
		{name: "in days", in: "in 2 days", want: []string{"2026-11-29T12:00:00+01:00"}},
		{name: "in drops sub-seconds", in: "in 1 second", now: "2026-11-27T12:00:00.5+01:00", want: []string{"2026-11-27T12:00:01+01:00"}},
		{name: "in too far", in: "in 100 years", wantErr: "too far ahead"},
		{name: "in huge", in: "in 99999999999999999999 hours", wantErr: "too far ahead"},
		{name: "in zero", in: "in 0 minutes", wantErr: "more than zero"},
		{name: "in nothing", in: "in", wantErr: "how long"},
		{name: "in bad unit", in: "in 5 parsecs", wantErr: `“parsecs” is not a unit of time`},
		{name: "in trailing words", in: "in 5 minutes please", wantErr: `“please”`},

		// clock, once
		{name: "at 24h", in: "at 15:30", want: []string{"2026-11-27T15:30:00+01:00"}},
		{name: "at pm", in: "at 3pm", want: []string{"2026-11-27T15:00:00+01:00"}},
		{name: "at spaced pm", in: "at 3:15 pm", want: []string{"2026-11-27T15:15:00+01:00"}},
		{name: "at am past means tomorrow", in: "at 9am", want: []string{"2026-11-28T09:00:00+01:00"}},
		{name: "at 12am", in: "at 12am", want: []string{"2026-11-28T00:00:00+01:00"}},
		{name: "at 12pm", in: "at 12pm", want: []string{"2026-11-28T12:00:00+01:00"}},
		{name: "at noon now is not after now", in: "at noon", want: []string{"2026-11-28T12:00:00+01:00"}},
		{name: "at midnight", in: "at midnight", want: []string{"2026-11-28T00:00:00+01:00"}},
		{name: "at hour only", in: "at 9", want: []string{"2026-11-28T09:00:00+01:00"}},
		{name: "at leading zero", in: "at 9:05", want: []string{"2026-11-28T09:05:00+01:00"}},
		{name: "at tomorrow", in: "at 9:15 tomorrow", want: []string{"2026-11-28T09:15:00+01:00"}},
		{name: "tomorrow at", in: "tomorrow at 9", want: []string{"2026-11-28T09:00:00+01:00"}},
		{name: "tomorrow bare time", in: "tomorrow 9am", want: []string{"2026-11-28T09:00:00+01:00"}},
		{name: "today", in: "today at 18:00", want: []string{"2026-11-27T18:00:00+01:00"}},
		{name: "today passed", in: "today at 9", wantErr: "already passed"},
		{name: "on weekday", in: "at 10am on friday", now: "2026-11-25T12:00:00+01:00", want: []string{"2026-11-27T10:00:00+01:00"}},
		{name: "on weekday is today", in: "at 3pm on friday", want: []string{"2026-11-27T15:00:00+01:00"}},
		{name: "on weekday today passed", in: "at 10am on friday", want: []string{"2026-12-04T10:00:00+01:00"}},
		{name: "weekday first", in: "monday at 9", want: []string{"2026-11-30T09:00:00+01:00"}},
		{name: "on date", in: "at 08:00 on 2027-01-04", want: []string{"2027-01-04T08:00:00+01:00"}},
		{name: "date first", in: "on 2027-01-04 at 8am", want: []string{"2027-01-04T08:00:00+01:00"}},
		{name: "past date", in: "at 15:30 on 2019-01-01", wantErr: "2019-01-01 is in the past"},
		{name: "today's date passed", in: "at 9:00 on 2026-11-27", wantErr: "09:00 on 2026-11-27 is in the past"},
		{name: "bad date", in: "at 9:00 on 2027-02-30", wantErr: "not a date"},
		{name: "far date", in: "at 9:00 on 2099-01-01", wantErr: "too far ahead"},
		{name: "day month", in: "at 10am on 14 march", want: []string{"2027-03-14T10:00:00+01:00"}},
		{name: "month day", in: "march 14 at 10", want: []string{"2027-03-14T10:00:00+01:00"}},
		{name: "day month year", in: "14 mar 2027 at 10am", want: []string{"2027-03-14T10:00:00+01:00"}},
		{name: "month day comma year", in: "on March 14th, 2028 at 9", want: []string{"2028-03-14T09:00:00+01:00"}},
		{name: "day of month", in: "at 9 on the 1st of december", want: []string{"2026-12-01T09:00:00+01:00"}},
		{name: "ordinal of month", in: "at 9 on 1st of december", want: []string{"2026-12-01T09:00:00+01:00"}},
		{name: "named date later today", in: "at 18:00 on 27 nov", want: []string{"2026-11-27T18:00:00+01:00"}},
		{name: "named date passed today", in: "at 9:00 on 27 nov", wantErr: "is in the past"},
		{name: "named date passed this year", in: "at 9:00 on 1 jan", want: []string{"2027-01-01T09:00:00+01:00"}},
		{name: "named 29 february", in: "at 9 on 29 feb", want: []string{"2028-02-29T09:00:00+01:00"}},
		{name: "named bad day", in: "at 9 on 31 april", wantErr: "April has 30 days"},
		{name: "unicode digits", in: "at ١٠:٣٠", want: []string{"2026-11-28T10:30:00+01:00"}},
		{name: "fullwidth digits", in: "in ２０ minutes", want: []string{"2026-11-27T12:20:00+01:00"}},
		{name: "yearly", p: tenMin, in: "@yearly", want: []string{"2027-01-01T00:00:00+01:00"}},
		{name: "two days", in: "at 9 tomorrow on friday", wantErr: "only once"},
		{name: "no time", in: "on friday", want: []string{"2026-12-04T09:00:00+01:00"}},
		{name: "bad time", in: "at 25:99", wantErr: `“25:99” is not a time of day`},
		{name: "13pm", in: "at 13pm", wantErr: `13:00 is already afternoon: say 13:00 or 1:00pm`},
		{name: "24:00", in: "at 24:00", wantErr: "not a time of day"},
		{name: "one-digit minutes", in: "at 9:5", wantErr: "not a time of day"},
		{name: "0pm", in: "at 0 pm", wantErr: `“0 pm” is not a time of day`},
		{name: "at nothing", in: "at", wantErr: "time of day"},
		{name: "at word", in: "at teatime", wantErr: `“teatime” is not a time of day`},

		// every interval
		{name: "every minutes", p: tenMin, in: "every 45 minutes", want: []string{"2026-11-27T12:45:00+01:00", "2026-11-27T13:30:00+01:00"}},
		{name: "every hours", p: tenMin, in: "every 2 hours", want: []string{"2026-11-27T14:00:00+01:00", "2026-11-27T16:00:00+01:00"}},
		{name: "every seconds allowed", p: oneSec, in: "every 5 seconds", want: []string{"2026-11-27T12:00:05+01:00", "2026-11-27T12:00:10+01:00"}},
		{name: "every seconds refused", p: tenMin, in: "every 5 seconds", wantErr: "The shortest repeat allowed is 10 minutes"},
		{name: "every hour", p: tenMin, in: "every hour", want: []string{"2026-11-27T13:00:00+01:00", "2026-11-27T14:00:00+01:00"}},
		{name: "hourly", p: tenMin, in: "hourly", want: []string{"2026-11-27T13:00:00+01:00", "2026-11-27T14:00:00+01:00"}},
		{name: "every 90 min", p: tenMin, in: "every 90 min", want: []string{"2026-11-27T13:30:00+01:00", "2026-11-27T15:00:00+01:00"}},
		{name: "every zero", p: tenMin, in: "every 0 seconds", wantErr: "more than zero"},
		{name: "every negative", p: tenMin, in: "every -5 minutes", wantErr: "not a positive length"},
		{name: "every nothing", p: tenMin, in: "every", wantErr: "how often"},
		{name: "every window", p: tenMin, in: "every 2 hours between 9:00 and 17:00",
			want: []string{"2026-11-27T13:00:00+01:00", "2026-11-27T15:00:00+01:00", "2026-11-27T17:00:00+01:00", "2026-11-28T09:00:00+01:00"}},
		{name: "every window weekdays", p: tenMin, in: "every 2 hours between 9:00 and 17:00 on weekdays",
			want: []string{"2026-11-27T13:00:00+01:00", "2026-11-27T15:00:00+01:00", "2026-11-27T17:00:00+01:00", "2026-11-30T09:00:00+01:00"}},
		{name: "every window from to 12h", p: tenMin, in: "every 3 hours from 9am to 5pm on mon,wed,fri",
			want: []string{"2026-11-27T15:00:00+01:00", "2026-11-30T09:00:00+01:00", "2026-11-30T12:00:00+01:00"}},
		{name: "every days filter", p: tenMin, in: "every 4 hours on weekends",
			want: []string{"2026-11-28T00:00:00+01:00", "2026-11-28T04:00:00+01:00"}},
		{name: "every monday and thursday", p: tenMin, in: "every 12 hours on monday and thursday",
			want: []string{"2026-11-30T00:00:00+01:00", "2026-11-30T12:00:00+01:00", "2026-12-03T00:00:00+01:00"}},
		{name: "window across midnight", p: tenMin, in: "every 4 hours between 17:00 and 9:00",
			want: []string{"2026-11-27T17:00:00+01:00", "2026-11-27T21:00:00+01:00", "2026-11-28T01:00:00+01:00", "2026-11-28T05:00:00+01:00", "2026-11-28T09:00:00+01:00", "2026-11-28T17:00:00+01:00"}},
		{name: "window with day interval", p: tenMin, in: "every 2 days between 9:00 and 17:00", wantErr: "goes with an interval"},
		{name: "window with long interval", p: tenMin, in: "every 25 hours between 9:00 and 17:00", wantErr: "shorter than a day"},
		{name: "window wraps too close", p: Parser{MinInterval: 20 * time.Minute}, in: "every 25 minutes between 0:00 and 23:59", wantErr: "the next day's first"},
		{name: "every 2 days at", p: tenMin, in: "every 2 days at 9", want: []string{"2026-11-28T09:00:00+01:00", "2026-11-30T09:00:00+01:00"}},

		// days at times
		{name: "every day at", p: tenMin, in: "every day at 10:30", want: []string{"2026-11-28T10:30:00+01:00", "2026-11-29T10:30:00+01:00"}},
		{name: "daily at", p: tenMin, in: "daily at 9", want: []string{"2026-11-28T09:00:00+01:00"}},
		{name: "every weekday at two times", p: tenMin, in: "every weekday at 10:30 and 15:00",
			want: []string{"2026-11-27T15:00:00+01:00", "2026-11-30T10:30:00+01:00", "2026-11-30T15:00:00+01:00"}},
		{name: "every weekend", p: tenMin, in: "every weekend at 9", want: []string{"2026-11-28T09:00:00+01:00", "2026-11-29T09:00:00+01:00", "2026-12-05T09:00:00+01:00"}},
		{name: "every monday", p: tenMin, in: "every monday at 9am", want: []string{"2026-11-30T09:00:00+01:00", "2026-12-07T09:00:00+01:00"}},
		{name: "every list", p: tenMin, in: "every mon,wed,fri at 11am", want: []string{"2026-11-30T11:00:00+01:00", "2026-12-02T11:00:00+01:00", "2026-12-04T11:00:00+01:00"}},
		{name: "every list spaced", p: tenMin, in: "every mon, wed, fri at 11am", want: []string{"2026-11-30T11:00:00+01:00"}},
		{name: "every range", p: tenMin, in: "every mon-fri at 8", want: []string{"2026-11-30T08:00:00+01:00"}},
		{name: "every and", p: tenMin, in: "every tuesday and thursday at 14:00", want: []string{"2026-12-01T14:00:00+01:00", "2026-12-03T14:00:00+01:00"}},
		{name: "weekdays at", p: tenMin, in: "weekdays at 10:30", want: []string{"2026-11-30T10:30:00+01:00"}},
		{name: "plural day", p: tenMin, in: "mondays at 9", want: []string{"2026-11-30T09:00:00+01:00"}},
		{name: "three times", p: tenMin, in: "every day at 9, 12 and 3pm", want: []string{"2026-11-27T15:00:00+01:00", "2026-11-28T09:00:00+01:00", "2026-11-28T12:00:00+01:00"}},
		{name: "duplicate times", p: tenMin, in: "every day at 9 and 9:00", want: []string{"2026-11-28T09:00:00+01:00", "2026-11-29T09:00:00+01:00"}},
		{name: "times too close", p: tenMin, in: "every day at 10:30 and 10:35", wantErr: "only 5 minutes apart"},
		{name: "times too close over midnight", p: tenMin, in: "every day at 23:55 and 0:00", wantErr: "the next day"},
		{name: "midnight wrap on separate days is fine", p: tenMin, in: "every monday at 23:55 and 0:00", want: []string{"2026-11-30T00:00:00+01:00", "2026-11-30T23:55:00+01:00"}},
		{name: "days without time", p: tenMin, in: "every weekday", want: []string{"2026-11-30T09:00:00+01:00"}},
		{name: "days bad time", p: tenMin, in: "every day at 25:00", wantErr: "not a time of day"},

		// cron
		{name: "cron", p: tenMin, in: `cron "*/30 9-17 * * 1-5"`, want: []string{"2026-11-27T12:30:00+01:00", "2026-11-27T13:00:00+01:00"}},
		{name: "cron single quotes", p: tenMin, in: `cron '0 10 * * *'`, want: []string{"2026-11-28T10:00:00+01:00"}},
		{name: "cron no quotes", p: tenMin, in: `CRON 0 10 * * *`, want: []string{"2026-11-28T10:00:00+01:00"}},
		{name: "cron zone", p: tenMin, in: `cron "CRON_TZ=America/New_York 0 10 * * *"`, want: []string{"2026-11-27T16:00:00+01:00"}},
		{name: "cron TZ=", p: tenMin, in: `cron "TZ=UTC 0 10 * * *"`, want: []string{"2026-11-28T11:00:00+01:00"}},
		{name: "daily descriptor", p: tenMin, in: "@daily", want: []string{"2026-11-28T00:00:00+01:00"}},
		{name: "hourly descriptor", p: tenMin, in: "@hourly", want: []string{"2026-11-27T13:00:00+01:00"}},
		{name: "weekly descriptor", p: tenMin, in: "@weekly", want: []string{"2026-11-29T00:00:00+01:00"}},
		{name: "quoted descriptor", p: tenMin, in: `cron "@daily"`, want: []string{"2026-11-28T00:00:00+01:00"}},
		{name: "every descriptor", p: tenMin, in: "@every 1h", want: []string{"2026-11-27T13:00:00+01:00"}},
		{name: "cron names", p: tenMin, in: `cron "0 9 * * MON-FRI"`, want: []string{"2026-11-30T09:00:00+01:00"}},
		{name: "cron dom or dow", p: tenMin, in: `cron "0 9 1 * 1"`, want: []string{"2026-11-30T09:00:00+01:00", "2026-12-01T09:00:00+01:00", "2026-12-07T09:00:00+01:00"}},
		{name: "cron too few fields", p: tenMin, in: `cron "* * *"`, wantErr: "5 fields"},
		{name: "cron lone zone", p: tenMin, in: `cron "TZ=UTC"`, wantErr: "after"},
		{name: "cron bad zone", p: tenMin, in: `cron "CRON_TZ=Mars/Olympus 0 10 * * *"`, wantErr: "not a time zone"},
		{name: "cron Local zone", p: tenMin, in: `cron "CRON_TZ=Local 0 10 * * *"`, wantErr: "not a time zone"},
		{name: "cron never", p: tenMin, in: `cron "0 0 30 2 *"`, wantErr: "never fires"},
		{name: "cron too often", p: tenMin, in: `cron "* * * * *"`, wantErr: "shortest repeat allowed is 10 minutes"},
		{name: "cron too often at day end", p: tenMin, in: `cron "55 23 * * *"`, want: []string{"2026-11-27T23:55:00+01:00"}},
		{name: "cron close over midnight", p: Parser{MinInterval: 2 * time.Hour}, in: `cron "0 0,23 * * *"`, wantErr: "only 1 hour apart"},
		{name: "cron range error", p: tenMin, in: `cron "70 * * * *"`, wantErr: "Minute 70 is out of range 0–59"},
		{name: "cron empty", p: tenMin, in: `cron ""`, wantErr: "after the word cron"},
		{name: "bad descriptor", p: tenMin, in: "@fortnightly", wantErr: "Unknown cron shortcut"},
		{name: "cron 29 February", p: tenMin, in: `cron "0 9 29 2 *"`, now: "2027-01-01T00:00:00+01:00", want: []string{"2028-02-29T09:00:00+01:00", "2032-02-29T09:00:00+01:00"}},

		// anything else
		{name: "empty", in: "", wantErr: "Say when"},
		{name: "spaces", in: "   ", wantErr: "Say when"},
		{name: "nonsense", in: "whenever", wantErr: `“whenever”`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			locName := tt.loc
			if locName == "" {
				locName = tableLoc
			}
			loc := mustZone(t, locName)
			nowText := tt.now
			if nowText == "" {
				nowText = tableNow
			}
			now := mustTime(t, nowText)
			r, err := tt.p.Parse(tt.in, loc, now)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %s, want error containing %q", tt.in, r.Spec(), tt.wantErr)
				}
				e := checkError(t, tt.p, err, loc, now)
				if !strings.Contains(e.Message, tt.wantErr) {
					t.Errorf("Parse(%q) error %q, want it to contain %q", tt.in, e.Message, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			got := runs(r, now, len(tt.want), loc)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Parse(%q) runs = %v, want %v", tt.in, got, tt.want)
			}
			if once := strings.HasPrefix(r.Spec(), "once "); r.Repeats() == once {
				t.Errorf("Repeats() = %v for spec %q", r.Repeats(), r.Spec())
			}
		})
	}
}

func TestParseErrorsEveryExampleParses(t *testing.T) {
	// With a large MinInterval, the repeating examples must adapt.
	loc := mustZone(t, tableLoc)
	now := mustTime(t, tableNow)
	for _, p := range []Parser{{}, {MinInterval: time.Second}, {MinInterval: 10 * time.Minute}, {MinInterval: 3 * time.Hour}, {MinInterval: 12 * time.Hour}} {
		for _, in := range []string{"every 0 seconds", "every 1 second", `cron "* * *"`, "every weekday", "every day at 99",
			"every hour between 5 and 1", "at 25:99", "in 0 minutes", "", "blah", "every 500 milliseconds", "every 5 parsecs",
			"every 0 hours between 9 and 17", "every -1 hours", `cron "*/0 * * * *"`, `cron "61 * * * *"`, `cron "0 0 31 4 *"`,
			"every 5 at 10", "@every 0s", "every 5 seconds on weekdays", "every blursday at 10", "in 500 ms"} {
			if _, err := p.Parse(in, loc, now); err != nil {
				checkError(t, p, err, loc, now)
			}
		}
	}
}

func TestOnceRule(t *testing.T) {
	loc := mustZone(t, tableLoc)
	now := mustTime(t, tableNow)
	r := mustParse(t, Parser{}, "in 20 minutes", loc, now)
	at := now.Add(20 * time.Minute)
	if got := r.Next(at.Add(-time.Nanosecond)); !got.Equal(at) {
		t.Errorf("Next(just before) = %v, want %v", got, at)
	}
	if got := r.Next(at); !got.IsZero() {
		t.Errorf("Next(at the run) = %v, want zero", got)
	}
	if r.Repeats() {
		t.Error("Repeats() = true for a one-shot")
	}
	if got := NextN(r, now, 5); len(got) != 1 {
		t.Errorf("NextN = %v, want one run", got)
	}
}

func TestIntervalIgnoresAnchorRun(t *testing.T) {
	loc := mustZone(t, "UTC")
	r, err := Parser{}.Load("every 1h0m0s from 2026-01-01T00:00:00Z", loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ from, want string }{
		{"2025-06-01T00:00:00Z", "2026-01-01T01:00:00Z"}, // before the anchor: the first run
		{"2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"},
		{"2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"}, // strictly after
		{"2026-01-01T01:30:00Z", "2026-01-01T02:00:00Z"},
		{"2030-01-01T00:00:00Z", "2030-01-01T01:00:00Z"},
	} {
		if got := r.Next(mustTime(t, tt.from)).Format(time.RFC3339); got != tt.want {
			t.Errorf("Next(%s) = %s, want %s", tt.from, got, tt.want)
		}
	}
}

// TestParseErrorExamples pins the reason and the nearest example for bad
// input: the user's own words mended wherever that is possible.
func TestParseErrorExamples(t *testing.T) {
	tenMin := Parser{MinInterval: 10 * time.Minute}
	oneSec := Parser{MinInterval: time.Second}
	tests := []struct {
		p           Parser
		in          string
		wantMsg     string
		wantExample string
	}{
		{oneSec, "at 08:00 on 2027-02-30", "February 2027 has 28 days", "at 08:00 on 2027-02-28"},
		{oneSec, "at 10:30 on 2027-13-01", "there is no month 13", "at 10:30 on 2027-12-01"},
		{oneSec, "at 10:30 on 2027-01-00", "days start at 1", "at 10:30 on 2027-01-01"},
		{oneSec, "at 9 on 31 april", "not a date", "at 9 on 30 april"},
		{oneSec, "at 9:00 on 2099-01-01", "too far ahead", "at 9:00 on 2031-11-27"},
		{oneSec, "every blursday at 10", `“blursday” is not a day of the week`, "every thursday at 10"},
		{tenMin, "every blursdays at 10", `“blursdays” is not a day of the week`, "every thursdays at 10"},
		{oneSec, "every xyzzy at 10", `“xyzzy”`, "every weekday at 10"},
		{oneSec, "at 10am on blursday", `“blursday” is not a day of the week`, "at 10am on thursday"},
		{oneSec, "in 5 parsecs", `“parsecs” is not a unit of time`, "in 5 minutes"},
		{oneSec, "in 5parsecs", `“parsecs” is not a unit of time`, "in 5 minutes"},
		{oneSec, "in 5 minutes 5 minutes", "Give the length once, like `5 minutes`", "in 5 minutes"},
		{oneSec, "every 30 minutes and 30 minutes between 9 and 17", "Give the length once", "every 30 minutes between 9 and 17"},
		{oneSec, "in 1 day 1 day 2 hours", "Give the length once", "in 1 day 2 hours"},
		{oneSec, "in 1 hour 30 parsecs", `“parsecs” is not a unit of time`, "in 1 hour 30 minutes"},
		{oneSec, "every 5 minuts", `“minuts” is not a unit of time`, "every 5 minutes"},
		{oneSec, "in 5", "Say the unit after 5", "in 5 minutes"},
		{oneSec, "every 500 milliseconds", "below a second are not supported", "every 5 seconds"},
		{oneSec, "every 500ms", "below a second are not supported", "every 5 seconds"},
		{tenMin, "every 500 milliseconds", "shortest repeat allowed is 10 minutes", "every 10 minutes"},
		{oneSec, "in 500 ms", "below a second are not supported", "in 5 seconds"},
		{oneSec, "in 0.5 seconds", "below a second are not supported", "in 5 seconds"}, // not "never fires"
		{oneSec, "every 0 seconds", "must be more than zero", "every 30 seconds"},
		{tenMin, "every 0 seconds", "must be more than zero", "every 10 minutes"},
		{tenMin, "every 0 hours on weekdays", "must be more than zero", "every 1 hour on weekdays"},
		{oneSec, "in 0 minutes", "must be more than zero", "in 20 minutes"},
		{oneSec, "in 0h", "must be more than zero", "in 1 hour"},
		{tenMin, "every 5 seconds", "shortest repeat allowed is 10 minutes", "every 10 minutes"},
		{oneSec, "every -5 minutes", "not a positive length", "every 5 minutes"},
		{oneSec, "in 100 years", "too far ahead", "in 5 years"},
		{tenMin, `cron "61 * * * *"`, "Minute 61 is out of range 0–59", `cron "59 * * * *"`},
		{tenMin, `cron "0 25 * * *"`, "Hour 25 is out of range 0–23", `cron "0 23 * * *"`},
		{tenMin, `cron "0 9 0 * *"`, "Day-of-month 0 is out of range 1–31", `cron "0 9 1 * *"`},
		{tenMin, `cron "0 9 * 13 *"`, "Month 13 is out of range 1–12", `cron "0 9 * 12 *"`},
		{tenMin, `cron "0 9 * * 8"`, "Day-of-week 8 is out of range 0–7", `cron "0 9 * * 7"`},
		{tenMin, `cron "0 9-25 * * *"`, "Hour 25 is out of range 0–23", `cron "0 9-23 * * *"`},
		{tenMin, `cron "0 17-9 * * *"`, `the range “17-9” runs backwards`, `cron "0 9-17 * * *"`},
		{tenMin, `cron "x 9 * * *"`, `“x” is not a number`, `cron "0 9 * * *"`},
		{tenMin, `cron "0 */0 * * *"`, "must be a whole number more than zero", `cron "0 */1 * * *"`},
		{tenMin, `cron "61 25 * * *"`, "Minute 61", `cron "59 23 * * *"`},
		{tenMin, `cron "CRON_TZ=Asia/Tokyo 61 9 * * *"`, "Minute 61", `cron "CRON_TZ=Asia/Tokyo 59 9 * * *"`},
		{tenMin, `cron "0 0 10 * * 1-5"`, "5 fields", `cron "0 10 * * 1-5"`},
		{tenMin, `cron "CRON_TZ=Mars/Olympus 0 9 * * *"`, "not a time zone", `cron "0 9 * * *"`},
		{tenMin, `cron "0 0 31 4 *"`, "never fires: April has no 31st", `cron "0 0 30 4 *"`},
		{tenMin, `cron "0 0 30 2 *"`, "never fires: February has no 30th", `cron "0 0 28 2 *"`},
		{tenMin, `cron "0 0 31 4,6 *"`, "never fires: none of its months has a 31st", `cron "0 0 30 4,6 *"`},
		{tenMin, "@dayly", "Unknown cron shortcut", `cron "@daily"`},
		{tenMin, "@daily 5", "takes nothing after it", `cron "@daily"`},
		// Words after the closing quote are not fields of the expression.
		{tenMin, `cron "0 10 * * *" for 2 weeks`, `“for 2 weeks” after the cron expression`, `cron "0 10 * * *"`},
		{tenMin, `cron "CRON_TZ=Asia/Tokyo 0 10 * * *" daily`, `“daily” after the cron expression`, `cron "CRON_TZ=Asia/Tokyo 0 10 * * *"`},
		{tenMin, `cron "61 10 * * *" for 2 weeks`, "Minute 61", `cron "59 10 * * *"`},
		{tenMin, "@every 500ms", "below a second", "every 10 minutes"},
		{oneSec, "at 24:00", `“24:00” is not a time of day`, "at midnight"},
		{oneSec, "at 25:99", "not a time of day", "at 23:59"},
		{oneSec, "at 13pm", "already afternoon", "at 13:00"},
		{oneSec, "at 9:5", "not a time of day", "at 9:05"},
		{oneSec, "at 0 pm", "not a time of day", "at 12:00pm"},
		{oneSec, "at non", "not a time of day", "at noon"},
		{oneSec, "every day at 25:00", "not a time of day", "every day at 23:00"},
		{oneSec, "at 7pm tomorrow tomorrow", "Say the day only once", "at 7pm tomorrow"},
		{oneSec, "at 9 tomorrow on friday", "Say the day only once", "at 9 tomorrow"},
		{oneSec, "at 10:30 am pm", "am or pm once", "at 10:30 am"},
		{oneSec, "at 10am on", `missing after “on”`, "at 10am"},
		{oneSec, "at", "Say a time of day", "at 10:30"},
		{tenMin, "every weekday at", "Say a time of day", "every weekday at 10:30"},
		{tenMin, "every at 10", "Say which days", "every day at 10"},
		{tenMin, "every", "Say how often", "every 45 minutes"},
		{oneSec, "in", "Say how long", "in 20 minutes"},
		{tenMin, "cron", "Give a cron expression", `cron "*/30 9-17 * * 1-5"`},
		{tenMin, `cron ""`, "Give a cron expression", `cron "*/30 9-17 * * 1-5"`},
		{oneSec, "evry day at 10", `“evry”`, "every day at 10"},
		{oneSec, "tomorow at 9", `“tomorow”`, "tomorrow at 9"},
		{oneSec, "20 minutes", `“20 minutes” needs in, every or for`, "in 20 minutes"},
		{oneSec, "in 5 minutes please", `“please”`, "in 5 minutes"},
		{tenMin, "every hour between 10pm and 6am", "24-hour form", "every hour between 22:00 and 06:00"},
		{tenMin, "every 2 hours between 9:00", `missing after “9:00”`, "every 2 hours between 9:00 and 17:00"},
		{oneSec, "", "Say when", "in 20 minutes"},
		{tenMin, "every hour during work hours", "Say the hours, like between 9 and 17", "every hour between 9 and 17"},
		{tenMin, "every 30 min during the day on weekdays", "Say the hours", "every 30 min between 9 and 17 on weekdays"},
		{oneSec, "later", "not a time I can set", "in 20 minutes"},
		{oneSec, "in a bit", "not a time I can set", "in 20 minutes"},
		{oneSec, "yesterday", "is in the past", "tomorrow"},
		{oneSec, "at 9 yesterday", "is in the past", "at 9 tomorrow"},
		{oneSec, "at 9 except friday", "Except goes with days of the week", "at 9"},
		{tenMin, "every day except mon, tue, wed, thu, fri, sat, sun", "That leaves no day", "every day"},
		{oneSec, "on 14.03.2027 at 9", "month as a word", "on 14 march 2027 at 9"},
		{oneSec, "on friday the 5th at 9", "5 December is a Saturday, not a Friday", "on the 5th at 9"},
		{oneSec, "tomorrow on the 5th", "Say the day only once", "tomorrow"},
		{tenMin, "starting monday every day at 9", "pause it until that day", "every day at 9"},
		{tenMin, "starting next monday every weekday at 9", "pause it until that day", "every weekday at 9"},
		{tenMin, "every day at 9 from monday", "pause it until that day", "every day at 9"},
		{tenMin, "every day at 9 starting december 15", "pause it until that day", "every day at 9"},
		{tenMin, "every 2nd and 4th tuesday", "one week of the month, like the 2nd tuesday", "on the 2nd tuesday of every month"},
		// Not "There is no -1th day of a month".
		{tenMin, "on the last weekday of every month", "one day of the week, like the last friday", "on the last friday of every month"},
		{tenMin, "on the 2nd weekday of every month", "like the 2nd friday", "on the 2nd friday of every month"},
		{tenMin, "on the last of every month", "the last day or the last friday", "on the last day of every month"},
		{tenMin, "at 10 on the 1st and 3rd monday of every month", "one week of the month", "at 10 on the 1st monday of every month"},
	}
	loc := mustZone(t, tableLoc)
	now := mustTime(t, tableNow)
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := tt.p.Parse(tt.in, loc, now)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.in, r.Spec())
			}
			e := checkError(t, tt.p, err, loc, now)
			if !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("message %q, want it to contain %q", e.Message, tt.wantMsg)
			}
			if e.Example != tt.wantExample {
				t.Errorf("example %q, want %q (message %q)", e.Example, tt.wantExample, e.Message)
			}
		})
	}
}

// A bare early hour that repeats, or a one-off's on a day it names, is read
// after noon, as at work it most often is, and the words say how to ask for
// the early morning. Said with no day, it is the next time the clock shows
// it, the early morning when the afternoon has passed, and says so; with am,
// or in 24-hour form, nothing is added.
func TestEarlyBareHourSaysHowToMeanAfternoon(t *testing.T) {
	p := Parser{MinInterval: time.Second}
	loc := mustZone(t, "UTC")
	now := mustTime(t, "2026-12-01T15:56:00Z")
	for _, tt := range []struct{ in, want string }{
		{"every day at 3", "every day at 15:00 (afternoon; say 3am for early morning)"},
		{"every weekday at 4:30", "every weekday at 16:30 (afternoon; say 4:30am for early morning)"},
		{"at 3", "once on Wed 2 Dec at 03:00 UTC (early morning; say 3pm for the afternoon)"},
		{"at 5", "once on Tue 1 Dec at 17:00 UTC"},
		{"every day at 3am", "every day at 03:00"},
		{"every day at 03:00", "every day at 03:00"},
		{"every day at 9", "every day at 09:00"},
		{"every day at 7", "every day at 07:00"},
		{"every day at 9 and 3", "every day at 09:00 and 15:00"},
		{"every morning at 5", "every day at 05:00"},
		{"on the 1st of every month at 2", "on the 1st of every month at 14:00 (afternoon; say 2am for early morning)"},
		{"at 2:30 on 2027-03-28", "once on Sun 28 Mar 2027 at 14:30 UTC (afternoon; say 2:30am for early morning)"},
		{"tomorrow at 5", "once on Wed 2 Dec at 17:00 UTC (afternoon; say 5am for early morning)"},
		{"on friday at 4", "once on Fri 4 Dec at 16:00 UTC (afternoon; say 4am for early morning)"},
		{"tomorrow at 5am", "once on Wed 2 Dec at 05:00 UTC"},
	} {
		r := mustParse(t, p, tt.in, loc, now)
		if got := describeAt(r, now); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Ways of writing days and times seen in chat: slashes between days, "@"
// for at, a clock without its colon, "after" for in.
func TestChatSpellings(t *testing.T) {
	p := Parser{MinInterval: time.Second}
	loc := mustZone(t, "UTC")
	now := mustTime(t, "2026-12-01T15:56:00Z")
	for _, tt := range []struct{ in, same string }{
		{"every mon/wed/fri at 11", "every mon, wed, fri at 11"},
		{"every day @ 10:30", "every day at 10:30"},
		{"every day @10:30", "every day at 10:30"},
		{"every day at 10h30", "every day at 10:30"},
		{"every day at 9h", "every day at 9:00"},
		{"at 0930 tomorrow", "at 9:30 tomorrow"},
		{"after 20 minutes", "in 20 minutes"},
		{"every quarter hour", "every 15 minutes"},
		{"at 9 o clock tomorrow", "at 9 tomorrow"},
		{"at 9 oclock tomorrow", "at 9 tomorrow"},
		{"at half nine tomorrow", "at 9:30 tomorrow"},
		{"every day at 9 except friday", "every mon, tue, wed, thu, sat, sun at 9"},
		{"every day except weekends", "every weekday"},
		{"daily at 10 but not on sundays", "every mon-sat at 10"},
		{"every hour between 9 and 17 except friday", "every hour between 9 and 17 on mon-thu, sat, sun"},
	} {
		a, b := mustParse(t, p, tt.in, loc, now), mustParse(t, p, tt.same, loc, now)
		if a.Spec() != b.Spec() {
			t.Errorf("%q is %q, want %q as for %q", tt.in, a.Spec(), b.Spec(), tt.same)
		}
	}
	for _, in := range []string{"at 2400", "at 10h75", "in 1h30x"} {
		if _, err := p.Parse(in, loc, now); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// The catch-all answer, to words none of which reads even respelt, is told
// by its code; an answer that mends the words, or is given once a form has
// been read, is EINVALID whatever its example.
func TestUnreadCode(t *testing.T) {
	p := Parser{MinInterval: time.Second}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	for text, want := range map[string]string{
		"banana":                   bot.EUNREAD,
		"banana split":             bot.EUNREAD,
		"purple monkey dishwasher": bot.EUNREAD,
		"tomorow at 9":             bot.EINVALID, // respelt: "tomorrow at 9"
		"an hour":                  bot.EINVALID, // "in an hour"
		"later":                    bot.EINVALID,
		"in 5":                     bot.EINVALID, // "in 5 minutes"
		"in":                       bot.EINVALID, // the example is "in 20 minutes", but "in" was read
		"at 25:00":                 bot.EINVALID,
		"every blursday":           bot.EINVALID,
	} {
		_, err := p.Parse(text, time.UTC, now)
		if got := bot.ErrorCode(err); got != want {
			t.Errorf("Parse(%q) code %q (%v), want %q", text, got, err, want)
		}
		checkError(t, p, err, time.UTC, now)
	}
}
