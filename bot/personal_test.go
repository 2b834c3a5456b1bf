package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// hourOf is the Berlin hour a delivery was made at.
func berlinHour(t time.Time) int {
	loc, _ := time.LoadLocation("Europe/Berlin")
	return t.In(loc).Hour()
}

// A repeating reminder fires only inside working hours; the runs outside
// are counted in stats, list names the next run that fires, and a one-off
// at a chosen time fires anyway.
func TestWorkingHoursPassOverRunsOutside(t *testing.T) {
	k := testkit.New(t) // Monday 09:00 UTC, 10:00 in Berlin
	k.Send("timezone Europe/Berlin")
	bottest.MustContain(t, k.Send("hours 13:00-15:00 mon-fri"), "13:00-15:00 on weekdays (Europe/Berlin)", "outside them now")
	bottest.MustContain(t, k.Send("hours"), "13:00-15:00")
	k.Send("timezone Asia/Tokyo")
	bottest.MustContain(t, k.Send("hours"), "13:00-15:00 on weekdays (Asia/Tokyo)")
	k.Send("timezone Europe/Berlin")
	r := k.Send("remind me every hour")
	bottest.MustContain(t, r, "Next: Mon 30 Nov 13:00 CET · Mon 30 Nov 14:00 CET", "Runs passed over by your working hours are left out")
	id := createdID(t, r)
	once := createdID(t, k.Send("remind me at 20:00 to call home"))
	bottest.MustContain(t, k.Send("list"), "#"+id, "next Mon 30 Nov 13:00 CET (earlier runs are passed over)")

	var at []int
	for i := 0; i < 24; i++ {
		before := len(deliveriesOf(k, id))
		k.Advance(time.Hour)
		if len(deliveriesOf(k, id)) > before {
			at = append(at, berlinHour(k.Clock.Now()))
		}
	}
	if len(at) != 2 || at[0] != 13 || at[1] != 14 {
		t.Errorf("delivered at Berlin hours %v, want [13 14]", at)
	}
	if n := len(deliveriesOf(k, once)); n != 1 {
		t.Errorf("one-off at 20:00, outside working hours: %d deliveries, want 1", n)
	}
	// 24 hourly runs from 11:00 Berlin time: two inside, 22 passed over.
	bottest.MustContain(t, k.Send("stats"), "22 reminder runs passed over (outside working hours / away / quiet)")

	bottest.MustContain(t, k.Send("hours off"), "cleared")
	before := len(deliveriesOf(k, id))
	k.Advance(time.Hour)
	if len(deliveriesOf(k, id)) != before+1 {
		t.Errorf("after hours off, the next run was not delivered")
	}
}

// An interval with its own window keeps it, whatever the working hours.
func TestWindowedIntervalKeepsItsWindow(t *testing.T) {
	k := testkit.New(t)
	k.Send("hours 13:00-14:00")
	id := createdID(t, k.Send("remind me every 30 minutes between 9:00 and 12:00"))
	for i := 0; i < 6; i++ {
		k.Advance(30 * time.Minute)
	}
	if n := len(deliveriesOf(k, id)); n < 5 {
		t.Errorf("windowed interval delivered %d times between 9 and 12, want its own runs", n)
	}
}

func TestAwayAndQuietPassOverRuns(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every hour"))
	bottest.MustContain(t, k.Send("away for 1 day"), "passed over until")
	bottest.MustContain(t, k.Send("away"), "away until")
	for i := 0; i < 5; i++ {
		k.Advance(time.Hour)
	}
	if n := len(deliveriesOf(k, id)); n != 0 {
		t.Fatalf("away: %d deliveries, want 0", n)
	}
	bottest.MustContain(t, k.Send("back"), "Welcome back")
	k.Advance(time.Hour)
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("back: %d deliveries, want 1", n)
	}
	bottest.MustContain(t, k.Send("back"), "weren't away")

	now := k.Clock.Now() // 15:00 UTC
	bottest.MustContain(t, k.Send("quiet 15:30-17:30 and 20:00-21:00"), "15:30-17:30 and 20:00-21:00")
	var at []int
	for i := 0; i < 8; i++ {
		before := len(deliveriesOf(k, id))
		k.Advance(time.Hour)
		if len(deliveriesOf(k, id)) > before {
			at = append(at, k.Clock.Now().Hour())
		}
	}
	if want := []int{18, 19, 21, 22, 23}; !equalInts(at, want) {
		t.Errorf("from %s with quiet periods: delivered at %v, want %v", now.Format("15:04"), at, want)
	}
	bottest.MustContain(t, k.Send("quiet off"), "cleared")
	bottest.MustContain(t, k.Send("stats"), "passed over")
}

func TestAwayRefusesThePast(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"away until yesterday", "away until 2026-11-01"} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%s: not refused:\n%s", in, r.PlainText())
		}
		bottest.MustContain(t, r, "in the past", "away until 2026-12-14")
	}
	bottest.MustContain(t, k.Send("away until friday"), "Fri")
	bottest.MustContain(t, k.Send("away until 2027-01-04"), "4 Jan")
}

