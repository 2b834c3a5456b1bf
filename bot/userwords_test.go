package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// runTimes advances the clock by step until end and returns, in UTC and
// in the form "Mon 15:00", each step at which id was delivered once more.
func runTimes(t *testing.T, k *testkit.Kit, id string, step, span time.Duration) []string {
	t.Helper()
	var out []string
	seen := len(deliveriesOf(k, id))
	for end := k.Clock.Now().Add(span); k.Clock.Now().Before(end); {
		k.Advance(step)
		n := len(deliveriesOf(k, id))
		for ; seen < n; seen++ {
			out = append(out, k.Clock.Now().UTC().Format("Mon 15:04"))
		}
	}
	return out
}

// "and at" between two times of day is one list of times, not a one-off
// at the second time with the first taken for a note.
func TestTimesJoinedWithAndAt(t *testing.T) {
	k := testkit.New(t)
	got := k.Send("remind me every weekday at 10:30 and at 15:00")
	bottest.MustContain(t, got, "every weekday at 10:30 and 15:00")
	if text := got.PlainText(); strings.Contains(text, "Note:") {
		t.Fatalf("part of the time taken for a note:\n%s", text)
	}
	id := createdID(t, got)
	// Mon 30 Nov 09:00 to Mon 7 Dec 09:00: five weekdays, two runs each.
	want := []string{"Mon 10:30", "Mon 15:00", "Tue 10:30", "Tue 15:00", "Wed 10:30", "Wed 15:00",
		"Thu 10:30", "Thu 15:00", "Fri 10:30", "Fri 15:00"}
	if runs := runTimes(t, k, id, 30*time.Minute, 7*24*time.Hour); strings.Join(runs, ",") != strings.Join(want, ",") {
		t.Errorf("runs %v, want %v", runs, want)
	}
}

// Words of a time that could not be read are not kept as a note while a
// later part of them is taken for the whole time.
func TestTimeNotCutIntoNote(t *testing.T) {
	k := testkit.New(t)
	got := k.Send("remind me every weekday at 10:30, then at 15:00")
	if !got.Error {
		t.Fatalf("accepted, with part of the time for a note:\n%s", got.PlainText())
	}
	ex := tryLine(t, got.PlainText())
	if r := k.Send(ex); r.Error {
		t.Errorf("example %q refused:\n%s", ex, r.PlainText())
	}
}

// "midday" is noon.
func TestMidday(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("remind me at midday"), "once on Mon 30 Nov at 12:00 UTC")
	bottest.MustContain(t, k.Send("remind me every day at midday to walk"), "every day at 12:00", "Note: walk")
	bottest.MustContain(t, k.Send("away until friday midday"), "passed over until Fri 4 Dec 12:00 UTC")
}

// Each caller of the time parser offers an example of its own only for the
// parser's catch-all answer, which it tells by its code; a time the parser
// mended keeps the mend.
func TestCatchAllTimeAnswers(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9"))
	for in, example := range map[string]string{
		"schedule banana":                    "schedule every weekday at 15:00",
		"schedule tomorow at 9":              "schedule tomorrow at 9",
		"pause #" + id + " until banana":     "pause #" + id + " until tomorrow 9am",
		"pause #" + id + " until tomorow 9":  "pause #" + id + " until tomorrow 9",
		"pause #" + id + " until an hour":    "pause #" + id + " for an hour",
		"pause #" + id + " until 2 hours":    "pause #" + id + " for 2 hours",
		"pause #" + id + " until in 5":       "pause #" + id + " for 5 minutes",
		"remind me purple monkey dishwasher": "remind me in 20 minutes",
	} {
		got := k.Send(in)
		if !got.Error {
			t.Errorf("%q accepted:\n%s", in, got.PlainText())
			continue
		}
		if ex := tryLine(t, got.PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q", in, ex, example)
		}
		if r := k.Send(example); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, example, r.PlainText())
		}
		k.Send("resume all")
	}
}

