package backoff

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// fakeClock is a settable clock whose Sleep advances it instead of
// waiting. Loop calls it from one goroutine, so it needs no lock.
type fakeClock struct {
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.t }

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func TestSleep(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		d    time.Duration
		want error
	}{
		{"zero returns at once", context.Background(), 0, nil},
		{"negative returns at once", context.Background(), -time.Hour, nil},
		{"short wait", context.Background(), time.Microsecond, nil},
		{"done context wins over a long wait", cancelled, time.Hour, context.Canceled},
		{"done context with zero wait", cancelled, 0, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sleep(tt.ctx, tt.d); !errors.Is(got, tt.want) || (tt.want == nil && got != nil) {
				t.Errorf("Sleep(%v) = %v, want %v", tt.d, got, tt.want)
			}
		})
	}
}

func TestPolicyDelay(t *testing.T) {
	const s = time.Second
	exp := Policy{Min: s, Max: 8 * s, Factor: 2, Jitter: 0.5}
	tests := []struct {
		name string
		p    Policy
		n    int
		r    float64 // the random draw
		want time.Duration
	}{
		{"first, no jitter drawn", exp, 0, 0, s},
		{"first, most jitter", exp, 0, 1, s / 2},
		{"doubles", exp, 2, 0, 4 * s},
		{"capped at Max", exp, 10, 0, 8 * s},
		{"capped, most jitter", exp, 10, 1, 4 * s},
		{"huge n stays capped", exp, 1 << 20, 0.5, 6 * s},
		{"negative n is the first", exp, -3, 0, s},
		{"factor below 1 means 2", Policy{Min: s, Max: time.Minute}, 3, 0, 8 * s},
		{"factor 3", Policy{Min: s, Max: time.Minute, Factor: 3}, 2, 0, 9 * s},
		{"no jitter", Policy{Min: s, Max: time.Minute, Factor: 2}, 1, 0.99, 2 * s},
		{"jitter clamped to 1", Policy{Min: s, Factor: 2, Jitter: 7}, 0, 0.5, s / 2},
		{"no Max, huge n does not overflow", Policy{Min: s, Factor: 2}, 1 << 20, 0, time.Duration(1<<63 - 1)},
		{"Reconnect starts at 0.5–1 s", Reconnect, 0, 1, s / 2},
		{"Reconnect caps at 2 min", Reconnect, 30, 0, 2 * time.Minute},
		{"Request starts at 0.5–0.75 s", Request, 0, 1, 500 * time.Millisecond},
		{"Request second wait up to 1.5 s", Request, 1, 0, 1500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.delay(tt.n, tt.r); got != tt.want {
				t.Errorf("delay(%d, %v) = %v, want %v", tt.n, tt.r, got, tt.want)
			}
		})
	}
	t.Run("Delay stays in the jitter range", func(t *testing.T) {
		for n := range 20 {
			hi := exp.nominal(n)
			if d := exp.Delay(n); d < hi/2 || d > hi {
				t.Errorf("Delay(%d) = %v, want in [%v, %v]", n, d, hi/2, hi)
			}
		}
	})
}