func TestHoursBadInput(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("hours 17-9")
	bottest.MustContain(t, r, "night shift", "hours 17:00-09:00", "hours 09:00-17:00")
	r = k.Send("hours 9-17 funday")
	bottest.MustContain(t, r, `“funday”`, "hours 9:00-17:30 mon-fri")
	if lines := strings.Count(strings.TrimSpace(r.PlainText()), "\n"); lines > 3 {
		t.Errorf("error is %d lines:\n%s", lines+1, r.PlainText())
	}
	bottest.MustContain(t, k.Send("hours 22:00-06:00"), "22:00-06:00 overnight")
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// After ten breaks done at a level, done offers the next level once; it
// never changes the level by itself.
func TestLevelOfferedOnce(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("level"), "easy", "level medium")
	for i := 1; i <= 12; i++ {
		k.Advance(time.Minute)
		r := k.Send("done")
		offered := strings.Contains(r.PlainText(), "level medium")
		if offered != (i == 10) {
			t.Errorf("done #%d: offer shown = %v\n%s", i, offered, r.PlainText())
		}
	}
	bottest.MustContain(t, k.Send("level"), "Your level is easy")
	bottest.MustContain(t, k.Send("level medium"), "Level set to medium")
	bottest.MustContain(t, k.Send("level"), "medium (0 breaks")
	bottest.MustContain(t, k.Send("level expert"), "not a level", "level medium")
	for i := 1; i <= 10; i++ {
		k.Advance(time.Minute)
		r := k.Send("done")
		if offered := strings.Contains(r.PlainText(), "level hard"); offered != (i == 10) {
			t.Errorf("medium, done #%d: offer shown = %v", i, offered)
		}
	}
}

// Setting a level names another one to change to, never the level just set.
func TestLevelSetOffersAnotherLevel(t *testing.T) {
	k := testkit.New(t)
	for _, level := range []string{"easy", "medium", "hard"} {
		r := k.Send("level " + level)
		bottest.MustContain(t, r, "Level set to "+level)
		if strings.Contains(r.PlainText(), "`level "+level+"`") {
			t.Errorf("level %s: the reply offers the level just set:\n%s", level, r.PlainText())
		}
	}
}

func TestPreferSetsThePlaceOfPlainBreaks(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.Send("prefer"), "No standing place")
	bottest.MustContain(t, k.Send("prefer floor"), "floor")
	bottest.MustContain(t, k.Send("break"), "floor stretch break")
	bottest.MustContain(t, k.Send("break desk"), "desk stretch break")
	bottest.MustContain(t, k.Send("prefer beach"), "not a place", "prefer floor")
	bottest.MustContain(t, k.Send("prefer off"), "cleared")
	if strings.Contains(k.Send("break").Title, "floor") {
		t.Error("after prefer off, break is still for the floor")
	}
}

// dndSender is the console adapter with a do-not-disturb switch.
type dndSender struct {
	bot.Sender
	on *bool
}

func (d dndSender) InDND(context.Context, bot.TenantID, bot.UserID) (bool, error) { return *d.on, nil }

// While the platform says the owner is in do-not-disturb, personal runs
// are passed over; team breaks are not.
func TestDoNotDisturbPassesOverPersonalRuns(t *testing.T) {
	k := testkit.New(t)
	on := true
	k.Bot.AddSender(bot.Console, dndSender{k.Adapter, &on})
	id := createdID(t, k.Send("remind me every hour"))
	team := createdID(t, k.Send("schedule every hour"))
	k.Advance(time.Hour)
	if n, m := len(deliveriesOf(k, id)), len(deliveriesOf(k, team)); n != 0 || m != 1 {
		t.Fatalf("in DND: %d personal, %d team deliveries; want 0 and 1", n, m)
	}
	on = false
	k.Advance(time.Hour)
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("out of DND: %d personal deliveries, want 1", n)
	}
	bottest.MustContain(t, k.Send("stats"), "1 reminder run passed over")
}

// BenchmarkListWhenNoRunFires is the worst case of `list` naming the next
// run that fires: ten frequent reminders none of whose runs get through.
func BenchmarkListWhenNoRunFires(b *testing.B) {
	k := testkit.New(b)
	k.Send("hours 9-17")
	k.Send("quiet 00:00-23:59")
	for i := 0; i < 10; i++ {
		k.Send("remind me every 10 minutes")
	}
	if r := k.Send("list"); !strings.Contains(r.PlainText(), "every run within a year") {
		b.Fatalf("list:\n%s", r.PlainText())
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k.Send("list")
	}
}

// A reminder without a place of its own follows the standing preference.
func TestPreferShapesReminders(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 2 seconds"))
	mats := func() int {
		n := 0
		for _, o := range deliveriesOf(k, id) {
			if strings.Contains(o.Reply.PlainText(), "mat") {
				n++
			}
		}
		return n
	}
	for i := 0; i < 5; i++ {
		k.Advance(2 * time.Second)
	}
	if n := mats(); n != 0 {
		t.Fatalf("desk reminders: %d with a mat, want none", n)
	}
	k.Send("prefer floor")
	for i := 0; i < 5; i++ {
		k.Advance(2 * time.Second)
	}
	if n := mats(); n == 0 {
		t.Errorf("after prefer floor, no reminder used a mat")
	}
}