// A zone named with the time is not read as part of it: times are read in
// the caller's zone, and the refusal says how to set it, or that it is
// already theirs.
func TestZoneNamedWithTime(t *testing.T) {
	k := testkit.New(t)
	for in, example := range map[string]string{
		"remind me every weekday at 10:30 CET":            "timezone CET",
		"remind me at 10:30 cet to stretch":               "timezone cet",
		"remind me at 9 Europe/Berlin":                    "timezone Europe/Berlin",
		"remind me every day at 2:30 America/New_York":    "timezone America/New_York",
		"remind me at 9am PST":                            "timezone PST",
		"remind me at 9 in UTC+2":                         "timezone UTC+2",
		"remind me at 9 Berlin time":                      "timezone Berlin time",
		"schedule every weekday at 15:00 CET":             "timezone CET",
		"schedule every weekday at 15:00 CET in #general": "timezone CET",
		"remind me at 9 UTC":                              "remind me at 9",
	} {
		got := k.Send(in)
		if !got.Error {
			t.Errorf("%q accepted:\n%s", in, got.PlainText())
			continue
		}
		if ex := tryLine(t, got.PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q\n%s", in, ex, example, got.PlainText())
		}
	}
	// Lower-case words that are also abbreviations stay words.
	got := k.Send("remind me at 3pm eat")
	if strings.Contains(got.PlainText(), "timezone") {
		t.Errorf("\"eat\" read as a zone:\n%s", got.PlainText())
	}
	// Once set, the time reads in that zone.
	k.Send("timezone CET")
	bottest.MustContain(t, k.Send("remind me every weekday at 10:30"), "every weekday at 10:30", "CET")
}

// "all" ending a sentence is still all.
func TestAllWithPunctuation(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 9"))
	bottest.MustContain(t, k.Send("Pause ALL."), "Paused #"+id)
	bottest.MustContain(t, k.Send("resume all!"), "Resumed #"+id)
	bottest.MustContain(t, k.Send("pause all, for 2 hours"), "Paused #"+id, "until Mon 30 Nov 11:00")
	bottest.MustContain(t, k.Send("resume all."), "Resumed #"+id)
}

// Noon, midday and midnight end or start a range of hours.
func TestSpansWithNoon(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("quiet noon-1pm"), "Quiet: 12:00-13:00")
	bottest.MustContain(t, k.Send("quiet midday to 1pm"), "Quiet: 12:00-13:00")
	bottest.MustContain(t, k.Send("hours 8-noon and 1pm-5pm"), "08:00-12:00 and 13:00-17:00")
	bottest.MustContain(t, k.Send("hours 18:00-midnight"), "18:00-24:00 on weekdays")
	bottest.MustContain(t, k.Send("hours 0-24"), "Working hours set: all day on weekdays")
	bottest.MustContain(t, k.Send("quiet 0:00-24:00"), "Quiet: all day, every day")
}

// Saying a break is done in a sentence counts it, as `done` does.
func TestDoneInASentence(t *testing.T) {
	for _, in := range []string{"I'm done", "i am done!", "I’m finished.", "all done", "just did it", "I did it!"} {
		k := testkit.New(t)
		bottest.MustContain(t, k.Send(in), "That's 1 break done")
	}
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("statistics"), "Stretch stats")
}

