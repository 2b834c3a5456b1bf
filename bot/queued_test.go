package bot_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Pause, snooze and cancel mean what they say for what is already queued:
// a snooze waiting, a retry waiting, a delivered break's buttons.

// exercises lists a delivery's exercises with their times, in order.
func exercises(o bot.Outgoing) []string {
	var out []string
	for _, c := range o.Reply.Cards {
		out = append(out, c.Name+" — "+c.Duration)
	}
	return out
}

// button returns the value of a delivery's button, or fails.
func button(t *testing.T, o bot.Outgoing, id bot.ActionID) bot.Action {
	t.Helper()
	for _, a := range o.Reply.Actions {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("delivery has no %s button: %+v", id, o.Reply.Actions)
	return bot.Action{}
}

// press presses a on behalf of user in the console channel.
func press(k *testkit.Kit, user bot.UserID, a bot.Action) bot.ActionResult {
	return k.Bot.HandleAction(context.Background(), bot.ActionEvent{
		Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: user}, ID: a.ID, Value: a.Value})
}

func TestPauseDropsASnoozeWaiting(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	wantDeliveries(t, k, id, 1)
	bottest.MustContain(t, k.Send("snooze #"+id+" 10 min"), "snoozed #"+id)
	bottest.MustContain(t, k.Send("pause #"+id), "paused #"+id)
	k.Advance(10 * time.Minute)
	wantDeliveries(t, k, id, 1)
	// Resuming does not bring back what the pause dropped.
	bottest.MustContain(t, k.Send("resume #"+id), "resumed #"+id)
	for i := 0; i < 4; i++ {
		k.Advance(10 * time.Minute)
	}
	wantDeliveries(t, k, id, 1)
	k.Advance(10 * time.Minute) // the next hourly run
	wantDeliveries(t, k, id, 2)
}

// Only what falls due during the pause is dropped: resumed before the
// snooze's time, the snooze still comes, once.
func TestSnoozeDueAfterAResumeStillComes(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	k.Send("snooze #" + id + " 10 min")
	k.Send("pause #" + id)
	k.Advance(time.Minute)
	bottest.MustContain(t, k.Send("resume #"+id), "resumed #"+id)
	k.Advance(9 * time.Minute)
	got := wantDeliveries(t, k, id, 2)
	bottest.MustContain(t, got[1].Reply, "snoozed")
	k.Advance(10 * time.Minute)
	wantDeliveries(t, k, id, 2)
}

func TestTimedPauseDropsASnoozeFallingInsideIt(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	k.Send("snooze #" + id + " 10 min")
	bottest.MustContain(t, k.Send("pause #"+id+" for 30 min"), "paused #"+id)
	for i := 0; i < 4; i++ {
		k.Advance(10 * time.Minute)
	}
	wantDeliveries(t, k, id, 1)
}

func TestPauseStopsARetryWaiting(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	failing := true
	k.Adapter.Fail = func(bot.Outgoing) error {
		if failing {
			return &bot.DeliveryError{Reason: "Slack is down", Err: errors.New("503")}
		}
		return nil
	}
	k.Advance(time.Hour)
	wantDeliveries(t, k, id, 0)
	bottest.MustContain(t, k.Send("pause #"+id), "paused #"+id)
	failing = false
	for i := 0; i < 10; i++ {
		k.Advance(time.Minute) // well past the retry's time
	}
	wantDeliveries(t, k, id, 0)
	bottest.MustContain(t, k.Send("resume #"+id), "resumed #"+id)
	k.Advance(time.Minute)
	wantDeliveries(t, k, id, 0)
	k.Advance(49 * time.Minute) // the next run, at 2 h
	wantDeliveries(t, k, id, 1)
}

func TestCancelDropsASnoozeWaiting(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	k.Send("snooze #" + id + " 10 min")
	bottest.MustContain(t, k.Send("cancel #"+id), "cancelled #"+id)
	k.Advance(10 * time.Minute)
	wantDeliveries(t, k, id, 1)
}

func TestASecondSnoozeReplacesTheFirst(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	k.Send("snooze #" + id + " 10 min")
	k.Advance(time.Minute)
	bottest.MustContain(t, k.Send("snooze #"+id+" 15 min"), "snoozed #"+id)
	k.Advance(9 * time.Minute) // the first snooze's time
	wantDeliveries(t, k, id, 1)
	k.Advance(6 * time.Minute) // the second's
	got := wantDeliveries(t, k, id, 2)
	bottest.MustContain(t, got[1].Reply, "snoozed")
	k.Advance(10 * time.Minute)
	wantDeliveries(t, k, id, 2)
}

func TestSnoozeWhilePausedIsRefused(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 1 hour"))
	k.Advance(time.Hour)
	for _, pause := range []string{"pause #" + id, "pause #" + id + " for 2 hours"} {
		k.Send(pause)
		r := k.Send("snooze #" + id)
		if !r.Error {
			t.Fatalf("snooze after %q accepted:\n%s", pause, r.PlainText())
		}
		bottest.MustContain(t, r, "paused", "resume #"+id)
		k.Send("resume #" + id)
	}
}

func TestARunAtTheExactEndOfAPauseFires(t *testing.T) {
	for _, tt := range []struct {
		name  string
		start time.Time
	}{
		{"on a whole second", bottest.Start},
		{"within a second", bottest.Start.Add(400 * time.Millisecond)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			k := testkit.New(t, testkit.WithStart(tt.start))
			id := createdID(t, k.Send("schedule every 2 hours"))
			bottest.MustContain(t, k.Send("pause #"+id+" for 2h"), "until Mon 30 Nov 11:00 UTC")
			k.Advance(2*time.Hour - time.Second)
			wantDeliveries(t, k, id, 0)
			k.Advance(time.Second)
			wantDeliveries(t, k, id, 1)
		})
	}
}

