package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Pause, skip and resume mean what they say, whatever order they come in.
// Two reminders run every 10 seconds from the start (runs at :10, :20,
// :30…); each case starts 5 seconds in. In commands, A and B stand for
// their ids; in wanted text, @20 for the run at :20 as the bot writes it
// at that moment.
func TestPauseSkipResume(t *testing.T) {
	type step struct {
		send    string // a command, or "" to advance the clock
		want    string // in the reply (or in list, after an advance)
		advance time.Duration
		// deliveries of A and of B so far, checked after an advance
		a, b int
	}
	for _, tt := range []struct {
		name  string
		steps []step
	}{
		{"skip, pause until the run skipped to, resume early: the skipped run stays skipped", []step{
			{send: "skip #A", want: "Next: @20"},
			{send: "pause #A for 15 seconds", want: "until @20"},
			{send: "resume #A", want: "Next: @20"},
			{advance: 5 * time.Second, a: 0, b: 1},
			{advance: 10 * time.Second, a: 1, b: 2},
		}},
		{"pause for a while, resume early: the run held back comes back", []step{
			{send: "pause #A for 15 seconds", want: "until @20"},
			{send: "resume #A", want: "Next: @10"},
			{advance: 5 * time.Second, a: 1, b: 1},
		}},
		{"a run at the exact end of a pause fires", []step{
			{send: "pause #A for 15 seconds", want: "until @20"},
			{advance: 5 * time.Second, a: 0, b: 1},
			{advance: 10 * time.Second, a: 1, b: 2},
		}},
		{"pause all, then resume all early", []step{
			{send: "pause all for 15 seconds", want: "until @20"},
			{advance: 5 * time.Second, a: 0, b: 0},
			{send: "resume all", want: "Next: @20"},
			{advance: 10 * time.Second, a: 1, b: 1},
		}},
		{"pause all for a while: both skip the runs inside it", []step{
			{send: "pause all for 15 seconds", want: "until @20"},
			{advance: 5 * time.Second, a: 0, b: 0},
			{advance: 10 * time.Second, a: 1, b: 1},
		}},
		{"list during a timed pause shows its end and the first run after it", []step{
			{send: "pause #A for 20 seconds", want: "until @25"},
			{send: "list", want: "paused until @25 · next @30"},
			{advance: 5 * time.Second, a: 0, b: 1},
			{send: "list", want: "paused until @25 · next @30"},
		}},
		{"skip during a timed pause skips the first run after it", []step{
			{send: "pause #A for 15 seconds", want: "until @20"},
			{send: "skip #A", want: "Skipped #A on @20. Next: @30"},
			{advance: 5 * time.Second, a: 0, b: 1},
			{advance: 10 * time.Second, a: 0, b: 2},
			{advance: 10 * time.Second, a: 1, b: 3},
		}},
		{"pause until resumed, then resume early: the next run is kept", []step{
			{send: "pause #A", want: "until you `resume`"},
			{send: "resume #A", want: "Next: @10"},
			{advance: 5 * time.Second, a: 1, b: 1},
		}},
		{"resumed after the end of a run while paused: that run does not come late", []step{
			{send: "pause #A", want: "until you `resume`"},
			{advance: 10 * time.Second, a: 0, b: 1},
			{send: "resume #A", want: "Next: @20"},
			{advance: 5 * time.Second, a: 1, b: 2},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := testkit.New(t)
			a := createdID(t, k.Send("remind me every 10 seconds"))
			b := createdID(t, k.Send("remind me every 10 seconds to drink"))
			k.Advance(5 * time.Second)
			at := func(s string) string {
				// @NN: the run NN seconds after the start, as written now.
				var out strings.Builder
				for {
					i := strings.IndexByte(s, '@')
					if i < 0 || i+3 > len(s) {
						return out.String() + s
					}
					n := int(s[i+1]-'0')*10 + int(s[i+2]-'0')
					out.WriteString(s[:i])
					out.WriteString(bot.FormatTime(bottest.Start.Add(time.Duration(n)*time.Second), k.Clock.Now(), time.UTC))
					s = s[i+3:]
				}
			}
			ids := strings.NewReplacer("#A", "#"+a, "#B", "#"+b)
			for i, st := range tt.steps {
				if st.send == "" {
					k.Advance(st.advance)
					if na, nb := len(deliveriesOf(k, a)), len(deliveriesOf(k, b)); na != st.a || nb != st.b {
						t.Fatalf("step %d, at +%s: delivered A %d and B %d times, want %d and %d",
							i, k.Clock.Now().Sub(bottest.Start), na, nb, st.a, st.b)
					}
					continue
				}
				r := k.Send(ids.Replace(st.send))
				if r.Error {
					t.Fatalf("step %d: %s: %s", i, st.send, r.PlainText())
				}
				if want := ids.Replace(at(st.want)); !strings.Contains(r.PlainText(), want) {
					t.Fatalf("step %d: %s: reply lacks %q:\n%s", i, st.send, want, r.PlainText())
				}
			}
		})
	}
}

