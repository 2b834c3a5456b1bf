package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// request is one call the fake Discord received.
type request struct {
	Method string
	Path   string
	Query  string
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

// Canned statuses that answer nothing: hangUp closes the connection
// without taking the request, loseAnswer takes it as usual (a post is
// posted) and then closes the connection.
const (
	hangUp     = -1
	loseAnswer = -2
)

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

	// msgs are the messages each channel holds, oldest first: every post
	// the fake took, and what tests put there (say). With now set their
	// ids are snowflakes of the time they were posted, so that listing
	// them after an id is listing them after a time.
	msgs map[string][]fakeMessage
	// noHistory lists channels whose messages the bot cannot read: Discord
	// lists none there, as for a bot without Read Message History.
	noHistory map[string]bool
	// last is each channel's last_message_id: the latest message's, also
	// once it is deleted (remove), as Discord keeps it.
	last map[string]string
}

// remove deletes a message from channel, as someone deleting it would;
// the channel's last_message_id stays.
func (f *fakeDiscord) remove(channel, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.msgs[channel] = slices.DeleteFunc(f.msgs[channel], func(m fakeMessage) bool { return m.ID == id })
}

// fakeBotID is the bot's own user id at the fake (GET /users/@me).
const fakeBotID = "B0T"

// fakeMessage is a message the fake holds.
type fakeMessage struct {
	ID         string          `json:"id"`
	ChannelID  string          `json:"channel_id"`
	Timestamp  string          `json:"timestamp"`
	Author     fakeAuthor      `json:"author"`
	Content    string          `json:"content"`
	Embeds     json.RawMessage `json:"embeds,omitempty"`
	Components json.RawMessage `json:"components,omitempty"`
	nonce      string
	at         time.Time
}

type fakeAuthor struct {
	ID  string `json:"id"`
	Bot bool   `json:"bot,omitempty"`
}

// nonceWindow is how long the fake, like Discord, answers a post with an
// enforced nonce it has seen with the message that nonce created.
const nonceWindow = 3 * time.Minute

// say puts a message by author into channel at the fake's time, as if
// someone had posted it; components is its raw JSON, or "".
func (f *fakeDiscord) say(channel, author, components string) fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	return f.store(channel, fakeAuthor{ID: author, Bot: author == fakeBotID}, "", components, "")
}

// store adds a message to channel (f.mu held).
func (f *fakeDiscord) store(channel string, author fakeAuthor, content, components, nonce string) fakeMessage {
	id := fmt.Sprint(f.nextID)
	var at time.Time
	if f.now != nil {
		at = f.now()
		id = strconv.FormatInt((at.UnixMilli()-1420070400000)<<22+int64(f.nextID%4096), 10)
	}
	m := fakeMessage{ID: id, ChannelID: channel, Timestamp: "2026-01-02T03:04:05.000000+00:00", Author: author,
		Content: content, nonce: nonce, at: at}
	if !at.IsZero() {
		m.Timestamp = at.UTC().Format(time.RFC3339Nano)
	}
	if components != "" {
		m.Components = json.RawMessage(components)
	}
	if f.msgs == nil {
		f.msgs = map[string][]fakeMessage{}
	}
	f.msgs[channel] = append(f.msgs[channel], m)
	if f.last == nil {
		f.last = map[string]string{}
	}
	f.last[channel] = m.ID
	return m
}

// posts counts the messages the bot holds in channel.
func (f *fakeDiscord) posts(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, m := range f.msgs[channel] {
		if m.Author.ID == fakeBotID {
			n++
		}
	}
	return n
}

