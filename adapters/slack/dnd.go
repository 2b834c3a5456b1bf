package slack

import (
	"context"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/cache"
	"github.com/stretchbot/stretchbot/bot"
)

// dndTTL is how long a person's do-not-disturb window is reused. The
// window itself carries its times, so within the TTL the answer still
// follows the clock; the TTL only bounds how late a change is noticed.
const dndTTL = 2 * time.Minute

// dndState is what dnd.info said: the scheduled window and a snooze (the
// person's "pause notifications"). Zero means not in do-not-disturb.
type dndState struct {
	start, end time.Time // scheduled window, when enabled
	snoozeEnd  time.Time // manual snooze, when on
}

// on reports whether notifications are paused at now.
func (s dndState) on(now time.Time) bool {
	if now.Before(s.snoozeEnd) {
		return true
	}
	return !s.start.IsZero() && !now.Before(s.start) && now.Before(s.end)
}

var _ bot.DNDChecker = (*Adapter)(nil)

// InDND reports whether user has paused notifications in the workspace
// (dnd.info), so that personal reminders are passed over meanwhile. A
// failed look-up (the dnd:read scope missing, Slack down) counts as not
// in do-not-disturb and is remembered for the TTL, so a break is never
// lost and the log is not flooded.
func (a *Adapter) InDND(ctx context.Context, tenant bot.TenantID, user bot.UserID) (bool, error) {
	ws, err := a.workspace(ctx, tenant, "")
	if err != nil {
		return false, err
	}
	key := string(ws.team) + "/" + string(user)
	now := a.now()
	if st, ok := a.dnd.Get(key, now); ok {
		return st.on(now), nil
	}
	var info *slack.DNDStatus
	u := string(user)
	err = a.call(ctx, lookupPolicy, string(ws.team), "dnd.info", "", func(ctx context.Context) error {
		var err error
		info, err = ws.api.GetDNDInfoContext(ctx, &u)
		return err
	})
	var st dndState
	if err == nil && info != nil {
		if info.Enabled && info.NextStartTimestamp > 0 {
			st.start, st.end = time.Unix(int64(info.NextStartTimestamp), 0), time.Unix(int64(info.NextEndTimestamp), 0)
		}
		if info.SnoozeEnabled && info.SnoozeEndTime > 0 {
			st.snoozeEnd = time.Unix(int64(info.SnoozeEndTime), 0)
		}
	}
	a.dnd.Put(key, st, dndTTL, now)
	if err != nil {
		return false, err
	}
	return st.on(now), nil
}

// newDNDCache bounds the remembered windows like the other per-user caches.
func newDNDCache() *cache.Cache[dndState] { return cache.New[dndState](maxUsers) }
