package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
)

// The schedulers' side runs for real, tiny and in-process, so the harness
// cannot rot: each finds every run of its window once.
func TestChildSmoke(t *testing.T) {
	// All three at once, sharing one window (parallel subtests could
	// queue behind GOMAXPROCS and miss it).
	start := time.Now().Add(1100 * time.Millisecond).Truncate(time.Second).Add(time.Second)
	jobs := []job{
		{Role: "robfig", Shape: shapeMinute, N: 120, Start: start, Dur: time.Second},
		{Role: "engine", Shape: shapeMinute, Store: harness.Target{Kind: harness.Memory}, N: 120, Start: start, Dur: time.Second},
		{Role: "engine", Shape: shapeBurst, Store: harness.Target{Kind: harness.Memory}, N: 50, Start: start, Dur: time.Second},
	}
	outs := make([]bytes.Buffer, len(jobs))
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() { errs[i] = runChild(context.Background(), j, &outs[i], nil) })
	}
	wg.Wait()
	for i, j := range jobs {
		t.Run(j.Role+"-"+j.Shape, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("runChild: %v\n%s", errs[i], outs[i].String())
			}
			res := lastResult(t, outs[i].String())
			want := 50
			if j.Shape == shapeMinute {
				want = expectedRuns(j.N, j.Start, j.Dur)
			}
			if res.Delivered != want || res.Dups != 0 {
				t.Errorf("delivered %d (dup %d), want %d once each", res.Delivered, res.Dups, want)
			}
			if res.CPU <= 0 || res.Wall <= 0 || res.PeakRSS == 0 {
				t.Errorf("no measurement: %+v", res)
			}
		})
	}
}

func lastResult(t *testing.T, out string) result {
	t.Helper()
	var res result
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "R "); ok {
			if err := json.Unmarshal([]byte(line), &res); err != nil {
				t.Fatal(err)
			}
			return res
		}
	}
	t.Fatalf("no result line in %q", out)
	return res
}

// The bare handlers check what the binary checks: the load generator's
// requests pass, a forged one does not.
func TestBareHandlersVerify(t *testing.T) {
	srv := httptest.NewServer(bareHandler())
	defer srv.Close()
	send := func(req *http.Request, err error) (int, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		code, size, err := probe(req)
		if err != nil {
			t.Fatal(err)
		}
		return code, size
	}
	if code, size := send(slackCommand(srv.URL, "/slack/42", "help", 1, "http://x/")); code != 200 || size != 42 {
		t.Errorf("slack = %d, %d bytes; want 200, 42", code, size)
	}
	if code, size := send(discordCommand(srv.URL, "/discord/1234", "help", nil, 1)); code != 200 || size != 1234 {
		t.Errorf("discord = %d, %d bytes; want 200, 1234", code, size)
	}
	req, err := slackCommand(srv.URL, "/slack/42", "help", 1, "http://x/")
	req.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64))
	if code, _ := send(req, err); code != http.StatusUnauthorized {
		t.Errorf("forged slack = %d, want 401", code)
	}
	req, err = discordCommand(srv.URL, "/discord/42", "help", nil, 1)
	req.Header.Set("X-Signature-Timestamp", "1")
	if code, _ := send(req, err); code != http.StatusUnauthorized {
		t.Errorf("stale discord = %d, want 401", code)
	}
}

func TestExpectedRuns(t *testing.T) {
	at := func(sec int) time.Time { return time.Date(2026, 1, 1, 0, 0, sec, 0, time.UTC) }
	for _, tt := range []struct {
		n     int
		start time.Time
		dur   time.Duration
		want  int
	}{
		{120, at(0), time.Minute, 120},
		{130, at(0), time.Second, 3}, // schedules 0, 60, 120
		{130, at(10), time.Second, 2},
		{130, at(58), 4 * time.Second, 2 + 2 + 3 + 3},
	} {
		if got := expectedRuns(tt.n, tt.start, tt.dur); got != tt.want {
			t.Errorf("expectedRuns(%d, :%02d, %s) = %d, want %d", tt.n, tt.start.Second(), tt.dur, got, tt.want)
		}
	}
}

// Without PostgreSQL its rows say so, and the rest still runs.
func TestPostgresUnreachable(t *testing.T) {
	t.Setenv("STRETCHBOT_TEST_POSTGRES_URL", "postgres://bench@127.0.0.1:1/none?sslmode=disable&connect_timeout=1")
	_, _, err := target(context.Background(), harness.Postgres, t.TempDir(), "x")
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL unreachable") {
		t.Errorf("target = %v, want PostgreSQL unreachable", err)
	}
	b := runBurst(context.Background(), plan{burstMax: time.Second}, "/nonexistent", t.TempDir(), harness.Postgres, 1, 10)
	if cell := burstCell(b, 10, time.Second); !strings.Contains(cell, "not measured: PostgreSQL unreachable") {
		t.Errorf("burst cell = %q", cell)
	}
}

// The faulty Slack accepts no more than its rate, refuses about 30 % at
// random, and refuses a channel again within its random 429's Retry-After.
func TestFaultySlack(t *testing.T) {
	f := newFaultySlack(50)
	// The clock stands still, so that however slowly the posts go out
	// (race detector, a loaded machine) they all fall in one instant.
	t0 := time.Now()
	f.refilled, f.now = t0, func() time.Time { return t0 }
	f.startAt(t0)
	post := func(channel string) int {
		req := httptest.NewRequest("POST", "/api/chat.postMessage", strings.NewReader("channel="+channel))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		f.ServeHTTP(w, req)
		return w.Code
	}
	var limited []string
	for i := range 1000 {
		ch := "C" + strconv.Itoa(i)
		if post(ch) == http.StatusTooManyRequests {
			limited = append(limited, ch)
		}
	}
	got, doubles, _ := f.delivered()
	if got > 60 || got < 40 || doubles != 0 {
		t.Errorf("accepted %d (%d twice) of 1000 posts sent at once with 50 allowed a second", got, doubles)
	}
	if random := f.random429 + f.e5; random < 250 || random > 350 {
		t.Errorf("%d of 1000 refused at random, want about 300", random)
	}
	if in := f.acceptedIn(0, 1); in != got {
		t.Errorf("acceptedIn = %d, want %d", in, got)
	}
	early := 0
	for _, ch := range limited {
		if post(ch) == http.StatusTooManyRequests {
			early++
		}
	}
	if early < f.random429 {
		t.Errorf("%d of %d channels refused at random refused again at once", early, f.random429)
	}
}
