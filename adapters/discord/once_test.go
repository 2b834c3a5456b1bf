package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
)

const onceKey = "occ:k3f9@1800000000#run"

// newLooker is a clocked sender whose channel C1 is in guild G1; due is
// the run's time, the clock's start.
func newLooker(t *testing.T) (*Adapter, *fakeDiscord, *clock, time.Time) {
	t.Helper()
	a, fake, clk := newClockedSender(t)
	fake.guilds["C1"] = "G1"
	return a, fake, clk, clk.now()
}

func delivery(due time.Time, unsure bool) bot.Outgoing {
	return bot.Outgoing{Channel: "C1", Reply: routine, Key: onceKey, Unsure: unsure, Due: due}
}

// lists counts the GET …/messages look-ups the fake answered.
func lists(fake *fakeDiscord) []request {
	var out []request
	for _, r := range fake.requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/messages") {
			out = append(out, r)
		}
	}
	return out
}

func posted(fake *fakeDiscord) int {
	n := 0
	for _, r := range fake.requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/messages") {
			n++
		}
	}
	return n
}

// An unsure attempt later than Discord keeps nonces finds the earlier
// attempt's post among the channel's messages and posts nothing.
func TestUnsureFindsEarlierPost(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	first, err := a.Send(ctx, delivery(due, false))
	if err != nil {
		t.Fatal(err)
	}
	clk.add(time.Minute)
	fake.say("C1", "U2", "")
	fake.say("C1", "OTHERBOT", `[{"type":1,"components":[{"type":2,"custom_id":"done:x#`+unsure.Digest(onceKey)+`"}]}]`)
	clk.add(4 * time.Minute) // past the nonce's few minutes
	sent, err := a.Send(ctx, delivery(due, true))
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID != first.ID || sent.Channel != "C1" {
		t.Errorf("sent = %+v, want the first post %+v", sent, first)
	}
	if n := fake.posts("C1"); n != 1 {
		t.Errorf("the bot holds %d posts, want 1:%s", n, fake.describe())
	}
	l := lists(fake)
	if len(l) != 1 {
		t.Fatalf("look-ups: %s", fake.describe())
	}
}

// A post whose answer was lost is reported unsure; its retry, later than
// Discord keeps nonces, finds it and posts nothing. A retry after a
// refusal Discord answered (a 429) is sure, and does not look.
func TestLostAnswerRetriedLateFindsThePost(t *testing.T) {
	for _, dm := range []bool{false, true} {
		t.Run(map[bool]string{false: "channel", true: "dm"}[dm], func(t *testing.T) {
			a, fake, clk, due := newLooker(t)
			ctx := context.Background()
			out, ch := delivery(due, false), "C1"
			if dm {
				out.Channel, out.User, ch = "", "U5", "DM-U5"
			}
			fake.on("/api/v10/channels/"+ch+"/messages", http.StatusTooManyRequests, `{"message":"slow down","retry_after":1}`, nil)
			_, err := a.Send(ctx, out)
			if err == nil || bot.IsUnsure(err) {
				t.Fatalf("429: err = %v, want a sure failure", err)
			}
			clk.add(5 * time.Second)
			fake.on("/api/v10/channels/"+ch+"/messages", loseAnswer, "", nil)
			_, err = a.Send(ctx, out)
			if !bot.IsUnsure(err) || fake.posts(ch) != 1 {
				t.Fatalf("answer lost: err = %v, %d posts; want unsure, 1", err, fake.posts(ch))
			}
			clk.add(5 * time.Minute)
			out.Unsure = bot.IsUnsure(err)
			sent, err := a.Send(ctx, out)
			if err != nil {
				t.Fatal(err)
			}
			if fake.posts(ch) != 1 || sent.Channel != bot.ChannelID(ch) || sent.ID != fake.msgs[ch][0].ID {
				t.Errorf("sent %+v, %d posts; want the first post", sent, fake.posts(ch))
			}
			if l := lists(fake); len(l) != 1 || !strings.Contains(l[0].Path, ch) {
				t.Errorf("look-ups: %s", fake.describe())
			}
		})
	}
}

