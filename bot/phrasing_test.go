package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A repeat with an end shows what is left in list, stops by itself and
// says so in its last delivery.
func TestBoundedRepeatEndsAndSaysSo(t *testing.T) {
	k := testkit.New(t)
	created := k.Send("remind me every 2 seconds 3 times to drink water")
	bottest.MustContain(t, created, "3 times, the last on")
	id := createdID(t, created)
	bottest.MustContain(t, k.Send("list"), "#"+id, "3 runs left, the last Mon 30 Nov 09:00:06 UTC")
	for range 3 {
		k.Advance(2 * time.Second)
	}
	got := deliveriesOf(k, id)
	if len(got) != 3 {
		t.Fatalf("%d deliveries, want 3", len(got))
	}
	for i, o := range got {
		last := strings.Contains(o.Reply.PlainText(), "This is the last one: #"+id)
		if last != (i == 2) {
			t.Errorf("delivery %d says it is the last: %v\n%s", i+1, last, o.Reply.PlainText())
		}
	}
	bottest.MustContain(t, got[2].Reply, "has ended", "drink water")
	for range 5 {
		k.Advance(2 * time.Second)
	}
	if n := len(deliveriesOf(k, id)); n != 3 {
		t.Errorf("%d deliveries after the end, want 3", n)
	}
	if strings.Contains(k.Send("list").PlainText(), "runs left") {
		t.Error("list still shows runs left after the end")
	}
}

// The note may come before or after the time, and a "to" inside the time
// stays with it.
func TestRemindNoteOrder(t *testing.T) {
	k := testkit.New(t)
	for _, tt := range []struct{ in, rule, note string }{
		{"remind me to stretch at 3pm tomorrow", "once on Tue 1 Dec at 15:00 UTC", "stretch"},
		{"remind me tomorrow at 9 to stretch", "once on Tue 1 Dec at 09:00 UTC", "stretch"},
		{"remind me every 30 min from 9 to 5 to walk around", "every 30 minutes between 09:00 and 17:00", "walk around"},
		{"remind me every 30 min from 9 to 5", "every 30 minutes between 09:00 and 17:00", ""},
		{"remind me in 20 minutes to go to the gym", "once on Mon 30 Nov at 09:20 UTC", "go to the gym"},
		{"remind me tomorrow", "once on Tue 1 Dec at 09:00 UTC (the default time, as none was given)", ""},
		{"remind me to stand up every weekday at 10", "every weekday at 10:00", "stand up"},
		{"remind me in 20 minutes: stand up", "once on Mon 30 Nov at 09:20 UTC", "stand up"},
		{"remind me in 20 minutes - stand up", "once on Mon 30 Nov at 09:20 UTC", "stand up"},
		{"remind me about lunch in 20 minutes", "once on Mon 30 Nov at 09:20 UTC", "lunch"},
		{"remind me tomorrow about the standup", "once on Tue 1 Dec at 09:00 UTC (the default time, as none was given)", "the standup"},
		{"remind me that the gym opens at 5 tomorrow at 9", "once on Tue 1 Dec at 09:00 UTC", "the gym opens at 5"},
		{"remind me every 30 min from 9 to 5 - walk", "every 30 minutes between 09:00 and 17:00", "walk"},
		{"remind me every 30 min to stretch from 9 to 5", "every 30 minutes between 09:00 and 17:00", "stretch"},
		{"remind me every day to eat lunch at noon", "every day at 12:00", "eat lunch"},
		{"remind me tomorrow to read chapter 5", "once on Tue 1 Dec at 09:00 UTC (the default time, as none was given)", "read chapter 5"},
		{"remind me in 20 minutes to check on the build", "once on Mon 30 Nov at 09:20 UTC", "check on the build"},
		{"remind me drink water in 20 minutes", "once on Mon 30 Nov at 09:20 UTC", "drink water"},
		{"remind me stretch at 3pm", "once on Mon 30 Nov at 15:00 UTC", "stretch"},
		{"remind me the weekly review on friday at 4pm", "once on Fri 4 Dec at 16:00 UTC", "the weekly review"},
	} {
		r := k.Send(tt.in)
		bottest.MustContain(t, r, "set: "+tt.rule+".")
		if tt.note != "" {
			bottest.MustContain(t, r, "Note: "+tt.note)
		} else if strings.Contains(r.PlainText(), "Note:") {
			t.Errorf("%q has a note:\n%s", tt.in, r.PlainText())
		}
	}
}

// A reply names a date's year only when it is not the current one.
func TestRepliesNameOtherYears(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("remind me on 2027-01-04 at 8am"), "once on Mon 4 Jan 2027 at 08:00 UTC")
	bottest.MustContain(t, k.Send("remind me on december 4 at 8am"), "once on Fri 4 Dec at 08:00 UTC")
	bottest.MustContain(t, k.Send("remind me every day at 9 until 2027-01-31"), "until Sun 31 Jan 2027")
}