// A timed pause that covers a one-off's only run means it never comes: the
// reply names it, and names nothing whose runs go on after the pause.
func TestPauseOverAOneOffSaysItWillNotCome(t *testing.T) {
	k := testkit.New(t) // Mon 30 Nov 2026 09:00 UTC
	once := createdID(t, k.Send("remind me at 15:00 to stand"))
	later := createdID(t, k.Send("remind me on friday to stand"))
	daily := createdID(t, k.Send("remind me every day at 10:00"))
	r := k.Send("pause all until wednesday")
	bottest.MustContain(t, r, "#"+once+" is due only before then, so it will not come unless you `resume` it before its time")
	for _, id := range []string{later, daily} {
		if strings.Contains(strings.SplitN(r.PlainText(), "\n", 2)[1], id) {
			t.Errorf("#%s named as not coming:\n%s", id, r.PlainText())
		}
	}
	k.Clock.Set(time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC))
	k.Tick()
	wantDeliveries(t, k, once, 0)
	// An open pause says nothing of the kind: resuming brings runs back.
	k.Send("resume all")
	if strings.Contains(k.Send("pause all").PlainText(), "will not come") {
		t.Error("an open pause warns about runs it may not hold back")
	}
}

// A pause until a time that cannot be used offers a command that reads
// well and works as given.
func TestPauseUntilOffersAnExampleThatWorks(t *testing.T) {
	for _, tt := range []struct{ when, example string }{
		{"today", "until 09:00 tomorrow"},      // not "until at 09:00 tomorrow"
		{"banana", "until tomorrow 9am"},       // not "until in 20 minutes"
		{"2026-11-01", "until 09:00 tomorrow"}, // in the past
	} {
		k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)))
		id := createdID(t, k.Send("remind me every day at 11:00"))
		r := k.Send("pause #" + id + " until " + tt.when)
		ex := tryLine(t, r.PlainText())
		if !r.Error || ex != "pause #"+id+" "+tt.example {
			t.Errorf("until %s: example %q, want %q:\n%s", tt.when, ex, "pause #"+id+" "+tt.example, r.PlainText())
			continue
		}
		bottest.MustContain(t, k.Send(ex), "paused #"+id+" until tue 1 dec")
	}
}

// Skip passes over the next run that would reach people, not one that
// would be passed over anyway: outside working hours, or on a holiday.
func TestSkipPassesOverTheNextRunThatWouldComeOut(t *testing.T) {
	t.Run("working hours", func(t *testing.T) {
		k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC))) // Mon 18:00
		id := createdID(t, k.Send("remind me every hour"))
		k.Send("hours 9-17")
		bottest.MustContain(t, k.Send("skip #"+id), "skipped #"+id+" on tue 1 dec 09:00", "next: tue 1 dec 10:00")
		bottest.MustContain(t, k.Send("list"), "next tue 1 dec 10:00")
		k.Clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
		k.Tick()
		wantDeliveries(t, k, id, 0)
		k.Advance(time.Hour)
		wantDeliveries(t, k, id, 1)
	})
	t.Run("holidays", func(t *testing.T) {
		k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 24, 12, 0, 0, 0, time.UTC))) // Thu
		id := createdID(t, k.SendAs("U1", "C1", "schedule every day at 10:00"))
		k.SendAs("U1", "C1", "holidays DE")
		// 25 and 26 December are holidays: the break skipped is the 27th's.
		bottest.MustContain(t, k.SendAs("U1", "C1", "skip #"+id), "on sun 27 dec 10:00", "next: mon 28 dec 10:00")
		k.Advance(22 * time.Hour) // 25th, 10:00
		for i := 0; i < 3; i++ {
			k.Advance(24 * time.Hour)
		}
		wantDeliveries(t, k, id, 1) // the 28th only
	})
}

// Resume names the next run that will come out, as list does.
func TestResumeNamesTheNextRunThatWillComeOut(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC))) // Mon 18:00
	id := createdID(t, k.Send("remind me every hour"))
	k.Send("hours 9-17")
	k.Send("pause #" + id)
	bottest.MustContain(t, k.Send("resume #"+id), "resumed #"+id+". next: tue 1 dec 09:00")
	bottest.MustContain(t, k.Send("list"), "next tue 1 dec 09:00")
}

// Skip says what it gives up: during a timed pause, the runs the pause
// holds back; at the end of a bounded repeat, that it was the last run.
func TestSkipSaysWhatItGivesUp(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)))
	id := createdID(t, k.Send("remind me every day at 10:00"))
	k.Send("pause #" + id + " for 3 days")
	bottest.MustContain(t, k.Send("skip #"+id), "skipped #"+id+" on fri 4 dec 10:00", "resuming early no longer brings back the runs it holds back")
	bottest.MustContain(t, k.Send("resume #"+id), "next: sat 5 dec 10:00")
	if strings.Contains(k.Send("skip #"+id).PlainText(), "pause") {
		t.Error("a skip without a pause speaks of one")
	}
	b := createdID(t, k.Send("remind me every day at 10:00 for 2 days"))
	k.Send("skip #" + b)
	bottest.MustContain(t, k.Send("skip #"+b), "that was its last run, so it is removed")
	o := createdID(t, k.Send("remind me tomorrow at 10"))
	bottest.MustContain(t, k.Send("skip #"+o), "that was its only run, so it is removed")
}
