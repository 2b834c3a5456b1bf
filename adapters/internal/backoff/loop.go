package backoff

import (
	"context"
	"errors"
	"time"
)

// fatal marks an error that retrying cannot fix.
type fatal struct{ err error }

func (f fatal) Error() string { return f.err.Error() }
func (f fatal) Unwrap() error { return f.err }

// Fatal marks err so that Loop.Forever stops and returns it (unwrapped)
// instead of trying again: a rejected token, say. Fatal(nil) is nil.
func Fatal(err error) error {
	if err == nil {
		return nil
	}
	return fatal{err}
}

// Loop runs a connection again and again with waits from Policy between
// runs. The zero values of Now and Sleep are time.Now and Sleep.
type Loop struct {
	Policy Policy
	// Now measures how long a run lasted, for Policy.Healthy.
	Now func() time.Time
	// Sleep waits between runs; tests pass one that returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnRetry, when set, hears about every failed run and the wait before
	// the next one (for logging).
	OnRetry func(err error, wait time.Duration)
}

// Forever calls run until ctx is done, waiting per the policy after every
// run that returns while ctx is still live (with an error or without: a
// connection that ends is reconnected). It returns nil once ctx is done,
// and returns at once, without the mark, an error run marked with Fatal.
func (l Loop) Forever(ctx context.Context, run func(context.Context) error) error {
	now, sleep := l.Now, l.Sleep
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = Sleep
	}
	n := 0
	for ctx.Err() == nil {
		start := now()
		err := run(ctx)
		if ctx.Err() != nil {
			return nil
		}
		var f fatal
		if errors.As(err, &f) {
			return f.err
		}
		if l.Policy.Healthy > 0 && now().Sub(start) >= l.Policy.Healthy {
			n = 0
		}
		wait := l.Policy.Delay(n)
		if l.OnRetry != nil {
			l.OnRetry(err, wait)
		}
		if sleep(ctx, wait) != nil {
			return nil
		}
		n++
	}
	return nil
}
