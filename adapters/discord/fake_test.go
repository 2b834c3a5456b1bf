package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// request is one call the fake Discord received.
type request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
	At     time.Time // the fake's clock at the request, when it has one
}

// JSON decodes the body into a map (nil if it is not a JSON object).
func (r request) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// canned is a scripted answer for the next request matching a path prefix.
type canned struct {
	prefix string
	status int
	header map[string]string
	body   string
}

// fakeDiscord is a local Discord REST API that records every request.
type fakeDiscord struct {
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []request
	script   []canned
	gone     map[string]int    // channel id → Discord error code (404 10003 / 403 50001 …)
	threads  map[string]string // thread id → parent channel id
	guilds   map[string]string // channel id → guild id ("" for a DM channel), for GET /channels/{id}
	nextID   int
	recorded chan struct{} // signalled after each request

	// With perChannel set, message posts are limited as Discord does: at
	// most perChannel per window per channel, with X-RateLimit-* headers,
	// timed by now.
	perChannel int
	window     time.Duration
	now        func() time.Time
	windows    map[string]*rateWindow
	limited    int // 429s answered for the limit
}

// rateWindow is one channel's current fixed window at the fake.
type rateWindow struct {
	start time.Time
	count int
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{
		gone:     map[string]int{"GONE": 10003, "NOACCESS": 50001, "NOPERM": 50013},
		threads:  map[string]string{},
		guilds:   map[string]string{},
		nextID:   1000,
		recorded: make(chan struct{}, 1000),
		windows:  map[string]*rateWindow{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// on queues a scripted answer for the next request whose path starts with prefix.
func (f *fakeDiscord) on(prefix string, status int, body string, header map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.script = append(f.script, canned{prefix: prefix, status: status, header: header, body: body})
}

func (f *fakeDiscord) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// waitFor waits until some recorded request satisfies ok.
func (f *fakeDiscord) waitFor(t testing.TB, what string, ok func(request) bool) request {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		for _, r := range f.requests() {
			if ok(r) {
				return r
			}
		}
		select {
		case <-f.recorded:
		case <-deadline:
			t.Fatalf("fake Discord never received %s; got %s", what, f.describe())
		}
	}
}

func (f *fakeDiscord) describe() string {
	var b strings.Builder
	for _, r := range f.requests() {
		fmt.Fprintf(&b, "\n  %s %s %s", r.Method, r.Path, r.Body)
	}
	return b.String()
}

func (f *fakeDiscord) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	var at time.Time
	if f.now != nil {
		at = f.now()
	}
	f.reqs = append(f.reqs, request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body, At: at})
	var c *canned
	for i, s := range f.script {
		if strings.HasPrefix(r.URL.Path, s.prefix) {
			c = &s
			f.script = append(f.script[:i:i], f.script[i+1:]...)
			break
		}
	}
	f.nextID++
	id := fmt.Sprint(f.nextID)
	var over time.Duration // > 0: this post is over the channel's limit
	if c == nil && f.perChannel > 0 && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/messages") {
		win := f.windows[r.URL.Path]
		if win == nil || !at.Before(win.start.Add(f.window)) {
			win = &rateWindow{start: at}
			f.windows[r.URL.Path] = win
		}
		win.count++
		reset := win.start.Add(f.window).Sub(at)
		w.Header().Set("X-RateLimit-Bucket", "messages")
		w.Header().Set("X-RateLimit-Limit", fmt.Sprint(f.perChannel))
		w.Header().Set("X-RateLimit-Remaining", fmt.Sprint(max(0, f.perChannel-win.count)))
		w.Header().Set("X-RateLimit-Reset-After", fmt.Sprintf("%.3f", reset.Seconds()))
		if win.count > f.perChannel {
			f.limited++
			over = reset
		}
	}
	f.mu.Unlock()
	defer func() { f.recorded <- struct{}{} }()

	w.Header().Set("Content-Type", "application/json")
	if over > 0 {
		w.Header().Set("Retry-After", fmt.Sprintf("%.3f", over.Seconds()))
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprintf(w, `{"message":"You are being rate limited.","retry_after":%.3f,"global":false}`, over.Seconds())
		return
	}
	if c != nil {
		for k, v := range c.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
		return
	}
	p := r.URL.Path
	switch {
	case r.Method == http.MethodPost && strings.HasPrefix(p, "/api/v10/channels/") && strings.HasSuffix(p, "/messages"):
		ch := strings.TrimSuffix(strings.TrimPrefix(p, "/api/v10/channels/"), "/messages")
		if code, ok := f.gone[ch]; ok {
			status := http.StatusForbidden
			if code == 10003 {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"message":"nope","code":%d}`, code)
			return
		}
		fmt.Fprintf(w, `{"id":%q,"channel_id":%q,"timestamp":"2026-01-02T03:04:05.000000+00:00"}`, id, ch)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v10/channels/") && !strings.Contains(p[len("/api/v10/channels/"):], "/"):
		ch := strings.TrimPrefix(p, "/api/v10/channels/")
		f.mu.Lock()
		code, gone := f.gone[ch]
		guild, known := f.guilds[ch]
		f.mu.Unlock()
		switch {
		case gone:
			status := http.StatusForbidden
			if code == 10003 {
				status = http.StatusNotFound
			}
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"message":"nope","code":%d}`, code)
		case !known:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"Unknown Channel","code":10003}`)
		case guild == "":
			fmt.Fprintf(w, `{"id":%q,"type":1}`, ch)
		default:
			fmt.Fprintf(w, `{"id":%q,"type":0,"guild_id":%q,"name":"general"}`, ch, guild)
		}
	case r.Method == http.MethodPost && p == "/api/v10/users/@me/channels":
		var in struct {
			RecipientID string `json:"recipient_id"`
		}
		_ = json.Unmarshal(body, &in)
		if in.RecipientID == "GONEUSER" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"message":"Unknown User","code":10013}`)
			return
		}
		fmt.Fprintf(w, `{"id":"DM-%s","type":1}`, in.RecipientID)
	case r.Method == http.MethodPut && strings.HasSuffix(p, "/commands"):
		w.Write(body)
	case strings.HasPrefix(p, "/api/v10/webhooks/"):
		fmt.Fprintf(w, `{"id":%q}`, id)
	case strings.HasPrefix(p, "/api/v10/interactions/"):
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"404: Not Found","code":0}`)
	}
}

// noSleep records requested sleeps and returns at once.
type noSleep struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (n *noSleep) sleep(ctx context.Context, d time.Duration) error {
	n.mu.Lock()
	n.waits = append(n.waits, d)
	n.mu.Unlock()
	return ctx.Err()
}

func (n *noSleep) total() time.Duration {
	n.mu.Lock()
	defer n.mu.Unlock()
	var t time.Duration
	for _, w := range n.waits {
		t += w
	}
	return t
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleep advances the clock instead of waiting.
func (c *clock) sleep(ctx context.Context, d time.Duration) error {
	if d > 0 {
		c.add(d)
	}
	return ctx.Err()
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
