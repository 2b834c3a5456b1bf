package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// faultySlack is a Slack Web API that allows rate posts a second (a token
// bucket holding a second's worth) and answers 429 with Retry-After beyond
// it, and besides refuses 30 % of posts at random: 15 % with 429
// (Retry-After: 1) and 15 % with 500. A refused post uses none of the
// allowance, so rate is the most that can be delivered.
type faultySlack struct {
	rate float64

	mu                     sync.Mutex
	rng                    *rand.Rand
	tokens                 float64
	refilled               time.Time
	accepted               map[string]int
	last                   time.Time
	limited, random429, e5 int
}

func newFaultySlack(rate float64) *faultySlack {
	return &faultySlack{rate: rate, tokens: rate, refilled: time.Now(), rng: rand.New(rand.NewPCG(3, 5)), accepted: map[string]int{}}
}

func (f *faultySlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	w.Header().Set("Content-Type", "application/json")
	if !strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
		io.WriteString(w, `{"ok":true}`)
		return
	}
	channel := r.Form.Get("channel")
	f.mu.Lock()
	now := time.Now()
	f.tokens = min(f.rate, f.tokens+now.Sub(f.refilled).Seconds()*f.rate)
	f.refilled = now
	code, retry := http.StatusOK, 0
	switch x := f.rng.IntN(100); {
	case x < 15:
		code, retry = http.StatusTooManyRequests, 1
		f.random429++
	case x < 30:
		code = http.StatusInternalServerError
		f.e5++
	case f.tokens < 1:
		// Slack says whole seconds.
		code, retry = http.StatusTooManyRequests, int(math.Ceil((1-f.tokens)/f.rate))
		f.limited++
	default:
		f.tokens--
		f.accepted[channel]++
		f.last = now
	}
	f.mu.Unlock()
	switch code {
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", fmt.Sprint(retry))
		w.WriteHeader(code)
	case http.StatusInternalServerError:
		w.WriteHeader(code)
	default:
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"%d.000100"}`, channel, now.UnixNano())
	}
}

// delivered is how many channels got their post, how many got it more
// than once, and when the latest arrived.
func (f *faultySlack) delivered() (n, doubles int, last time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.accepted {
		if c > 1 {
			doubles++
		}
	}
	return len(f.accepted), doubles, f.last
}

// stretchbotBinary builds ./cmd/stretchbot into dir once per run (or uses
// the plan's prebuilt one).
func stretchbotBinary(ctx context.Context, p plan, dir string) (string, error) {
	if p.stretchbot != "" {
		return p.stretchbot, nil
	}
	bin := filepath.Join(dir, "stretchbot")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	progress("building ./cmd/stretchbot")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/stretchbot")
	build.Dir, build.Stderr = root, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/stretchbot: %w", err)
	}
	return bin, nil
}

// faultRows measures, for each allowed rate R, the binary delivering a
// burst of team breaks (one channel each, so Slack's per-channel pace does
// not count) on SQLite with one instance against faultySlack: deliveries
// a second against R.
func faultRows(ctx context.Context, p plan, dir string) []row {
	var rows []row
	for _, rate := range p.faultRates {
		n := int(rate * p.faultDur.Seconds())
		pair := fmt.Sprintf("faults: %s team breaks due at once, Slack allowing %s posts/s and refusing 30 %% at random (15 %% 429, 15 %% 500); SQLite, one instance; cut off after %s",
			num(n), num(int(rate)), secs(p.faultMax))
		us, base, ratio, err := faultRun(ctx, p, dir, rate, n)
		if err != nil {
			rows = append(rows, row{pair, "not measured: " + oneLine(err.Error()), "–", "–"})
			continue
		}
		rows = append(rows, row{pair, us, base, ratio})
	}
	return rows
}

func faultRun(ctx context.Context, p plan, dir string, rate float64, n int) (us, base, ratio string, err error) {
	bin, err := stretchbotBinary(ctx, p, dir)
	if err != nil {
		return "", "", "", err
	}
	t, done, err := target(ctx, harness.SQLite, dir, fmt.Sprintf("faults-%d", int(rate)))
	if err != nil {
		return "", "", "", err
	}
	defer done()
	// Due a few seconds from now, after the binary has started.
	due := time.Now().Add(3 * time.Second).Truncate(time.Second)
	rule, err := when.Parser{MinInterval: time.Second}.Parse("in 1 hour", time.UTC, due.Add(-time.Hour))
	if err != nil {
		return "", "", "", err
	}
	err = harness.SeedSQL(ctx, t, n, func(i int) bot.Reminder {
		return bot.Reminder{ID: harness.ID('f', i), Tenant: "T1", Platform: bot.Slack, Kind: bot.ChannelSchedule,
			Owner: "U1", Channel: bot.ChannelID(fmt.Sprintf("C%06d", i)), Rule: rule.Spec(), Zone: "UTC",
			NextRun: due, CreatedAt: due.Add(-time.Hour)}
	})
	if err != nil {
		return "", "", "", err
	}
	fake := newFaultySlack(rate)
	slackAPI := httptest.NewServer(fake)
	defer slackAPI.Close()
	_, discordAPI := fakeAPIs()
	defer discordAPI.Close()
	progress("faults: %d runs against %g posts/s", n, rate)
	b, err := startBinary(ctx, bin, t.DSN, slackAPI.URL, discordAPI.URL)
	if err != nil {
		return "", "", "", err
	}
	defer b.stop()
	if time.Now().After(due) {
		return "", "", "", fmt.Errorf("the binary started after the runs were due")
	}
	cut := due.Add(p.faultMax)
	for ctx.Err() == nil && time.Now().Before(cut) {
		if got, _, _ := fake.delivered(); got >= n {
			break
		}
		sleep(ctx, 20*time.Millisecond)
	}
	got, doubles, last := fake.delivered()
	span := last.Sub(due)
	if got < n {
		span = time.Since(due)
	}
	perSec := float64(got) / span.Seconds()
	fake.mu.Lock()
	refused := fmt.Sprintf("429 beyond the rate %s, 429 at random %s, 500 %s", num(fake.limited), num(fake.random429), num(fake.e5))
	fake.mu.Unlock()
	us = fmt.Sprintf("%.0f deliveries/s (%s of %s in %s; dup %d; refused: %s)", perSec, num(got), num(n), secs(span.Round(100*time.Millisecond)), doubles, refused)
	return us, fmt.Sprintf("%s posts/s allowed", num(int(rate))), fmt.Sprintf("%.0f %% of the allowed rate", 100*perSec/rate), nil
}
