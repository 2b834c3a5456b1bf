package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

func TestSlashCommandFast(t *testing.T) {
	tests := []struct {
		name     string
		vis      bot.Visibility
		wantType string
	}{
		{"private is ephemeral", bot.Private, "ephemeral"},
		{"public is in_channel", bot.Public, "in_channel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{handle: func(_ context.Context, m bot.Message) bot.Reply {
				return bot.Reply{Title: "Break", Blocks: []string{"did " + m.Text}, Visibility: tt.vis}
			}}
			e := newTestEnv(t, h)
			w := e.postCommand(t, "U1", "C1", "break 2 min &amp; more")
			if w.Code != http.StatusOK {
				t.Fatalf("status = %d", w.Code)
			}
			var got struct {
				ResponseType string           `json:"response_type"`
				Text         string           `json:"text"`
				Blocks       []map[string]any `json:"blocks"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", w.Body.String(), err)
			}
			if got.ResponseType != tt.wantType || !strings.Contains(got.Text, "did break 2 min &amp; more") || len(got.Blocks) != 2 {
				t.Errorf("response = %+v", got)
			}
			msgs := h.Messages()
			if len(msgs) != 1 {
				t.Fatalf("handler got %d messages", len(msgs))
			}
			m := msgs[0]
			if m.Text != "break 2 min & more" || m.Tenant != "T1" || m.Channel != "C1" || m.User != "U1" || m.ChannelName != "general" || m.Platform != bot.Slack {
				t.Errorf("message = %+v", m)
			}
			if !m.Admin || m.ZoneHint != "Europe/Berlin" {
				t.Errorf("users.info hints not applied: admin=%v zone=%q", m.Admin, m.ZoneHint)
			}
			if n := len(e.f.callsTo("response_url")); n != 0 {
				t.Errorf("fast answer also went to response_url %d times", n)
			}
		})
	}
}

func TestSlashCommandSlowUsesResponseURL(t *testing.T) {
	release := make(chan struct{})
	h := &funcHandler{handle: func(context.Context, bot.Message) bot.Reply {
		<-release
		return bot.Reply{Blocks: []string{"late answer"}, Visibility: bot.Public}
	}}
	e := newTestEnv(t, h)
	e.a.work.After = respond.ExpireNow(func() { close(release) })
	w := e.postCommand(t, "U1", "C1", "break") // waits for background work
	if w.Code != http.StatusOK || strings.TrimSpace(w.Body.String()) != "" {
		t.Fatalf("slow command answered %d %q, want 200 and an empty body", w.Code, w.Body.String())
	}
	calls := e.f.callsTo("response_url")
	if len(calls) != 1 {
		t.Fatalf("response_url got %d posts, want 1", len(calls))
	}
	if calls[0].JSON["response_type"] != "in_channel" || !strings.Contains(calls[0].JSON["text"].(string), "late answer") {
		t.Errorf("response_url payload = %v", calls[0].JSON)
	}
}

func TestSlashCommandSurvivesPanicAndBadInput(t *testing.T) {
	h := &funcHandler{handle: func(context.Context, bot.Message) bot.Reply { panic("boom") }}
	e := newTestEnv(t, h)
	w := e.postCommand(t, "U1", "C1", "help")
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "went wrong") || !strings.Contains(w.Body.String(), "ephemeral") {
		t.Errorf("panic answer = %d %q", w.Code, w.Body.String())
	}
	w = e.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte("ssl_check=1&token=x"))
	if w.Code != http.StatusOK {
		t.Errorf("ssl_check: status %d, want 200", w.Code)
	}
	w = e.post(t, "/slack/commands", "application/x-www-form-urlencoded", []byte("text=help"))
	if w.Code != http.StatusBadRequest {
		t.Errorf("command without team/user/channel: status %d, want 400", w.Code)
	}
}

func TestURLVerification(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	w := e.post(t, "/slack/events", "application/json", []byte(`{"type":"url_verification","token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}`))
	var got map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got["challenge"] != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("challenge answer = %d %q", w.Code, w.Body.String())
	}
}

func TestEvents(t *testing.T) {
	mention := func(text string) map[string]any {
		return map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": text, "ts": "1.1"}
	}
	tests := []struct {
		name     string
		ev       map[string]any
		wantText string // "" means the handler must not run
		wantDM   bool
	}{
		{"mention stripped", mention("<@UBOT> break 2 min"), "break 2 min", false},
		{"text before the mention ignored", mention("hey <@UBOT|stretchbot>   list"), "list", false},
		{"command before the mention", mention("break 2 min <@UBOT>"), "break 2 min", false},
		{"address punctuation and full width", mention("<@UBOT>: ｌｉｓｔ"), "list", false},
		{"other mentions kept", mention("<@UBOT> remind <@U2>"), "remind <@U2>", false},
		{"escapes undone", mention("<@UBOT> a &lt; b &amp; c"), "a < b & c", false},
		{"channel reference kept", mention("<@UBOT> schedule every day at 10 in <#C9|random>"), "schedule every day at 10 in <#C9|random>", false},
		{"channel reference without a name kept", mention("<@UBOT> schedule every day at 9am in <#C888|>"), "schedule every day at 9am in <#C888|>", false},
		{"IM", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "help", "ts": "1.1"}, "help", true},
		{"own message", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "UBOT", "text": "help"}, "", false},
		{"bot_id", map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U7", "bot_id": "B7", "text": "help"}, "", false},
		{"edit", map[string]any{"type": "message", "subtype": "message_changed", "channel_type": "im", "channel": "D1", "text": "help"}, "", false},
		{"join", map[string]any{"type": "message", "subtype": "channel_join", "channel_type": "im", "channel": "D1", "user": "U1", "text": "joined"}, "", false},
		{"channel message without mention", map[string]any{"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1", "text": "help"}, "", false},
		{"mention in a DM (answered via message.im)", map[string]any{"type": "app_mention", "channel": "D1", "user": "U1", "text": "<@UBOT> help"}, "", false},
		{"other event", map[string]any{"type": "reaction_added", "user": "U1"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{}
			e := newTestEnv(t, h)
			if w := e.postEvent(t, "Ev1", tt.ev); w.Code != http.StatusOK {
				t.Fatalf("status = %d", w.Code)
			}
			msgs := h.Messages()
			if tt.wantText == "" {
				if len(msgs) != 0 {
					t.Fatalf("handler ran for an ignored event: %+v", msgs)
				}
				if n := len(e.f.callsTo("chat.postMessage")); n != 0 {
					t.Errorf("posted %d replies to an ignored event", n)
				}
				return
			}
			if len(msgs) != 1 {
				t.Fatalf("handler got %d messages, want 1", len(msgs))
			}
			if msgs[0].Text != tt.wantText || msgs[0].DM != tt.wantDM || msgs[0].Tenant != "T1" {
				t.Errorf("message = %+v, want text %q dm %v", msgs[0], tt.wantText, tt.wantDM)
			}
			posts := e.f.callsTo("chat.postMessage")
			if len(posts) != 1 || posts[0].Params.Get("channel") != tt.ev["channel"] || posts[0].Params.Get("blocks") == "" {
				t.Errorf("reply posts = %+v", posts)
			}
		})
	}
}

