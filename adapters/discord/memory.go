package discord

import "context"

// ReleaseMemory forgets the channels the adapter remembers that have
// expired, the places of look-ups for runs no longer looked for, the gateway event ids and the interaction signatures it refuses to see again (all of
// them when a shared store refuses them too; see seen.Guard), and gives
// back the room a burst of requests made them grow to. The program calls
// it once requests stop.
func (a *Adapter) ReleaseMemory(context.Context) {
	now := a.now()
	if a.replays != nil {
		a.replays.Release(now)
	}
	a.dispatches.Release(now)
	a.channels.Sweep(now)
	a.walks.Sweep(now)
}
