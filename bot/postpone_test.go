package bot_test

import (
	"testing"

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