func TestEventDedupe(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h)
	ev := map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> stats"}
	e.postEvent(t, "EvSame", ev)
	e.postEvent(t, "EvSame", ev, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
	e.postEvent(t, "EvSame", ev, "X-Slack-Retry-Num", "2")
	if n := len(h.Messages()); n != 1 {
		t.Errorf("handler ran %d times for one event id, want 1", n)
	}
	e.postEvent(t, "EvOther", ev)
	if n := len(h.Messages()); n != 2 {
		t.Errorf("a new event id was dropped: %d messages", n)
	}
}

// TestMentionAnswers checks where answers to mentions and DMs go: public
// ones with chat.postMessage to the channel (in the mention's thread when
// it was in one), private ones and refusals with chat.postEphemeral to the
// asker in that channel and thread, DMs in the DM.
func TestMentionAnswers(t *testing.T) {
	const thread = "1700000000.000100"
	private := bot.Reply{Blocks: []string{"only you"}, Visibility: bot.Private}
	refusal := bot.Reply{Blocks: []string{"That went wrong"}, Visibility: bot.Private, Error: true}
	public := bot.Reply{Blocks: []string{"everyone"}, Visibility: bot.Public}
	mention := func(thread string) map[string]any {
		ev := map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "hey <@UBOT> list", "ts": "1700000000.000200"}
		if thread != "" {
			ev["thread_ts"] = thread
		}
		return ev
	}
	tests := []struct {
		name      string
		reply     bot.Reply
		ev        map[string]any
		ephFail   *failure
		wantPosts []string // channel/thread_ts/text-fragment of each chat.postMessage, in order
		wantEph   []string // the same for each chat.postEphemeral, all to user U1
		wantOpen  int
	}{
		{"private at top level is ephemeral in the channel", private, mention(""), nil,
			nil, []string{"C1//only you"}, 0},
		{"private in a thread is ephemeral in the thread", private, mention(thread), nil,
			nil, []string{"C1/" + thread + "/only you"}, 0},
		{"a refusal is private too", refusal, mention(thread), nil,
			nil, []string{"C1/" + thread + "/That went wrong"}, 0},
		{"public at top level goes to the channel", public, mention(""), nil,
			[]string{"C1//everyone"}, nil, 0},
		{"public in a thread stays in the thread", public, mention(thread), nil,
			[]string{"C1/" + thread + "/everyone"}, nil, 0},
		{"ephemeral refused: the answer goes by DM", private, mention(""), &failure{code: "user_not_in_channel"},
			[]string{"DU1//only you"}, []string{"C1//only you"}, 1},
		{"private in a DM is an ordinary message", private,
			map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "list", "ts": "1700000000.000200"}, nil,
			[]string{"D1//only you"}, nil, 0},
		{"public in a DM stays in the DM", public,
			map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "break", "ts": "1700000000.000200"}, nil,
			[]string{"D1//everyone"}, nil, 0},
	}
	check := func(t *testing.T, method string, calls []call, want []string) {
		t.Helper()
		if len(calls) != len(want) {
			t.Fatalf("%s calls = %+v, want %v", method, calls, want)
		}
		for i, w := range want {
			parts := strings.SplitN(w, "/", 3)
			p := calls[i].Params
			if p.Get("channel") != parts[0] || p.Get("thread_ts") != parts[1] || !strings.Contains(p.Get("text"), parts[2]) {
				t.Errorf("%s %d = channel %q thread %q text %q, want %q", method, i, p.Get("channel"), p.Get("thread_ts"), p.Get("text"), w)
			}
			if method == "chat.postEphemeral" && p.Get("user") != "U1" {
				t.Errorf("ephemeral answer to user %q, want U1", p.Get("user"))
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{handle: func(context.Context, bot.Message) bot.Reply { return tt.reply }}
			e := newTestEnv(t, h)
			if tt.ephFail != nil {
				e.f.failAlways("chat.postEphemeral", *tt.ephFail)
			}
			e.postEvent(t, "Ev1", tt.ev)
			check(t, "chat.postMessage", e.f.callsTo("chat.postMessage"), tt.wantPosts)
			check(t, "chat.postEphemeral", e.f.callsTo("chat.postEphemeral"), tt.wantEph)
			if n := len(e.f.callsTo("conversations.open")); n != tt.wantOpen {
				t.Errorf("conversations.open calls = %d, want %d", n, tt.wantOpen)
			}
		})
	}
}

