package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/slack-go/slack"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/socketmode"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

// ackLog records acks and whether the handler had already run at the time.
type ackLog struct {
	mu       sync.Mutex
	payloads []any
	before   []bool
}

func (l *ackLog) ack(h *funcHandler) func(any) error {
	return func(p any) error {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.payloads = append(l.payloads, p)
		l.before = append(l.before, len(h.Messages())+len(h.Actions()) == 0)
		return nil
	}
}

func TestSocketEnvelopes(t *testing.T) {
	ctx := context.Background()
	mustJSON := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t.Run("events are acked before the work", func(t *testing.T) {
		h := &funcHandler{}
		e := newTestEnv(t, h)
		var l ackLog
		payload := mustJSON(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev1",
			"event": map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}})
		req := socketmode.Request{Type: socketmode.RequestTypeEventsAPI, EnvelopeID: "env1", Payload: payload}
		e.a.envelope(ctx, req, h, l.ack(h))
		e.a.envelope(ctx, req, h, l.ack(h)) // redelivery: acked, not handled twice
		e.a.wg.Wait()
		if len(l.payloads) != 2 || !l.before[0] || l.payloads[0] != nil {
			t.Errorf("acks = %v (before work: %v)", l.payloads, l.before)
		}
		if msgs := h.Messages(); len(msgs) != 1 || msgs[0].Text != "stats" {
			t.Errorf("messages = %+v", msgs)
		}
		if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
			t.Errorf("replies = %d", n)
		}
	})
	t.Run("interactive is acked before the work", func(t *testing.T) {
		h := &funcHandler{action: func(context.Context, bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: "✅ done"}
		}}
		e := newTestEnv(t, h)
		var l ackLog
		req := socketmode.Request{Type: socketmode.RequestTypeInteractive, EnvelopeID: "env2", Payload: mustJSON(blockAction("done", "v1", e.f.responseURL()))}
		e.a.envelope(ctx, req, h, l.ack(h))
		e.a.wg.Wait()
		if len(l.payloads) != 1 || !l.before[0] {
			t.Errorf("acks = %v (before work: %v)", l.payloads, l.before)
		}
		if acts := h.Actions(); len(acts) != 1 || acts[0].Value != "v1" {
			t.Errorf("actions = %+v", acts)
		}
		if n := len(e.f.callsTo("response_url")); n != 1 {
			t.Errorf("response_url posts = %d", n)
		}
	})
	slash := func(responseURL string) json.RawMessage {
		return mustJSON(map[string]string{"team_id": "T1", "channel_id": "C1", "channel_name": "general", "user_id": "U1", "command": "/stretch", "text": "break", "response_url": responseURL})
	}
	t.Run("fast slash command answers in the ack", func(t *testing.T) {
		h := &funcHandler{}
		e := newTestEnv(t, h)
		var l ackLog
		e.a.envelope(ctx, socketmode.Request{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: "env3", Payload: slash(e.f.responseURL())}, h, l.ack(h))
		e.a.wg.Wait()
		if len(l.payloads) != 1 {
			t.Fatalf("acks = %v", l.payloads)
		}
		p, ok := l.payloads[0].(responsePayload)
		if !ok || p.ResponseType != "in_channel" || !strings.Contains(p.Text, "echo: break") {
			t.Errorf("ack payload = %#v", l.payloads[0])
		}
	})
	t.Run("slow slash command acks empty, then response_url", func(t *testing.T) {
		release := make(chan struct{})
		h := &funcHandler{handle: func(context.Context, bot.Message) bot.Reply {
			<-release
			return bot.Reply{Blocks: []string{"slow"}}
		}}
		e := newTestEnv(t, h)
		e.a.work.After = respond.ExpireNow(nil)
		acked := make(chan any, 1)
		e.a.envelope(ctx, socketmode.Request{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: "env4", Payload: slash(e.f.responseURL())}, h,
			func(p any) error { acked <- p; return nil })
		if p := <-acked; p != nil {
			t.Errorf("slow ack payload = %v, want nil", p)
		}
		close(release)
		e.a.wg.Wait()
		calls := e.f.callsTo("response_url")
		if len(calls) != 1 || calls[0].JSON["response_type"] != "ephemeral" {
			t.Errorf("response_url calls = %+v", calls)
		}
	})
	t.Run("a retried slash command runs once and gets its answer again", func(t *testing.T) {
		h := &funcHandler{}
		e := newTestEnv(t, h)
		var l ackLog
		req := socketmode.Request{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: "env5", Payload: slash(e.f.responseURL())}
		e.a.envelope(ctx, req, h, l.ack(h))
		e.a.wg.Wait()
		req.RetryAttempt, req.RetryReason = 1, "timeout"
		e.a.envelope(ctx, req, h, l.ack(h))
		e.a.wg.Wait()
		if n := len(h.Messages()); n != 1 {
			t.Errorf("the command ran %d times, want 1", n)
		}
		if len(l.payloads) != 2 || string(mustJSON(l.payloads[0])) != string(mustJSON(l.payloads[1])) {
			t.Errorf("acks = %v, want the same answer twice", l.payloads)
		}
	})
	t.Run("a retried button press runs once", func(t *testing.T) {
		h := &funcHandler{action: func(context.Context, bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: "✅ done"}
		}}
		e := newTestEnv(t, h)
		var l ackLog
		req := socketmode.Request{Type: socketmode.RequestTypeInteractive, EnvelopeID: "env6", Payload: mustJSON(blockAction("done", "v1", e.f.responseURL()))}
		e.a.envelope(ctx, req, h, l.ack(h))
		req.RetryAttempt = 1
		e.a.envelope(ctx, req, h, l.ack(h))
		e.a.wg.Wait()
		if len(l.payloads) != 2 || len(h.Actions()) != 1 {
			t.Errorf("acks = %d, actions = %d; want 2 acks and 1 action", len(l.payloads), len(h.Actions()))
		}
	})
	t.Run("garbage is acked and dropped", func(t *testing.T) {
		h := &funcHandler{}
		e := newTestEnv(t, h)
		var l ackLog
		for _, typ := range []string{socketmode.RequestTypeEventsAPI, socketmode.RequestTypeInteractive, socketmode.RequestTypeSlashCommands, "mystery"} {
			e.a.envelope(ctx, socketmode.Request{Type: typ, EnvelopeID: "x", Payload: json.RawMessage(`"nope"`)}, h, l.ack(h))
		}
		e.a.wg.Wait()
		if len(l.payloads) != 4 || len(h.Messages())+len(h.Actions()) != 0 {
			t.Errorf("acks = %d, handled = %d", len(l.payloads), len(h.Messages()))
		}
	})
}

