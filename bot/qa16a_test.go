package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Two reminders with the same time but different starts or ends do not do
// the same, so a new one is not called a copy of the other; the same rule
// with the same first run still is.
func TestSameReminderComparesStartAndEnd(t *testing.T) {
	start := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC) // Thursday
	for _, tt := range []struct {
		first, second string
		same          bool
	}{
		{"remind me every day at 9 from 1 january", "remind me every day at 9 starting monday", false},
		{"remind me every day at 9 starting monday", "remind me every day at 9", false},
		{"remind me every day at 9", "remind me every day at 9 from 1 january", false},
		{"remind me every day at 9 until 31 march", "remind me every day at 9 until 30 march", false},
		{"remind me every day at 9 from 1 january until 31 march", "remind me every day at 9 until 31 march", false},
		{"remind me every day at 9 starting monday", "remind me every day at 9 from 7 december", true},
		{"remind me every day at 9", "remind me daily at 9", true},
	} {
		k := testkit.New(t, testkit.WithStart(start))
		id := createdID(t, k.Send(tt.first))
		text := k.Send(tt.second).PlainText()
		if got := strings.Contains(text, "#"+id+" already does the same"); got != tt.same {
			t.Errorf("%q after %q: called the same = %v, want %v:\n%s", tt.second, tt.first, got, tt.same, text)
		}
	}
}

// At work a bare hour from 1 to 6 that repeats is after noon, for a team
// break and a reminder alike; the reply shows the time and how to say the
// early morning, which is then taken as said.
func TestBareEarlyHourRepeatingIsAfternoon(t *testing.T) {
	for _, tt := range []struct{ in, want, am string }{
		{"schedule every weekday at 2", "every weekday at 14:00 (afternoon; say 2am for early morning)", "schedule every weekday at 2am"},
		{"remind me every weekday at 2", "every weekday at 14:00 (afternoon; say 2am for early morning)", "remind me every weekday at 2am"},
		{"remind me every day at 3:30 to stretch", "every day at 15:30 (afternoon; say 3:30am for early morning)", "remind me every day at 3:30am to stretch"},
		{"schedule mondays at 4", "every Monday at 16:00 (afternoon; say 4am for early morning)", "schedule mondays at 4am"},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
		r = k.Send(tt.am)
		if text := r.PlainText(); r.Error || strings.Contains(text, "afternoon") || !strings.Contains(text, "at 0") {
			t.Errorf("%q, want it at the early hour, with no hint:\n%s", tt.am, text)
		}
	}
}

// "next friday" said on a Thursday is not tomorrow, which anyone would call
// tomorrow: it is the Friday a week later, and the reply names the date and
// how to say tomorrow. On other days it is the first such day after today.
func TestNextWeekdayIsNeverTomorrow(t *testing.T) {
	thursday := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in, want string
		day      time.Time
	}{
		{"remind me next friday", "once on Fri 11 Dec at 09:00", thursday},
		{"remind me next friday at 10", "once on Fri 11 Dec at 10:00", thursday},
		{"remind me next saturday", "once on Sat 5 Dec at 09:00", thursday},
		{"remind me next thursday", "once on Thu 10 Dec at 09:00", thursday},
		{"remind me next friday", "once on Fri 4 Dec at 09:00", thursday.AddDate(0, 0, -1)},
		{"remind me next monday", "once on Mon 14 Dec at 09:00", thursday.AddDate(0, 0, 3)},
	} {
		k := testkit.New(t, testkit.WithStart(tt.day))
		r := k.Send(tt.in)
		text := r.PlainText()
		if r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q on %s, want %q:\n%s", tt.in, tt.day.Weekday(), tt.want, text)
		}
		if tomorrow := tt.day.AddDate(0, 0, 1); strings.Contains(tt.in, strings.ToLower(tomorrow.Weekday().String())) {
			if !strings.Contains(text, "say tomorrow for "+tomorrow.Format("Mon 2 Jan")) {
				t.Errorf("%q on %s does not say how to mean tomorrow:\n%s", tt.in, tt.day.Weekday(), text)
			}
			if r := k.Send("remind me tomorrow"); r.Error || !strings.Contains(r.PlainText(), tomorrow.Format("Mon 2 Jan")) {
				t.Errorf("remind me tomorrow:\n%s", r.PlainText())
			}
		}
	}
}

