package slack

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

func TestEachWorkspaceHasItsOwnRateLimits(t *testing.T) {
	e := newOAuthEnv(t)
	e.install(t, "T1", "xoxb-one")
	e.install(t, "T2", "xoxb-two")
	ctx := context.Background()
	// Slack limits T1's posts; T2, with its own token, is not limited.
	var mu sync.Mutex
	limited := false
	e.f.before = func(c call) (failure, bool) {
		mu.Lock()
		defer mu.Unlock()
		if c.Method == "chat.postMessage" && c.Token == "xoxb-one" && !limited {
			limited = true
			return failure{status: 429, retryAfter: "30"}, true
		}
		return failure{}, false
	}
	send := func(team, channel string) error {
		_, err := e.a.Send(ctx, bot.Outgoing{Platform: bot.Slack, Tenant: bot.TenantID(team), Channel: bot.ChannelID(channel), Reply: delivery})
		return err
	}
	if err := send("T1", "C1"); err == nil {
		t.Fatal("the 429 was not reported")
	}
	e.clock.Advance(10 * time.Second)
	var de *bot.DeliveryError
	if err := send("T1", "C1"); !errors.As(err, &de) || de.Permanent || de.RetryAfter != 20*time.Second {
		t.Fatalf("T1 during its Retry-After = %v, want transient with RetryAfter 20s", err)
	}
	if err := send("T2", "C1"); err != nil {
		t.Fatalf("T2 held back by T1's limit: %v", err)
	}
	if got := e.tokensOf("chat.postMessage"); !slices.Equal(got, []string{"xoxb-one", "xoxb-two"}) {
		t.Errorf("posts reached Slack with %v, want T1's limited one and T2's", got)
	}

	// The pace of a channel is per workspace too: the same channel id in
	// another workspace is another conversation.
	e.clock.Advance(20 * time.Second)
	for range 3 {
		if err := send("T1", "C5"); err != nil {
			t.Fatal(err)
		}
	}
	if err := send("T1", "C5"); !errors.As(err, &de) || de.RetryAfter != time.Second {
		t.Errorf("fourth post to T1/C5 = %v, want handed back for 1s", err)
	}
	if err := send("T2", "C5"); err != nil {
		t.Errorf("T2/C5 paced by T1/C5: %v", err)
	}
	if s := e.clock.Sleeps(); len(s) != 0 {
		t.Errorf("deliveries slept %v", s)
	}
}

func TestPrivateMentionAnswersUseTheWorkspacesToken(t *testing.T) {
	tests := []struct {
		name      string
		ephFail   bool
		wantPosts []string // channel of each chat.postMessage
	}{
		{"ephemeral to the asker", false, nil},
		{"ephemeral refused: by DM", true, []string{"DU1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newOAuthEnv(t)
			e.install(t, "T1", "xoxb-one")
			e.install(t, "T2", "xoxb-two")
			e.h.handle = func(context.Context, bot.Message) bot.Reply {
				return bot.Reply{Blocks: []string{"only you"}, Visibility: bot.Private}
			}
			if tt.ephFail {
				e.f.failAlways("chat.postEphemeral", failure{code: "user_not_in_channel"})
			}
			e.postEnvelope(t, map[string]any{"type": "event_callback", "team_id": "T2", "event_id": "Ev1",
				"event": map[string]any{"type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOTT2> list", "ts": "1.1"}})
			eph := e.f.callsTo("chat.postEphemeral")
			if len(eph) != 1 || eph[0].Token != "xoxb-two" || eph[0].Params.Get("user") != "U1" || eph[0].Params.Get("channel") != "C1" {
				t.Fatalf("chat.postEphemeral calls = %+v, want one to U1 in C1 with T2's token", eph)
			}
			var posts []string
			for _, c := range e.f.callsTo("chat.postMessage") {
				posts = append(posts, c.Params.Get("channel"))
				if c.Token != "xoxb-two" {
					t.Errorf("DM answer posted with %q", c.Token)
				}
			}
			if !slices.Equal(posts, tt.wantPosts) {
				t.Errorf("posts = %v, want %v", posts, tt.wantPosts)
			}
			for _, c := range e.f.callsTo("conversations.open") {
				if c.Token != "xoxb-two" {
					t.Errorf("conversations.open with %q", c.Token)
				}
			}
		})
	}
}

func TestInstallStateWorksOnceAcrossInstances(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	a := newOAuthEnvWith(t, 1, []Option{WithSeenStore(db)})
	b := newOAuthEnvWith(t, 1, []Option{WithSeenStore(db)})
	state, cookie := a.start(t)
	a.f.grant("code-a", "T1", "xoxb-T1-a")
	a.tokens = append(a.tokens, "xoxb-T1-a")
	if w := a.callback(state, "code-a", cookie); w.Code != http.StatusOK {
		t.Fatalf("first callback = %d:\n%s", w.Code, w.Body.String())
	}
	// The same state replayed at another instance is refused there.
	b.f.grant("code-b", "T1", "xoxb-T1-b")
	b.tokens = append(b.tokens, "xoxb-T1-b")
	if w := b.callback(state, "code-b", cookie); w.Code != http.StatusForbidden {
		t.Errorf("replay at another instance = %d, want 403", w.Code)
	}
	if b.store.has("T1") || len(b.f.callsTo("oauth.v2.access")) != 0 {
		t.Error("the replayed state exchanged a code or stored a token")
	}

	// While the shared store cannot tell, nothing is installed; once it
	// answers again the same install goes through.
	state, cookie = a.start(t)
	a.f.grant("code-c", "T2", "xoxb-T2-c")
	a.tokens = append(a.tokens, "xoxb-T2-c")
	db.fail(errors.New("database unreachable"))
	w := a.callback(state, "code-c", cookie)
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "Nothing was installed") {
		t.Errorf("callback while the seen store fails = %d:\n%s", w.Code, w.Body.String())
	}
	if a.store.has("T2") {
		t.Error("installed while the state could not be checked")
	}
	db.fail(nil)
	if w := a.callback(state, "code-c", cookie); w.Code != http.StatusOK || !a.store.has("T2") {
		t.Errorf("callback once the store answers = %d", w.Code)
	}
}
