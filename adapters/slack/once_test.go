package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
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
	if md.EventType != "stretchbot_delivery" || md.EventPayload["key"] != unsure.Digest(onceKey) || len(md.EventPayload["key"]) != 16 {
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

// deliveries counts the posts carrying a delivery's metadata.
func deliveries(e *testEnv) int {
	n := 0
	for _, c := range e.f.callsTo("chat.postMessage") {
		if c.Params.Get("metadata") != "" {
			n++
		}
	}
	return n
}

// retryAfter is err's RetryAfter, or zero.
func retryAfter(err error) time.Duration {
	var de *bot.DeliveryError
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return 0
}

// A look-up Slack rate limits posts nothing: the attempt stays unsure and
// comes back at Retry-After, when the look-up decides. Posting blind had
// posted twice whenever the earlier attempt had been taken.
func TestUnsureLookupRateLimitedWaits(t *testing.T) {
	for _, landed := range []bool{true, false} {
		name := "earlier post taken"
		if !landed {
			name = "earlier post not taken"
		}
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			ctx := context.Background()
			out := onceOut(e, "C1")
			if landed {
				e.f.loseNext("chat.postMessage", 1)
				if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
					t.Fatalf("Send with its answer lost = %v, want unsure", err)
				}
			}
			e.clock.Advance(30 * time.Second)
			out.Unsure = true
			e.f.failNext("conversations.history", failure{status: 429, retryAfter: "60"})
			_, err := e.a.Send(ctx, out)
			if err == nil || bot.IsPermanent(err) || !bot.IsUnsure(err) || retryAfter(err) != time.Minute {
				t.Fatalf("Send whose look-up was rate limited = %v (retry after %v), want transient, unsure, after 1m0s", err, retryAfter(err))
			}
			want := 0
			if landed {
				want = 1
			}
			if n := deliveries(e); n != want {
				t.Fatalf("%d posts after the refused look-up, want %d", n, want)
			}
			e.clock.Advance(time.Minute)
			sent, err := e.a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			posts := e.f.callsTo("chat.postMessage")
			if len(posts) != 1 || sent.ID != posts[0].TS {
				t.Errorf("%d posts, Sent %s; want 1, %s", len(posts), sent.ID, posts[0].TS)
			}
		})
	}
}

// Look-ups that keep failing end with the run given up once it is
// unsureGiveUp old, never in a post: the earlier attempt may be there.
func TestUnsureLookupThatNeverWorksGivesUp(t *testing.T) {
	for _, code := range []string{"ratelimited", "missing_scope", "internal_error"} {
		t.Run(code, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			ctx := context.Background()
			fl := failure{code: code}
			if code == "ratelimited" {
				fl = failure{status: 429, retryAfter: "60"}
			}
			out := onceOut(e, "C1")
			e.f.loseNext("chat.postMessage", 1)
			if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
				t.Fatalf("Send with its answer lost = %v, want unsure", err)
			}
			e.f.failAlways("conversations.history", fl)
			out.Unsure = true
			var err error
			for i := 0; i < 100; i++ {
				e.clock.Advance(max(retryAfter(err), 30*time.Second))
				_, err = e.a.Send(ctx, out)
				if err == nil || bot.IsGiveUp(err) {
					break
				}
				if !bot.IsUnsure(err) {
					t.Fatalf("attempt %d = %v, want unsure", i, err)
				}
			}
			if !bot.IsGiveUp(err) || bot.IsPermanent(err) {
				t.Fatalf("last attempt = %v, want the run given up", err)
			}
			if age := e.clock.Now().Sub(out.Due); age < unsureGiveUp || age > unsureGiveUp+6*time.Minute {
				t.Errorf("gave up %v after the run was due, want soon after %v", age, unsureGiveUp)
			}
			var de *bot.DeliveryError
			errors.As(err, &de)
			if !strings.Contains(de.Reason, "could not check") {
				t.Errorf("reason %q does not say why nothing was posted", de.Reason)
			}
			if n := deliveries(e); n != 1 {
				t.Errorf("%d posts, want 1 (the first, taken)", n)
			}
		})
	}
}