func TestRunWithoutAppTokenWaits(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx, &funcHandler{}) }()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

func TestRunSocketModeRejectedToken(t *testing.T) {
	e := newTestEnv(t, &funcHandler{}, func(c *Config) { c.AppToken = "xapp-bad" })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := e.a.Run(ctx, &funcHandler{})
	if err == nil || !strings.Contains(err.Error(), "app token was rejected") {
		t.Errorf("Run = %v, want a rejected-token error", err)
	}
	if n := len(e.f.callsTo("apps.connections.open")); n != 1 {
		t.Errorf("apps.connections.open called %d times, want 1", n)
	}
}

func TestRunSocketModeRetriesTransient(t *testing.T) {
	e := newTestEnv(t, &funcHandler{}, func(c *Config) { c.AppToken = "xapp-ok" })
	e.f.mu.Lock()
	e.f.openErr = "internal_error" // slack-go's connect loop retries this itself
	e.f.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := e.a.Run(ctx, &funcHandler{}); err != nil {
		t.Errorf("Run = %v, want nil when ctx ends", err)
	}
	if n := len(e.f.callsTo("apps.connections.open")); n < 1 {
		t.Errorf("apps.connections.open never called")
	}
}

// TestSocketModeEndToEnd runs the real socketmode client against a fake
// WebSocket endpoint: hello, an event and a slash command, each acked.
func TestSocketModeEndToEnd(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h, func(c *Config) { c.AppToken = "xapp-ok"; c.SigningSecret = "" })
	acks := make(chan map[string]any, 4)
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // slack-go sends Origin: https://api.slack.com
	e.f.mu.Lock()
	e.f.wsURL = "ws" + strings.TrimPrefix(e.f.srv.URL, "http") + "/ws"
	e.f.ws = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		envelopes := []map[string]any{
			{"type": "hello", "num_connections": 1},
			{"type": "events_api", "envelope_id": "env-ev", "accepts_response_payload": false, "payload": map[string]any{
				"type": "event_callback", "team_id": "T1", "event_id": "EvWS",
				"event": map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}}},
			{"type": "slash_commands", "envelope_id": "env-cmd", "accepts_response_payload": true, "payload": map[string]any{
				"team_id": "T1", "channel_id": "C1", "channel_name": "general", "user_id": "U1", "command": "/stretch", "text": "break", "response_url": e.f.responseURL()}},
		}
		for _, env := range envelopes {
			if err := c.WriteJSON(env); err != nil {
				return
			}
			if env["envelope_id"] == nil {
				continue
			}
			var ack map[string]any
			if err := c.ReadJSON(&ack); err != nil {
				return
			}
			acks <- ack
		}
		for { // hold the connection until the client leaves
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	e.f.mu.Unlock()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx, h) }()
	var got []map[string]any
	for range 2 {
		select {
		case a := <-acks:
			got = append(got, a)
		case <-time.After(10 * time.Second):
			t.Fatalf("no ack after 10 s; got %v", got)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
	if got[0]["envelope_id"] != "env-ev" || got[1]["envelope_id"] != "env-cmd" {
		t.Errorf("acks = %v", got)
	}
	p, _ := got[1]["payload"].(map[string]any)
	if p == nil || !strings.Contains(fmt.Sprint(p["text"]), "echo: break") {
		t.Errorf("slash ack payload = %v", got[1]["payload"])
	}
	if msgs := h.Messages(); len(msgs) != 2 {
		t.Errorf("handler got %d messages, want 2", len(msgs))
	}
	if posts := e.f.callsTo("chat.postMessage"); len(posts) != 1 || !strings.Contains(posts[0].Params.Get("text"), "echo: stats") {
		t.Errorf("event reply posts = %+v", posts)
	}
}

// Socket Mode needs no signing secret: starting without one is the normal
// set-up, not a warning.
func TestSocketModeWithoutSigningSecretIsNoWarning(t *testing.T) {
	var buf bytes.Buffer
	newTestEnvWith(t, &funcHandler{}, []Option{WithLogger(slog.New(slog.NewTextHandler(&buf, nil)))},
		func(c *Config) { c.AppToken, c.SigningSecret = "xapp-ok", "" })
	if strings.Contains(buf.String(), "level=WARN") || !strings.Contains(buf.String(), "Socket Mode") {
		t.Errorf("log at start:\n%s", buf.String())
	}
}

// What goes wrong on the socket is logged with its reason, so an operator
// can tell a dropped connection from a refused one.
func TestSocketTroubleIsLoggedWithItsReason(t *testing.T) {
	var buf lockedBuffer
	e := newTestEnvWith(t, &funcHandler{}, []Option{WithLogger(slog.New(slog.NewTextHandler(&buf, nil)))},
		func(c *Config) { c.AppToken = "xapp-ok" })
	smc := socketmode.New(e.a.client)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); e.a.consume(ctx, smc, &funcHandler{}) }()
	for _, evt := range []socketmode.Event{
		{Type: socketmode.EventTypeConnectionError, Data: &slack.ConnectionErrorEvent{Attempt: 2, Backoff: 3 * time.Second, ErrorObj: errors.New("dial refused")}},
		{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: errors.New("connection reset by peer")}},
		{Type: socketmode.EventTypeErrorBadMessage, Data: &socketmode.ErrorBadMessage{Cause: errors.New("bad json")}},
		// Closed by the client itself, for a new connection Slack asked for.
		{Type: socketmode.EventTypeIncomingError, Data: &slack.IncomingEventError{ErrorObj: fmt.Errorf("read tcp: %w", net.ErrClosed)}},
		{Type: socketmode.EventTypeConnected, Data: &socketmode.ConnectedEvent{ConnectionCount: 1}},
	} {
		smc.Events <- evt
	}
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(buf.String(), "connected") && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	for _, want := range []string{"dial refused", "wait=3s", "connection reset by peer", "bad json", "connected"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "closed network connection") {
		t.Errorf("a connection closed for a new one is logged as lost:\n%s", buf.String())
	}
}