// An interval said with a part of the day repeats within that part: "this
// afternoon" today only, "in the afternoon" every day. Said once the part
// has passed, it is refused with a command that works.
func TestIntervalWithAPartOfTheDay(t *testing.T) {
	thursday := time.Date(2026, 12, 3, 13, 10, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"remind me every hour this afternoon", []string{"every hour between 13:00 and 17:00 until Thu 3 Dec", "Next: Thu 3 Dec 14:00 UTC · Thu 3 Dec 15:00 UTC · Thu 3 Dec 16:00 UTC"}},
		{"remind me every 30 minutes this morning", nil},
		{"schedule every hour this afternoon", []string{"every hour between 13:00 and 17:00 until Thu 3 Dec"}},
		{"remind me every hour in the afternoon", []string{"every hour between 13:00 and 17:00.", "Next: Thu 3 Dec 14:00 UTC"}},
		{"remind me every 2 hours every afternoon to stand up", []string{"every 2 hours between 13:00 and 17:00.", "Note: stand up"}},
		{"remind me every hour this evening", []string{"between 18:00 and 21:00", "until Thu 3 Dec"}},
	} {
		k := testkit.New(t, testkit.WithStart(thursday))
		r := k.Send(tt.in)
		text := r.PlainText()
		if tt.want == nil {
			if !r.Error || !strings.Contains(first(text), "passed") {
				t.Errorf("%q, want a refusal saying it has passed:\n%s", tt.in, text)
				continue
			}
			if ex := tryLine(t, text); k.Send(ex).Error {
				t.Errorf("%q offers %q, which is refused", tt.in, ex)
			}
			continue
		}
		if r.Error {
			t.Errorf("%q refused:\n%s", tt.in, text)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%q, want %q in:\n%s", tt.in, w, text)
			}
		}
	}
	// The runs stop when the afternoon ends, and nothing comes tomorrow.
	k := testkit.New(t, testkit.WithStart(thursday))
	id := createdID(t, k.Send("remind me every hour this afternoon"))
	for range 30 {
		k.Advance(time.Hour)
	}
	if n := len(deliveriesOf(k, id)); n != 4 {
		t.Errorf("delivered %d times, want 4 (14:00 to 17:00)", n)
	}
}

// A range of months, or of dates joined by "to", runs from the first day
// to the last of the range's next occurrence; one under way runs from now.
func TestRangeOfMonths(t *testing.T) {
	thursday := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)
	for _, tt := range []struct{ in, want string }{
		{"remind me every day from jan to march", "until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every day from january through march", "until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every day from 1 jan to 31 march", "until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every day from 1 january until 31 march", "until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every weekday at 10 from january to march to stretch", "every weekday at 10:00 until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every day at 9 from jan to march 5 min", "every day at 09:00 until Wed 31 Mar 2027, starting Fri 1 Jan 2027"},
		{"remind me every day from march 5 to april", "until Fri 30 Apr 2027, starting Fri 5 Mar 2027"},
		{"schedule every day at 9 from december to february", "every day at 09:00 until Sun 28 Feb 2027."},
		{"remind me every day from 4 january", "every day at 09:00 (the default time, as none was given), starting Mon 4 Jan 2027"},
	} {
		k := testkit.New(t, testkit.WithStart(thursday))
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
}

// A message over the length limit says so and offers the start of what it
// said, as far as it reads, not always a break.
func TestTooLongOffersWhatWasSaid(t *testing.T) {
	long := strings.Repeat("and stretch my neck slowly ", 40)
	for _, tt := range []struct{ in, example string }{
		{"remind me every day at 9 to " + long, "remind me every day at 9"},
		{"schedule every weekday at 10:30 " + long, "schedule every weekday at 10:30"},
		{"break floor 10 min " + long, "break floor 10 min"},
		{"pause all for 2 hours " + long, "help pause"},
		{long, "help"},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		text := r.PlainText()
		if !r.Error || !strings.Contains(first(text), "too long") {
			t.Errorf("%.40q…, want a refusal saying it is too long:\n%s", tt.in, text)
			continue
		}
		if ex := tryLine(t, text); ex != tt.example {
			t.Errorf("%.40q… offers %q, want %q", tt.in, ex, tt.example)
		} else if r := k.Send(ex); r.Error {
			t.Errorf("%q is refused:\n%s", ex, r.PlainText())
		}
	}
}