// list answers GET /channels/{id}/messages?after=&limit= as Discord does:
// the oldest limit messages after the id, newest first.
func (f *fakeDiscord) list(channel string, q url.Values) []fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []fakeMessage{}
	if f.noHistory[channel] {
		return out
	}
	after, _ := strconv.ParseUint(q.Get("after"), 10, 64)
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 50
	}
	for _, m := range f.msgs[channel] {
		if id, _ := strconv.ParseUint(m.ID, 10, 64); id > after && len(out) < limit {
			out = append(out, m)
		}
	}
	slices.Reverse(out)
	return out
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
	f.reqs = append(f.reqs, request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body, At: at})
	var c *canned
	for i, s := range f.script {
		if strings.HasPrefix(r.URL.Path, s.prefix) {
			c = &s
			f.script = append(f.script[:i:i], f.script[i+1:]...)
			break
		}
	}
	if c != nil && c.status == loseAnswer {
		// Taken as usual, then the connection closed unanswered.
		c = nil
		real := w
		w = httptest.NewRecorder()
		defer func() {
			if conn, _, err := http.NewResponseController(real).Hijack(); err == nil {
				conn.Close()
			}
		}()
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
	if c != nil && c.status == hangUp {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
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
		var in struct {
			Content      string          `json:"content"`
			Embeds       json.RawMessage `json:"embeds"`
			Components   json.RawMessage `json:"components"`
			Nonce        string          `json:"nonce"`
			EnforceNonce bool            `json:"enforce_nonce"`
		}
		_ = json.Unmarshal(payloadJSON(r, body), &in)
		f.mu.Lock()
		var m fakeMessage
		found := false
		if in.EnforceNonce && in.Nonce != "" {
			for _, old := range f.msgs[ch] {
				if old.nonce == in.Nonce && old.Author.ID == fakeBotID && (at.IsZero() || at.Sub(old.at) < nonceWindow) {
					m, found = old, true
				}
			}
		}
		if !found {
			m = f.store(ch, fakeAuthor{ID: fakeBotID, Bot: true}, in.Content, string(in.Components), in.Nonce)
			m.Embeds = in.Embeds
			f.msgs[ch][len(f.msgs[ch])-1] = m
		}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(m)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v10/channels/") && strings.HasSuffix(p, "/messages"):
		ch := strings.TrimSuffix(strings.TrimPrefix(p, "/api/v10/channels/"), "/messages")
		json.NewEncoder(w).Encode(f.list(ch, r.URL.Query()))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v10/channels/") && strings.Count(p, "/") == 6 &&
		strings.Contains(p, "/messages/"):
		// One message: it needs Read Message History, as listing does,
		// but is refused without it rather than answered with nothing.
		ch, id, _ := strings.Cut(strings.TrimPrefix(p, "/api/v10/channels/"), "/messages/")
		f.mu.Lock()
		hidden := f.noHistory[ch]
		i := slices.IndexFunc(f.msgs[ch], func(m fakeMessage) bool { return m.ID == id })
		var m fakeMessage
		if i >= 0 {
			m = f.msgs[ch][i]
		}
		f.mu.Unlock()
		switch {
		case hidden:
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"message":"Missing Access","code":50001}`)
		case i < 0:
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"message":"Unknown Message","code":10008}`)
		default:
			json.NewEncoder(w).Encode(m)
		}
	case r.Method == http.MethodGet && p == "/api/v10/users/@me":
		fmt.Fprintf(w, `{"id":%q,"username":"stretchbot","bot":true}`, fakeBotID)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v10/channels/") && !strings.Contains(p[len("/api/v10/channels/"):], "/"):
		ch := strings.TrimPrefix(p, "/api/v10/channels/")
		f.mu.Lock()
		code, gone := f.gone[ch]
		guild, known := f.guilds[ch]
		if strings.HasPrefix(ch, "DM-") {
			guild, known = "", true // the DM channels the fake opens
		}
		last := "null"
		if id, ok := f.last[ch]; ok {
			last = strconv.Quote(id)
		}
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
			fmt.Fprintf(w, `{"id":%q,"type":1,"last_message_id":%s}`, ch, last)
		default:
			fmt.Fprintf(w, `{"id":%q,"type":0,"guild_id":%q,"name":"general","last_message_id":%s}`, ch, guild, last)
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

// payloadJSON is a message post's JSON: the body, or for a post with
// files its payload_json part.
func payloadJSON(r *http.Request, body []byte) []byte {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return body
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			return nil
		}
		if p.FormName() == "payload_json" {
			data, _ := io.ReadAll(p)
			return data
		}
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