// The look-up starts historySlack before the run's time and pages on
// past other people's messages.
func TestUnsureLooksPastAPage(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	clk.add(-3 * time.Minute)
	fake.say("C1", fakeBotID, `[{"type":1,"components":[{"type":2,"custom_id":"done:old#`+unsure.Digest(onceKey)+`"}]}]`)
	clk.add(2 * time.Minute) // within historySlack of the run
	for range 150 {
		fake.say("C1", "U2", "")
	}
	clk.add(time.Minute)
	first, err := a.Send(ctx, delivery(due, false))
	if err != nil {
		t.Fatal(err)
	}
	clk.add(6 * time.Minute)
	sent, err := a.Send(ctx, delivery(due, true))
	if err != nil || sent.ID != first.ID {
		t.Fatalf("sent = %+v, %v; want %s", sent, err, first.ID)
	}
	l := lists(fake)
	if len(l) != 2 {
		t.Fatalf("%d look-ups, want 2", len(l))
	}
	if want := (url.Values{"after": {snowflakeAt(due.Add(-historySlack))}, "limit": {"100"}}).Encode(); l[0].Query != want {
		t.Errorf("first look-up ?%s, want ?%s", l[0].Query, want)
	}
	if fake.posts("C1") != 2 {
		t.Errorf("posted again: %d", fake.posts("C1"))
	}
}

// Nothing posted since the run: the unsure attempt posts, once, marked.
// Every delivery is marked, so that a later attempt can find it.
func TestUnsureNotFoundPostsMarked(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	fake.say("C1", "U2", "")
	clk.add(5 * time.Minute)
	if _, err := a.Send(context.Background(), delivery(due, true)); err != nil {
		t.Fatal(err)
	}
	if n := fake.posts("C1"); n != 1 {
		t.Fatalf("%d posts", n)
	}
	var body string
	for _, r := range fake.requests() {
		if r.Method == http.MethodPost {
			body = string(r.Body)
		}
	}
	if want := `"custom_id":"done:k3f9:1#` + unsure.Digest(onceKey) + `"`; !strings.Contains(body, want) {
		t.Errorf("post lacks %s: %s", want, body)
	}
}

// Within the nonce's window the attempt posts with the nonce, which
// Discord answers with the first message; it spends no call on looking.
func TestUnsureWithinNonceWindowTrustsTheNonce(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	first, err := a.Send(ctx, delivery(due, false))
	if err != nil {
		t.Fatal(err)
	}
	clk.add(nonceTrust - time.Second)
	sent, err := a.Send(ctx, delivery(due, true))
	if err != nil || sent.ID != first.ID {
		t.Fatalf("sent = %+v, %v", sent, err)
	}
	if len(lists(fake)) != 0 || fake.posts("C1") != 1 {
		t.Errorf("requests: %s", fake.describe())
	}
}

