package discord

import "context"

// ReleaseMemory forgets the interaction signatures and channels the
// adapter remembers that have expired, and gives back the room a burst of
// requests made them grow to. The program calls it once requests stop.
func (a *Adapter) ReleaseMemory(context.Context) {
	now := a.now()
	if a.replays != nil {
		a.replays.Sweep(now)
	}
	a.channels.Sweep(now)
}