// The bot not being a member of the channel is no passing refusal: it
// can post there (chat:write.public) yet never read the history, and in a
// private channel its post is refused the same way. Either way the attempt
// fails surely at once, asking for an invite, and posts nothing.
func TestUnsureLookupNotInChannelFails(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	e.f.failAlways("conversations.history", failure{code: "not_in_channel"})
	out := onceOut(e, "CPUB")
	out.Unsure = true
	_, err := e.a.Send(context.Background(), out)
	var de *bot.DeliveryError
	if !errors.As(err, &de) || !de.Permanent || !strings.Contains(de.Reason, "/invite") {
		t.Fatalf("Send = %v, want a permanent failure asking for an invite", err)
	}
	if n := deliveries(e); n != 0 {
		t.Errorf("%d posts, want 0", n)
	}
}

// In a busy channel the earlier post is further back than one page: the
// look-up pages back to the time the run fell due, and no further.
func TestUnsureLookupPagesBackToTheRun(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	e.f.chatter("C1", 50) // before the run: never read
	e.clock.Advance(time.Hour)
	out := onceOut(e, "C1")
	e.f.loseNext("chat.postMessage", 1)
	if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
		t.Fatalf("Send with its answer lost = %v, want unsure", err)
	}
	e.clock.Advance(time.Second)
	e.f.chatter("C1", 2*historyLimit+5)
	e.clock.Advance(30 * time.Second)
	out.Unsure = true
	sent, err := e.a.Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 || sent.ID != posts[0].TS {
		t.Fatalf("%d posts, Sent %s; want 1, %s", len(posts), sent.ID, posts[0].TS)
	}
	hist := e.f.callsTo("conversations.history")
	if len(hist) != 3 {
		t.Fatalf("%d history calls, want 3 pages", len(hist))
	}
	for i, h := range hist {
		if h.Params.Get("oldest") != slackTS(out.Due.Add(-historySlack)) || (i > 0) != (h.Params.Get("cursor") != "") {
			t.Errorf("page %d asked with %v", i, h.Params)
		}
	}
}

// A look-up cut short (Slack lets a commercially distributed app read a
// page a minute) goes on where it stopped at the next attempt.
func TestUnsureLookupResumesWhereItStopped(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	out := onceOut(e, "C1")
	e.f.loseNext("chat.postMessage", 1)
	if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
		t.Fatalf("Send with its answer lost = %v, want unsure", err)
	}
	e.f.chatter("C1", historyLimit+5)
	n := 0
	e.f.before = func(c call) (failure, bool) {
		if c.Method != "conversations.history" {
			return failure{}, false
		}
		n++
		return failure{status: 429, retryAfter: "60"}, n == 2
	}
	e.clock.Advance(30 * time.Second)
	out.Unsure = true
	_, err := e.a.Send(ctx, out)
	if !bot.IsUnsure(err) || bot.IsPermanent(err) {
		t.Fatalf("Send whose second page was refused = %v, want transient, unsure", err)
	}
	e.clock.Advance(time.Minute)
	sent, err := e.a.Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 || sent.ID != posts[0].TS {
		t.Fatalf("%d posts, Sent %s; want 1, %s", len(posts), sent.ID, posts[0].TS)
	}
	hist := e.f.callsTo("conversations.history")
	if len(hist) != 3 {
		t.Fatalf("%d history calls, want 3", len(hist))
	}
	// The first page held the newest historyLimit messages: it stopped
	// at chatter[5].
	chatter := e.f.callsTo("chatter")
	if p := hist[2].Params; p.Get("cursor") != "" || p.Get("latest") != chatter[5].TS {
		t.Errorf("resumed with %v, want latest %s, the oldest message read", p, chatter[5].TS)
	}
}

// A channel too busy to page back to the run within historyPages pages
// cannot tell: nothing is posted, and the attempt fails surely.
func TestUnsureLookupPageCap(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	out := onceOut(e, "C1")
	e.f.loseNext("chat.postMessage", 1)
	if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
		t.Fatalf("Send with its answer lost = %v, want unsure", err)
	}
	e.f.chatter("C1", (historyPages+1)*historyLimit)
	out.Unsure = true
	var err error
	for i := 0; i < 10; i++ {
		e.clock.Advance(max(retryAfter(err), 30*time.Second))
		if _, err = e.a.Send(ctx, out); err == nil || bot.IsGiveUp(err) {
			break
		}
	}
	if !bot.IsGiveUp(err) || bot.IsPermanent(err) {
		t.Fatalf("Send = %v, want the run given up", err)
	}
	if n := len(e.f.callsTo("conversations.history")); n != historyPages {
		t.Errorf("%d history calls, want %d", n, historyPages)
	}
	if n := deliveries(e); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}

