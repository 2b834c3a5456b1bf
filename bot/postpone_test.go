package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// "postpone #id" before the reminder's first run offers skip, which is
// taken, not snooze, which would refuse a run not yet delivered.
func TestPostponeBeforeTheFirstRun(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10 to stretch"))
	for _, in := range []string{"postpone #" + id + " 0000", "postpone #" + id, "delay #" + id + " 10 min"} {
		refusedWith(t, k, in, "hasn't come yet", "skip #"+id)
	}
}

// A mistyped id command whose word after it reads as an id the caller has
// not got ("r0m str", near rm: cancel) offers one the caller has.
func TestMistypedCommandWithAnIdNotTheCallers(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 45 minutes"))
	refusedWith(t, k, "r0m str", "Did you mean `cancel`?", "cancel #"+id)
}

// A snooze longer than a snooze can be, of a repeating reminder, offers
// the pause of that length, which is taken.
func TestLongSnoozeOffersPause(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every 10 seconds"))
	k.Advance(10 * time.Second)
	wantDeliveries(t, k, id, 1)
	for _, in := range []string{"snooze #" + id + " 3 days", "snooze #" + id + " for 2 weeks"} {
		r := k.Send(in)
		if ex := tryLine(t, r.PlainText()); !r.Error || !strings.HasPrefix(ex, "pause #"+id+" for ") {
			t.Errorf("%q:\n%s", in, r.PlainText())
			continue
		}
	}
	refusedWith(t, k, "snooze #"+id+" 3 days", "pause it", "pause #"+id+" for 3 days")
}

func TestLongSnoozeOffersPauseOfHours(t *testing.T) {
	for in, want := range map[string]string{"36 hours": "36 hours", "2 weeks": "2 weeks", "for 25h": "25 hours"} {
		k := testkit.New(t)
		id := createdID(t, k.Send("remind me every 10 seconds"))
		k.Advance(10 * time.Second)
		wantDeliveries(t, k, id, 1)
		refusedWith(t, k, "snooze #"+id+" "+in, "pause it", "pause #"+id+" for "+want)
	}
}