// Breaks are chosen by place, not posture: lying down is a floor break;
// seated or standing is refused with the place that gives them.
func TestBreakByPosture(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"break lying down", "break laying down", "break lying on my back", "break lying"} {
		r := k.Send(in)
		if text := r.PlainText(); r.Error || !strings.Contains(first(text), "floor") {
			t.Errorf("%q, want a floor break:\n%s", in, text)
		}
	}
	for _, in := range []string{"break seated", "break sitting", "break standing", "break sitting down 5 min", "break standing up"} {
		r := k.Send(in)
		text := r.PlainText()
		if !r.Error || !strings.Contains(first(text), "place, not posture") {
			t.Errorf("%q, want a refusal naming place and posture:\n%s", in, text)
			continue
		}
		if ex := tryLine(t, text); k.Send(ex).Error {
			t.Errorf("%q offers %q, which is refused", in, ex)
		}
	}
	if r := k.Send("break at my desk"); r.Error || !strings.Contains(first(r.PlainText()), "desk") {
		t.Errorf("break at my desk:\n%s", r.PlainText())
	}
	if r := k.Send("break on the floor"); r.Error || !strings.Contains(first(r.PlainText()), "floor") {
		t.Errorf("break on the floor:\n%s", r.PlainText())
	}
	// "to stand up" is still what a reminder is for.
	if r := k.Send("remind me at 3pm to stand up"); r.Error || !strings.Contains(r.PlainText(), "Note: stand up") {
		t.Errorf("remind me at 3pm to stand up:\n%s", r.PlainText())
	}
}

// A polite opening before a command ("hey bot, could you …") is no part of
// it: the command is run as if said alone.
func TestPoliteOpeningBeforeACommand(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"hey bot, could you remind me in 20 minutes to stretch?", "Note: stretch"},
		{"could you remind me in 20 minutes", "Reminder #"},
		{"hey, break 5 min", "Your 5-minute"},
		{"hi stretchbot, list", "Reminders and schedules"},
		{"Can you please schedule every weekday at 10:30?", "Team break #"},
		{"ok so break floor", "floor"},
	} {
		k := testkit.New(t)
		k.Send("remind me every day at 9")
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
	// Words that are not an opening still get a suggestion.
	k := testkit.New(t)
	if r := k.Send("can you please give me a break"); !r.Error {
		t.Errorf("an unknown request was run:\n%s", r.PlainText())
	}
}

// "or so" after a time or a length is a rough time, which is the time.
func TestOrSoIsTheTime(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"remind me in an hour or so", "once on Mon 30 Nov at 10:00 UTC"},
		{"remind me at 3pm or so to stretch", "Note: stretch"},
		{"remind me in 20 minutes or thereabouts", "once on Mon 30 Nov at 09:20 UTC"},
		{"remind me every day at 9 or so", "every day at 09:00."},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
}

// "everything" is all a command can take, as "all" is.
func TestEverythingIsAll(t *testing.T) {
	k := testkit.New(t)
	createdID(t, k.Send("remind me every day at 10"))
	for _, tt := range []struct{ in, want string }{
		{"pause everything for 2 hours", "Paused #"},
		{"resume everything", "Resumed #"},
		{"pause everything", "Paused #"},
		{"resume everything!", "Resumed #"},
	} {
		if r := k.Send(tt.in); r.Error || !strings.Contains(r.PlainText(), tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, r.PlainText())
		}
	}
}

// "except for" is "except".
func TestExceptFor(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every day at 9 except for fridays")
	same := k.Send("remind me every day at 9 except fridays")
	if r.Error || same.Error || !strings.Contains(same.PlainText(), "#"+createdID(t, r)+" already does the same") {
		t.Errorf("read differently:\n%s\n%s", r.PlainText(), same.PlainText())
	}
}