// A repeating reminder may start on a later day: its first run is the
// first on or after that day, also after a restart, and runs go on from
// there as usual.
func TestRemindStartingLater(t *testing.T) {
	k := testkit.New(t) // Mon 30 Nov 2026 09:00 UTC
	got := k.Send("remind me every weekday at 10:30 starting thursday")
	bottest.MustContain(t, got, "every weekday at 10:30, starting Thu 3 Dec", "Next: Thu 3 Dec 10:30 UTC · Fri 4 Dec 10:30 UTC · Mon 7 Dec 10:30 UTC")
	id := createdID(t, got)
	bottest.MustContain(t, k.Send("list"), "#"+id, "next Thu 3 Dec 10:30 UTC")

	// Down over the start's eve; the next process keeps the start.
	k.Advance(24 * time.Hour)
	k2 := testkit.New(t, testkit.WithStore(k.DB), testkit.WithStart(k.Clock.Now()))
	want := []string{"Thu 10:30", "Fri 10:30", "Mon 10:30"}
	if runs := runTimes(t, k2, id, 30*time.Minute, 6*24*time.Hour+2*time.Hour); strings.Join(runs, ",") != strings.Join(want, ",") {
		t.Errorf("runs %v, want %v", runs, want)
	}

	k3 := testkit.New(t) // Mon 30 Nov 2026 09:00 UTC
	for in, want := range map[string]string{
		"remind me every day at 9 starting tomorrow to stretch": "every day at 09:00, starting Tue 1 Dec",
		"remind me every monday beginning 2027-01-04":           "starting Mon 4 Jan 2027",
		"schedule every weekday at 15:00 starting monday":       "starting Mon 7 Dec",
		"remind me every day at 9 from next monday":             "starting Mon 7 Dec",
		"remind me starting monday every day at 9":              "starting Mon 7 Dec",
		"remind me every day from 9 to 5":                       "every hour between 09:00 and 17:00",
		"remind me every hour from monday to friday":            "every hour on weekdays",
	} {
		r := k3.Send(in)
		if r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want)
	}
	for in, example := range map[string]string{
		"remind me at 3pm starting friday":                     "remind me at 3pm on friday",
		"remind me every day at 9 for 2 weeks starting monday": "remind me every day at 9 for 2 weeks",
		"remind me every day at 9 starting yesterday":          "remind me every day at 9",
	} {
		r := k3.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		if ex := tryLine(t, r.PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q\n%s", in, ex, example, r.PlainText())
		}
	}
}

// Time away starts when it is said. A later day or period ("on friday",
// "next week") was read as the day of return, passing reminders over
// until then and not on it: it is refused; a range starting today is
// away through its last day.
func TestAwayOnALaterDay(t *testing.T) {
	for in, want := range map[string]string{
		"away from monday to friday": "passed over until Sat 5 Dec 00:00 UTC", // said on Monday
		"away from today until wed":  "passed over until Thu 3 Dec 00:00 UTC",
		"away until friday":          "passed over until Fri 4 Dec 00:00 UTC",
		"away friday":                "passed over until Fri 4 Dec 00:00 UTC",
		"away 2027-01-04":            "passed over until Mon 4 Jan 2027 00:00 UTC",
		"away 2 weeks":               "passed over until Mon 14 Dec",
	} {
		k := testkit.New(t) // Mon 30 Nov 2026 09:00 UTC
		got := k.Send(in)
		if got.Error {
			t.Errorf("%q refused:\n%s", in, got.PlainText())
			continue
		}
		bottest.MustContain(t, got, want)
	}
	for _, in := range []string{"away next week", "away on friday", "away tomorrow", "away this weekend", "away next monday",
		"away from friday", "away from wednesday to friday", "away next weekend", "away from dec 20 to jan 4"} {
		k := testkit.New(t)
		got := k.Send(in)
		if !got.Error {
			t.Errorf("%q accepted:\n%s", in, got.PlainText())
			continue
		}
		bottest.MustContain(t, got, "Time away starts")
		ex := tryLine(t, got.PlainText())
		if r := k.Send(ex); r.Error {
			t.Errorf("%q offers %q, refused:\n%s", in, ex, r.PlainText())
		}
	}
}

// A short word is not taken for a misspelling of a short alias it shares
// only two letters with ("foo" is not "ooo", which is away).
func TestShortWordsNotMisread(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"help foo", "foo", "help bar"} {
		got := k.Send(in)
		if ex := tryLine(t, got.PlainText()); ex != "help" {
			t.Errorf("%q: example %q, want help\n%s", in, ex, got.PlainText())
		}
	}
	for in, example := range map[string]string{"hlep": "help", "lst": "list"} {
		if ex := tryLine(t, k.Send(in).PlainText()); ex != example {
			t.Errorf("%q: example %q, want %q", in, ex, example)
		}
	}
}

// "every day at 9 and 3" is 09:00 and 15:00, not 03:00 and 09:00.
func TestTimesListReadInOrder(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("remind me every day at 9 and 3"), "every day at 09:00 and 15:00")
}

// "until 6" said in the morning ends at 18:00, as "at 6" would be read.
func TestUntilBareHour(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("remind me every 30 min until 6"), "every 30 minutes until Mon 30 Nov at 18:00 UTC")
}