// A rate-limited look-up posts nothing and comes back unsure when Discord
// allows; past unsureGiveUp the run is given up.
func TestUnsureLookupRateLimited(t *testing.T) {
	for _, tc := range []struct {
		name   string
		late   time.Duration
		giveUp bool
	}{{"early", 5 * time.Minute, false}, {"late", unsureGiveUp + time.Minute, true}} {
		t.Run(tc.name, func(t *testing.T) {
			a, fake, clk, due := newLooker(t)
			clk.add(tc.late)
			fake.on("/api/v10/channels/C1/messages", http.StatusTooManyRequests,
				`{"message":"You are being rate limited.","retry_after":7,"global":false}`, nil)
			_, err := a.Send(context.Background(), delivery(due, true))
			var de *bot.DeliveryError
			if !errors.As(err, &de) {
				t.Fatalf("err = %v", err)
			}
			if posted(fake) != 0 {
				t.Errorf("posted: %s", fake.describe())
			}
			if tc.giveUp {
				if !de.GiveUp || de.Unsure || de.Permanent {
					t.Errorf("err = %+v, want given up", de)
				}
				return
			}
			if !de.Unsure || de.Permanent || de.GiveUp || de.RetryAfter < 7*time.Second {
				t.Errorf("err = %+v, want unsure, retry after 7 s", de)
			}
			// Retried when Discord allows, it looks, and posts what
			// was not posted.
			clk.add(de.RetryAfter)
			if _, err := a.Send(context.Background(), delivery(due, de.Unsure)); err != nil {
				t.Fatal(err)
			}
			if len(lists(fake)) != 2 || fake.posts("C1") != 1 {
				t.Errorf("requests: %s", fake.describe())
			}
		})
	}
}

// A bot without Read Message History is listed nothing: the channel's
// newer last message tells, and the creator is asked for the permission.
func TestUnsureHistoryHidden(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	if _, err := a.Send(ctx, delivery(due, false)); err != nil {
		t.Fatal(err)
	}
	fake.noHistory = map[string]bool{"C1": true}
	clk.add(5 * time.Minute)
	_, err := a.Send(ctx, delivery(due, true))
	if !bot.IsPermanent(err) || !strings.Contains(err.Error(), "Read Message History") {
		t.Fatalf("err = %v, want a permanent failure asking for Read Message History", err)
	}
	if fake.posts("C1") != 1 {
		t.Errorf("posted again: %s", fake.describe())
	}
}

// A channel too busy to read through in one attempt posts nothing and
// comes back unsure; the next attempt carries on where the last one
// stopped, reading each message once, and finds the post past the pages
// read before. The place is forgotten once the run is settled.
func TestUnsureTooBusyResumes(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	for range historyPages*historyLimit + 50 {
		fake.say("C1", "U2", "")
	}
	fake.mu.Lock()
	stopped := fake.msgs["C1"][historyPages*historyLimit-1].ID
	fake.mu.Unlock()
	// Another instance's post of the run, after all of them.
	fake.say("C1", fakeBotID, `[{"type":1,"components":[{"type":2,"custom_id":"done:k3f9:1#`+unsure.Digest(onceKey)+`"}]}]`)
	clk.add(5 * time.Minute)
	_, err := a.Send(ctx, delivery(due, true))
	if !bot.IsUnsure(err) || bot.IsGiveUp(err) || bot.IsPermanent(err) {
		t.Fatalf("first attempt: err = %v, want unsure, to come back", err)
	}
	if n := len(lists(fake)); n != historyPages || posted(fake) != 0 {
		t.Fatalf("%d look-ups, %d posts", n, posted(fake))
	}
	clk.add(time.Minute)
	sent, err := a.Send(ctx, delivery(due, true))
	if err != nil || posted(fake) != 0 {
		t.Fatalf("second attempt: sent = %+v, err = %v, %d posts; want the other instance's post", sent, err, posted(fake))
	}
	l := lists(fake)
	if len(l) != historyPages+1 {
		t.Fatalf("%d look-ups, want %d", len(l), historyPages+1)
	}
	if want := (url.Values{"after": {stopped}, "limit": {"100"}}).Encode(); l[historyPages].Query != want {
		t.Errorf("resumed look-up ?%s, want ?%s", l[historyPages].Query, want)
	}
	if n := a.walks.Len(); n != 0 {
		t.Errorf("%d look-ups kept after the run was found", n)
	}
}

