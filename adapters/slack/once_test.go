package slack

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

const onceKey = "occ:r7@1700000000#run"

// onceOut is a delivery of onceKey to channel.
func onceOut(e *testEnv, channel bot.ChannelID) bot.Outgoing {
	return bot.Outgoing{Platform: bot.Slack, Tenant: "T1", Channel: channel, Reply: delivery, Key: onceKey, Due: e.clock.Now()}
}

// otherInstance is a second adapter over e's fake Slack, as another
// instance of the bot sharing the workspace.
func otherInstance(t *testing.T, e *testEnv) *Adapter {
	t.Helper()
	a, err := New(Config{SigningSecret: testSecret, BotToken: "xoxb-test", APIURL: e.f.apiURL()},
		WithNow(e.clock.Now), WithHTTPClient(e.f.srv.Client()), WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	a.sleep = e.clock.sleep
	return a
}

func TestDeliveryCarriesItsKeyDigest(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	if _, err := e.a.Send(context.Background(), onceOut(e, "C1")); err != nil {
		t.Fatal(err)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	var md struct {
		EventType    string            `json:"event_type"`
		EventPayload map[string]string `json:"event_payload"`
	}
	raw := posts[0].Params.Get("metadata")
	if err := json.Unmarshal([]byte(raw), &md); err != nil {
		t.Fatalf("metadata %q: %v", raw, err)
	}
	if md.EventType != "stretchbot_delivery" || md.EventPayload["key"] != keyDigest(onceKey) || len(md.EventPayload["key"]) != 16 {
		t.Errorf("metadata = %+v, want stretchbot_delivery with the key's digest", md)
	}
	if strings.Contains(raw, "r7") {
		t.Errorf("metadata %q shows the reminder's id", raw)
	}
	if n := len(e.f.callsTo("conversations.history")); n != 0 {
		t.Errorf("%d history calls for a first attempt, want 0", n)
	}

	// Posts that are no delivery carry none.
	if _, err := e.a.Send(context.Background(), bot.Outgoing{Platform: bot.Slack, Tenant: "T1", Channel: "C1", Reply: delivery}); err != nil {
		t.Fatal(err)
	}
	if raw := e.f.callsTo("chat.postMessage")[1].Params.Get("metadata"); raw != "" {
		t.Errorf("metadata %q on a post without a key", raw)
	}
}

// A post taken by Slack whose answer was lost is found by the retry, which
// posts nothing: one message.
func TestUnsureRetryFindsThePostWhoseAnswerWasLost(t *testing.T) {
	for _, dm := range []bool{false, true} {
		name := "channel"
		if dm {
			name = "dm"
		}
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			ctx := context.Background()
			out := onceOut(e, "C1")
			if dm {
				out.Channel, out.User = "", "U1"
			}
			e.f.loseNext("chat.postMessage", 1)
			_, err := e.a.Send(ctx, out)
			if err == nil || bot.IsPermanent(err) || !bot.IsUnsure(err) {
				t.Fatalf("Send with its answer lost = %v, want a transient, unsure error", err)
			}
			e.clock.Advance(30 * time.Second)
			out.Unsure = true
			sent, err := e.a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			posts := e.f.callsTo("chat.postMessage")
			if len(posts) != 1 {
				t.Fatalf("%d posts, want 1", len(posts))
			}
			want := bot.ChannelID("C1")
			if dm {
				want = "DU1"
			}
			if sent.ID != posts[0].TS || sent.Channel != want {
				t.Errorf("Sent = %+v, want the first post %s in %s", sent, posts[0].TS, want)
			}
			hist := e.f.callsTo("conversations.history")
			if len(hist) != 1 {
				t.Fatalf("%d history calls, want 1", len(hist))
			}
			p := hist[0].Params
			if p.Get("channel") != string(want) || p.Get("include_all_metadata") != "1" || p.Get("limit") != "15" ||
				p.Get("oldest") != slackTS(out.Due.Add(-historySlack)) {
				t.Errorf("history asked with %v", p)
			}
		})
	}
}

