package when

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/phrasings.golden")

// phrasings are the ways people ask for a time: every example of the README
// and the package documentation, and the phrasings of other reminder bots.
var phrasings = []string{
	// Nights past midnight, rough times, dates said in place of names.
	"every other friday night at 1", "friday night at 1", "at ~3pm", "at 3pm-ish", "on december 25", "at 17:00",

	// After a while.
	"in 20 minutes", "in 2h", "in 90 seconds", "in 1 hour 30 minutes", "in 1 hour and 30 minutes", "in 1h30m", "in 45 min",
	"in a minute", "in an hour", "in one hour", "in two hours", "in ten minutes", "in twenty five minutes", "in twenty-five minutes",
	"in sixty minutes", "in half an hour", "in half a minute", "in an hour and a half", "in one and a half hours",
	"in 2 and a half hours", "in a quarter of an hour", "in three quarters of an hour", "in 1.5 hours", "in 0.5 hours",
	"in 90 mins", "in 1h30", "in 1:30", "every 1:30", "in 1 hour 30", "in 2 hrs 15", "in 2 hours 5 times", "in a couple of hours", "in a couple hours", "in a couple of days", "in 2 days", "in a week",
	"in 3 weeks", "in a month", "in 2 months", "in a year", "in 5 years", "in 24 hours",

	// One day, one time.
	"at 15:30", "at 3pm", "at 3 pm", "at 3:15pm", "at 9", "at 9am", "at 12am", "at 12pm", "at noon", "at midnight",
	"at 9:15 tomorrow", "tomorrow at 9", "tomorrow 9am", "at 3pm tomorrow", "tomorrow",
	"today at 23:00", "at 10am on friday", "on friday", "friday", "on friday at 5pm", "friday at 5pm", "this friday",
	"next friday", "next monday", "next monday at 8:30", "monday at 9", "on sunday", "at 08:00 on 2027-01-04",
	"on 2027-01-04 at 8am", "on 2027-01-04", "on december 15", "december 15", "dec 15", "15 dec", "on 15 december",
	"on december 15th at 3pm", "on the 15th of december", "on december the 15th", "on march 14th, 2027 at 9",
	"14 mar 2027 at 10am", "on the 1st of december at 9", "on the 15th", "on the 31st", "on the last day of the month",
	"on the last friday", "on the 2nd tuesday of the month at 10", "in 3 days at 9", "in 2 weeks at 10am",

	// Parts of the day.
	"this morning", "this afternoon", "this evening", "tonight", "tonight at 11", "tonight at 12", "tonight at 1", "tonight at 9:30", "tomorrow morning",
	"tomorrow afternoon", "tomorrow evening", "tomorrow night", "friday evening", "friday evening at 7",
	"monday morning at 8", "in the morning", "in the afternoon", "in the evening", "at night", "this afternoon at 4",

	// Every interval, and windows.
	"every 45 minutes", "every hour", "hourly", "every 2 hours", "every two hours", "every 90 min", "every half hour",
	"every 1.5 hours", "every 45 minutes on weekdays", "every 4 hours on weekends", "every 12 hours on monday and thursday",
	"every 2 hours between 9:00 and 17:00 on weekdays", "every 2 hours between 9:00 and 17:00", "every 30 min from 9 to 5",
	"every 30 minutes between 9 and 5", "every 30 minutes between 9 and 5 on weekdays", "every hour 9-17",
	"every 30 minutes 9am-5:30pm", "every hour from 8:30 to 4:30", "every 20 minutes from 10am to 2", "every hour 9 to 5",
	"every hour between 22:00 and 06:00", "every 2 hours between 22:00 and 04:00 on fridays", "from 9 to 5", "between 9 and 5",
	"9-17", "9am-5:30pm", "from 9 to 5 on weekdays", "every weekday from 9 to 5", "every weekday every 30 minutes from 9 to 5",
	"@every 1h",

	// Days of the week.
	"every day at 10:30", "every day at 3pm", "at 3pm every day", "everyday at 3:23am", "every day", "daily", "daily at 9",
	"every weekday", "every weekday at 10:30 and 15:00", "at 9am every weekday", "weekdays at 10:30", "on weekdays at 9",
	"every weekend at 9", "weekends", "every thursday", "every monday at 9am", "mondays", "mondays at 9", "on mondays",
	"every mon,wed,fri at 11am", "every mon, wed and fri at 11am", "every mon-fri at 8", "every tuesday and thursday at 14:00",
	"weekly on tuesday", "weekly", "every week", "every week on monday at 10", "every morning", "every evening",
	"every night", "every weekday morning", "every day at 9, 12 and 3pm", "each day at 9", "every day at noon",
	"every weekday at 10:30 and at 15:00", "every day at 9, at 12 and at 3pm", "at midday", "every day at midday", "at 10 past 3", "at 20 past 9am", "every day at 5 after 4pm", "every day at 9 and 3", "every weekday at 10:30 and 4:30", "every day at 9, 12 and 3", "every day at 15:00 and 3", "on friday, at 3pm", "every weekday, at 10:30", "every 30 minutes until 6", "every hour until 5",

	// Cycles.
	"every 2 days at 9", "every other day", "every other day at 7pm", "every 3 days", "every 7 days at 8",
	"every other wednesday at 10", "every second wednesday", "every other week", "every other week on friday",
	"every 2 weeks on monday and thursday at 9", "every 3 weeks", "every 3 weeks on tuesday at 11", "fortnightly on monday",
	"biweekly on friday at 4pm", "every 2 months on the 1st", "every 3 months on the 1st", "every 3 months on the 15th at 9", "every other month on the last day",

	// Monthly and yearly.
	"every month on the 1st at 9", "every month on the first", "on the first of every month", "on the 1st of each month at 10",
	"the first of every month", "every 1st of the month", "every 15th", "monthly on the 15th", "monthly on the 15th at 2pm",
	"every month on the 1st and 15th", "on the last day of every month", "every month on the 31st", "every 29th",
	"on the last friday of every month at 16:00", "every last friday", "last friday of every month", "every first monday of the month",
	"first monday of every month at 10", "on the 2nd tuesday of every month", "every month on the first monday at 9:30",
	"every year on 1 march", "every year on march 1st at 9", "every march 1st", "on march 1 every year", "yearly on march 1",
	"annually on 1 january", "every year on 29 february", "every year on 25 december at 8am",

	// With an end.
	"every day at 9 for 3 weeks", "every day at 9 for the next 5 days", "every day for two weeks", "every friday for a month", "every hour for 3 hours",
	"every weekday until friday", "every day until friday", "every day at 9 until next friday", "every day until 2027-01-31",
	"every day at 9 until 2027-01-31", "every weekday at 10:30 and 15:00 until december 24", "every hour until 5pm",
	"hourly until 6pm", "every day until the 15th", "every day at 9 until friday at 5pm", "every day at 9 10 times",
	"every day 10 times", "every monday ten times", "every 2 hours 5 times", "on the first of every month 3 times",
	"every other wednesday at 10 for 2 months", "every 30 min from 9 to 5 until friday",
	"every 30 minutes until 5pm", "until 5pm every 30 minutes", "every day at 9 for 2 weeks",

	// Said the way people say it.
	"every monday to friday at 9", "monday through friday at 9", "every mon thru fri at 8:30", "every monday - friday",
	"from monday to friday at 9", "every monday–friday at 10", "tomorrow at 9.", "in 5 minutes!", "at 3pm?", "at 3pm 🙂", "every day at 10 💪🏽", "in 5 minutes 👍!",
	"every fortnight", "in a fortnight", "every fortnight on monday at 10", "for a fortnight every day",
	"the day after tomorrow", "day after tomorrow at 10", "the day after tomorrow at 3pm",
	"twice a day", "twice daily", "three times a day on weekdays", "every weekday twice a day", "twice a day at 9 and 5pm",
	"twice a week", "three times a week", "three times a week at 11", "once a week", "once a day", "4 times a day",
	"at 3.30pm", "at 15.30", "tomorrow at 9.45", "at nine", "at nine thirty", "at half past nine", "at quarter to five",
	"at a quarter past 3pm", "at ten past 9", "at nine pm", "at 9 o'clock", "every day at twenty to six",
	"tomorrow at half past two", "in 5 minutes,", "at 5", "at 3:30", "at 10", "at 930", "at 745pm", "at 7 30pm", "every day at 730 and 1230", "every morning and afternoon", "every weekday morning and evening", "every weekday morning and afternoon", "mornings and afternoons", "every weekday at lunch and 4pm",
	"every morning at 8", "at 4pm", "this morning at 4pm",
	"mornings", "evenings at 7", "every workday", "every business day at 10", "every working day at 9", "on work days at 9", "every week day at 9", "weeknights at 8", "at lunch",
	"every day at lunch", "lunchtime", "every other hour", "every few hours", "in a few minutes",
	"every weekday except friday", "every hour between 9 and 5 except lunch", "every hour except 12-13 on weekdays", "every day except at noon", "every hour but not between 12 and 13", "every day except weekends at 9", "every day at 9 except weekends", "every day except weekends", "every quarter hour", "weekdays but wednesday",
	"this weekend", "next weekend at 10", "on the weekend", "at 2:30 on 2027-03-14", "at 2:30 on 2027-03-28", "at 02:30 on 2027-03-14", "every weekday at 2", "tomorrow at 3", "every weekday at 2 and 4", "every hour in the afternoon", "every hour this afternoon", "at 2:30am on 2027-03-28",
	"every day until 30 april at 10", "every weekday until friday at 5pm", "every sunday at 2:30 until 2027-04-05", "every sunday at 2:30am until 2027-04-05", "quarterly on the 1st", "every quarter on the 15th at 10", "every tue/thu at 2pm",
	"every mon wed fri at 9", "every single day", "7 days a week", "7 days a week at 8", "in 2 days time", "in 2 days' time",
	"a week from today", "an hour from now", "2 hours from now", "first thing tomorrow", "every day at quarter past 9",
	"friday next week", "next week on friday at 3pm", "monday next week at 10",
	"twice a month", "once a month at 10", "three times a month", "twice a month on the 5th and 20th",
	"every hour on the hour", "every 2 hours on the hour", "every 30 minutes on the hour on weekdays", "tonite at 9", "tmrw at 10",

	// Cron.
	`cron "*/30 9-17 * * 1-5"`, `cron "CRON_TZ=Europe/Berlin 0 10 * * *"`, `cron "0 9 * * MON-FRI"`, "@daily", "@hourly",
	"@weekly", "@monthly", "@yearly",
}

