package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// deliveriesOf counts deliveries whose text mentions #id.
func deliveriesOf(k *testkit.Kit, id string) []bot.Outgoing {
	var out []bot.Outgoing
	for _, o := range k.Deliveries() {
		if strings.Contains(o.Reply.PlainText(), "#"+id) && !o.Reply.Error {
			out = append(out, o)
		}
	}
	return out
}

func TestOneShotArrivesOnceOnTime(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 3 seconds to stand up"))
	k.Advance(2 * time.Second)
	if n := len(deliveriesOf(k, id)); n != 0 {
		t.Fatalf("delivered %d times after 2 s, want 0", n)
	}
	k.Advance(time.Second)
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("delivered %d times after 3 s, want 1", len(got))
	}
	bottest.MustContain(t, got[0].Reply, "stand up", "stop any exercise")
	if strings.Contains(got[0].Reply.PlainText(), "Late") {
		t.Errorf("on-time delivery marked late:\n%s", got[0].Reply.PlainText())
	}
	for i := 0; i < 5; i++ {
		k.Advance(10 * time.Second)
	}
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("delivered %d times in all, want exactly 1", n)
	}
	bottest.MustContain(t, k.Send("list"), "no reminders")
}

func TestRepeatingKeepsArrivingAndPauseResumeSkipCancel(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 2 seconds"))
	step := func(n int) {
		for i := 0; i < n; i++ {
			k.Advance(2 * time.Second)
		}
	}
	step(5)
	if n := len(deliveriesOf(k, id)); n != 5 {
		t.Fatalf("after 10 s: %d deliveries, want 5", n)
	}
	bottest.MustContain(t, k.Send("pause #"+id), "paused #"+id)
	bottest.MustContain(t, k.Send("list"), "#"+id, "PAUSED")
	step(3)
	if n := len(deliveriesOf(k, id)); n != 5 {
		t.Fatalf("paused: %d deliveries, want still 5", n)
	}
	bottest.MustContain(t, k.Send("resume "+id), "resumed #"+id)
	step(2)
	if n := len(deliveriesOf(k, id)); n != 7 {
		t.Fatalf("resumed: %d deliveries, want 7", n)
	}
	bottest.MustContain(t, k.Send("skip #"+id), "skipped #"+id)
	step(1)
	if n := len(deliveriesOf(k, id)); n != 7 {
		t.Fatalf("after skip: %d deliveries, want 7 (one skipped)", n)
	}
	step(1)
	if n := len(deliveriesOf(k, id)); n != 8 {
		t.Fatalf("after the skipped run: %d deliveries, want 8", n)
	}
	bottest.MustContain(t, k.Send("cancel "+id), "cancelled #"+id)
	step(3)
	if n := len(deliveriesOf(k, id)); n != 8 {
		t.Fatalf("after cancel: %d deliveries, want 8", n)
	}
	bottest.MustContain(t, k.Send("cancel "+id), "no reminder #"+id)
}

func TestPauseForAWhileSkipsRunsInsideThePause(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 10 seconds"))
	bottest.MustContain(t, k.Send("pause #"+id+" for 35 seconds"), "until")
	for i := 0; i < 3; i++ {
		k.Advance(10 * time.Second)
	}
	if n := len(deliveriesOf(k, id)); n != 0 {
		t.Fatalf("%d deliveries during the pause, want 0", n)
	}
	k.Advance(10 * time.Second) // 40 s: after the pause
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("%d deliveries after the pause, want 1", n)
	}
}

func TestListShowsTheFirstRunAfterAPause(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 5 seconds"))
	k.Send("pause #" + id + " for 8 seconds")
	// The next run shown is the first after the pause: 10 s, not 5 s.
	bottest.MustContain(t, k.Send("list"), "next "+bot.FormatTime(bottest.Start.Add(10*time.Second), k.Clock.Now(), time.UTC))
	k.Advance(5 * time.Second)
	wantDeliveries(t, k, id, 0)
	k.Advance(5 * time.Second)
	wantDeliveries(t, k, id, 1)
}

func TestSkippingTheOnlyRunRemovesTheReminder(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 1 hour"))
	bottest.MustContain(t, k.Send("skip #"+id), "removed")
	bottest.MustContain(t, k.Send("pause #"+id), "no reminder #"+id)
}

