package slack

import (
	"context"

	"github.com/stretchbot/stretchbot/adapters/internal/seen"
)

// ReleaseMemory forgets what the adapter remembers that has expired (the
// users, channels and workspaces it looked up) and the signatures, Slack's
// retried event ids and used install states it refuses to see again
// (all of them when a shared store refuses them too; see seen.Guard), and
// it gives back the room a burst of requests made them grow to. The
// program calls it once requests stop.
func (a *Adapter) ReleaseMemory(context.Context) {
	now := a.now()
	for _, g := range []*seen.Guard{a.events, a.replays, a.oauthStates} {
		g.Release(now)
	}
	a.channels.Sweep(now)
	a.dms.Sweep(now)
	a.walks.Sweep(now)
	a.dnd.Sweep(now)
	a.homes.Sweep(now)
	a.socketAnswers.Sweep(now)
	a.ids.users.Sweep(now)
	if a.installs != nil {
		a.installs.clients.Sweep(now)
	}
}
