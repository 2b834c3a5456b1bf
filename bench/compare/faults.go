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

// faultySlack is a Slack Web API that allows rate posts a second and
// besides refuses 30 % of posts at random: 15 % with 429 (Retry-After: 1)
// and 15 % with 500.
//
//   - The allowance is a token bucket holding a second's worth, full at
//     start: once that second's worth is spent, rate × t is the most that
//     can be accepted in t. A post beyond it is answered 429 with the
//     Retry-After until a token is free (whole seconds, as Slack says), as
//     a workspace-wide posting limit is.
//   - A refused post, at random or beyond the rate, uses none of the
//     allowance: the allowance counts messages posted.
//   - A random 429 limits that channel, as Slack's per-channel limit does:
//     a post to it within its Retry-After is refused again (429, counted
//     as early).
type faultySlack struct {
	rate float64

	mu                            sync.Mutex
	rng                           *rand.Rand
	tokens                        float64
	refilled                      time.Time
	accepted                      map[string]int
	blocked                       map[string]time.Time // channel → end of its random 429's Retry-After
	last                          time.Time
	limited, random429, e5, early int
	// start and secs: answers by kind in each second from start, for
	// the progress line.
	start time.Time
	secs  [][5]int // accepted, 429 beyond the rate, 429 at random, 500, early
	// now is the fake's clock (time.Now; a test holds it still).
	now func() time.Time
}

func newFaultySlack(rate float64) *faultySlack {
	return &faultySlack{rate: rate, tokens: rate, refilled: time.Now(), rng: rand.New(rand.NewPCG(3, 5)),
		accepted: map[string]int{}, blocked: map[string]time.Time{}, now: time.Now}
}

// startAt counts answers by second from t, when the measured burst is
// due.
func (f *faultySlack) startAt(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.start = t
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
	now := f.now()
	f.tokens = min(f.rate, f.tokens+now.Sub(f.refilled).Seconds()*f.rate)
	f.refilled = now
	code, retry, kind := http.StatusOK, 0, 0
	switch x := f.rng.IntN(100); {
	case now.Before(f.blocked[channel]):
		code, retry = http.StatusTooManyRequests, int(math.Ceil(f.blocked[channel].Sub(now).Seconds()))
		f.early++
		kind = 4
	case x < 15:
		code, retry = http.StatusTooManyRequests, 1
		f.blocked[channel] = now.Add(time.Second)
		f.random429++
		kind = 2
	case x < 30:
		code = http.StatusInternalServerError
		f.e5++
		kind = 3
	case f.tokens < 1:
		code, retry = http.StatusTooManyRequests, max(1, int(math.Ceil((1-f.tokens)/f.rate)))
		f.limited++
		kind = 1
	default:
		f.tokens--
		f.accepted[channel]++
		f.last = now
	}
	if sec := int(now.Sub(f.start) / time.Second); !f.start.IsZero() && !now.Before(f.start) && sec < 600 {
		for len(f.secs) <= sec {
			f.secs = append(f.secs, [5]int{})
		}
		f.secs[sec][kind]++
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

// acceptedIn is how many posts were accepted in the whole seconds
// [from, to) after start.
func (f *faultySlack) acceptedIn(from, to int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for i, c := range f.secs {
		if i >= from && i < to {
			n += c[0]
		}
	}
	return n
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

// faultRows measures, for each allowed rate R, the binary delivering team
// breaks (one channel each, so Slack's per-channel pace does not count)
// on SQLite with one instance against faultySlack: 2·R·(w+1) runs due at
// once, twice what can be accepted by the end of the window, so that the
// bot always has more to deliver than R allows; deliveries/s is what was
// accepted in the window w starting a second after the due time (when
// the allowance saved up before it is spent), over w. The retries of the last runs (the engine's backoff after a 500,
// 5 s and doubling) are a tail of latency, not a lack of throughput, and
// fall after the window; the row says when the last run arrived, and
// counts doubles over all of them.
func faultRows(ctx context.Context, p plan, dir string) []row {
	var rows []row
	for _, rate := range p.faultRates {
		n := int(2 * rate * (p.faultDur.Seconds() + 1))
		pair := fmt.Sprintf("faults: %s team breaks due at once, Slack allowing %s posts/s and refusing 30 %% at random (15 %% 429, 15 %% 500); SQLite, one instance; deliveries in %s from 1 s after the due time; cut off after %s",
			num(n), num(int(rate)), secs(p.faultDur), secs(p.faultMax))
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
	fake.startAt(due)
	slackAPI := httptest.NewServer(fake)
	defer slackAPI.Close()
	_, discordAPI := fakeAPIs()
	defer discordAPI.Close()
	progress("faults: %d runs against %g posts/s", n, rate)
	// The refusals are the point of the run, and each retry they cause is
	// a warning in the binary's log; the row counts them itself.
	b, err := startBinary(ctx, bin, t.DSN, slackAPI.URL, discordAPI.URL, "error")
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
	inWindow := fake.acceptedIn(1, 1+int(p.faultDur/time.Second))
	perSec := float64(inWindow) / p.faultDur.Seconds()
	fake.mu.Lock()
	var timeline []string
	for _, c := range fake.secs {
		timeline = append(timeline, fmt.Sprintf("%d/%d/%d/%d/%d", c[0], c[1], c[2], c[3], c[4]))
	}
	progress("faults: each second from the due time, accepted/429 beyond the rate/429 at random/500/429 early: %s", strings.Join(timeline, " "))
	refused := fmt.Sprintf("429 beyond the rate %s, 429 at random %s, 500 %s, 429 for posting to a channel within its Retry-After %s",
		num(fake.limited), num(fake.random429), num(fake.e5), num(fake.early))
	fake.mu.Unlock()
	all := fmt.Sprintf("all %s by %s", num(n), secs(last.Sub(due).Round(100*time.Millisecond)))
	if got < n {
		all = fmt.Sprintf("%s of %s by the cut-off", num(got), num(n))
	}
	us = fmt.Sprintf("%.0f deliveries/s (%s in the %s window; %s; dup %d; refused: %s)", perSec, num(inWindow), secs(p.faultDur), all, doubles, refused)
	return us, fmt.Sprintf("%s posts/s allowed", num(int(rate))), fmt.Sprintf("%.0f %% of the allowed rate", 100*perSec/rate), nil
}
