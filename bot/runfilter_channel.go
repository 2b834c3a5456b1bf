package bot

import (
	"context"
	"time"
)

// channelSkip passes over team breaks that fall on a public holiday of the
// channel's calendar.
func (b *Bot) channelSkip(ctx context.Context, r Reminder, at time.Time) string {
	return ""
}
