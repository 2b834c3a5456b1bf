package schedule

import (
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// ChangedLately lets tests wait until the engine heard that a reminder
// changed, rather than for an arbitrary time.
func (e *Engine) ChangedLately(id bot.ReminderID) bool { return e.changedLately(id) }

// AssumeClaimCost sets the cost per claim the engine sizes bursts by, as
// if measured: a test's few thousand runs then make a burst.
func (e *Engine) AssumeClaimCost(d time.Duration) { e.claimNanos.Store(int64(d)) }