// phraseZones are the zones the table runs in, with "now" at one instant:
// Friday 27 November 2026, 07:00 in New York, 13:00 in Berlin, 17:30 in
// Kolkata.
var (
	phraseZones = []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata"}
	phraseNow   = "2026-11-27T12:00:00Z"
)

// TestPhrasings parses every phrasing in three zones and compares the rule
// in words and its next three runs (or the refusal and its suggestion)
// with testdata/phrasings.golden; go test -run TestPhrasings -update
// rewrites it for review. Every rule must also survive Spec and Load.
func TestPhrasings(t *testing.T) {
	if len(phrasings) < 200 {
		t.Errorf("only %d phrasings", len(phrasings))
	}
	if d := duplicates(phrasings); d != nil {
		t.Errorf("duplicate phrasings %q", d)
	}
	now := mustTime(t, phraseNow)
	p := Parser{MinInterval: 10 * time.Minute}
	var b strings.Builder
	fmt.Fprintf(&b, "# now: %s; minimum interval 10 minutes, default time 09:00\n", phraseNow)
	for _, in := range phrasings {
		fmt.Fprintf(&b, "\n%s\n", in)
		for _, zone := range phraseZones {
			loc := mustZone(t, zone)
			r, err := p.Parse(in, loc, now)
			if err != nil {
				e := checkError(t, p, err, loc, now)
				fmt.Fprintf(&b, "  %-16s refused: %s  try: %s\n", zone, e.Message, e.Example)
				continue
			}
			var times []string
			for _, at := range NextN(r, now, 3) {
				times = append(times, dateWords(at, loc, now, true))
			}
			fmt.Fprintf(&b, "  %-16s %s\n  %16s   next: %s\n", zone, describeAt(r, now), "", strings.Join(times, " · "))
			back, err := p.Load(r.Spec(), loc)
			if err != nil {
				t.Errorf("%s: Load(%q): %v", zone, r.Spec(), err)
				continue
			}
			if a, b := NextN(r, now, 20), NextN(back, now, 20); !slices.EqualFunc(a, b, time.Time.Equal) {
				t.Errorf("%s: %q runs change after Spec and Load:\n %v\n %v", zone, in, a, b)
			}
		}
	}
	const golden = "testdata/phrasings.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestPhrasings -update)", err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			if i >= len(gl) || i >= len(wl) || gl[i] != wl[i] {
				t.Fatalf("phrasings differ from %s at line %d:\n got  %q\n want %q\n(review, then go test -run TestPhrasings -update)",
					golden, i+1, lineAt(gl, i), lineAt(wl, i))
			}
		}
	}
}

