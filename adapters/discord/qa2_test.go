package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

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

func newVerifier(t *testing.T) (*Adapter, *fakeDiscord, *clock) {
	t.Helper()
	fake := newFakeDiscord(t)
	fake.guilds["701"] = "900" // a channel of guild 900
	fake.guilds["702"] = "901" // a channel of another guild
	fake.guilds["9445"] = ""   // a DM channel
	fake.gone["703"] = 10003   // deleted
	fake.gone["704"] = 50001   // the bot cannot see it
	c := &clock{t: vecTime}
	sl := &noSleep{}
	a, err := New(Config{Token: "tok", APIURL: fake.srv.URL}, WithNow(c.now), withSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	return a, fake, c
}

func channelGets(f *fakeDiscord) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v10/channels/") {
			n++
		}
	}
	return n
}

func TestVerifyChannel(t *testing.T) {
	tests := []struct {
		name     string
		tenant   bot.TenantID
		channel  bot.ChannelID
		wantCode string // "" for nil
		wantGet  bool
	}{
		{"own guild", "900", "701", "", true},
		{"mention form", "900", "<#701>", "", true},
		{"another guild", "901", "701", bot.ENOTFOUND, true},
		{"from a DM", "444", "701", bot.ENOTFOUND, true},
		{"a DM channel", "900", "9445", bot.ENOTFOUND, true},
		{"unknown channel", "900", "703", bot.ENOTFOUND, true},
		{"no access", "900", "704", bot.ENOTFOUND, true},
		{"never seen", "900", "799", bot.ENOTFOUND, true},
		{"plain name", "900", "general", bot.EINVALID, false},
		{"hash name", "900", "#general", bot.EINVALID, false},
		{"too big", "900", "123456789012345678901", bot.EINVALID, false},
		{"empty", "900", "", bot.EINVALID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake, _ := newVerifier(t)
			err := a.VerifyChannel(context.Background(), tt.tenant, tt.channel)
			if got := codeOf(err); got != tt.wantCode {
				t.Fatalf("VerifyChannel(%s, %s) = %v (code %q), want code %q", tt.tenant, tt.channel, err, got, tt.wantCode)
			}
			if gets := channelGets(fake); (gets > 0) != tt.wantGet {
				t.Errorf("GET /channels calls = %d, want some: %v", gets, tt.wantGet)
			}
			switch tt.wantCode {
			case bot.ENOTFOUND:
				// The same words whatever the cause, so nothing leaks.
				if err != error(errChannelNotVisible) || bot.ErrorExample(err) != "schedule every weekday at 10:30" {
					t.Errorf("err = %#v, want the one not-visible answer", err)
				}
			case bot.EINVALID:
				if m := bot.ErrorMessage(err); !strings.Contains(m, "channel option") || !strings.Contains(m, "type #") {
					t.Errorf("message = %q, want a pointer to the channel option and to #", m)
				}
			}
		})
	}
	t.Run("request", func(t *testing.T) {
		a, fake, _ := newVerifier(t)
		if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
			t.Fatal(err)
		}
		r := fake.requests()[0]
		if r.Method != http.MethodGet || r.Path != "/api/v10/channels/701" || r.Header.Get("Authorization") != "Bot tok" {
			t.Errorf("request = %s %s auth %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	})
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return bot.ErrorCode(err)
}

func TestVerifyChannelTransient(t *testing.T) {
	a, fake, _ := newVerifier(t)
	for range maxAttempts {
		fake.on("/api/v10/channels/701", http.StatusBadGateway, `{"message":"bad gateway"}`, nil)
	}
	err := a.VerifyChannel(context.Background(), "900", "701")
	var be *bot.Error
	if err == nil || bot.ErrorCode(err) != bot.EINTERNAL || errors.As(err, &be) {
		t.Fatalf("err = %v, want a plain (internal) error", err)
	}
	// Not cached: the next call asks again and succeeds.
	if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if n := channelGets(fake); n != maxAttempts+1 {
		t.Errorf("%d GETs, want %d", n, maxAttempts+1)
	}
	t.Run("one 5xx is retried", func(t *testing.T) {
		a, fake, _ := newVerifier(t)
		fake.on("/api/v10/channels/701", http.StatusInternalServerError, `{}`, nil)
		if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVerifyChannelCache(t *testing.T) {
	a, fake, c := newVerifier(t)
	ctx := context.Background()
	for range 3 {
		if err := a.VerifyChannel(ctx, "900", "701"); err != nil {
			t.Fatal(err)
		}
		if err := a.VerifyChannel(ctx, "901", "701"); codeOf(err) != bot.ENOTFOUND {
			t.Fatalf("other guild: %v", err)
		}
		if err := a.VerifyChannel(ctx, "900", "703"); codeOf(err) != bot.ENOTFOUND {
			t.Fatalf("gone: %v", err)
		}
	}
	if n := channelGets(fake); n != 2 {
		t.Errorf("%d GETs for two channels, want 2 (cached)", n)
	}
	c.add(channelCacheTTL + time.Second)
	if err := a.VerifyChannel(ctx, "900", "701"); err != nil {
		t.Fatal(err)
	}
	if n := channelGets(fake); n != 3 {
		t.Errorf("%d GETs after the TTL, want 3", n)
	}
}

func TestAutocompleteNoMatchSendsEmptyChoices(t *testing.T) {
	body := `{"type":4,"id":"I3","token":"T","guild_id":"G1","channel_id":"C1","member":{"user":{"id":"U1"},"permissions":"0"},` +
		`"data":{"name":"stretch","options":[{"name":"timezone","type":1,"options":[{"name":"zone","type":3,"value":"zzzz","focused":true}]}]}}`
	t.Run("http", func(t *testing.T) {
		e := newEnv(t, &funcHandler{})
		rec := e.post(t, body)
		if got := strings.TrimSpace(rec.Body.String()); got != `{"type":8,"data":{"choices":[]}}` {
			t.Errorf("response = %s", got)
		}
	})
	t.Run("gateway", func(t *testing.T) {
		fake := newFakeDiscord(t)
		a, err := New(Config{Token: "tok", APIURL: fake.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		a.sess = &fakeSession{}
		var in discordgo.Interaction
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			t.Fatal(err)
		}
		a.onInteraction(context.Background(), &funcHandler{}, &discordgo.InteractionCreate{Interaction: &in})
		r := fake.waitFor(t, "callback", func(r request) bool { return r.Path == "/api/v10/interactions/I3/T/callback" })
		if string(r.Body) != `{"type":8,"data":{"choices":[]}}` || r.Header.Get("Authorization") != "" {
			t.Errorf("callback = %s (auth %q)", r.Body, r.Header.Get("Authorization"))
		}
	})
}

// clickedDelivery is a component interaction on a delivered routine: the
// message carries its embed and buttons, and an older status as content.
const clickedDelivery = `{"type":3,"id":"I2","application_id":"APP","token":"TOK2","guild_id":"G1","channel_id":"C1",` +
	`"member":{"user":{"id":"U1","username":"ann"},"permissions":"0"},` +
	`"message":{"id":"M9","channel_id":"C1","content":"\u200b✅ 1 person did this break",` +
	`"embeds":[{"type":"rich","title":"Stretch time","description":"Five minutes.","fields":[{"name":"1. Cat-cow — 60 s","value":"Round your back"}],"footer":{"text":"Stop if anything hurts."}}],` +
	`"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Done","custom_id":"done:k3f9@1700000000"},{"type":2,"style":2,"label":"Join","custom_id":"join:k3f9@1700000000"}]}]},` +
	`"data":{"custom_id":"done:k3f9@1700000000","component_type":2}}`

func checkStatusMessage(t *testing.T, data map[string]any, status string) {
	t.Helper()
	if data["content"] != statusMark+status {
		t.Errorf("content = %q, want the status line %q", data["content"], status)
	}
	if _, ok := data["flags"]; ok {
		t.Errorf("status update has flags %v", data["flags"])
	}
	raw := rawJSON(t, data)
	for _, want := range []string{`"title":"Stretch time"`, `"Round your back"`, `"Stop if anything hurts."`,
		`"custom_id":"done:k3f9@1700000000"`, `"custom_id":"join:k3f9@1700000000"`, `"label":"Join"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("update lost %s: %s", want, raw)
		}
	}
	if strings.Contains(raw, "1 person") {
		t.Errorf("old status kept: %s", raw)
	}
}

func TestComponentStatus(t *testing.T) {
	status := "✅ 3 people did this break"
	t.Run("status only", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return bot.ActionResult{Status: status} }}
		e := newEnv(t, h)
		got := decode(t, e.post(t, clickedDelivery))
		if got["type"] != float64(7) {
			t.Fatalf("type = %v, want 7", got["type"])
		}
		checkStatusMessage(t, got["data"].(map[string]any), status)
		if n := len(e.fake.requests()); n != 0 {
			t.Errorf("%d REST calls, want none", n)
		}
	})
	t.Run("status and ephemeral", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: status, Ephemeral: &bot.Reply{Blocks: []string{"Counted. Nice work!"}}}
		}}
		e := newEnv(t, h)
		got := decode(t, e.post(t, clickedDelivery))
		if got["type"] != float64(7) {
			t.Fatalf("type = %v, want 7", got["type"])
		}
		checkStatusMessage(t, got["data"].(map[string]any), status)
		f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
		if j := f.JSON(); j["flags"] != float64(64) || !strings.Contains(string(f.Body), "Counted") {
			t.Errorf("follow-up = %s", f.Body)
		}
	})
	t.Run("update wins over status", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: status, Update: &bot.Reply{Blocks: []string{"replaced"}}}
		}}
		e := newEnv(t, h)
		data := decode(t, e.post(t, clickedDelivery))["data"].(map[string]any)
		if !strings.Contains(data["content"].(string), "replaced") {
			t.Errorf("data = %v", data)
		}
	})
	t.Run("deferred", func(t *testing.T) {
		release := make(chan struct{})
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			<-release
			return bot.ActionResult{Status: status, Ephemeral: &bot.Reply{Blocks: []string{"streak 3"}}}
		}}
		e := newEnv(t, h)
		e.a.work.After = respond.ExpireNow(nil)
		if got := decode(t, e.post(t, clickedDelivery)); got["type"] != float64(6) {
			t.Fatalf("type = %v, want 6", got["type"])
		}
		close(release)
		patch := e.fake.waitFor(t, "PATCH @original", func(r request) bool {
			return r.Method == http.MethodPatch && r.Path == "/api/v10/webhooks/APP/TOK2/messages/@original"
		})
		checkStatusMessage(t, patch.JSON(), status)
		f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
		if f.JSON()["flags"] != float64(64) {
			t.Errorf("follow-up = %s", f.Body)
		}
	})
}

func TestWithStatus(t *testing.T) {
	embed := []*discordgo.MessageEmbed{{Title: "Stretch time"}}
	tests := []struct {
		name string
		msg  *discordgo.Message
		want string
	}{
		{"no message", nil, statusMark + "✅ 2 done"},
		{"embed, old title content", &discordgo.Message{Content: "**Stretch time**", Embeds: embed}, statusMark + "✅ 2 done"},
		{"embed, old status", &discordgo.Message{Content: statusMark + "✅ 1 done", Embeds: embed}, statusMark + "✅ 2 done"},
		{"plain", &discordgo.Message{Content: "Time to stretch."}, "Time to stretch.\n\n" + statusMark + "✅ 2 done"},
		{"plain, old status", &discordgo.Message{Content: "Time to stretch.\n\n" + statusMark + "🙋 1 joined"}, "Time to stretch.\n\n" + statusMark + "✅ 2 done"},
		{"status only", &discordgo.Message{Content: statusMark + "🙋 1 joined"}, statusMark + "✅ 2 done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withStatus(tt.msg, "✅  2 done\n")
			if got.Content != tt.want {
				t.Errorf("content = %q, want %q", got.Content, tt.want)
			}
			b, _ := json.Marshal(got)
			if tt.msg == nil && (strings.Contains(string(b), `"embeds"`) || strings.Contains(string(b), `"components"`)) {
				t.Errorf("unknown message must leave embeds and components alone: %s", b)
			}
		})
	}
	long := withStatus(&discordgo.Message{Content: strings.Repeat("x", maxContent)}, strings.Repeat("y", 3000))
	if n := len([]rune(long.Content)); n > maxContent || !strings.Contains(long.Content, statusMark+"y") {
		t.Errorf("long content: %d runes", n)
	}
}

func TestRejectionsAreLogged(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &buf, mu: &mu}, nil))
	cmd := `{"type":2,"id":"1","token":"SECRETTOKEN","guild_id":"G","channel_id":"C","member":{"user":{"id":"U"},"permissions":"0"},"data":{"name":"stretch","options":[{"name":"help","type":1}]}}`
	stale := strconv.FormatInt(vecTime.Add(-10*time.Minute).Unix(), 10)
	big := `{"type":2,"pad":"` + strings.Repeat("x", maxBody) + `"}`
	good := sign(t, vecTimestamp, cmd)
	tests := []struct {
		name, body string
		hdr        map[string]string
		reason     string
	}{
		{"bad signature", cmd, map[string]string{"X-Signature-Ed25519": vecSignature, "X-Signature-Timestamp": vecTimestamp}, "bad signature"},
		{"missing", cmd, nil, "missing signature headers"},
		{"malformed", cmd, map[string]string{"X-Signature-Ed25519": "zz", "X-Signature-Timestamp": vecTimestamp}, "malformed signature"},
		{"stale", cmd, map[string]string{"X-Signature-Ed25519": sign(t, stale, cmd), "X-Signature-Timestamp": stale}, "timestamp outside"},
		{"oversized", big, map[string]string{"X-Signature-Ed25519": sign(t, vecTimestamp, big), "X-Signature-Timestamp": vecTimestamp}, "body too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			buf.Reset()
			mu.Unlock()
			e := newEnv(t, &funcHandler{}, WithLogger(logger))
			e.do(t, tt.body, tt.hdr)
			mu.Lock()
			out := buf.String()
			mu.Unlock()
			if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "rejected interaction") || !strings.Contains(out, tt.reason) {
				t.Errorf("log = %q, want a WARN with %q", out, tt.reason)
			}
			for _, secret := range []string{"SECRETTOKEN", vecSignature[:16], good[:16], "xxxxxxxx"} {
				if strings.Contains(out, secret) {
					t.Errorf("log leaks %q: %s", secret, out)
				}
			}
		})
	}
	t.Run("replayed", func(t *testing.T) {
		mu.Lock()
		buf.Reset()
		mu.Unlock()
		e := newEnv(t, &funcHandler{}, WithLogger(logger))
		hdr := map[string]string{"X-Signature-Ed25519": good, "X-Signature-Timestamp": vecTimestamp}
		if rec := e.do(t, cmd, hdr); rec.Code != http.StatusOK {
			t.Fatalf("first = %d", rec.Code)
		}
		if rec := e.do(t, cmd, hdr); rec.Code != http.StatusUnauthorized {
			t.Fatalf("replay = %d", rec.Code)
		}
		mu.Lock()
		out := buf.String()
		mu.Unlock()
		if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "replayed") || strings.Contains(out, good[:16]) {
			t.Errorf("log = %q", out)
		}
	})
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

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"core code span", "Say `pause #k3f9` to stop it.", "Say `pause #k3f9` to stop it."},
		{"two spans", "`done` or `skip`", "`done` or `skip`"},
		{"code span keeps underscores", "Change it with `timezone America/New_York`", "Change it with `timezone America/New_York`"},
		{"unpaired backtick", "it`s", "it\\`s"},
		{"bold", "**bold**", "\\*\\*bold\\*\\*"},
		{"italic and strike", "_a_ ~~b~~", "\\_a\\_ \\~\\~b\\~\\~"},
		{"spoiler hides text", "||secret||", "\\|\\|secret\\|\\|"},
		{"masked link", "[click](https://evil.example)", "\\[click\\](https://evil.example)"},
		{"backslash", `a\b`, `a\\b`},
		{"everyone", "hi @everyone and @here", "hi @\u200beveryone and @\u200bhere"},
		{"user mention stays text", "<@123> <@&456>", "<@123> <@&456>"},
		{"channel link intact", "Team break #ab12 set for <#701>", "Team break #ab12 set for <#701>"},
		{"heading", "# Big", "\\# Big"},
		{"subtext", "-# small", "\\-# small"},
		{"quote", "> quoted\n>>> all", "\\> quoted\n\\>>> all"},
		{"bullet", "- item", "\\- item"},
		{"id is no heading", "#k3f9 paused", "#k3f9 paused"},
		{"mid-line hash", "see # this", "see # this"},
		{"heading after newline", "line\n## two", "line\n\\## two"},
		{"html stays", "<script>&amp;", "<script>&amp;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"`a` b", "**x**", "@everyone", "# h", "`", "a\n> b", "é`ü`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := escape(s)
		if strings.Contains(out, "@everyone") || strings.Contains(out, "@here") {
			t.Fatalf("escape(%q) = %q can ping", s, out)
		}
		if len(out) < len(s) {
			t.Fatalf("escape(%q) = %q lost text", s, out)
		}
	})
}

func TestRenderEmbedHasNoDuplicateTitle(t *testing.T) {
	tests := []struct {
		name string
		r    bot.Reply
		want string
	}{
		{"title", routine, ""},
		{"blocks only", bot.Reply{Blocks: []string{"Go"}, Cards: routine.Cards}, ""},
		{"nothing but cards", bot.Reply{Cards: routine.Cards}, "Stretch break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := render(tt.r)
			if m.Content != tt.want || len(m.Embeds) != 1 {
				t.Errorf("content = %q (embeds %d), want %q", m.Content, len(m.Embeds), tt.want)
			}
		})
	}
	m := render(bot.Reply{Title: "Help", Blocks: []string{"Say `break` to start."}})
	if m.Content != "**Help**\n\nSay `break` to start." {
		t.Errorf("plain content = %q", m.Content)
	}
}