func TestListShowsIDRuleNextRunAndState(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every weekday at 10:30 to stretch"))
	b := createdID(t, k.Send("schedule every day at 15:00"))
	k.Send("pause " + b)
	r := k.Send("list")
	bottest.MustContain(t, r, "#"+a, "weekday", "10:30", "next", "#"+b, "PAUSED", "stretch")
}

func TestPermissionsAndTenants(t *testing.T) {
	k := testkit.New(t)
	alice := func(text string) bot.Reply { return k.SendMsg(bot.Message{User: "alice", Channel: "c1", Text: text}) }
	bob := func(text string) bot.Reply { return k.SendMsg(bot.Message{User: "bob", Channel: "c1", Text: text}) }
	admin := func(text string) bot.Reply {
		return k.SendMsg(bot.Message{User: "carol", Channel: "c1", Admin: true, Text: text})
	}
	other := func(text string) bot.Reply {
		return k.SendMsg(bot.Message{Tenant: "T2", User: "alice", Channel: "c1", Admin: true, Text: text})
	}
	personal := createdID(t, alice("remind me every day at 9"))
	team := createdID(t, alice("schedule every day at 15:00"))

	// Someone else's personal reminder does not exist for them, even admins.
	for _, send := range []func(string) bot.Reply{bob, admin, other} {
		for _, cmd := range []string{"cancel ", "pause ", "skip ", "snooze ", "resume "} {
			r := send(cmd + personal)
			bottest.MustContain(t, r, "no reminder #"+personal)
		}
	}
	if strings.Contains(bob("list").PlainText(), personal) {
		t.Error("bob's list shows alice's personal reminder")
	}
	// Team schedules are visible to the channel, changeable by creator or admin.
	bottest.MustContain(t, bob("list"), "#"+team)
	bottest.MustContain(t, bob("cancel "+team), "only the person who created")
	bottest.MustContain(t, other("cancel "+team), "no reminder #"+team)
	bottest.MustContain(t, other("list"), "no reminders")
	bottest.MustContain(t, admin("pause "+team), "paused #"+team)
	bottest.MustContain(t, alice("resume "+team), "resumed #"+team)
	bottest.MustContain(t, alice("cancel "+personal), "cancelled")
}

// createThenRestart creates a reminder with text, stops the process, and
// starts a new one on the same database down later; it returns the id and
// the new process.
func createThenRestart(t *testing.T, text string, down time.Duration) (string, *testkit.Kit) {
	t.Helper()
	k1 := testkit.New(t)
	id := createdID(t, k1.Send(text))
	return id, testkit.New(t, testkit.WithStore(k1.DB), testkit.WithStart(bottest.Start.Add(down)))
}

func wantDeliveries(t *testing.T, k *testkit.Kit, id string, want int) []bot.Outgoing {
	t.Helper()
	got := deliveriesOf(k, id)
	if len(got) != want {
		t.Fatalf("#%s delivered %d times, want %d", id, len(got), want)
	}
	return got
}

func TestRestartDeliversExactlyOnce(t *testing.T) {
	id, k2 := createThenRestart(t, "remind me in 3 seconds", time.Second)
	k2.Advance(2 * time.Second)
	k2.Advance(2 * time.Second)
	wantDeliveries(t, k2, id, 1)
	k3 := testkit.New(t, testkit.WithStore(k2.DB), testkit.WithStart(bottest.Start.Add(time.Minute)))
	k3.Tick()
	wantDeliveries(t, k3, id, 0)
}

func TestMissedWhileDownWithinCatchupIsDeliveredLate(t *testing.T) {
	id, k2 := createThenRestart(t, "remind me in 3 seconds", 10*time.Minute)
	k2.Tick()
	got := wantDeliveries(t, k2, id, 1)
	bottest.MustContain(t, got[0].Reply, "late")
	k2.Advance(time.Minute)
	wantDeliveries(t, k2, id, 1)
}

