package backoff

import "time"

// Budget bounds the retries of one API call: at most Attempts tries in
// all and MaxWait of waiting between them. A wait is the server's hint
// (Retry-After) when it gave one, else the Policy's delay. Both adapters
// bound their answers to users with it.
type Budget struct {
	Attempts int
	MaxWait  time.Duration
	Policy   Policy
}

// Retries tracks one call against its Budget; it is not safe for
// concurrent use (one call, one goroutine).
type Retries struct {
	budget Budget
	tries  int
	waited time.Duration
}

// Start begins counting the tries of one call.
func (b Budget) Start() *Retries { return &Retries{budget: b} }

// Next records a failed try worth repeating and returns how long to wait
// before the next one, hint when positive. ok is false when the call must
// give up: with wait 0 when no try is left, with the wait it would have
// needed when that wait would overrun MaxWait (a caller may pass it on as
// its own Retry-After).
func (r *Retries) Next(hint time.Duration) (wait time.Duration, ok bool) {
	r.tries++
	if r.tries >= r.budget.Attempts {
		return 0, false
	}
	wait = hint
	if wait <= 0 {
		wait = r.budget.Policy.Delay(r.tries - 1)
	}
	if r.waited+wait > r.budget.MaxWait {
		return wait, false
	}
	r.waited += wait
	return wait, true
}