// Everyday ways of saying things that once failed: a day range cut at
// "to", a closing exclamation mark, a length in words, a pause without
// "for", an id at the end of a sentence.
func TestSaidTheWayPeopleSayIt(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every monday to friday at 9 to stretch")
	bottest.MustContain(t, r, "set: every weekday at 09:00.", "Note: stretch")
	bottest.MustContain(t, k.Send("break!"), "5-minute stretch break")
	bottest.MustContain(t, k.Send("break five minutes floor"), "5-minute floor stretch break")
	bottest.MustContain(t, k.Send("break half an hour"), "30-minute stretch break")
	bottest.MustContain(t, k.Send("remind me tomorrow at 9."), "set: once on Tue 1 Dec at 09:00 UTC.")
	bottest.MustContain(t, k.Send("remind me twice a day"), "every day at 10:00 and 15:00 (times picked for you")
	id := createdID(t, k.Send("remind me every day at 10"))
	bottest.MustContain(t, k.Send("pause #"+id+" 2 hours"), "Paused #"+id+" until Mon 30 Nov 11:00 UTC")
	bottest.MustContain(t, k.Send("resume #"+id), "Next: Mon 30 Nov 10:00 UTC")
	bottest.MustContain(t, k.Send("cancel #"+id+"."), "Cancelled #"+id)
	// A time after a schedule's when stays with it, however the options
	// end.
	bottest.MustContain(t, k.Send("schedule every weekday at 10 pool"), "every weekday at 10:00.", "Each break: pool.")
	bottest.MustContain(t, k.Send("schedule tomorrow at 9."), "once on Tue 1 Dec at 09:00 UTC.")
	bottest.MustContain(t, k.Send("schedule every day at 10 in #general."), "set for #general: every day at 10:00.")
	bottest.MustContain(t, k.Send("schedule in #general every day at 11 5 min desk"), "set for #general: every day at 11:00.", "Each break: 5 min, desk.")
	bottest.MustContain(t, k.Send("schedule every day at 12 in #general 5 min desk"), "set for #general: every day at 12:00.", "Each break: 5 min, desk.")
	bottest.MustContain(t, k.Send("schedule every weekday at 13:30 in #general, 10 min floor"), "set for #general: every weekday at 13:30.", "Each break: 10 min, floor.")
}

// A skipped run stays skipped when the reminder is paused and resumed.
func TestSkipSurvivesPauseAndResume(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10"))
	bottest.MustContain(t, k.Send("skip #"+id), "Next: Tue 1 Dec 10:00 UTC")
	bottest.MustContain(t, k.Send("pause #"+id), "Paused #"+id)
	bottest.MustContain(t, k.Send("resume #"+id), "Next: Tue 1 Dec 10:00 UTC")
	k.Advance(2 * time.Hour)
	if n := len(deliveriesOf(k, id)); n != 0 {
		t.Errorf("%d deliveries of the skipped run, want 0", n)
	}
}

// A snooze takes bare minutes, a sentence's end and "until".
func TestSnoozePhrasings(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 2 hours"))
	k.Advance(2 * time.Hour)
	bottest.MustContain(t, k.Send("snooze #"+id+" 15"), "comes again at Mon 30 Nov 11:15 UTC (in 15 min)")
	bottest.MustContain(t, k.Send("snooze #"+id+" 20 min!"), "comes again at Mon 30 Nov 11:20 UTC (in 20 min)")
	bottest.MustContain(t, k.Send("snooze #"+id+" until 1pm"), "comes again at Mon 30 Nov 13:00 UTC (in 2 h)")
	bottest.MustContain(t, k.Send("snooze #"+id+" For 25 minutes."), "comes again at Mon 30 Nov 11:25 UTC (in 25 min)")
}

// Several ids may be cancelled or skipped at once; a wrong one among
// them changes nothing.
func TestManyIDs(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every day at 10"))
	b := createdID(t, k.Send("remind me every day at 11"))
	bottest.MustContain(t, k.Send("list all"), "#"+a, "#"+b)
	bottest.MustContain(t, k.Send("skip #"+a+" and #"+b), "Skipped #"+a, "Skipped #"+b)
	r := k.Send("cancel #" + a + ", #zzzz")
	bottest.MustContain(t, r, "no reminder #zzzz")
	bottest.MustContain(t, k.Send("cancel #"+a+" #"+b), "Cancelled #"+a, "Cancelled #"+b)
	bottest.MustContain(t, k.Send("list"), "no reminders")
}

// A time refused for its own sake is not cut into a note and a shorter
// time.
func TestNoteFirstNeedsAnUnreadWord(t *testing.T) {
	k := testkit.New(t, testkit.WithMinInterval(10*time.Minute))
	r := k.Send("remind me every 5 min from 9 to 5")
	bottest.MustContain(t, r, "The shortest repeat allowed is 10 minutes")
	bottest.MustContain(t, k.Send("remind me stretch at 3pm"), "set: once on Mon 30 Nov at 15:00 UTC.", "Note: stretch")
}

// A snooze with no id, only a length or nothing, repeats your reminder
// delivered last (a finished one-shot included); other people's team
// breaks and reminders take their id.
func TestSnoozeWithoutAnID(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("snooze 10"), "None of your reminders has been delivered yet")
	early := createdID(t, k.Send("remind me every day at 10:00"))
	late := createdID(t, k.Send("remind me in 90 minutes"))
	createdID(t, k.SendAs("U2", "console", "schedule every day at 11:00"))
	for range 120 { // 10:00: early, 10:30: late, 11:00: the team break
		k.Advance(time.Minute)
	}
	bottest.MustContain(t, k.Send("snooze 15"), "Snoozed #"+late, "in 15 min")
	bottest.MustContain(t, k.Send("snooze for half an hour"), "Snoozed #"+late, "in 30 min")
	bottest.MustContain(t, k.Send("snooze"), "Snoozed #"+late, "in 10 min")
	bottest.MustContain(t, k.Send("snooze #"+early+" 5 min"), "Snoozed #"+early)
	bottest.MustContain(t, k.Send("snooze 7m"), "Snoozed #"+late, "in 7 min")
	bottest.MustContain(t, k.Send("snooze #zzzz"), "no reminder #zzzz")
	bottest.MustContain(t, k.Send("snooze banana"), "no reminder #banana")
	bottest.MustContain(t, k.SendAs("someone-else", "", "snooze"), "None of your reminders has been delivered yet")
}