func TestMissedBeyondCatchupIsSkippedAndTheOwnerTold(t *testing.T) {
	id, k2 := createThenRestart(t, "remind me in 3 seconds to call mum", time.Hour)
	k2.Tick()
	k2.Tick()
	told := 0
	for _, o := range k2.Deliveries() {
		text := o.Reply.PlainText()
		if strings.Contains(text, "Stretch break time") {
			t.Fatalf("delivered an hour late, beyond the catch-up window:\n%s", text)
		}
		if strings.Contains(text, "missed your reminder #"+id) && strings.Contains(text, "call mum") {
			told++
		}
	}
	if told != 1 {
		t.Fatalf("owner told %d times about the missed reminder, want 1; sent %+v", told, k2.Deliveries())
	}
}

func TestRepeatingMissedDeliversOnlyTheLatestOnce(t *testing.T) {
	id, k2 := createThenRestart(t, "remind me every 1 minute", 10*time.Minute+30*time.Second)
	k2.Tick()
	k2.Tick()
	wantDeliveries(t, k2, id, 1)
	k2.Advance(30 * time.Second) // the 11-minute run, on time
	wantDeliveries(t, k2, id, 2)
}

func TestTwoInstancesShareOneDatabase(t *testing.T) {
	a := testkit.New(t, testkit.WithOwner("a"))
	b := testkit.New(t, testkit.WithStore(a.DB), testkit.WithOwner("b"))
	id := createdID(t, a.Send("schedule every 2 seconds"))
	for i := 0; i < 10; i++ {
		a.Clock.Advance(2 * time.Second)
		b.Clock.Advance(2 * time.Second)
		done := make(chan struct{})
		go func() { b.Engine.Tick(context.Background()); close(done) }()
		a.Engine.Tick(context.Background())
		<-done
	}
	total := len(deliveriesOf(a, id)) + len(deliveriesOf(b, id))
	if total != 10 {
		t.Fatalf("two instances delivered %d messages for 10 occurrences (a=%d b=%d)", total, len(deliveriesOf(a, id)), len(deliveriesOf(b, id)))
	}
}

func TestSnoozeRedeliversTheLastBreak(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 5 seconds"))
	bottest.MustContain(t, k.Send("snooze "+id), "hasn't been delivered")
	k.Advance(5 * time.Second)
	bottest.MustContain(t, k.Send("snooze #"+id+" 2 min"), "snoozed #"+id)
	k.Advance(time.Minute)
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("%d deliveries before the snooze ends, want 1", n)
	}
	k.Advance(time.Minute)
	got := deliveriesOf(k, id)
	if len(got) != 2 {
		t.Fatalf("%d deliveries after the snooze, want 2", len(got))
	}
	bottest.MustContain(t, got[1].Reply, "snoozed")
}

func TestDoneAndJoinButtonsCountPeople(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule in 2 seconds"))
	k.Advance(2 * time.Second)
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	var done, join bot.Action
	for _, a := range got[0].Reply.Actions {
		switch a.ID {
		case bot.ActionDone:
			done = a
		case bot.ActionJoin:
			join = a
		}
	}
	if done.Value == "" || join.Value == "" {
		t.Fatalf("delivery lacks Done/Join buttons: %+v", got[0].Reply.Actions)
	}
	press := func(user bot.UserID, a bot.Action) bot.ActionResult {
		return k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: user}, ID: a.ID, Value: a.Value})
	}
	if r := press("u1", join); !strings.Contains(r.Status, "1 person joined") {
		t.Errorf("status after join = %q", r.Status)
	}
	if r := press("u1", done); !strings.Contains(r.Status, "1 person did") {
		t.Errorf("status after done = %q", r.Status)
	}
	r := press("u1", done)
	if !strings.Contains(r.Ephemeral.PlainText(), "already counted") || !strings.Contains(r.Status, "1 person did") {
		t.Errorf("second press by the same person: %q / %q", r.Status, r.Ephemeral.PlainText())
	}
	if r := press("u2", done); !strings.Contains(r.Status, "2 people did") {
		t.Errorf("status after a second person = %q", r.Status)
	}
	if r := press("u3", bot.Action{ID: bot.ActionDone, Value: "garbage"}); r.Ephemeral == nil || !r.Ephemeral.Error {
		t.Errorf("a forged value was accepted: %+v", r)
	}
	// Another tenant cannot count into this break.
	r = k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: bot.Message{Tenant: "T2", User: "x"}, ID: done.ID, Value: done.Value})
	if r.Ephemeral == nil || !r.Ephemeral.Error {
		t.Errorf("another tenant's press was counted: %+v", r)
	}
	// Snooze and skip buttons run the commands for the presser.
	for _, a := range got[0].Reply.Actions {
		if a.ID == bot.ActionSkip {
			r := press("console", a)
			bottest.MustContain(t, *r.Ephemeral, "#"+id)
		}
	}
}