// A DM whose id this instance does not know needs conversations.open
// (Tier 3) to look: rate limited, the attempt waits, unsure, and posts
// nothing; and an id the DM's events told is used without opening it.
func TestUnsureDMLookup(t *testing.T) {
	t.Run("open rate limited", func(t *testing.T) {
		e := newTestEnv(t, &funcHandler{})
		ctx := context.Background()
		out := onceOut(e, "")
		out.User = "U1"
		e.f.loseNext("chat.postMessage", 1)
		if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
			t.Fatalf("Send with its answer lost = %v, want unsure", err)
		}
		b := otherInstance(t, e) // took the run over; knows no DM
		e.f.failNext("conversations.open", failure{status: 429, retryAfter: "3"})
		out.Unsure = true
		_, err := b.Send(ctx, out)
		if !bot.IsUnsure(err) || bot.IsPermanent(err) || retryAfter(err) != 3*time.Second {
			t.Fatalf("Send whose DM could not be opened = %v (retry after %v), want transient, unsure, after 3s", err, retryAfter(err))
		}
		if n := deliveries(e); n != 1 {
			t.Fatalf("%d posts, want 1", n)
		}
		e.clock.Advance(3 * time.Second)
		sent, err := b.Send(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		if n := deliveries(e); n != 1 || sent.ID != e.f.callsTo("chat.postMessage")[0].TS || sent.Channel != "DU1" {
			t.Errorf("%d posts, Sent %+v; want the first post in DU1", n, sent)
		}
	})
	for _, ev := range []map[string]any{
		{"type": "app_home_opened", "user": "U1", "channel": "DU1", "tab": "messages"},
		{"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1", "text": "list", "ts": "1700000000.000200"},
	} {
		t.Run("learned from "+ev["type"].(string), func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			ctx := context.Background()
			out := onceOut(e, "")
			out.User = "U1"
			e.f.loseNext("chat.postMessage", 1)
			if _, err := e.a.Send(ctx, out); !bot.IsUnsure(err) {
				t.Fatalf("Send with its answer lost = %v, want unsure", err)
			}
			e.postEvent(t, "Ev1", ev)
			out.Unsure = true
			sent, err := e.a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(e.f.callsTo("conversations.open")); n != 0 {
				t.Errorf("%d conversations.open calls, want 0", n)
			}
			if n := deliveries(e); n != 1 || sent.Channel != "DU1" {
				t.Errorf("%d posts, Sent %+v; want the first post in DU1", n, sent)
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

// An attempt made unsure that could not look (Slack refused the look-up,
// or the limiter held it back) has ruled nothing out: the earlier post may
// still be there, so it posts nothing, its error stays unsure, and the
// next attempt looks.
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
			if refusal == "slack" {
				e.f.failNext("conversations.history", failure{status: 429, retryAfter: "60"})
			} else {
				e.a.limits.Block("T1/conversations.history", e.clock.Now().Add(time.Minute))
			}
			out.Unsure = true
			_, err := e.a.Send(ctx, out)
			if err == nil || bot.IsPermanent(err) || !bot.IsUnsure(err) || retryAfter(err) <= 0 {
				t.Fatalf("unsure attempt that could not look = %v, want a transient, unsure error with a retry time", err)
			}
			e.clock.Advance(2 * time.Minute)
			out.Unsure = bot.IsUnsure(err)
			sent, err := e.a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			posts := e.f.callsTo("chat.postMessage")
			if len(posts) != 1 || sent.ID != posts[0].TS {
				t.Errorf("%d posts, Sent %s; want 1, the first post %s found by the third attempt", len(posts), sent.ID, posts[0].TS)
			}
		})
	}
}

func TestWalkGaps(t *testing.T) {
	var w walk
	if g := w.gaps("10"); !slices.Equal(g, []span{{"10", ""}}) {
		t.Errorf("nothing read: gaps %v", g)
	}
	w.add(span{"30", "40"})
	w.add(span{"20", "25"})
	if g := w.gaps("10"); !slices.Equal(g, []span{{"10", "20"}, {"25", "30"}, {"40", ""}}) {
		t.Errorf("two spans read: gaps %v", g)
	}
	w.add(span{"10", "20"})
	w.add(span{"24", "31"})
	if g := w.gaps("10"); !slices.Equal(g, []span{{"40", ""}}) || len(w.read) != 1 {
		t.Errorf("all read but the newest: gaps %v, spans %v", g, w.read)
	}
}