// A look-up cut short keeps its place only while the run may still be
// looked for: past unsureGiveUp the run is given up, and the place goes.
func TestUnsureTooBusyGivesUpLate(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	for range 2*historyPages*historyLimit + 1 {
		fake.say("C1", "U2", "")
	}
	clk.add(5 * time.Minute)
	_, err := a.Send(context.Background(), delivery(due, true))
	if !bot.IsUnsure(err) || a.walks.Len() != 1 {
		t.Fatalf("err = %v, %d kept; want unsure, its place kept", err, a.walks.Len())
	}
	clk.add(unsureGiveUp)
	_, err = a.Send(context.Background(), delivery(due, true))
	if !bot.IsGiveUp(err) {
		t.Fatalf("err = %v, want given up", err)
	}
	if n := len(lists(fake)); n != 2*historyPages || posted(fake) != 0 {
		t.Errorf("%d look-ups, %d posts", n, posted(fake))
	}
	if n := a.walks.Len(); n != 0 {
		t.Errorf("%d look-ups kept after the run was given up", n)
	}
}

// Places kept for runs no longer looked for are dropped when the adapter
// gives memory back.
func TestUnsureWalksExpire(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	for range historyPages*historyLimit + 1 {
		fake.say("C1", "U2", "")
	}
	clk.add(5 * time.Minute)
	if _, err := a.Send(context.Background(), delivery(due, true)); !bot.IsUnsure(err) {
		t.Fatalf("err = %v", err)
	}
	a.ReleaseMemory(context.Background())
	if a.walks.Len() != 1 {
		t.Fatalf("the place of a run still looked for was dropped")
	}
	clk.add(unsureGiveUp)
	a.ReleaseMemory(context.Background())
	if n := a.walks.Len(); n != 0 {
		t.Errorf("%d kept past unsureGiveUp", n)
	}
}

// An empty listing where the channel's latest message since the run was
// deleted is not hidden history: the bot can read the channel, and asking
// for a permission it has would be wrong. The deleted message may have been
// the delivery, so nothing is posted: the run is given up, and the
// schedule goes on.
func TestUnsureLatestDeleted(t *testing.T) {
	for _, ch := range []string{"C1", "DM-U5"} {
		t.Run(ch, func(t *testing.T) {
			a, fake, clk, due := newLooker(t)
			ctx := context.Background()
			o := delivery(due, false)
			if ch != "C1" {
				o.Channel, o.User = "", "U5"
			}
			if _, err := a.Send(ctx, o); err != nil {
				t.Fatal(err)
			}
			fake.remove(ch, fake.msgs[ch][0].ID) // someone deleted it
			clk.add(5 * time.Minute)
			o.Unsure = true
			_, err := a.Send(ctx, o)
			if !bot.IsGiveUp(err) || bot.IsPermanent(err) || strings.Contains(err.Error(), "Read Message History") {
				t.Fatalf("err = %v, want the run given up, asking for nothing", err)
			}
			if posted(fake) != 1 {
				t.Errorf("posted again: %s", fake.describe())
			}
		})
	}
}

// An empty listing where the channel's latest message since the run can
// be read was listed too early: the attempt comes back to list again.
func TestUnsureListingBehind(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	clk.add(5 * time.Minute)
	fake.on("/api/v10/channels/C1/messages", http.StatusOK, `[]`, nil) // listed before it came
	fake.say("C1", "U2", "")
	_, err := a.Send(context.Background(), delivery(due, true))
	if !bot.IsUnsure(err) || bot.IsGiveUp(err) || bot.IsPermanent(err) {
		t.Fatalf("err = %v, want unsure, to come back", err)
	}
	if _, err := a.Send(context.Background(), delivery(due, true)); err != nil || posted(fake) != 1 {
		t.Fatalf("err = %v, %d posts; want the delivery posted", err, posted(fake))
	}
}

// A DM is looked for in the DM channel.
func TestUnsureDM(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	o := bot.Outgoing{User: "U5", Reply: routine, Key: onceKey, Due: due}
	first, err := a.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	clk.add(10 * time.Minute)
	o.Unsure = true
	sent, err := a.Send(ctx, o)
	if err != nil || sent.ID != first.ID || sent.Channel != "DM-U5" {
		t.Fatalf("sent = %+v, %v; want %+v", sent, err, first)
	}
	if fake.posts("DM-U5") != 1 {
		t.Errorf("posted again: %s", fake.describe())
	}
}