func TestPermanentFailurePausesAndTellsTheCreator(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 2 seconds in #gone"))
	k.Adapter.Fail = func(o bot.Outgoing) error {
		if o.Channel == "gone" {
			return &bot.DeliveryError{Permanent: true, Reason: "the channel was archived", Err: errors.New("is_archived")}
		}
		return nil
	}
	k.Advance(2 * time.Second)
	k.Advance(2 * time.Second)
	var told bool
	for _, o := range k.Deliveries() {
		if strings.Contains(o.Reply.PlainText(), "paused #"+id) && strings.Contains(o.Reply.PlainText(), "archived") {
			told = true
		}
	}
	if !told {
		t.Fatalf("creator not told; sent %+v", k.Deliveries())
	}
	bottest.MustContain(t, k.Send("list"), "#"+id, "PAUSED")
}

func TestTransientFailureIsRetriedNotDroppedNotDoubled(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me in 2 seconds"))
	fails := 2
	k.Adapter.Fail = func(bot.Outgoing) error {
		if fails > 0 {
			fails--
			return &bot.DeliveryError{Reason: "Slack is down", Err: errors.New("503")}
		}
		return nil
	}
	k.Advance(2 * time.Second)
	if n := len(deliveriesOf(k, id)); n != 0 {
		t.Fatalf("%d deliveries while failing", n)
	}
	for i := 0; i < 10; i++ {
		k.Advance(10 * time.Second)
	}
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("%d deliveries after recovery, want exactly 1", n)
	}
}

func TestForgedButtonsCountNothing(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 seconds"))
	k.Advance(10 * time.Second)
	wantDeliveries(t, k, id, 1)
	press := func(value string) bot.ActionResult {
		return k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "mallory"}, ID: bot.ActionDone, Value: value})
	}
	run := bottest.Start.Add(10 * time.Second).Unix()
	for _, forged := range []string{
		fmt.Sprintf("%s@%d", id, run+3),      // not a run of the rule
		fmt.Sprintf("%s@%d", id, run+10),     // a run not delivered yet
		fmt.Sprintf("%s@%d", id, run-10),     // before the reminder existed
		fmt.Sprintf("%s@%d", id, 4102444800), // the year 2100
		"b:" + strconv.FormatInt(12345, 36),  // someone's old break
	} {
		if r := press(forged); r.Ephemeral == nil || !r.Ephemeral.Error || r.Status != "" {
			t.Errorf("forged %q counted: %+v", forged, r)
		}
	}
	if r := press(fmt.Sprintf("%s@%d", id, run)); !strings.Contains(r.Status, "1 person did") {
		t.Errorf("the real run was not counted: %+v", r)
	}
}

func TestBreakDoneButtonCountsOnlyTheLatestBreak(t *testing.T) {
	k := testkit.New(t)
	first := k.Send("break")
	k.Clock.Advance(time.Minute)
	second := k.Send("break")
	press := func(r bot.Reply) bot.ActionResult {
		return k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console"}, ID: bot.ActionDone, Value: r.Actions[0].Value})
	}
	if r := press(first); r.Ephemeral == nil || !r.Ephemeral.Error {
		t.Errorf("an older break's Done counted: %+v", r)
	}
	if r := press(second); r.Ephemeral == nil || r.Ephemeral.Error {
		t.Errorf("the latest break's Done was refused: %+v", r)
	}
}

