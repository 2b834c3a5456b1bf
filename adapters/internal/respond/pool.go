package respond

import (
	"sync"
	"time"
)

// idleFor is how long a pooled goroutine waits for more work before it
// ends: long enough to carry a steady stream of requests, short enough
// that an idle process keeps none.
const idleFor = 5 * time.Second

// goroutines runs every Worker's background work on goroutines that stay
// for the next piece once theirs is done. A request's work goes deep (the
// core, the store, SQLite's virtual machine): a fresh goroutine grows its
// stack several times on the way, copying it each time, while a reused
// one has grown it already.
var goroutines pool

// pool hands work to an idle goroutine, or starts one when none is idle.
// The zero value is ready to use.
type pool struct {
	work chan func() // unbuffered: a send succeeds only into an idle goroutine
	once sync.Once
}

// run runs f on a goroutine of its own, now.
func (p *pool) run(f func()) {
	p.once.Do(func() { p.work = make(chan func()) })
	select {
	case p.work <- f:
	default:
		go p.serve(f)
	}
}

// serve runs f, then whatever else is handed to it until it has idled for
// idleFor.
func (p *pool) serve(f func()) {
	f()
	idle := time.NewTimer(idleFor)
	defer idle.Stop()
	for {
		select {
		case f := <-p.work:
			f()
			idle.Reset(idleFor)
		case <-idle.C:
			return
		}
	}
}

// budgets keeps the timers Answer waits on, so that a request started and
// stopped one without allocating a new one.
var budgets = sync.Pool{New: func() any {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}}
