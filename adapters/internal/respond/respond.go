// Package respond holds the request plumbing every chat adapter needs: the
// race between answering a request now and acknowledging it to answer
// later (Slack allows 3 seconds for a slash command, Discord 3 for an
// interaction), background work that outlives the request, and the
// apology a user sees when a handler panics.
package respond

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Worker runs an adapter's request work in the background. The zero value
// is not usable: WG must be set.
type Worker struct {
	// Name prefixes log messages ("slack", "discord").
	Name string
	// Log records panics; nil means slog.Default().
	Log *slog.Logger
	// Budget is how long Answer waits for the work before acknowledging
	// without it: the platform's deadline less time for the network.
	Budget time.Duration
	// Limit bounds each piece of background work (the work itself and a
	// late answer), which no longer has the request to end it.
	Limit time.Duration
	// WG counts the background goroutines so that shutdown and tests can
	// wait for them.
	WG *sync.WaitGroup
	// After starts the Budget timer; nil means a timer of Budget. Tests pass a
	// timer they fire themselves.
	After func(time.Duration) <-chan time.Time
}

// Race is one request that must be answered within a deadline.
type Race[T any] struct {
	// Work computes the answer. It runs in the background with a context
	// that the end of the request does not cancel.
	Work func(ctx context.Context) T
	// Now sends the answer as the response. It runs on the caller's
	// goroutine, before Answer returns.
	Now func(T)
	// Ack acknowledges the request without the answer when Work is too
	// slow. It runs on the caller's goroutine, before Answer returns and
	// before Later.
	Ack func()
	// Later sends the answer after Ack, in the background.
	Later func(ctx context.Context, answer T)
	// Fallback is the answer when Work panics.
	Fallback T
	// Quick, when set, may answer at once on the caller's goroutine: if
	// it reports ok, its answer goes to Now and Work never runs. It must
	// be cheap and do no I/O (see the package's Quick).
	Quick func() (T, bool)
	// Check, when set, decides on the caller's goroutine whether the
	// request may be answered at all (its replay record), while Work
	// already runs: only for work that changes nothing (see Pure). When
	// it reports false it has answered the request itself; Answer then
	// sends nothing and Work's answer is dropped.
	Check func() bool
}

// Answer starts r.Work and waits up to w.Budget for it. If it finishes in
// time its answer goes to r.Now; otherwise r.Ack acknowledges the request
// and r.Later receives the answer once it is ready. Either way Answer
// returns once the request has its response, so the caller may return from
// its HTTP handler. With r.Check, nothing is sent until it has passed.
func Answer[T any](ctx context.Context, w Worker, r Race[T]) {
	if r.Quick != nil {
		// An answer ready now needs neither a goroutine nor a timer.
		if answer, ok := quick(w, r.Quick); ok {
			if r.Check == nil || r.Check() {
				r.Now(answer)
			}
			return
		}
	}
	done := make(chan T, 1)
	w.Go(ctx, func(ctx context.Context) {
		answer := r.Fallback
		// Sending in a defer delivers the fallback when Work panics, so
		// neither the caller nor Later waits forever.
		defer func() { done <- answer }()
		answer = r.Work(ctx)
	})
	var expired <-chan time.Time
	if w.After != nil {
		expired = w.After(w.Budget)
	} else {
		t := budgets.Get().(*time.Timer)
		t.Reset(w.Budget)
		// Stopped, the timer delivers nothing stale to its next user.
		defer func() { t.Stop(); budgets.Put(t) }()
		expired = t.C
	}
	if r.Check != nil && !r.Check() {
		// Work finishes in the background; done holds its answer.
		return
	}
	select {
	case answer := <-done:
		r.Now(answer)
		return
	case <-expired:
	}
	r.Ack()
	w.WG.Add(1)
	go func() {
		defer w.WG.Done()
		// The late answer's time starts when the answer is ready.
		answer := <-done
		w.run(ctx, func(ctx context.Context) { r.Later(ctx, answer) })
	}()
}

// quick calls f, treating a panic as no answer (logged): Work then runs
// and meets the same input with its own protection.
func quick[T any](w Worker, f func() (T, bool)) (answer T, ok bool) {
	defer func() {
		if v := recover(); v != nil {
			w.logPanic("quick answer", v)
			var zero T
			answer, ok = zero, false
		}
	}()
	return f()
}

// Go runs f in the background with a context detached from ctx's
// cancellation and bounded by w.Limit, counted in w.WG. A panic in f is
// logged, not fatal.
func (w Worker) Go(ctx context.Context, f func(ctx context.Context)) {
	w.WG.Add(1)
	goroutines.run(func() {
		defer w.WG.Done()
		w.run(ctx, f)
	})
}

// run calls f with a context detached from ctx and bounded by w.Limit,
// logging a panic.
func (w Worker) run(ctx context.Context, f func(ctx context.Context)) {
	defer func() {
		if v := recover(); v != nil {
			w.logPanic("background work", v)
		}
	}()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.Limit)
	defer cancel()
	f(ctx)
}

// logPanic logs v, recovered in what, with the stack of the panic.
func (w Worker) logPanic(what string, v any) {
	log := w.Log
	if log == nil {
		log = slog.Default()
	}
	log.Error(w.Name+": panic in "+what, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
}

// Handle calls h for m, answering with Apology if it panics.
func (w Worker) Handle(ctx context.Context, h bot.Handler, m bot.Message) bot.Reply {
	return protect(w, "handler", Apology, func() bot.Reply { return h.Handle(ctx, m) })
}

// HandleAction calls h for a button press, answering the presser privately
// with Apology if it panics.
func (w Worker) HandleAction(ctx context.Context, h bot.Handler, e bot.ActionEvent) bot.ActionResult {
	return protect(w, "action handler", ActionApology, func() bot.ActionResult { return h.HandleAction(ctx, e) })
}

// protect calls f; if it panics, it logs the panic in what and returns
// fallback() instead.
func protect[T any](w Worker, what string, fallback func() T, f func() T) (out T) {
	defer func() {
		if v := recover(); v != nil {
			w.logPanic(what, v)
			out = fallback()
		}
	}()
	return f()
}

// Apology is the private answer when something failed inside the bot
// rather than in what the user typed: the same words on every platform.
func Apology() bot.Reply {
	return bot.Reply{
		Blocks:     []string{"Sorry, that went wrong on our side and has been logged. Please try again."},
		Visibility: bot.Private,
		Error:      true,
	}
}

// ActionApology answers a button press with Apology, privately to the
// presser, leaving the message as it was.
func ActionApology() bot.ActionResult {
	r := Apology()
	return bot.ActionResult{Ephemeral: &r}
}

// ExpireNow returns a Worker.After for tests that ends every budget at
// once, taking the slow path. When then is not nil it is called each time
// the race has seen its budget end, so a test can release work it held
// back without sleeping. Use it only with work held back so: work that
// wins the race leaves the timer's goroutine waiting.
func ExpireNow(then func()) func(time.Duration) <-chan time.Time {
	return func(time.Duration) <-chan time.Time {
		c := make(chan time.Time)
		go func() {
			// The send completes only when Answer's select takes it.
			c <- time.Time{}
			if then != nil {
				then()
			}
		}()
		return c
	}
}