func TestPersonalButtonsWorkFromADMInAnotherTenant(t *testing.T) {
	k := testkit.New(t)
	k.Adapter.Name = bot.Discord
	k.Bot.AddSender(bot.Discord, k.Adapter)
	guild := bot.Message{Platform: bot.Discord, Tenant: "guild1", Channel: "c1", User: "u1"}
	guild.Text = "remind me every 10 seconds"
	id := createdID(t, k.SendMsg(guild))
	k.Advance(10 * time.Second)
	got := deliveriesOf(k, id)
	if len(got) != 1 || got[0].User != "u1" {
		t.Fatalf("deliveries = %+v", got)
	}
	// Discord gives a DM click the user's id as tenant.
	dm := bot.Message{Platform: bot.Discord, Tenant: "u1", Channel: "dm1", User: "u1", DM: true}
	for _, a := range got[0].Reply.Actions {
		r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: dm, ID: a.ID, Value: a.Value})
		if a.ID == bot.ActionDone && !strings.Contains(r.Status, "1 person did") {
			t.Errorf("Done from the DM: %+v", r)
		}
		if (a.ID == bot.ActionSnooze || a.ID == bot.ActionSkip) && (r.Ephemeral == nil || r.Ephemeral.Error) {
			t.Errorf("%s from the DM: %s", a.ID, r.Ephemeral.PlainText())
		}
		// Someone else cannot use the owner's buttons, wherever they are.
		other := dm
		other.User, other.Tenant = "u2", "u2"
		if r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: other, ID: a.ID, Value: a.Value}); r.Ephemeral == nil || !r.Ephemeral.Error {
			t.Errorf("%s by another user was accepted: %+v", a.ID, r)
		}
	}
}

func TestResumeEarlyBringsTheNextRunBack(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 10 seconds"))
	k.Send("pause #" + id + " for 2 hours")
	bottest.MustContain(t, k.Send("resume #"+id), "Next: "+bot.FormatTime(bottest.Start.Add(10*time.Second), k.Clock.Now(), time.UTC))
	k.Advance(10 * time.Second)
	wantDeliveries(t, k, id, 1)
}

func TestDeliveriesDefaultToDeskExercises(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 seconds"))
	for i := 0; i < 6; i++ {
		k.Advance(10 * time.Second)
	}
	for _, o := range deliveriesOf(k, id) {
		for _, c := range o.Reply.Cards {
			if !strings.Contains(c.Detail, "desk") {
				t.Errorf("a default delivery suggested %q (%s)", c.Name, c.Detail)
			}
		}
	}
}

// refusingVerifier is a platform that knows only its own channels.
type refusingVerifier struct{ *bottest.Adapter }

func (refusingVerifier) VerifyChannel(_ context.Context, tenant bot.TenantID, ch bot.ChannelID) error {
	if tenant == "guild1" && ch == "c2" {
		return nil
	}
	return &bot.Error{Code: bot.ENOTFOUND, Message: "I can't see that channel from here."}
}

func TestSchedulesForOtherChannelsAreVerified(t *testing.T) {
	k := testkit.New(t)
	k.Bot.AddSender(bot.Discord, refusingVerifier{k.Adapter})
	send := func(text string) bot.Reply {
		return k.SendMsg(bot.Message{Platform: bot.Discord, Tenant: "guild1", Channel: "c1", User: "u1", Text: text})
	}
	bottest.MustContain(t, send("schedule every day at 10:00 in <#c9>"), "can't see that channel")
	bottest.MustContain(t, send("schedule every day at 10:00 in <#c2>"), "team break #")
	bottest.MustContain(t, send("schedule every day at 10:00"), "team break #") // this channel: no check
}

// "the 1st and last day of every month" is delivered on both days, as its
// reply shows, not only on the last (it was stored without the 1st).
func TestFirstAndLastDayOfTheMonthBothArrive(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2028, 1, 31, 10, 0, 0, 0, time.UTC)))
	id := createdID(t, k.Send("remind me on the 1st and last day of every month at 9"))
	bottest.MustContain(t, k.Send("list"), "on the 1st and last day of every month at 09:00", "next tue 1 feb 09:00")
	for _, day := range []time.Time{
		time.Date(2028, 2, 1, 9, 0, 0, 0, time.UTC),
		time.Date(2028, 2, 29, 9, 0, 0, 0, time.UTC),
		time.Date(2028, 3, 1, 9, 0, 0, 0, time.UTC),
	} {
		k.Clock.Set(day.Add(-time.Minute))
		k.Tick()
		before := len(deliveriesOf(k, id))
		k.Advance(time.Minute)
		if n := len(deliveriesOf(k, id)); n != before+1 {
			t.Fatalf("%s: %d deliveries, want %d", day.Format(time.DateOnly), n, before+1)
		}
	}
}