// An empty listing is trusted where the channel has nothing newer: a DM
// whose earlier attempt was not taken gets the post.
func TestUnsureEmptyListingPosts(t *testing.T) {
	for _, ch := range []string{"C1", "DM-U5"} {
		t.Run(ch, func(t *testing.T) {
			a, fake, clk, due := newLooker(t)
			clk.add(-5 * time.Minute)
			fake.say(ch, "U2", "") // before the look-up's start
			clk.add(10 * time.Minute)
			o := delivery(due, true)
			if ch != "C1" {
				o.Channel, o.User = "", "U5"
			}
			if _, err := a.Send(context.Background(), o); err != nil {
				t.Fatal(err)
			}
			if fake.posts(ch) != 1 || len(lists(fake)) != 1 {
				t.Errorf("requests: %s", fake.describe())
			}
		})
	}
}

// A delivery without a component to carry its mark (a summary) is known
// by its text: the bot's own unmarked post showing it. Someone else's
// post of the same text is not it.
func TestUnsureSummaryFoundByItsText(t *testing.T) {
	a, fake, clk, due := newLooker(t)
	ctx := context.Background()
	o := delivery(due, false)
	o.Reply = bot.Reply{Title: "Daily stretch summary #k3f9", Blocks: []string{"3 breaks done"}, Visibility: bot.Public,
		Files: []bot.File{{Name: "stretch-summary.png", Type: "image/png", Data: []byte("png")}}}
	first, err := a.Send(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	clk.add(5 * time.Minute)
	o.Unsure = true
	sent, err := a.Send(ctx, o)
	if err != nil || sent.ID != first.ID || fake.posts("C1") != 1 {
		t.Fatalf("sent = %+v, %v, %d posts; want the first post %s", sent, err, fake.posts("C1"), first.ID)
	}

	a, fake, clk, due = newLooker(t)
	fake.mu.Lock()
	fake.store("C1", fakeAuthor{ID: "U2"}, render(o.Reply).Content, "", "")
	fake.mu.Unlock()
	clk.add(5 * time.Minute)
	o.Due = due
	if _, err := a.Send(ctx, o); err != nil || fake.posts("C1") != 1 {
		t.Fatalf("err = %v, %d posts; want the summary posted", err, fake.posts("C1"))
	}

	// A post made before summaries carried a mark is known by its text.
	a, fake, clk, due = newLooker(t)
	fake.mu.Lock()
	old := fake.store("C1", fakeAuthor{ID: fakeBotID, Bot: true}, render(o.Reply).Content, "", "")
	fake.mu.Unlock()
	clk.add(5 * time.Minute)
	o.Due = due
	if sent, err := a.Send(ctx, o); err != nil || sent.ID != old.ID || fake.posts("C1") != 1 {
		t.Fatalf("sent = %+v, err = %v, %d posts; want the unmarked post %s", sent, err, fake.posts("C1"), old.ID)
	}
}

// summaryReply is a delivered summary showing n breaks held.
func summaryReply(n int) bot.Reply {
	return bot.Reply{Title: "Daily stretch summary #k3f9", Blocks: []string{fmt.Sprintf("%d breaks done", n)}, Visibility: bot.Public}
}

// A summary carries its mark in its text's last line, which stays as it
// is when the counts above it change: an unsure attempt whose counts moved
// since the first finds that one and posts nothing. A post of the same
// summary for another run is not it.
func TestUnsureSummaryFoundByItsMark(t *testing.T) {
	for _, long := range []bool{false, true} {
		t.Run(map[bool]string{false: "content", true: "embed"}[long], func(t *testing.T) {
			a, fake, clk, due := newLooker(t)
			ctx := context.Background()
			o := delivery(due, false)
			o.Reply = summaryReply(3)
			if long {
				// Too long for content: shown as embeds.
				o.Reply.Blocks = append(o.Reply.Blocks, strings.Repeat("Stretch your back. ", 120))
				o.Reply.Note = "Move gently."
			}
			other := o
			other.Key = "occ:k3f9@1799913600#run" // the day before
			if _, err := a.Send(ctx, other); err != nil {
				t.Fatal(err)
			}
			clk.add(2 * time.Second)
			first, err := a.Send(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			clk.add(5 * time.Minute)
			o.Unsure = true
			o.Reply.Blocks[0] = "4 breaks done" // a break done since
			sent, err := a.Send(ctx, o)
			if err != nil || sent.ID != first.ID || fake.posts("C1") != 2 {
				t.Fatalf("sent = %+v, %v, %d posts; want the first post %s", sent, err, fake.posts("C1"), first.ID)
			}
		})
	}
}

// A mark in the content is found also when Discord added an embed of its
// own to the post (a link's preview).
func TestTextMarkBesideAPreview(t *testing.T) {
	m := render(summaryReply(3))
	mark := unsure.Digest(onceKey)
	if markDelivery(&m, mark) != markedText {
		t.Fatal("a summary not marked in its text")
	}
	l := listedMessage{Content: m.Content, Embeds: []listedEmbed{{Title: "example.com"}}}
	if !hasTextMark(l, mark) || hasTextMark(l, unsure.Digest(onceKey+"x")) {
		t.Errorf("%+v: mark not read back", l)
	}
}

// A post that got no answer may have been taken: the failure is unsure.
// One Discord answered (a 5xx) is not.
func TestSendUnansweredIsUnsure(t *testing.T) {
	a, fake, _, due := newLooker(t)
	fake.on("/api/v10/channels/C1/messages", hangUp, "", nil)
	_, err := a.Send(context.Background(), delivery(due, false))
	if !bot.IsUnsure(err) {
		t.Errorf("hung up: err = %v, want unsure", err)
	}
	fake.on("/api/v10/channels/C1/messages", http.StatusBadGateway, `{"message":"bad gateway"}`, nil)
	_, err = a.Send(context.Background(), delivery(due, false))
	if err == nil || bot.IsUnsure(err) {
		t.Errorf("502: err = %v, want a sure failure", err)
	}
}

// Whatever a delivery without components says, its mark reads back from
// what Discord lists, and no other delivery's mark matches it; reading a
// mark from any text never fails.
func FuzzTextMark(f *testing.F) {
	f.Add("3 breaks done", false)
	f.Add("", true)
	f.Add("ref 0123456789abcdef", false)
	f.Add("-# ref 0123456789abcdef", true)
	f.Add("x\n-# ref 0123456789abcdeg", false)
	f.Fuzz(func(t *testing.T, s string, note bool) {
		r := bot.Reply{Title: "Daily stretch summary #k3f9", Blocks: []string{s}}
		if note {
			r.Note = s
		}
		m := render(r)
		mark, other := unsure.Digest(onceKey), unsure.Digest(onceKey+"x")
		how := markDelivery(&m, mark)
		l := listedMessage{Content: m.Content}
		for _, e := range m.Embeds {
			le := listedEmbed{Title: e.Title, Description: e.Description}
			if e.Footer != nil {
				le.Footer.Text = e.Footer.Text
			}
			l.Embeds = append(l.Embeds, le)
		}
		if how == markedText && (!hasTextMark(l, mark) || hasTextMark(l, other)) {
			t.Fatalf("%q: marked %+v does not read back as its own", s, l)
		}
		hasTextMark(listedMessage{Content: s}, "")
		hasTextMark(listedMessage{Embeds: []listedEmbed{{}}}, "")
	})
}