func TestEventReplyRetries429(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	e.f.failNext("chat.postMessage", failure{status: 429, retryAfter: "1"})
	e.postEvent(t, "Ev1", map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> hi"})
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 2 || posts[1].TS == "" {
		t.Fatalf("postMessage calls = %d, want a 429 then a success", len(posts))
	}
	if s := e.clock.Sleeps(); len(s) != 1 || s[0] != time.Second {
		t.Errorf("sleeps = %v, want [1s] from Retry-After", s)
	}
}

func TestBadEventBodies(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	for _, body := range []string{`not json`, `{}`, `{"type":"event_callback","event":"oops"}`} {
		if w := e.post(t, "/slack/events", "application/json", []byte(body)); w.Code != http.StatusBadRequest {
			t.Errorf("body %q: status %d, want 400", body, w.Code)
		}
	}
	for _, body := range []string{`payload=nope`, `payload=%7B%7D`, `%zz`} {
		if w := e.post(t, "/slack/interactions", "application/x-www-form-urlencoded", []byte(body)); w.Code != http.StatusBadRequest {
			t.Errorf("interaction %q: status %d, want 400", body, w.Code)
		}
	}
}

// blockAction is a block_actions payload for a button on a delivered
// message in C1.
func blockAction(actionID, value, responseURL string) map[string]any {
	p := map[string]any{
		"type":      "block_actions",
		"team":      map[string]any{"id": "T1", "domain": "acme"},
		"user":      map[string]any{"id": "U2", "username": "bob", "team_id": "T1"},
		"channel":   map[string]any{"id": "C1", "name": "general"},
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000001", "channel_id": "C1", "is_ephemeral": false},
		"message": map[string]any{
			"ts":   "1700000000.000001",
			"text": "Stretch time",
			"blocks": []any{
				map[string]any{"type": "header", "block_id": "h", "text": map[string]any{"type": "plain_text", "text": "Stretch time"}},
				map[string]any{"type": "context", "block_id": statusBlockID, "elements": []any{map[string]any{"type": "mrkdwn", "text": "old status"}}},
				map[string]any{"type": "actions", "block_id": actionsBlockID, "elements": []any{}},
			},
		},
		"actions": []any{map[string]any{"type": "button", "action_id": actionID, "block_id": actionsBlockID, "value": value, "action_ts": "1700000001.000"}},
	}
	if responseURL != "" {
		p["response_url"] = responseURL
	}
	return p
}

func TestInteractionsRoundTrip(t *testing.T) {
	// Render real buttons, then press each one as Slack would send it.
	actions := []bot.Action{
		{ID: bot.ActionDone, Label: "Done", Value: "k3f9|2026-11-27T15:00:00Z"},
		{ID: bot.ActionSnooze, Label: "Snooze", Value: "k3f9|10m"},
		{ID: bot.ActionSkip, Label: "Skip", Value: "k3f9"},
		{ID: bot.ActionJoin, Label: "Join", Value: "k3f9|join"},
	}
	_, blocks := blocksJSON(t, bot.Reply{Actions: actions})
	els := blocks[0]["elements"].([]any)
	for i, want := range actions {
		t.Run(string(want.ID), func(t *testing.T) {
			h := &funcHandler{}
			e := newTestEnv(t, h)
			el := els[i].(map[string]any)
			if w := e.postInteraction(t, blockAction(el["action_id"].(string), el["value"].(string), e.f.responseURL())); w.Code != http.StatusOK {
				t.Fatalf("status = %d", w.Code)
			}
			got := h.Actions()
			if len(got) != 1 {
				t.Fatalf("HandleAction ran %d times", len(got))
			}
			ev := got[0]
			if ev.ID != want.ID || ev.Value != want.Value || ev.MessageRef != "1700000000.000001" {
				t.Errorf("event = %+v, want id %q value %q", ev, want.ID, want.Value)
			}
			if ev.User != "U2" || ev.UserName != "bob" || ev.Channel != "C1" || ev.Tenant != "T1" || ev.Text != "" || ev.ZoneHint != "America/New_York" {
				t.Errorf("event message = %+v", ev.Message)
			}
			if n := len(e.f.callsTo("response_url")); n != 0 {
				t.Errorf("empty ActionResult still posted %d times", n)
			}
		})
	}
}

func TestInteractionResults(t *testing.T) {
	upd := &bot.Reply{Title: "Done!", Blocks: []string{"Nice work"}}
	eph := &bot.Reply{Blocks: []string{"Snoozed for 10 min"}}
	tests := []struct {
		name   string
		res    bot.ActionResult
		noURL  bool
		check  func(t *testing.T, e *testEnv)
		wantRU int // response_url posts
	}{
		{"update replaces original", bot.ActionResult{Update: upd}, false, func(t *testing.T, e *testEnv) {
			p := e.f.callsTo("response_url")[0].JSON
			if p["replace_original"] != true || !strings.Contains(p["text"].(string), "Nice work") || p["blocks"] == nil {
				t.Errorf("payload = %v", p)
			}
		}, 1},
		{"status rewrites the status line only", bot.ActionResult{Status: "✅ 3 people did this break"}, false, func(t *testing.T, e *testEnv) {
			p := e.f.callsTo("response_url")[0].JSON
			blocks := p["blocks"].([]any)
			b, _ := json.Marshal(blocks)
			if p["replace_original"] != true || len(blocks) != 3 || strings.Contains(string(b), "old status") || !strings.Contains(string(b), "3 people") || !strings.Contains(string(b), `"block_id":"h"`) {
				t.Errorf("payload = %s", b)
			}
		}, 1},
		{"ephemeral is a private extra answer", bot.ActionResult{Ephemeral: eph}, false, func(t *testing.T, e *testEnv) {
			p := e.f.callsTo("response_url")[0].JSON
			if p["response_type"] != "ephemeral" || p["replace_original"] != false || !strings.Contains(p["text"].(string), "Snoozed") {
				t.Errorf("payload = %v", p)
			}
		}, 1},
		{"update and ephemeral", bot.ActionResult{Update: upd, Ephemeral: eph}, false, func(t *testing.T, e *testEnv) {
			calls := e.f.callsTo("response_url")
			if calls[0].JSON["replace_original"] != true || calls[1].JSON["response_type"] != "ephemeral" {
				t.Errorf("calls = %v, %v", calls[0].JSON, calls[1].JSON)
			}
		}, 2},
		{"no response_url falls back to chat.update", bot.ActionResult{Update: upd}, true, func(t *testing.T, e *testEnv) {
			up := e.f.callsTo("chat.update")
			if len(up) != 1 || up[0].Params.Get("channel") != "C1" || up[0].Params.Get("ts") != "1700000000.000001" || up[0].Params.Get("blocks") == "" {
				t.Errorf("chat.update calls = %+v", up)
			}
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{action: func(context.Context, bot.ActionEvent) bot.ActionResult { return tt.res }}
			e := newTestEnv(t, h)
			ru := e.f.responseURL()
			if tt.noURL {
				ru = ""
			}
			e.postInteraction(t, blockAction("done", "v", ru))
			if n := len(e.f.callsTo("response_url")); n != tt.wantRU {
				t.Fatalf("response_url posts = %d, want %d", n, tt.wantRU)
			}
			tt.check(t, e)
		})
	}
}

func TestInteractionPanicIsAnswered(t *testing.T) {
	h := &funcHandler{action: func(context.Context, bot.ActionEvent) bot.ActionResult { panic("boom") }}
	e := newTestEnv(t, h)
	if w := e.postInteraction(t, blockAction("done", "v", e.f.responseURL())); w.Code != http.StatusOK {
		t.Fatalf("status = %d", w.Code)
	}
	calls := e.f.callsTo("response_url")
	if len(calls) != 1 || calls[0].JSON["response_type"] != "ephemeral" {
		t.Errorf("panic answer = %+v", calls)
	}
}
