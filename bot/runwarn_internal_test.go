package bot

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// stepClock is a clock moved by hand.
type stepClock struct{ now time.Time }

func (c *stepClock) Now() time.Time                 { return c.now }
func (c *stepClock) NewTimer(d time.Duration) Timer { return SystemClock{}.NewTimer(d) }

// A thousand runs failing on the store in a second write one line, and the
// next line, a minute on, says how many were left out.
func TestRunWarningsAreThrottled(t *testing.T) {
	var out bytes.Buffer
	clock := &stepClock{now: time.Unix(1_800_000_000, 0)}
	b := &Bot{clock: clock, log: slog.New(slog.NewTextHandler(&out, nil))}
	for range 1000 {
		b.runWarn("no routine for delivery", "err", "store down")
	}
	if n := strings.Count(out.String(), "\n"); n != 1 {
		t.Fatalf("%d lines for 1000 warnings within a second, want 1:\n%s", n, out.String())
	}
	clock.now = clock.now.Add(runWarnEvery)
	b.runWarn("could not record last break", "err", "store down")
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "suppressed_since_last=999") {
		t.Errorf("after a minute: %q, want a second line counting 999 left out", lines)
	}
}
