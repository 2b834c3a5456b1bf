package schedule

import "github.com/stretchbot/stretchbot/bot"

// ChangedLately lets tests wait until the engine heard that a reminder
// changed, rather than for an arbitrary time.
func (e *Engine) ChangedLately(id bot.ReminderID) bool { return e.changedLately(id) }