// An instance that died between Slack taking the post and recording it:
// the instance that takes the run over finds the post.
func TestTakeoverFindsThePostOfADeadInstance(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	first, err := e.a.Send(ctx, onceOut(e, "C1"))
	if err != nil {
		t.Fatal(err)
	}
	// ... and the instance dies before the record. Another takes over.
	e.clock.Advance(2 * time.Minute)
	out := onceOut(e, "C1")
	out.Unsure = true
	sent, err := otherInstance(t, e).Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 1 || sent.ID != first.ID {
		t.Errorf("%d posts, Sent %s; want 1, the first post %s", n, sent.ID, first.ID)
	}

	// Another occurrence's post in the channel is not this one's.
	other := onceOut(e, "C1")
	other.Key, other.Unsure = "occ:r7@1700000060#run", true
	if sent, err := e.a.Send(ctx, other); err != nil || sent.ID == first.ID {
		t.Errorf("other occurrence: Sent %s, %v; want a post of its own", sent.ID, err)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 2 {
		t.Errorf("%d posts, want 2", n)
	}
}

// A look-up Slack refuses (no history scope, not in the channel, rate
// limited) falls back to posting.
func TestUnsureLookupRefusedPosts(t *testing.T) {
	for _, code := range []string{"missing_scope", "not_in_channel", "ratelimited"} {
		t.Run(code, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			fl := failure{code: code}
			if code == "ratelimited" {
				fl = failure{status: 429, retryAfter: "60"}
			}
			e.f.failAlways("conversations.history", fl)
			out := onceOut(e, "C1")
			out.Unsure = true
			for range 2 {
				if _, err := e.a.Send(context.Background(), out); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(e.f.callsTo("chat.postMessage")); n != 2 {
				t.Errorf("%d posts, want 2", n)
			}
			if n := len(e.f.callsTo("conversations.history")); n == 0 {
				t.Error("no look-up was tried")
			}
		})
	}
}

// A refusal Slack answered (a 429) is no unsure attempt: its retry costs
// no look-up.
func TestRateLimitedRetryDoesNotLook(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	e.f.failNext("chat.postMessage", failure{status: 429, retryAfter: "1"}, failure{code: "internal_error"}, failure{status: 503})
	out := onceOut(e, "C1")
	for range 3 {
		_, err := e.a.Send(ctx, out)
		if err == nil || bot.IsUnsure(err) {
			t.Fatalf("Send = %v, want a sure transient error", err)
		}
		out.Unsure = bot.IsUnsure(err)
		e.clock.Advance(2 * time.Second)
	}
	if _, err := e.a.Send(ctx, out); err != nil {
		t.Fatal(err)
	}
	if n := len(e.f.callsTo("conversations.history")); n != 0 {
		t.Errorf("%d history calls, want 0", n)
	}
}

// An attempt made unsure that could not look (the look-up was refused) and
// was then refused itself has ruled nothing out: the earlier post may
// still be there, so its error stays unsure and the next attempt looks.
func TestUnsureAttemptThatCouldNotLookStaysUnsure(t *testing.T) {
	for _, refusal := range []string{"slack", "limiter"} {
		t.Run(refusal, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			ctx := context.Background()
			out := onceOut(e, "C1")
			e.f.loseNext("chat.postMessage", 1)
			if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
				t.Fatalf("Send with its answer lost = %v, want an unsure error", err)
			}
			e.clock.Advance(30 * time.Second)
			e.f.failNext("conversations.history", failure{status: 429, retryAfter: "60"})
			if refusal == "slack" {
				e.f.failNext("chat.postMessage", failure{status: 429, retryAfter: "1"})
			} else {
				// The channel's pace holds the post back before it is sent.
				e.a.limits.Block("T1/chat.postMessage/C1", e.clock.Now().Add(time.Minute))
			}
			out.Unsure = true
			_, err := e.a.Send(ctx, out)
			if err == nil || bot.IsPermanent(err) || !bot.IsUnsure(err) {
				t.Fatalf("unsure attempt that could not look, refused = %v, want a transient, unsure error", err)
			}
			e.clock.Advance(2 * time.Minute)
			out.Unsure = bot.IsUnsure(err)
			sent, err := e.a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			posts := e.f.callsTo("chat.postMessage")
			want := 1 // the first, taken
			if refusal == "slack" {
				want++ // and the one Slack refused
			}
			if len(posts) != want || sent.ID != posts[0].TS {
				t.Errorf("%d posts, Sent %s; want %d, the first post %s found by the third attempt", len(posts), sent.ID, want, posts[0].TS)
			}
		})
	}
}