// "this time tomorrow" and "same time next week" are a day or a week
// from now, at the same time.
func TestThisTimeTomorrow(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"remind me this time tomorrow", "once on Tue 1 Dec at 09:00 UTC"},
		{"remind me same time tomorrow to stretch", "Note: stretch"},
		{"remind me at the same time tomorrow", "once on Tue 1 Dec at 09:00 UTC"},
		{"remind me this time next week", "once on Mon 7 Dec at 09:00 UTC"},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
}

// A one-off's weekday said with its date is taken when they agree, and
// refused with the date's own weekday when they do not.
func TestWeekdayWithItsDate(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC)))
	for _, in := range []string{"remind me on Friday the 11th", "remind me friday the 11th at 10", "remind me on friday 11 december", "remind me friday, december 11th at 3pm"} {
		r := k.Send(in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, "once on Fri 11 Dec") {
			t.Errorf("%q, want Fri 11 Dec:\n%s", in, text)
		}
	}
	r := k.Send("remind me on friday the 12th")
	text := r.PlainText()
	if !r.Error || !strings.Contains(first(text), "Saturday") {
		t.Errorf("friday the 12th, want a refusal naming Saturday:\n%s", text)
	} else if ex := tryLine(t, text); k.Send(ex).Error {
		t.Errorf("offers %q, which is refused", ex)
	}
}

// "12 noon" and "12 midnight" are noon and midnight.
func TestTwelveNoon(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"remind me at 12 noon", "once on Mon 30 Nov at 12:00 UTC"},
		{"remind me tomorrow at 12 midnight", "once on Tue 1 Dec at 00:00 UTC"},
		{"remind me every day at 12 noon to eat", "every day at 12:00."},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
}

// "every hour on the half hour" runs at half past each hour; it is not a
// 30-minute break every hour.
func TestEveryHourOnTheHalfHour(t *testing.T) {
	k := testkit.New(t) // 09:00
	r := k.Send("remind me every hour on the half hour")
	if text := r.PlainText(); r.Error || strings.Contains(text, "30 min") || !strings.Contains(text, "Next: Mon 30 Nov 09:30 UTC · Mon 30 Nov 10:30 UTC") {
		t.Errorf("want runs at half past:\n%s", text)
	}
}

// A list of times that starts with a bare early hour is read after noon,
// as one such time is, each later bare hour below the one before it too.
func TestBareEarlyHoursInAList(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"remind me every weekday at 2 and 4", "every weekday at 14:00 and 16:00 (afternoon; say am for early morning)"},
		{"remind me every weekday at 9 and 2", "every weekday at 09:00 and 14:00."},
		{"remind me every weekday at 2am and 4am", "every weekday at 02:00 and 04:00."},
	} {
		k := testkit.New(t)
		r := k.Send(tt.in)
		if text := r.PlainText(); r.Error || !strings.Contains(text, tt.want) {
			t.Errorf("%q, want %q:\n%s", tt.in, tt.want, text)
		}
	}
}

// Words after a skip's id are refused with the skip alone, not read as
// part of the id.
func TestSkipWithWordsAfterTheID(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every weekday at 9"))
	for _, in := range []string{"skip #" + id + " tomorrow", "skip " + id + " on friday"} {
		r := k.Send(in)
		text := r.PlainText()
		if !r.Error || strings.Contains(text, "is not a reminder id") {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if ex := tryLine(t, text); ex != "skip #"+id {
			t.Errorf("%q offers %q", in, ex)
		}
	}
	if r := k.Send("skip #" + id); r.Error {
		t.Errorf("skip #%s:\n%s", id, r.PlainText())
	}
}

// A question about how to use a command is pointed at its help, not read
// as an exercise's name.
func TestHowDoIAsksForHelp(t *testing.T) {
	k := testkit.New(t)
	for in, ex := range map[string]string{
		"how do I schedule a break?":     "help schedule",
		"how can i set a reminder":       "help remind",
		"how do i pause my reminders":    "help pause",
		"show me how to change timezone": "help timezone",
	} {
		r := k.Send(in)
		if got := tryLine(t, r.PlainText()); got != ex {
			t.Errorf("%q offers %q, want %q:\n%s", in, got, ex, r.PlainText())
		} else if k.Send(ex).Error {
			t.Errorf("%q is refused", ex)
		}
	}
}