// The Done button on a break makes the same offer as `done`, once.
func TestLevelOfferedOnTheDoneButton(t *testing.T) {
	k := testkit.New(t)
	offers := 0
	for i := 1; i <= 11; i++ {
		k.Advance(time.Minute)
		r := k.Send("break")
		res := k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: k.Tenant, Channel: k.Channel, User: k.User},
			ID:      bot.ActionDone, Value: r.Actions[0].Value})
		if res.Ephemeral == nil {
			t.Fatalf("press %d: no answer", i)
		}
		if strings.Contains(res.Ephemeral.PlainText(), "level medium") {
			offers++
			if i != 10 {
				t.Errorf("offered after %d breaks, want after 10", i)
			}
		}
	}
	if offers != 1 {
		t.Errorf("offered %d times, want once", offers)
	}
}

// Through the scheduler, across the start of daylight saving in New York
// (8 March 2026): an hourly reminder with working hours 9:00-10:00 reaches
// its owner at 9:00 New York time each day, 14:00 UTC before and 13:00
// UTC after.
func TestWorkingHoursAcrossDST(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)))
	k.Send("timezone America/New_York")
	k.Send("hours 9:00-10:00 daily")
	id := createdID(t, k.Send("remind me every hour"))
	var got []string
	for i := 0; i < 4*24; i++ {
		before := len(deliveriesOf(k, id))
		k.Advance(time.Hour)
		if len(deliveriesOf(k, id)) > before {
			got = append(got, k.Clock.Now().UTC().Format("Jan 2 15:04"))
		}
	}
	want := []string{"Mar 6 14:00", "Mar 7 14:00", "Mar 8 13:00", "Mar 9 13:00"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("delivered at %v UTC, want %v", got, want)
	}
}

// Every setting command takes the same words for clearing it.
func TestSettingsClearWithTheSameWords(t *testing.T) {
	for _, word := range []string{"off", "none", "clear", "CLEAR "} {
		k := testkit.New(t)
		k.Send("hours 9-17")
		bottest.MustContain(t, k.Send("hours "+word), "cleared")
		bottest.MustContain(t, k.Send("hours"), "No working hours set")
		k.Send("quiet 12:00-13:00")
		k.Send("quiet " + word)
		bottest.MustContain(t, k.Send("quiet"), "No quiet periods set")
		k.Send("prefer floor")
		bottest.MustContain(t, k.Send("prefer "+word), "cleared")
	}
}

// A snooze of a reminder not yet delivered is refused for that, whatever
// the length typed: an example with another length would be refused too.
func TestSnoozeBeforeAnyDeliverySaysSoFirst(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 15:00"))
	for _, length := range []string{"000000000", "10 years", "15 min"} {
		r := k.Send("snooze #" + id + " " + length)
		bottest.MustContain(t, r, "hasn't been delivered yet", "skip #"+id)
	}
}

// A daily run inside working hours but in a quiet period is held back by
// the quiet period: the words must name that, not the working hours.
func TestRunsHeldBackNameTheSettingThatHoldsThem(t *testing.T) {
	k := testkit.New(t)
	k.Send("hours 9-17")
	k.Send("quiet 12:00-13:00")
	r := k.Send("remind me every day at 12:30")
	bottest.MustContain(t, r, "passed over by your quiet periods; see `quiet`")
	list := k.Send("list")
	bottest.MustContain(t, list, "every run within a year is passed over by your quiet periods")
	if strings.Contains(list.PlainText(), "working hours") {
		t.Errorf("list blames working hours for a quiet period:\n%s", list.PlainText())
	}
	r = k.Send("remind me every day at 7:00")
	bottest.MustContain(t, r, "passed over by your working hours; see `hours`")
}

// A one-off set for a time you chose still comes while you are away or in
// a quiet period; the replies say so, naming the one-offs due while away.
func TestAwayNamesTheOneOffsThatStillCome(t *testing.T) {
	k := testkit.New(t) // Mon 30 Nov 2026 09:00 UTC
	once := createdID(t, k.Send("remind me on wednesday at 10 to call"))
	after := createdID(t, k.Send("remind me on saturday at 10 to call"))
	daily := createdID(t, k.Send("remind me every day at 11"))
	r := k.Send("away until friday")
	bottest.MustContain(t, r, "repeating reminders are passed over", "#"+once+" (wed 2 dec 10:00 utc) is a one-off and still comes", "cancel #"+once)
	for _, id := range []string{after, daily} {
		if strings.Contains(r.PlainText(), "#"+id) {
			t.Errorf("#%s named as coming while away:\n%s", id, r.PlainText())
		}
	}
	k.Clock.Set(time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC))
	k.Tick()
	wantDeliveries(t, k, once, 1)
	wantDeliveries(t, k, daily, 0)
	bottest.MustContain(t, k.Send("quiet 12:00-13:00"), "repeating reminders then are passed over; a one-off still comes")
}