func lineAt(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return "<end>"
}

func duplicates(list []string) []string {
	seen := map[string]bool{}
	var d []string
	for _, s := range list {
		if seen[s] {
			d = append(d, s)
		}
		seen[s] = true
	}
	return d
}

// The table covers every example the README gives for <when>.
func TestPhrasingsCoverTheReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "`<when>` is read")
	end := strings.Index(text, "**Time zones and daylight saving.**")
	if start < 0 || end < start {
		t.Fatal("README has no <when> section")
	}
	examples := regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(text[start:end], -1)
	known := map[string]bool{"<when>": true, "STRETCHBOT_DEFAULT_TIME": true, "12/25": true, "list": true,
		"… 10 times": true, "until friday": true, "every hour from 22:00 to 06:00": true,
		"remind me every 30 minutes 5 min": true} // a command whose <when> is in the table
	n := 0
	for _, m := range examples {
		if ex := m[1]; !known[ex] && !slices.Contains(phrasings, ex) {
			t.Errorf("README example %q is not in the phrasing table", ex)
		} else {
			n++
		}
	}
	if n < 40 {
		t.Errorf("found only %d README examples", n)
	}
}

// refusals are inputs that cannot work, with the reason and the nearest
// command that does: the Bad input of the grammar.
var refusals = []struct{ in, msg, example string }{
	{"every day at 9 exept friday", `I don't understand “exept” here`, "every day at 9 except friday"},
	{"every 0 days", "must be more than zero", "every 1 day"},
	{"every 0 minutes", "must be more than zero", "every 20 minutes"},
	{"on the 32nd", "no 32nd day", "on the 31st"},
	{"every month on the 32nd", "no 32nd day", "every month on the 31st"},
	{"at 25:00", "not a time of day", "at 23:00"},
	{"at 1330pm", "13:30 is already afternoon: say 13:30 or 1:30pm", "at 13:30"},
	{"every day at 1745pm", "17:45 is already afternoon: say 17:45 or 5:45pm", "every day at 17:45"},
	{"every morning and afternoon at 10", "Say all the times together", "every day at 09:00 and 15:00 and 10"},
	{"at 9 tomorrow at 3pm", "Say all the times together", "at 9 tomorrow"},
	{"at 2400", "24:00 is midnight: say 00:00", "at 00:00"},
	{"this morning at 4pm", "“morning” and “4pm” name different times: say one", "at 4pm"},
	{"every morning at 4pm", "“morning” and “4pm” name different times: say one", "every day at 4pm"},
	{"every weekday at lunch 4pm", "“lunch” and “4pm” name different times: say one", "every weekday at 4pm"},
	{"every hour from 930 to 17:00", "not a time of day", "every hour from 9:30 to 17:00"},
	{"every hour from 745am to 5pm", "not a time of day", "every hour from 7:45am to 5pm"},
	{"every hour from 900 to 1700", "not a time of day", "every hour from 9:00 to 17:00"},
	{"every 1230", "a time of day goes after at", "every day at 12:30"},
	{"every 30 minutes between 0830 and 1630 on weekdays", "not a time of day", "every 30 minutes between 08:30 and 16:30 on weekdays"},
	{"every day at 25:00", "not a time of day", "every day at 23:00"},
	{"every day until yesterday", "Yesterday is in the past", "every day until tomorrow"},
	{"every day until 2019-01-01", "in the past", "every day"},
	{"tomorrow at 9 10 times", `“10 times” needs a repeating reminder`, "tomorrow at 9"},
	{"at 9 10 times", `“10 times” needs a repeating reminder`, "every day at 9 10 times"},
	{"in 1:30", "“1:30” is written as a clock", "in 90 minutes"},
	{"every 1:30", "“1:30” is written as a clock", "every 90 minutes"},
	{"in 20 minutes for 3 weeks", "needs a repeating reminder", "in 20 minutes"},
	{"every month", "which day of the month", "every month on the 27th"},
	{"every month at 9", "which day of the month", "every month on the 27th at 9"},
	{"every 2 months", "which day of the month", "every 2 months on the 27th"},
	{"every year", "which day of the year", "every year on 27 november"},
	{"every year on 2027-03-01", "Leave the year out", "every year on 1 march"},
	{"every year on 31 april", "April has 30 days", "every year on 30 april"},
	{"on 12/25", "write the month as a word", "on december 25"},
	{"on 25/12", "write the month as a word", "on 25 december"},
	{"on 12/25/2027 at 9", "write the month as a word", "on december 25 2027 at 9"},
	{"on 2027/01/31", "with dashes", "on 2027-01-31"},
	{"every hour between 10pm and 6am", "24-hour form", "every hour between 22:00 and 06:00"},
	{"every hour between 21:00 and 21:00", "end after it starts", "every hour"},
	{"every 2 hours at 9", "don't go together", "every 2 hours"},
	{"in 2 hours at 9", "not both", "at 9"},
	{"at 9 and 15:00", "set one for each time (09:00, then 15:00)", "at 09:00"},
	{"every day at 9 0 times", "at least once", "every day at 9 10 times"},
	{"every day 5000 times", "too many", "every day 1000 times"},
	{"every day for 3 weeks until friday", "only one end", "every day for 3 weeks"},
	{"every 5000 days", "longest cycle", "every 1000 days"},
	{"every 2 years", "longest repeat", "every year on 27 november"},
	{"every day tomorrow", "the day only once", "every day"},
	{"next week", "which day of next week", "next monday"},
	{"this morning", "already passed", "tomorrow morning"},
	{"20 minutes", "needs in, every or for", "in 20 minutes"},
	{"every weekday at 10:30 on friday", "the day only once", "every weekday at 10:30"},
	{"every 2 days on weekdays", "not both", "every 2 days at 9:00"},
	{"every 2 weeks on the 1st", "repeat monthly", "every 45 minutes"},
	{"every hour from 9", `missing after “9”`, "every hour from 9 to 17:00"},
	{"every hour between 9", `missing after “9”`, "every hour between 9 and 17:00"},
	{"every 30 minutes from 1 to 4 on 2027-03-28", "A date goes with a one-off or a yearly", "every 30 minutes from 1 to 4"},
	{"every 30 minutes between 9am and 5am", "24-hour form", "every 30 minutes between 09:00 and 05:00"},
	{"tomorow at 9", `“tomorow”`, "tomorrow at 9"},
	{"evry day at 10", `“evry”`, "every day at 10"},
	{"every blursday", `“blursday” is not a day of the week`, "every thursday"},
	{"remind me tomorrow", `“remind”`, "in 20 minutes"},
	{"10 times a day", "up to 4 times a day", "twice a day"},
	{"8 times a week", "up to 5 times a week", "every weekday"},
	{"twice a week on monday", "2 times a week needs 2 days", "twice a week"},
	{"twice a day at 9", "2 times a day needs 2 times", "twice a day"},
	{"twice a day three times a day", "how often only once", "twice a day"},
	{"at 3.3pm", "not a time of day", "at 3:30pm"},
	{"every weekday except mon-fri", "leaves no day", "every weekday"},
	{"every day starting tomorrow", "then pause it until that day", "every day"},
	{"in a bit", "is not a time I can set", "in 20 minutes"},
	{"every day on the hour", "goes with an interval", "every day"},
	{"9 times a month", "up to 4 times a month", "twice a month"},
	{"every day 3 times a", `I don't understand “a” here`, "every day 3 times"},
	{"every 2 hours from tomorrow", "then pause it until that day", "every 2 hours"},
}