func TestSnoozeResendsTheSameRoutine(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 5 minutes"))
	k.Advance(5 * time.Minute)
	first := wantDeliveries(t, k, id, 1)[0]
	if len(exercises(first)) == 0 {
		t.Fatalf("the break has no exercises:\n%s", first.Reply.PlainText())
	}
	k.Send("snooze #" + id + " 7 min")
	// Another run is delivered before the snooze ends: the snooze still
	// brings back the break it snoozed.
	k.Advance(5 * time.Minute)
	second := wantDeliveries(t, k, id, 2)[1]
	if slices.Equal(exercises(second), exercises(first)) {
		t.Fatalf("the next run repeated the same exercises; the rotation should move on:\n%v", exercises(first))
	}
	k.Advance(2 * time.Minute)
	snoozed := wantDeliveries(t, k, id, 3)[2]
	bottest.MustContain(t, snoozed.Reply, "snoozed")
	if got, want := exercises(snoozed), exercises(first); !slices.Equal(got, want) {
		t.Errorf("snoozed delivery:\n%s\nwant the snoozed break's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Done on it counts for the snoozed break, once with the original.
	if got, want := button(t, snoozed, bot.ActionDone).Value, button(t, first, bot.ActionDone).Value; got != want {
		t.Errorf("snoozed Done = %q, want the snoozed run's %q", got, want)
	}
	// A snooze made now sends the latest run's break, as the reminder's
	// last delivered run is that one.
	k.Send("snooze #" + id + " 1 min")
	k.Advance(time.Minute)
	again := wantDeliveries(t, k, id, 4)[3]
	if got, want := exercises(again), exercises(second); !slices.Equal(got, want) {
		t.Errorf("snooze after a later run:\n%s\nwant the latest run's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDoneAndJoinCountAfterTheScheduleChanged(t *testing.T) {
	for _, change := range []string{"cancel", "pause", "skip"} {
		t.Run(change, func(t *testing.T) {
			k := testkit.New(t)
			id := createdID(t, k.Send("schedule every 10 seconds"))
			k.Advance(10 * time.Second)
			got := wantDeliveries(t, k, id, 1)[0]
			k.Advance(10 * time.Second)
			bottest.MustContain(t, k.Send(change+" #"+id), "#"+id)
			if r := press(k, "console", button(t, got, bot.ActionJoin)); !strings.Contains(r.Status, "1 person joined") {
				t.Errorf("Join after %s: %+v", change, r)
			}
			if r := press(k, "console", button(t, got, bot.ActionDone)); !strings.Contains(r.Status, "1 person did") {
				t.Errorf("Done after %s: %+v", change, r)
			}
			if r := press(k, "console", button(t, got, bot.ActionDone)); !strings.Contains(r.Ephemeral.PlainText(), "already counted") {
				t.Errorf("second Done after %s: %+v", change, r)
			}
			bottest.MustContain(t, k.Send("stats"), "1 break")
		})
	}
}

func TestForgedButtonsCountNothingAfterCancel(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 seconds"))
	k.Advance(10 * time.Second)
	wantDeliveries(t, k, id, 1)
	k.Send("cancel #" + id)
	run := bottest.Start.Add(10 * time.Second).Unix()
	for _, forged := range []string{
		fmt.Sprintf("%s@%d", id, run+10), // a run never delivered
		fmt.Sprintf("%s@%d", id, run-10), // before the reminder existed
		fmt.Sprintf("zz9@%d", run),       // another reminder
	} {
		if r := press(k, "mallory", bot.Action{ID: bot.ActionDone, Value: forged}); r.Ephemeral == nil || !r.Ephemeral.Error || r.Status != "" {
			t.Errorf("forged %q counted: %+v", forged, r)
		}
	}
	// Another tenant cannot count into it either.
	r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: bot.Message{Platform: bot.Console, Tenant: "T2", User: "x"},
		ID: bot.ActionDone, Value: fmt.Sprintf("%s@%d", id, run)})
	if r.Ephemeral == nil || !r.Ephemeral.Error {
		t.Errorf("another tenant's press was counted: %+v", r)
	}
	if r := press(k, "u1", bot.Action{ID: bot.ActionDone, Value: fmt.Sprintf("%s@%d", id, run)}); !strings.Contains(r.Status, "1 person did") {
		t.Errorf("the delivered run was not counted: %+v", r)
	}
}

// FuzzDeliverStoredRoutine feeds Deliver whatever a stored snooze might
// hold: it always posts a break, and never panics.
func FuzzDeliverStoredRoutine(f *testing.F) {
	for _, s := range []string{"", "cat-cow:60 childs-pose:45", "cat-cow:60", "cat-cow:0", "cat-cow:-5", "cat-cow:x",
		"no-such-exercise:60", "cat-cow", ":", " cat-cow:60  ", "cat-cow:3601", "cat-cow:99999999999999999999"} {
		f.Add(s)
	}
	k := testkit.New(f)
	r := bot.Reminder{ID: "fz1", Tenant: "console", Platform: bot.Console, Kind: bot.ChannelSchedule, Owner: "console", Channel: "console",
		Rule: "every 1 hour", Zone: "UTC", LastRun: bottest.Start}
	f.Fuzz(func(t *testing.T, spec string) {
		o := bot.Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: bottest.Start.Add(time.Minute), Kind: bot.SnoozeOccurrence,
			Repeats: bottest.Start, Routine: bot.RoutineSpec(spec)}
		sent, err := k.Bot.Deliver(context.Background(), r, o)
		if err != nil {
			t.Fatalf("Deliver(%q): %v", spec, err)
		}
		if sent.Routine == "" {
			t.Fatalf("Deliver(%q) sent no routine", spec)
		}
	})
}