// lockedBuffer is a bytes.Buffer a logger may write while a test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// blockingSeen is a seen store that answers only once released.
type blockingSeen struct{ release chan struct{} }

func (b *blockingSeen) FirstSeen(ctx context.Context, _ string, _, _ time.Time) (bool, error) {
	select {
	case <-b.release:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// A slow database does not hold up the socket: every envelope is acked
// at once (a slash command as soon as its answer is ready), and the next
// envelope is read meanwhile.
func TestSocketAcksDoNotWaitForTheStore(t *testing.T) {
	ctx := context.Background()
	st := &blockingSeen{release: make(chan struct{})}
	h := &funcHandler{}
	e := newTestEnvWith(t, h, []Option{WithSeenStore(st)})
	mustJSON := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	acks := make(chan string, 4)
	ack := func(id string) func(any) error { return func(any) error { acks <- id; return nil } }
	slash := mustJSON(map[string]string{"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/stretch", "text": "break", "response_url": e.f.responseURL()})
	reqs := []socketmode.Request{
		{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: "sl", Payload: slash},
		{Type: socketmode.RequestTypeEventsAPI, EnvelopeID: "ev", Payload: mustJSON(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": "Ev9",
			"event": map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}})},
		{Type: socketmode.RequestTypeInteractive, EnvelopeID: "in", Payload: mustJSON(blockAction("done", "v1", e.f.responseURL()))},
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, r := range reqs {
			e.a.envelope(ctx, r, h, ack(r.EnvelopeID))
		}
	}()
	// The slash command's answer waits for the store; the others do not.
	for range 2 {
		select {
		case <-acks:
		case <-time.After(2 * time.Second):
			t.Fatal("an envelope waited for the store before its ack")
		}
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("reading envelopes waited for the store")
	}
	close(st.release)
	e.a.wg.Wait()
	if len(h.Messages()) != 2 || len(h.Actions()) != 1 {
		t.Errorf("handled %d messages and %d actions, want 2 and 1", len(h.Messages()), len(h.Actions()))
	}
}

// help over Socket Mode, the same for everybody and changing nothing, is
// answered while the database is away, and a retry of it is answered
// again, as over HTTP: this process's memory of envelopes is enough.
func TestSocketHelpNeedsNoDatabase(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	db.fail(errors.New("database is away"))
	h := &quickHandler{}
	e := newTestEnvWith(t, h, []Option{WithSeenStore(db)})
	payload, _ := json.Marshal(map[string]string{"team_id": "T1", "channel_id": "C1", "user_id": "U1", "command": "/stretch", "text": "help", "response_url": e.f.responseURL()})
	var l ackLog
	req := socketmode.Request{Type: socketmode.RequestTypeSlashCommands, EnvelopeID: "env-help", Payload: payload}
	for range 2 {
		e.a.envelope(context.Background(), req, h, l.ack(&h.funcHandler))
		e.a.wg.Wait()
	}
	if len(l.payloads) != 2 || l.payloads[0] == nil || l.payloads[1] == nil {
		t.Errorf("acks = %v, want help twice", l.payloads)
	}
}