// TestRefusals pins the reason and the suggestion for input that cannot
// work; checkError checks that every suggestion parses.
func TestRefusals(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := mustTime(t, tableNow)
	p := Parser{MinInterval: 10 * time.Minute}
	for _, tt := range refusals {
		t.Run(tt.in, func(t *testing.T) {
			r, err := p.Parse(tt.in, loc, now)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want a refusal", tt.in, r.Spec())
			}
			e := checkError(t, p, err, loc, now)
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q, want it to contain %q", e.Message, tt.msg)
			}
			if e.Example != tt.example {
				t.Errorf("example %q, want %q (message %q)", e.Example, tt.example, e.Message)
			}
		})
	}
}

// Every refusal of every phrasing mangled a little offers a suggestion
// that parses, in every zone of the table.
func TestEverySuggestionParses(t *testing.T) {
	now := mustTime(t, phraseNow)
	mangle := []func(string) string{
		func(s string) string { return s + " please" },
		func(s string) string { return strings.Replace(s, "9", "29", 1) },
		func(s string) string { return strings.Replace(s, "every", "evry", 1) },
		func(s string) string { return strings.Replace(s, "day", "dya", 1) },
		func(s string) string { return strings.Replace(s, " ", " on ", 1) },
		func(s string) string { return strings.Replace(s, "at", "at 0", 1) },
		func(s string) string { return s + " 0 times" },
		func(s string) string { return s + " until yesterday" },
		func(s string) string { return strings.TrimSuffix(s, s[strings.LastIndexByte(s, ' ')+1:]) },
	}
	for _, p := range []Parser{{MinInterval: 10 * time.Minute}, {MinInterval: 3 * time.Hour}, {}} {
		for _, zone := range phraseZones {
			loc := mustZone(t, zone)
			inputs := append(slices.Clone(phrasings), func() []string {
				var out []string
				for _, r := range refusals {
					out = append(out, r.in)
				}
				return out
			}()...)
			for _, in := range inputs {
				for _, m := range mangle {
					if _, err := p.Parse(m(in), loc, now); err != nil {
						checkError(t, p, err, loc, now)
					}
				}
			}
		}
	}
}
