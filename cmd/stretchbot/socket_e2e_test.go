package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// The tests in this file run the whole program against fakes of Slack's
// Socket Mode and Discord's gateway: real WebSocket connections, the
// platform libraries the adapters use, and the scheduler on a fake clock.

// upgrader accepts any origin: slack-go sends Origin: https://api.slack.com.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// logBuffer collects the program's log lines at debug level.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// wsPeer is the server's side of one WebSocket connection.
type wsPeer struct {
	mu sync.Mutex // writes
	c  *websocket.Conn
}

func (p *wsPeer) send(v any) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.c.WriteJSON(v)
}

// drop cuts the connection without a close frame, as a network failure does.
func (p *wsPeer) drop() { p.c.UnderlyingConn().Close() }

// socketSlack is a fake Slack for Socket Mode: the Web API, recorded, and
// the WebSocket that apps.connections.open points at. Acks are recorded
// with the time they took.
type socketSlack struct {
	*recorder
	srv *httptest.Server

	mu      sync.Mutex
	peer    *wsPeer // the open connection, nil between connections
	conns   int
	opened  chan int // connection numbers, as they open
	sentAt  map[string]time.Time
	acks    []socketAck
	appAuth []string // Authorization headers on apps.connections.open
	posts   int
	// openErr, when set, is apps.connections.open's error.
	openErr string
}

type socketAck struct {
	EnvelopeID string
	Payload    map[string]any
	After      time.Duration // since the envelope was sent
}

