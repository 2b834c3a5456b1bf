package schedule

import (
	"context"
	"errors"
	"time"
)

// releaseMargin is how close to its time a run claimed ahead must be, when
// the engine stops, to be delivered by this instance (at its time) rather
// than handed back: handing it back would cost about as long, and another
// instance would claim it after its time.
const releaseMargin = 50 * time.Millisecond

// releaseTimeout bounds the store's work in handing runs back when the
// engine stops. Runs not handed back by then are delivered at their time.
const releaseTimeout = 5 * time.Second

// handBack runs as Run returns: runs claimed ahead that are not due within
// releaseMargin are handed back to the store (Releaser), which makes them
// due again for whichever instance runs at their time, this one after a
// restart included. Delivered now they would be early, by up to longLead.
//
// A store that cannot release them, or fails to, leaves them claimed by
// this instance. Left to their leases, they would go out only when another
// instance takes them over, a lease (minutes) late, or not at all if none
// runs by the end of the catch-up window; so the engine keeps them and
// delivers them at their time, and Run returns up to longLead later. Only
// a process killed before then leaves them to their leases.
func (e *Engine) handBack(ctx context.Context) {
	// Earliest first: the runs nearest their time are handed back first.
	// Only claimed runs wait for a time (j.r is the claimed reminder).
	js := e.jobs.takeAfter(e.clock.Now().Add(releaseMargin))
	if len(js) == 0 {
		return
	}
	rel, ok := e.store.(Releaser)
	if !ok {
		e.log.Info("store cannot hand back runs claimed ahead; delivering them at their time", "runs", len(js))
		e.keepAhead(ctx, js)
		return
	}
	// Shutdown ended ctx; the store still gets a moment.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.releaseIn)
	defer cancel()
	released, gone := 0, 0
	for done := 0; done < len(js); {
		if !js[done].at.After(e.clock.Now().Add(releaseMargin)) {
			// Handing back the earlier runs took until these are about
			// due (a slow store, a huge burst): they go out from here.
			e.keepAhead(ctx, js[done:])
			break
		}
		chunk := js[done:min(done+claimChunk, len(js))]
		cs := make([]Claim, len(chunk))
		for i, j := range chunk {
			// A run claimed ahead was not missed: its claim took NextRun
			// itself (Expect == At).
			cs[i] = Claim{Reminder: j.r.ID, Expect: j.at, At: j.at, Next: j.r.NextRun, Owner: e.owner, LeaseUntil: j.lease}
		}
		ok, err := rel.Release(rctx, cs)
		if err == nil && len(ok) != len(cs) {
			err = errShortRelease
		}
		if err != nil {
			e.log.Warn("could not hand back runs claimed ahead; delivering them at their time", "runs", len(js)-done, "err", err)
			e.keepAhead(ctx, js[done:])
			break
		}
		for i, j := range chunk {
			// Not released: no longer this instance's as claimed (its
			// reminder was deleted), so not to be delivered either.
			if ok[i] {
				released++
			} else {
				gone++
			}
			e.finish(nil, j.key)
			<-e.ahead
			e.wg.Done()
		}
		done += len(chunk)
	}
	if released+gone > 0 {
		e.log.Info("handed back runs claimed ahead of their time", "runs", released, "gone", gone)
	}
}

// errShortRelease is a store's answer to Release that does not answer
// every claim.
var errShortRelease = errors.New("schedule: store answered fewer releases than asked")

// keepAhead queues again runs taken out to be handed back: they are
// delivered at their time, and Run waits for them.
func (e *Engine) keepAhead(ctx context.Context, js []*job) {
	for _, j := range js {
		e.await(ctx, j)
	}
}