func TestForever(t *testing.T) {
	const s = time.Second
	p := Policy{Min: s, Max: 8 * s, Factor: 2, Jitter: 0.5, Healthy: time.Minute}
	errDrop := errors.New("dropped")
	tests := []struct {
		name string
		// step is run n (1-based); it may advance the clock or cancel.
		step       func(n int, clock *fakeClock, cancel func()) error
		wantErr    error
		wantRuns   int
		wantCaps   []time.Duration // upper bound of each wait; lower is half
		wantLogged int
	}{
		{
			name: "retries with growing waits until ctx is done",
			step: func(n int, _ *fakeClock, cancel func()) error {
				if n == 7 {
					cancel()
					return context.Canceled
				}
				return errDrop
			},
			wantRuns: 7, wantCaps: []time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 8 * s, 8 * s}, wantLogged: 6,
		},
		{
			name: "a healthy run resets the backoff; fatal stops",
			step: func(n int, clock *fakeClock, _ func()) error {
				switch n {
				case 3:
					clock.t = clock.t.Add(2 * time.Minute) // a long, healthy connection
				case 4:
					return Fatal(fmt.Errorf("bad token: %w", errDrop))
				}
				return errDrop
			},
			wantErr: errDrop, wantRuns: 4, wantCaps: []time.Duration{1 * s, 2 * s, 1 * s}, wantLogged: 3,
		},
		{
			name: "a run that ends without error is run again",
			step: func(n int, _ *fakeClock, cancel func()) error {
				if n == 3 {
					cancel()
				}
				return nil
			},
			wantRuns: 3, wantCaps: []time.Duration{1 * s, 2 * s}, wantLogged: 2,
		},
		{
			name: "fatal on the first run",
			step: func(int, *fakeClock, func()) error {
				return Fatal(errDrop)
			},
			wantErr: errDrop, wantRuns: 1,
		},
		{
			name: "ctx done during a run ends without a wait",
			step: func(n int, _ *fakeClock, cancel func()) error {
				cancel()
				return errDrop
			},
			wantRuns: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fakeClock{t: time.Unix(0, 0)}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			runs, logged := 0, 0
			l := Loop{Policy: p, Now: clock.Now, Sleep: clock.Sleep, OnRetry: func(error, time.Duration) { logged++ }}
			err := l.Forever(ctx, func(context.Context) error {
				runs++
				return tt.step(runs, clock, cancel)
			})
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Forever = %v, want %v", err, tt.wantErr)
			}
			var f fatal
			if errors.As(err, &f) {
				t.Errorf("Forever returned the Fatal mark: %v", err)
			}
			if runs != tt.wantRuns || logged != tt.wantLogged {
				t.Errorf("runs = %d, logged = %d; want %d, %d", runs, logged, tt.wantRuns, tt.wantLogged)
			}
			sleeps := clock.sleeps
			if len(sleeps) != len(tt.wantCaps) {
				t.Fatalf("sleeps = %v, want %d", sleeps, len(tt.wantCaps))
			}
			for i, d := range sleeps {
				if hi := tt.wantCaps[i]; d < hi/2 || d > hi {
					t.Errorf("sleep %d = %v, want in [%v, %v]", i, d, hi/2, hi)
				}
			}
		})
	}
	t.Run("ctx done while sleeping", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		runs := 0
		sleep := func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
		err := Loop{Policy: p, Sleep: sleep}.Forever(ctx, func(context.Context) error {
			runs++
			return errDrop
		})
		if err != nil || runs != 1 {
			t.Errorf("Forever = %v after %d runs, want nil after 1", err, runs)
		}
	})
	t.Run("done context never runs", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		err := Loop{Policy: p}.Forever(ctx, func(context.Context) error {
			t.Error("run called with a done context")
			return nil
		})
		if err != nil {
			t.Errorf("Forever = %v, want nil", err)
		}
	})
}

func TestFatalNil(t *testing.T) {
	if err := Fatal(nil); err != nil {
		t.Errorf("Fatal(nil) = %v, want nil", err)
	}
	err := Fatal(errors.New("bad token"))
	if err.Error() != "bad token" {
		t.Errorf("Fatal(err).Error() = %q, want the cause's message", err)
	}
}

func TestBudget(t *testing.T) {
	const s = time.Second
	b := Budget{Attempts: 3, MaxWait: 10 * s, Policy: Policy{Min: s, Max: 8 * s, Factor: 2}} // no jitter: exact waits
	type step struct {
		hint   time.Duration
		wait   time.Duration
		wantOK bool
	}
	tests := []struct {
		name  string
		b     Budget
		steps []step
	}{
		{"policy waits, then out of tries", b, []step{{0, s, true}, {0, 2 * s, true}, {0, 0, false}}},
		{"hints win over the policy", b, []step{{3 * s, 3 * s, true}, {4 * s, 4 * s, true}, {s, 0, false}}},
		{"a hint beyond MaxWait gives up at once", b, []step{{2 * time.Minute, 2 * time.Minute, false}}},
		{"total wait is capped", b, []step{{6 * s, 6 * s, true}, {5 * s, 5 * s, false}}},
		{"negative hint means none", b, []step{{-s, s, true}}},
		{"one attempt never retries", Budget{Attempts: 1, MaxWait: time.Hour, Policy: b.Policy}, []step{{s, 0, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.b.Start()
			for i, st := range tt.steps {
				wait, ok := r.Next(st.hint)
				if wait != st.wait || ok != st.wantOK {
					t.Errorf("try %d: Next(%v) = %v, %v; want %v, %v", i+1, st.hint, wait, ok, st.wait, st.wantOK)
				}
			}
		})
	}
}