func newSocketSlack(t *testing.T) *socketSlack {
	f := &socketSlack{opened: make(chan int, 16), sentAt: map[string]time.Time{}}
	f.recorder = &recorder{answer: f.answer}
	mux := http.NewServeMux()
	mux.HandleFunc("/ws", f.serveWS)
	mux.HandleFunc("/api/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.appAuth = append(f.appAuth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		f.recorder.ServeHTTP(w, r)
	})
	mux.Handle("/", f.recorder)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *socketSlack) answer(method, path string, body []byte) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case strings.HasSuffix(path, "/apps.connections.open") && f.openErr != "":
		return 200, `{"ok":false,"error":"` + f.openErr + `"}`
	case strings.HasSuffix(path, "/apps.connections.open"):
		return 200, `{"ok":true,"url":"ws` + strings.TrimPrefix(f.srv.URL, "http") + `/ws?ticket=sekrit-ticket"}`
	case strings.HasSuffix(path, "/chat.postMessage"):
		f.posts++
		return 200, fmt.Sprintf(`{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, f.posts)
	case strings.HasSuffix(path, "/chat.postEphemeral"):
		return 200, `{"ok":true,"message_ts":"1800000000.000002"}`
	case strings.HasSuffix(path, "/conversations.open"):
		return 200, `{"ok":true,"channel":{"id":"D900"}}`
	case strings.HasSuffix(path, "/users.info"):
		return 200, `{"ok":true,"user":{"id":"U1","tz":"UTC","is_admin":false}}`
	case strings.HasSuffix(path, "/conversations.info"):
		return 200, `{"ok":true,"channel":{"id":"C1","is_channel":true,"is_member":true,"context_team_id":"T1"}}`
	case strings.HasSuffix(path, "/auth.test"):
		return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
	}
	return 200, `{"ok":true}`
}

func (f *socketSlack) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	p := &wsPeer{c: c}
	if p.send(map[string]any{"type": "hello", "num_connections": 1, "connection_info": map[string]any{"app_id": "A1"}}) != nil {
		return
	}
	f.mu.Lock()
	f.peer = p
	f.conns++
	n := f.conns
	f.mu.Unlock()
	f.opened <- n
	defer func() {
		f.mu.Lock()
		if f.peer == p {
			f.peer = nil
		}
		f.mu.Unlock()
	}()
	for {
		var ack struct {
			EnvelopeID string         `json:"envelope_id"`
			Payload    map[string]any `json:"payload"`
		}
		if err := c.ReadJSON(&ack); err != nil {
			return
		}
		f.mu.Lock()
		f.acks = append(f.acks, socketAck{ack.EnvelopeID, ack.Payload, time.Since(f.sentAt[ack.EnvelopeID])})
		f.mu.Unlock()
	}
}

// waitConn waits for connection number n.
func (f *socketSlack) waitConn(t *testing.T, n int) {
	t.Helper()
	for {
		select {
		case got := <-f.opened:
			if got >= n {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no Socket Mode connection #%d within 10 s", n)
		}
	}
}

// send writes an envelope on the open connection.
func (f *socketSlack) send(t *testing.T, env map[string]any) {
	t.Helper()
	f.mu.Lock()
	p := f.peer
	if id, ok := env["envelope_id"].(string); ok {
		f.sentAt[id] = time.Now()
	}
	f.mu.Unlock()
	if p == nil {
		t.Fatal("no Socket Mode connection to send on")
	}
	if err := p.send(env); err != nil {
		t.Fatalf("sending an envelope: %v", err)
	}
}

// ackOf waits for the n-th ack of envelope id (from 1).
func (f *socketSlack) ackOf(t *testing.T, id string, n int) socketAck {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		f.mu.Lock()
		seen := 0
		for _, a := range f.acks {
			if a.EnvelopeID == id {
				if seen++; seen == n {
					f.mu.Unlock()
					return a
				}
			}
		}
		f.mu.Unlock()
	}
	t.Fatalf("envelope %s was not acked %d time(s) within 10 s", id, n)
	return socketAck{}
}

// slashEnvelope is a slash command as Socket Mode carries it.
func (f *socketSlack) slashEnvelope(id, text string) map[string]any {
	return map[string]any{"type": "slash_commands", "envelope_id": id, "accepts_response_payload": true, "payload": map[string]any{
		"token": "legacy-verification", "team_id": "T1", "team_domain": "acme", "channel_id": "C1", "channel_name": "general",
		"user_id": "U1", "user_name": "ana", "command": "/stretch", "text": text,
		"response_url": f.srv.URL + "/response", "trigger_id": "trig"}}
}

// eventEnvelope is an Events API callback as Socket Mode carries it.
func eventEnvelope(id, eventID string, ev map[string]any) map[string]any {
	return map[string]any{"type": "events_api", "envelope_id": id, "accepts_response_payload": false, "retry_attempt": 0, "retry_reason": "",
		"payload": map[string]any{"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": eventID, "event_time": 1800000000, "event": ev}}
}

var idRE = regexp.MustCompile(`#([a-z0-9]{3,8})\b`)

// bootSocketMode boots the program with Slack over Socket Mode only (no
// signing secret, so no Slack HTTP routes) against f, logging at debug.
func bootSocketMode(t *testing.T, f *socketSlack, clock *bottest.Clock, logs *logBuffer) *Main {
	t.Helper()
	cfg := config.Default()
	cfg.Slack.AppToken = config.Secret("xapp-1-A1-sekrit-app-token")
	cfg.Slack.BotToken = config.Secret("xoxb-sekrit-bot-token")
	cfg.Slack.APIURL = f.srv.URL + "/api/"
	return bootMainLogged(t, cfg, clock, "sqlite://"+t.TempDir()+"/socket.db", logs.logger())
}

func TestSlackSocketModeThroughTheProgram(t *testing.T) {
	t.Parallel()
	f := newSocketSlack(t)
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	var logs logBuffer
	m := bootSocketMode(t, f, clock, &logs)
	f.waitConn(t, 1)

	// A slash command is answered in its ack, well within Slack's 3 s.
	f.send(t, f.slashEnvelope("env-break", "break 2 min"))
	a := f.ackOf(t, "env-break", 1)
	if a.After > time.Second || !strings.Contains(fmt.Sprint(a.Payload), "2-minute stretch break") {
		t.Errorf("break ack after %v: %v", a.After, a.Payload)
	}

	f.send(t, f.slashEnvelope("env-remind", "remind me in 3 seconds"))
	a = f.ackOf(t, "env-remind", 1)
	remind := idRE.FindString(fmt.Sprint(a.Payload))
	if remind == "" {
		t.Fatalf("remind ack: %v", a.Payload)
	}
	f.send(t, f.slashEnvelope("env-team", "schedule in 5 seconds"))
	a = f.ackOf(t, "env-team", 1)
	team := idRE.FindString(fmt.Sprint(a.Payload))
	if team == "" || a.Payload["response_type"] != "in_channel" {
		t.Fatalf("schedule ack: %v", a.Payload)
	}

	// A retried envelope (its ack was lost) is acked again and not run
	// twice: one reminder, not two.
	retry := f.slashEnvelope("env-remind", "remind me in 3 seconds")
	retry["retry_attempt"], retry["retry_reason"] = 1, "timeout"
	f.send(t, retry)
	a = f.ackOf(t, "env-remind", 2)
	if got := idRE.FindString(fmt.Sprint(a.Payload)); got != "" && got != remind {
		t.Errorf("the retried slash command made another reminder: %s besides %s", got, remind)
	}

	// A mention and a DM over the socket are acked at once and answered
	// through the Web API.
	f.send(t, eventEnvelope("env-mention", "Ev1", map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> list", "ts": "1800000000.000100"}))
	if a := f.ackOf(t, "env-mention", 1); a.After > time.Second {
		t.Errorf("event acked after %v", a.After)
	}
	f.waitRecorded(t, "/chat.postEphemeral", remind[1:], 1)
	f.send(t, eventEnvelope("env-dm", "Ev2", map[string]any{"type": "message", "channel_type": "im", "channel": "D77", "user": "U1", "text": "stats", "ts": "1800000000.000101"}))
	f.ackOf(t, "env-dm", 1)
	f.waitRecorded(t, "/chat.postMessage", "Stretch stats", 1)
	// Slack's retry of an event carries the same event id.
	f.send(t, eventEnvelope("env-dm-2", "Ev2", map[string]any{"type": "message", "channel_type": "im", "channel": "D77", "user": "U1", "text": "stats", "ts": "1800000000.000101"}))
	f.ackOf(t, "env-dm-2", 1)

	// Slack asks the app to reconnect: it does, and commands keep
	// working on the new connection.
	f.send(t, map[string]any{"type": "disconnect", "reason": "refresh_requested", "debug_info": map[string]any{"host": "applink-1"}})
	f.waitConn(t, 2)
	f.send(t, f.slashEnvelope("env-after-refresh", "help"))
	f.ackOf(t, "env-after-refresh", 1)

	// A connection that drops is opened again.
	f.mu.Lock()
	f.peer.drop()
	f.mu.Unlock()
	f.waitConn(t, 3)

	// A connection that drops as a command arrives: Slack sends the
	// envelope again on the next one, and the command runs once.
	before, err := m.Store.Reminders(t.Context(), bot.ReminderFilter{Tenant: "T1", Owner: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	f.send(t, f.slashEnvelope("env-lost", "remind me in 1 hour"))
	f.mu.Lock()
	f.peer.drop()
	f.mu.Unlock()
	f.waitConn(t, 4)
	lost := f.slashEnvelope("env-lost", "remind me in 1 hour")
	lost["retry_attempt"], lost["retry_reason"] = 1, "timeout"
	f.send(t, lost)
	f.ackOf(t, "env-lost", 1)
	// The first copy may still be running when the second is acked.
	count := func() int {
		rs, err := m.Store.Reminders(t.Context(), bot.ReminderFilter{Tenant: "T1", Owner: "U1"})
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	for deadline := time.Now().Add(5 * time.Second); count() == len(before) && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if n := count(); n != len(before)+1 {
		t.Errorf("reminders went from %d to %d, want one more", len(before), n)
	}

	// The reminder and the team break come once each.
	clock.Advance(3 * time.Second)
	f.waitRecorded(t, "/chat.postMessage", remind, 1)
	clock.Advance(2 * time.Second)
	posted := f.waitRecorded(t, "/chat.postMessage", team, 1)
	waitDelivered(t, m, team)
	value := regexp.MustCompile(`"value":"(` + team[1:] + `@\d+)"`).FindStringSubmatch(posted[0].Body)
	if value == nil {
		t.Fatalf("team break has no Done button: %s", posted[0].Body)
	}
	// Done pressed on it over the socket counts the presser.
	f.send(t, map[string]any{"type": "interactive", "envelope_id": "env-done", "accepts_response_payload": false, "payload": map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U2", "username": "bo"},
		"channel": map[string]any{"id": "C1"}, "container": map[string]any{"message_ts": "1800000000.000005", "channel_id": "C1"},
		"message":      map[string]any{"ts": "1800000000.000005", "blocks": []any{}},
		"response_url": f.srv.URL + "/response",
		"actions":      []any{map[string]any{"action_id": "done", "block_id": "stretchbot_actions", "value": value[1]}},
	}})
	if a := f.ackOf(t, "env-done", 1); a.After > time.Second {
		t.Errorf("button acked after %v", a.After)
	}
	f.waitRecorded(t, "/response", "1 person did this break", 1)

	for range 5 {
		clock.Advance(10 * time.Second)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(f.find("/chat.postMessage", remind)); n != 1 {
		t.Errorf("reminder posted %d times, want 1", n)
	}
	if n := len(f.find("/chat.postMessage", team)); n != 1 {
		t.Errorf("team break posted %d times, want 1", n)
	}
	if got := f.find("/chat.postMessage", "Stretch stats"); len(got) != 1 || !strings.Contains(got[0].Body, "channel=D77") {
		t.Errorf("the DM was answered %d times, want once in the DM: %+v", len(got), got)
	}

	f.mu.Lock()
	auth := f.appAuth
	f.mu.Unlock()
	if len(auth) != 4 || auth[0] != "Bearer xapp-1-A1-sekrit-app-token" {
		t.Errorf("apps.connections.open calls: %q", auth)
	}
	if l := logs.String(); strings.Contains(l, "sekrit") {
		t.Errorf("a secret is in the log:\n%s", l)
	}
	if t.Failed() {
		t.Logf("log:\n%s", logs.String())
	}
}

// gatewayDiscord is a fake Discord: the REST API, recorded, and a gateway
// that says HELLO, takes IDENTIFY or RESUME, answers heartbeats (unless
// told not to) and dispatches events with rising sequence numbers.
type gatewayDiscord struct {
	*recorder
	srv *httptest.Server
	// interval is the heartbeat interval HELLO announces, in ms.
	interval int

	mu   sync.Mutex
	peer *wsPeer // the latest identified or resumed connection
	// peers are all identified or resumed connections: every instance
	// connected with the token gets every dispatch.
	peers  map[*wsPeer]bool
	conns  int
	opened chan gatewayHello // what each connection began with
	seq    int64
	noAcks bool // leave heartbeats unanswered
	// guild, when set, is sent as GUILD_CREATE after READY.
	guild map[string]any
	// closeWith, when set, closes every connection with this code after
	// its IDENTIFY, as Discord does for a bad token (4004).
	closeWith int
	beats     int
	session   string
	msgs      int
}

// gatewayHello is how a connection began: op 2 (IDENTIFY) or 6 (RESUME),
// with its payload.
type gatewayHello struct {
	Conn int
	Op   int
	D    map[string]any
}

func newGatewayDiscord(t *testing.T) *gatewayDiscord {
	f := &gatewayDiscord{interval: 250, opened: make(chan gatewayHello, 16), peers: map[*wsPeer]bool{}}
	f.recorder = &recorder{answer: f.answer}
	mux := http.NewServeMux()
	mux.HandleFunc("/gw/", f.serveWS) // discordgo adds the slash
	mux.Handle("/", f.recorder)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *gatewayDiscord) answer(method, path string, body []byte) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case path == "/api/v10/gateway" || path == "/api/v10/gateway/bot":
		return 200, `{"url":"ws` + strings.TrimPrefix(f.srv.URL, "http") + `/gw","shards":1}`
	case strings.HasSuffix(path, "/users/@me/channels"):
		return 200, `{"id":"900","type":1}`
	case method == "GET" && strings.HasPrefix(path, "/api/v10/channels/") && !strings.Contains(path, "/messages"):
		return 200, `{"id":"` + strings.TrimPrefix(path, "/api/v10/channels/") + `","guild_id":"77","type":0}`
	case strings.HasSuffix(path, "/messages"):
		f.msgs++
		return 200, fmt.Sprintf(`{"id":"%d","channel_id":"55","timestamp":"2027-01-15T08:00:00Z"}`, 7000+f.msgs)
	case strings.HasSuffix(path, "/callback"):
		return 204, ``
	}
	return 200, `{}`
}

func (f *gatewayDiscord) serveWS(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	p := &wsPeer{c: c}
	if p.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": f.interval}}) != nil {
		return
	}
	f.mu.Lock()
	f.conns++
	n := f.conns
	f.mu.Unlock()
	for {
		var in struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := c.ReadJSON(&in); err != nil {
			f.mu.Lock()
			if f.peer == p {
				f.peer = nil
			}
			delete(f.peers, p)
			f.mu.Unlock()
			return
		}
		var d map[string]any
		json.Unmarshal(in.D, &d)
		f.mu.Lock()
		switch in.Op {
		case 1:
			f.beats++
			if !f.noAcks {
				p.send(map[string]any{"op": 11})
			}
		case 2:
			if f.closeWith != 0 {
				c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(f.closeWith, "closed"))
				f.mu.Unlock()
				return
			}
			f.seq++
			f.session = fmt.Sprintf("session-%d", n)
			p.send(map[string]any{"op": 0, "t": "READY", "s": f.seq, "d": map[string]any{
				"v": 10, "session_id": f.session, "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw",
				"user": map[string]any{"id": "4242", "username": "stretchbot", "bot": true}, "guilds": []any{}, "application": map[string]any{"id": "424242"}}})
			if f.guild != nil {
				f.seq++
				p.send(map[string]any{"op": 0, "t": "GUILD_CREATE", "s": f.seq, "d": f.guild})
			}
			f.peer, f.peers[p] = p, true
			f.opened <- gatewayHello{n, 2, d}
		case 6:
			f.seq++
			p.send(map[string]any{"op": 0, "t": "RESUMED", "s": f.seq, "d": nil})
			f.peer, f.peers[p] = p, true
			f.opened <- gatewayHello{n, 6, d}
		}
		f.mu.Unlock()
	}
}

// waitOpened waits for the next connection's IDENTIFY or RESUME.
func (f *gatewayDiscord) waitOpened(t *testing.T) gatewayHello {
	t.Helper()
	select {
	case h := <-f.opened:
		return h
	case <-time.After(15 * time.Second):
		f.mu.Lock()
		defer f.mu.Unlock()
		t.Fatalf("the gateway was not identified or resumed within 15 s; requests: %+v", f.reqs)
		return gatewayHello{}
	}
}

// send writes a gateway payload on the latest connection; a dispatch (op
// 0) goes to every connection, with the next sequence number.
func (f *gatewayDiscord) send(t *testing.T, v map[string]any) {
	t.Helper()
	f.mu.Lock()
	to := []*wsPeer{f.peer}
	if v["op"] == 0 {
		f.seq++
		v["s"] = f.seq
		to = to[:0]
		for p := range f.peers {
			to = append(to, p)
		}
	}
	f.mu.Unlock()
	if len(to) == 0 || to[0] == nil {
		t.Fatal("no gateway connection to send on")
	}
	for _, p := range to {
		if err := p.send(v); err != nil && len(to) == 1 {
			t.Fatalf("gateway send: %v", err)
		}
	}
}

// interaction dispatches INTERACTION_CREATE with data d, as member 1001 in
// channel 55 of guild 77.
func (f *gatewayDiscord) interaction(t *testing.T, id string, typ int, d map[string]any, extra map[string]any) {
	t.Helper()
	in := map[string]any{"id": id, "application_id": "424242", "token": "itok-" + id, "type": typ, "version": 1,
		"guild_id": "77", "channel_id": "55", "data": d,
		"member": map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"}}
	for k, v := range extra {
		in[k] = v
	}
	f.send(t, map[string]any{"op": 0, "t": "INTERACTION_CREATE", "d": in})
}

func stretchCommand(sub string, opts ...map[string]any) map[string]any {
	return map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": opts}}}
}

// message dispatches MESSAGE_CREATE from user 1001: in channel 55 of guild
// 77, or in DM 900 when guild is "".
func (f *gatewayDiscord) message(t *testing.T, id, guild, text string, mentions bool) {
	t.Helper()
	m := map[string]any{"id": id, "channel_id": "55", "content": text, "timestamp": "2027-01-15T08:00:00Z", "type": 0,
		"author": map[string]any{"id": "1001", "username": "ana"}, "mentions": []any{}}
	if guild != "" {
		m["guild_id"] = guild
		m["member"] = map[string]any{"roles": []any{}}
	} else {
		m["channel_id"] = "900"
	}
	if mentions {
		m["mentions"] = []any{map[string]any{"id": "4242", "username": "stretchbot", "bot": true}}
	}
	f.send(t, map[string]any{"op": 0, "t": "MESSAGE_CREATE", "d": m})
}

func TestDiscordGatewayThroughTheProgram(t *testing.T) {
	t.Parallel()
	f := newGatewayDiscord(t)
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	var logs logBuffer
	cfg := config.Default()
	cfg.Discord.Token = config.Secret("sekrit-discord-token")
	cfg.Discord.AppID = "424242"
	cfg.Discord.APIURL = f.srv.URL
	m := bootMainLogged(t, cfg, clock, "sqlite://"+t.TempDir()+"/gateway.db", logs.logger())

	hello := f.waitOpened(t)
	if hello.Op != 2 || !strings.HasSuffix(fmt.Sprint(hello.D["token"]), "sekrit-discord-token") {
		t.Fatalf("first connection began with op %d: %v", hello.Op, hello.D)
	}
	const intents = 1<<0 | 1<<9 | 1<<12 | 1<<15 // guilds, guild messages, DMs, message content
	if got, _ := hello.D["intents"].(float64); int(got)&intents != intents {
		t.Errorf("intents = %v, want %d among them", hello.D["intents"], intents)
	}

	// A slash command over the gateway is answered through the callback.
	f.interaction(t, "1", 2, stretchCommand("remind", map[string]any{"name": "when", "type": 3, "value": "in 3 seconds"}), nil)
	cb := f.waitRecorded(t, "/api/v10/interactions/1/itok-1/callback", "", 1)[0]
	remind := idRE.FindString(cb.Body)
	if remind == "" || !strings.Contains(cb.Body, `"type":4`) {
		t.Fatalf("remind callback: %s", cb.Body)
	}
	f.interaction(t, "2", 2, stretchCommand("schedule", map[string]any{"name": "when", "type": 3, "value": "in 5 seconds"}), nil)
	cb = f.waitRecorded(t, "/api/v10/interactions/2/itok-2/callback", "", 1)[0]
	team := idRE.FindString(cb.Body)
	if team == "" {
		t.Fatalf("schedule callback: %s", cb.Body)
	}

	// A mention in a channel and a DM are answered as replies.
	f.message(t, "m1", "77", "<@4242> break 2 min", true)
	got := f.waitRecorded(t, "/api/v10/channels/55/messages", "2-minute stretch break", 1)[0]
	if !strings.Contains(got.Body, `"message_id":"m1"`) {
		t.Errorf("the break is not a reply to the mention: %s", got.Body)
	}
	f.message(t, "m2", "", "stats", false)
	f.waitRecorded(t, "/api/v10/channels/900/messages", "Stretch stats", 1)

	// Discord asks for a reconnect: the bot resumes its session.
	f.send(t, map[string]any{"op": 7, "d": nil})
	hello = f.waitOpened(t)
	if hello.Op != 6 || hello.D["session_id"] != "session-1" || !strings.HasSuffix(fmt.Sprint(hello.D["token"]), "sekrit-discord-token") {
		t.Errorf("after RECONNECT the connection began with op %d: %v", hello.Op, hello.D)
	}
	f.interaction(t, "3", 2, stretchCommand("help"), nil)
	f.waitRecorded(t, "/api/v10/interactions/3/itok-3/callback", "", 1)

	// A session Discord no longer knows is identified afresh.
	f.send(t, map[string]any{"op": 9, "d": false})
	hello = f.waitOpened(t)
	if hello.Op != 2 {
		t.Errorf("after INVALID_SESSION the bot sent op %d, want IDENTIFY", hello.Op)
	}

	// A dropped socket is resumed.
	f.mu.Lock()
	f.peer.drop()
	f.mu.Unlock()
	if hello = f.waitOpened(t); hello.Op != 6 {
		t.Errorf("after a drop the connection began with op %d, want RESUME", hello.Op)
	}

	// Heartbeats that Discord stops acknowledging mean a dead connection.
	f.mu.Lock()
	f.noAcks = true
	f.mu.Unlock()
	conn := hello.Conn
	hello = f.waitOpened(t)
	f.mu.Lock()
	f.noAcks = false
	f.mu.Unlock()
	if hello.Conn != conn+1 || hello.Op != 6 {
		t.Errorf("after missed heartbeat ACKs: op %d on connection %d, want RESUME on connection %d", hello.Op, hello.Conn, conn+1)
	}

	// The reminder (by DM) and the team break come once each.
	clock.Advance(3 * time.Second)
	f.waitRecorded(t, "/api/v10/channels/900/messages", remind, 1)
	clock.Advance(2 * time.Second)
	posted := f.waitRecorded(t, "/api/v10/channels/55/messages", team, 1)[0]
	waitDelivered(t, m, team)
	done := regexp.MustCompile(`"custom_id":"(done:[^"]*)"`).FindStringSubmatch(posted.Body)
	if done == nil {
		t.Fatalf("team break has no Done button: %s", posted.Body)
	}
	f.interaction(t, "4", 3, map[string]any{"custom_id": done[1], "component_type": 2}, map[string]any{"message": map[string]any{"id": "7005", "channel_id": "55"}})
	f.waitRecorded(t, "/api/v10/interactions/4/itok-4/callback", "1 person did this break", 1)

	for range 5 {
		clock.Advance(10 * time.Second)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(f.find("/messages", remind)); n != 1 {
		t.Errorf("reminder posted %d times, want 1", n)
	}
	if n := len(f.find("/messages", team)); n != 1 {
		t.Errorf("team break posted %d times, want 1", n)
	}
	if n := len(f.find("/api/v10/channels/55/messages", "2-minute stretch break")); n != 1 {
		t.Errorf("the mention was answered %d times", n)
	}
	if l := logs.String(); strings.Contains(l, "sekrit") {
		t.Errorf("the token is in the log:\n%s", l)
	}
	// The log tells each lost connection and each resumed session.
	if l := logs.String(); strings.Count(l, "discord: gateway resumed") < 3 || strings.Count(l, "discord: gateway disconnected") < 3 {
		t.Errorf("the log does not tell the reconnects:\n%s", l)
	}
	if t.Failed() {
		t.Logf("log:\n%s", logs.String())
	}
}

// Two instances on one database, both on the gateway, get every event:
// one of them answers each mention and runs each command, and the
// reminder comes once.
func TestDiscordGatewayTwoInstancesAnswerOnce(t *testing.T) {
	t.Parallel()
	f := newGatewayDiscord(t)
	clock := bottest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	cfg := config.Default()
	cfg.Discord.Token = config.Secret("tok")
	cfg.Discord.AppID = "424242"
	cfg.Discord.APIURL = f.srv.URL
	db := "sqlite://" + t.TempDir() + "/shared.db"
	quiet := slog.New(slog.DiscardHandler)
	m := bootMainLogged(t, cfg, clock, db, quiet)
	bootMainLogged(t, cfg, clock, db, quiet)
	f.waitOpened(t)
	f.waitOpened(t)

	f.interaction(t, "1", 2, stretchCommand("remind", map[string]any{"name": "when", "type": 3, "value": "in 3 seconds"}), nil)
	remind := idRE.FindString(f.waitRecorded(t, "/callback", "", 1)[0].Body)
	f.message(t, "m1", "77", "<@4242> break 2 min", true)
	f.waitRecorded(t, "/api/v10/channels/55/messages", "2-minute stretch break", 1)
	clock.Advance(3 * time.Second)
	f.waitRecorded(t, "/api/v10/channels/900/messages", remind, 1)
	time.Sleep(100 * time.Millisecond)
	if n := len(f.find("/callback", "")); n != 1 {
		t.Errorf("the command was answered %d times, want once", n)
	}
	if n := len(f.find("/api/v10/channels/55/messages", "2-minute stretch break")); n != 1 {
		t.Errorf("the mention was answered %d times, want once", n)
	}
	rs, err := m.Store.Reminders(t.Context(), bot.ReminderFilter{Tenant: "77", Owner: "1001", IncludeFinished: true})
	if err != nil || len(rs) != 1 {
		t.Errorf("reminders = %d (%v), want 1", len(rs), err)
	}
	if n := len(f.find("/messages", remind)); n != 1 {
		t.Errorf("reminder posted %d times, want 1", n)
	}
}

// A bot token Discord refuses on the gateway stops the program with one
// line naming the setting, and without the token.
func TestDiscordGatewayRefusedTokenStopsTheProgram(t *testing.T) {
	t.Parallel()
	f := newGatewayDiscord(t)
	f.closeWith = 4004
	cfg := config.Default()
	cfg.Discord.Token = config.Secret("sekrit-discord-token")
	cfg.Discord.APIURL = f.srv.URL
	cfg.DatabaseURL = "memory://"
	cfg.HTTPAddr = "127.0.0.1:0"
	m := &Main{Config: cfg, Clock: bottest.NewClock(time.Unix(1_800_000_000, 0).UTC()), Logger: slog.New(slog.DiscardHandler)}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	err := m.Run(ctx)
	if want := "discord: gateway: Discord refused the bot token (close 4004); check STRETCHBOT_DISCORD_TOKEN"; err == nil || err.Error() != want {
		t.Errorf("Run = %v, want %q", err, want)
	}
}

// An app token Slack refuses stops the program with one line, without the
// token.
func TestSlackSocketModeRefusedTokenStopsTheProgram(t *testing.T) {
	t.Parallel()
	f := newSocketSlack(t)
	f.openErr = "invalid_auth"
	cfg := config.Default()
	cfg.Slack.AppToken = config.Secret("xapp-1-A1-sekrit-app-token")
	cfg.Slack.BotToken = config.Secret("xoxb-sekrit-bot-token")
	cfg.Slack.APIURL = f.srv.URL + "/api/"
	cfg.DatabaseURL = "memory://"
	m := &Main{Config: cfg, Clock: bottest.NewClock(time.Unix(1_800_000_000, 0).UTC()), Logger: slog.New(slog.DiscardHandler)}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	err := m.Run(ctx)
	if err == nil || strings.Contains(err.Error(), "sekrit") || strings.Count(err.Error(), "slack:") != 1 || !strings.Contains(err.Error(), "app token was rejected (invalid_auth); check STRETCHBOT_SLACK_APP_TOKEN") {
		t.Errorf("Run = %v", err)
	}
}

// A server's channels and roles come with GUILD_CREATE: a mention by a
// member whose role is an administrator's may pause a teammate's team
// break, and one by anybody else may not.
func TestDiscordGatewayMentionByAnAdmin(t *testing.T) {
	t.Parallel()
	f := newGatewayDiscord(t)
	f.guild = map[string]any{"id": "77", "name": "Acme", "owner_id": "9999", "unavailable": false,
		"roles":    []any{map[string]any{"id": "77", "name": "@everyone", "permissions": "0"}, map[string]any{"id": "RADMIN", "name": "admin", "permissions": "8"}},
		"channels": []any{map[string]any{"id": "55", "name": "general", "type": 0, "guild_id": "77"}}, "members": []any{}, "threads": []any{}}
	cfg := config.Default()
	cfg.Discord.Token = config.Secret("tok")
	cfg.Discord.AppID = "424242"
	cfg.Discord.APIURL = f.srv.URL
	bootMainLogged(t, cfg, bottest.NewClock(time.Unix(1_800_000_000, 0).UTC()), "memory://", slog.New(slog.DiscardHandler))
	f.waitOpened(t)

	f.interaction(t, "1", 2, stretchCommand("schedule", map[string]any{"name": "when", "type": 3, "value": "every day at 9"}), nil)
	team := idRE.FindString(f.waitRecorded(t, "/callback", "", 1)[0].Body)
	if team == "" {
		t.Fatal("no team break")
	}
	mention := func(id, user string, roles []any, text string) {
		f.send(t, map[string]any{"op": 0, "t": "MESSAGE_CREATE", "d": map[string]any{"id": id, "channel_id": "55", "guild_id": "77",
			"content": "<@4242> " + text, "timestamp": "2027-01-15T08:00:00Z", "type": 0,
			"author": map[string]any{"id": user, "username": "u" + user}, "member": map[string]any{"roles": roles},
			"mentions": []any{map[string]any{"id": "4242", "username": "stretchbot", "bot": true}}}})
	}
	mention("m1", "2002", []any{}, "pause "+team)
	f.waitRecorded(t, "/messages", "or an admin", 1)
	mention("m2", "3003", []any{"RADMIN"}, "pause "+team)
	f.waitRecorded(t, "/messages", "Paused "+team, 1)
}
