package slack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/bot"
)

var delivery = bot.Reply{Title: "Stretch time", Blocks: []string{"stand up"}, Note: "Stop if it hurts.", Visibility: bot.Public,
	Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "k3f9|1"}}}

func TestSendToChannel(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	sent, err := e.a.Send(context.Background(), bot.Outgoing{Platform: bot.Slack, Tenant: "T1", Channel: "C3", Reply: delivery})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("%d posts", len(posts))
	}
	p := posts[0]
	if sent.ID != p.TS || sent.Channel != "C3" || !sent.At.Equal(e.clock.Now()) {
		t.Errorf("sent = %+v, want id %s in C3", sent, p.TS)
	}
	if !strings.Contains(p.Params.Get("text"), "stand up") || !strings.Contains(p.Params.Get("blocks"), `"action_id":"done"`) {
		t.Errorf("post params = %v", p.Params)
	}
}

func TestSendDM(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	// A DM not known yet is posted to the user id at once; Slack answers
	// with the DM's id, which the delivery reports.
	sent, err := e.a.Send(ctx, bot.Outgoing{User: "U5", Reply: delivery})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(e.f.callsTo("conversations.open")); n != 0 {
		t.Errorf("conversations.open calls = %d, want none", n)
	}
	posts := e.f.callsTo("chat.postMessage")
	if len(posts) != 1 || posts[0].Params.Get("channel") != "U5" {
		t.Fatalf("posts = %+v, want one to U5", posts)
	}
	if sent.Channel != "DU5" || sent.ID != posts[0].TS {
		t.Errorf("sent = %+v, want the DM DU5 and the post's ts", sent)
	}
	// The DM's id is remembered: the next delivery, and an answer by DM,
	// go to it.
	sent, err = e.a.Send(ctx, bot.Outgoing{User: "U5", Reply: delivery})
	if err != nil || sent.Channel != "DU5" {
		t.Fatalf("second Send: %+v, %v", sent, err)
	}
	if got := e.f.callsTo("chat.postMessage")[1].Params.Get("channel"); got != "DU5" {
		t.Errorf("second DM posted to %q, want DU5", got)
	}
	ws, err := e.a.workspace(ctx, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if dm, err := e.a.openDM(ctx, e.a.answerPolicy(), ws, "U5"); err != nil || dm != "DU5" {
		t.Errorf("openDM = %q, %v; want the remembered DU5", dm, err)
	}
	if n := len(e.f.callsTo("conversations.open")); n != 0 {
		t.Errorf("conversations.open calls = %d, want none", n)
	}

	// A post that fails is not remembered as the DM.
	e.f.failNext("chat.postMessage", failure{status: 500})
	if _, err := e.a.Send(ctx, bot.Outgoing{User: "U6", Reply: delivery}); err == nil || bot.IsPermanent(err) {
		t.Errorf("500: err = %v, want transient", err)
	}
	if sent, err := e.a.Send(ctx, bot.Outgoing{User: "U6", Reply: delivery}); err != nil || sent.Channel != "DU6" {
		t.Errorf("after the 500: %+v, %v; want DU6", sent, err)
	}

	// A permanent failure is reported as such, about the user.
	e.f.failNext("chat.postMessage", failure{code: "user_not_found"})
	if _, err := e.a.Send(ctx, bot.Outgoing{User: "U7", Reply: delivery}); !bot.IsPermanent(err) {
		t.Errorf("err = %v, want permanent", err)
	}
	e.f.failNext("chat.postMessage", failure{code: "channel_not_found"})
	_, err = e.a.Send(ctx, bot.Outgoing{User: "U8", Reply: delivery})
	var de *bot.DeliveryError
	if !errors.As(err, &de) || !de.Permanent || !strings.Contains(de.Reason, "user") {
		t.Errorf("channel_not_found for a user id: %v, want permanent about the user", err)
	}

	if _, err := e.a.Send(ctx, bot.Outgoing{Reply: delivery}); !bot.IsPermanent(err) {
		t.Errorf("no destination: err = %v, want permanent", err)
	}
}

func TestSendPermanentErrors(t *testing.T) {
	tests := []struct {
		code       string
		wantReason string
	}{
		{"channel_not_found", "no longer exists"},
		{"not_in_channel", "not a member"},
		{"is_archived", "archived"},
		{"account_inactive", "deactivated"},
		{"user_not_found", "no longer exists"},
		{"cannot_dm_bot", "bot"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			e.f.failAlways("chat.postMessage", failure{code: tt.code})
			_, err := e.a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: delivery})
			var de *bot.DeliveryError
			if !errors.As(err, &de) || !de.Permanent {
				t.Fatalf("err = %v, want a permanent *bot.DeliveryError", err)
			}
			if !strings.Contains(de.Reason, tt.wantReason) {
				t.Errorf("reason = %q, want it to mention %q", de.Reason, tt.wantReason)
			}
			if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
				t.Errorf("permanent error retried: %d calls", n)
			}
		})
	}
}

func TestSendTransientErrorsReturnAtOnce(t *testing.T) {
	tests := []struct {
		name      string
		fail      failure
		wantRetry time.Duration // exact RetryAfter
	}{
		{name: "429 with Retry-After", fail: failure{status: 429, retryAfter: "4"}, wantRetry: 4 * time.Second},
		{name: "429 far off", fail: failure{status: 429, retryAfter: "120"}, wantRetry: 120 * time.Second},
		{name: "500 leaves the wait to the scheduler", fail: failure{status: 500}},
		{name: "503", fail: failure{status: 503}},
		{name: "internal_error", fail: failure{code: "internal_error"}},
		{name: "invalid_auth waits for the operator", fail: failure{code: "invalid_auth"}, wantRetry: authRetryAfter},
		{name: "unknown code", fail: failure{code: "invalid_blocks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			e.f.failNext("chat.postMessage", tt.fail)
			_, err := e.a.Send(context.Background(), bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery})
			var de *bot.DeliveryError
			if !errors.As(err, &de) || de.Permanent {
				t.Fatalf("err = %v, want a transient *bot.DeliveryError", err)
			}
			if de.RetryAfter != tt.wantRetry || de.Reason == "" {
				t.Errorf("RetryAfter = %v, reason %q; want %v and a reason", de.RetryAfter, de.Reason, tt.wantRetry)
			}
			if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
				t.Errorf("calls = %d, want 1: the scheduler retries", n)
			}
			if s := e.clock.Sleeps(); len(s) != 0 {
				t.Errorf("Send slept %v", s)
			}
		})
	}
}

func TestSendHonoursRetryAfterForTheChannel(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	e.f.failNext("chat.postMessage", failure{status: 429, retryAfter: "30"})
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery}); err == nil {
		t.Fatal("the 429 was not reported")
	}
	// The channel waits out the Retry-After, and nothing is sent to it.
	e.clock.Advance(10 * time.Second)
	_, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery})
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.RetryAfter != 20*time.Second {
		t.Fatalf("err = %v, want transient with RetryAfter 20s", err)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("%d calls reached Slack during the Retry-After, want 1", n)
	}
	// Slack limits posts per channel: another channel of the workspace,
	// another workspace and a DM go on.
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C2", Reply: delivery}); err != nil {
		t.Errorf("other channel: %v", err)
	}
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T2", Channel: "C1", Reply: delivery}); err != nil {
		t.Errorf("other workspace: %v", err)
	}
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", User: "U5", Reply: delivery}); err != nil {
		t.Errorf("DM: %v", err)
	}
	e.clock.Advance(20 * time.Second)
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery}); err != nil {
		t.Errorf("after the Retry-After: %v", err)
	}
}

// When posts to many channels are refused, the workspace's posting limit
// is reached: every channel waits for its Retry-After, and the channels
// not tried yet are not tried.
func TestSendHonoursTheWorkspacePostingLimit(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	e.f.failAlways("chat.postMessage", failure{status: 429, retryAfter: "5"})
	var errs []error
	for i := range 6 {
		_, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("C", i)), Reply: delivery})
		errs = append(errs, err)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 3 {
		t.Errorf("%d posts reached Slack, want 3: refusals from 3 channels pause the workspace", n)
	}
	for i, err := range errs {
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent || de.RetryAfter != 5*time.Second {
			t.Errorf("C%d: err = %v, want transient with RetryAfter 5s", i, err)
		}
	}
	// Another workspace is not held back.
	e.f.mu.Lock()
	delete(e.f.always, "chat.postMessage")
	e.f.mu.Unlock()
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T2", Channel: "C9", Reply: delivery}); err != nil {
		t.Errorf("other workspace: %v", err)
	}
	e.clock.Advance(5 * time.Second)
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C5", Reply: delivery}); err != nil {
		t.Errorf("after the Retry-After: %v", err)
	}
}

// Slack refusing a sixth of the posts at random, with 429s, limits those
// channels only: 200 posts to 200 channels at the same instant all reach
// Slack.
func TestSendRandomRefusalsDoNotStallOtherChannels(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	rng := rand.New(rand.NewPCG(7, 11))
	refused := 0
	e.f.before = func(c call) (failure, bool) {
		if c.Method == "chat.postMessage" && rng.IntN(100) < 15 {
			refused++
			return failure{status: 429, retryAfter: "1"}, true
		}
		return failure{}, false
	}
	for i := range 200 {
		_, err := e.a.Send(context.Background(), bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("C", i)), Reply: delivery})
		if errors.Is(err, errThrottled) {
			t.Fatalf("post %d held back (%d refused so far): %v", i, refused, err)
		}
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 200 || refused < 20 {
		t.Errorf("%d posts reached Slack, %d refused; want 200, about 30", n, refused)
	}
}

// A burst whose first answers happen to include refusals at random from
// three channels (one post taken, then three refused) is not mistaken for
// the workspace's limit: the other posts are not held back, let alone
// spaced at the pace of the one post taken before them, which held a
// burst of thousands to a post a second.
func TestSendRandomRefusalsAtTheStartOfABurstDoNotPaceIt(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	posts := 0
	e.f.before = func(c call) (failure, bool) {
		if c.Method != "chat.postMessage" {
			return failure{}, false
		}
		posts++
		if posts >= 2 && posts <= 4 {
			return failure{status: 429, retryAfter: "1"}, true
		}
		return failure{}, false
	}
	const n = 200
	var outs []bot.Outgoing
	for i := range n {
		outs = append(outs, bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("C", i)), Reply: bot.Reply{Blocks: []string{fmt.Sprint("message ", i)}}})
	}
	start := e.clock.Now()
	sends := playScheduler(t, e, outs)
	checkSentOnce(t, e.f, n)
	// The three refused channels wait out their Retry-After; nothing else
	// waits.
	if took := e.clock.Now().Sub(start); took > time.Second {
		t.Errorf("the burst took %v, want 1s: random refusals paced the workspace", took)
	}
	if sends != n+3 {
		t.Errorf("Send called %d times for %d messages, want %d: posts were held back", sends, n, n+3)
	}
}

// workspaceLimit plays Slack's posting limit for a workspace: a token
// bucket holding a second's worth of posts at rate a second, full at
// first; a post beyond it is refused with a 429 whose Retry-After is the
// whole seconds until a post is allowed again.
type workspaceLimit struct {
	rate     float64
	tokens   float64
	refilled time.Time
}

func (w *workspaceLimit) answer(now time.Time) (failure, bool) {
	w.tokens = min(w.rate, w.tokens+now.Sub(w.refilled).Seconds()*w.rate)
	w.refilled = now
	if w.tokens < 1 {
		wait := max(1, int((1-w.tokens)/w.rate+0.999))
		return failure{status: 429, retryAfter: strconv.Itoa(wait)}, true
	}
	w.tokens--
	return failure{}, false
}

// A pace learned while the workspace's limit let through about one post a
// second (another app posting too) is far too slow once the limit lets
// through a hundred: the pace speeds up, the posts held back are told
// times closer and closer together, and a burst of 2 200 still goes out
// at close to the hundred a second the limit then allows.
func TestSendSlowPaceLearnedRecovers(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	start := e.clock.Now()
	limit := &workspaceLimit{rate: 1, tokens: 1, refilled: start}
	e.f.before = func(c call) (failure, bool) {
		if c.Method != "chat.postMessage" {
			return failure{}, false
		}
		return limit.answer(e.clock.Now())
	}
	ctx := context.Background()
	// A post every 50 ms to channels of their own: one is taken, the rest
	// refused, and after 20 answers the workspace is paused and paced at
	// about a post a second.
	var (
		outs []bot.Outgoing
		dues []time.Time
	)
	for i := range 30 {
		out := bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("W", i)), Reply: bot.Reply{Blocks: []string{"before the burst"}}}
		_, err := e.a.Send(ctx, out)
		var de *bot.DeliveryError
		if errors.As(err, &de) && de.RetryAfter > 0 {
			// Due again at the time told, with the burst.
			out.Reply.Blocks = []string{fmt.Sprint("message ", len(outs))}
			outs, dues = append(outs, out), append(dues, e.clock.Now().Add(de.RetryAfter))
		} else if err != nil {
			t.Fatalf("Send: %v", err)
		}
		e.clock.Advance(50 * time.Millisecond)
	}
	if len(outs) != 29 {
		t.Fatalf("%d of 30 posts refused, want 29", len(outs))
	}
	wait, ok := e.a.limits.Take(e.clock.Now(), 0, limitKeys("T1", "chat.postMessage", "C0")[0])
	if ok || wait < 400*time.Millisecond {
		t.Fatalf("the workspace told %v (%v): no slow pace was learned", wait, ok)
	}
	// The other app stops: the limit lets 100 posts a second through.
	*limit = workspaceLimit{rate: 100, tokens: 100, refilled: e.clock.Now()}
	const rate = 100
	for len(outs) < 2200 {
		outs = append(outs, bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("C", len(outs))), Reply: bot.Reply{Blocks: []string{fmt.Sprint("message ", len(outs))}}})
	}
	n := len(outs)
	burst := e.clock.Now()
	for len(dues) < n {
		dues = append(dues, burst)
	}
	sends := playSchedulerAt(t, e, outs, dues)
	checkSentOnce(t, e.f, n)
	took := e.clock.Now().Sub(burst)
	// The best Slack allows: the second's worth saved up at once, the rest
	// at the rate.
	best := time.Duration(n-rate) * time.Second / rate
	t.Logf("the burst took %v (best %v), %d sends", took, best, sends)
	if took > best*5/4 {
		t.Errorf("the burst took %v, want within a quarter more than %v: the slow pace held it back", took, best)
	}
}

func TestSendPacing(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	// A burst of three goes at once.
	for range 3 {
		if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery}); err != nil {
			t.Fatal(err)
		}
	}
	// The fourth would wait a second: it is handed back, not slept.
	_, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery})
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent || de.RetryAfter != time.Second {
		t.Fatalf("err = %v, want transient with RetryAfter 1s", err)
	}
	// Another channel is free.
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C2", Reply: delivery}); err != nil {
		t.Fatal(err)
	}
	// A short wait is slept in place.
	e.clock.Advance(800 * time.Millisecond)
	if _, err := e.a.Send(ctx, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: delivery}); err != nil {
		t.Fatal(err)
	}
	if got := e.clock.Sleeps(); len(got) != 1 || got[0] != 200*time.Millisecond {
		t.Errorf("sleeps = %v, want [200ms]", got)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 5 {
		t.Errorf("%d posts, want 5", n)
	}
}

func TestSendCancelled(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	e.a.sleep = backoff.Sleep // real, ctx-aware waits
	e.f.failAlways("chat.postMessage", failure{status: 429, retryAfter: "10"})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.a.Send(ctx, bot.Outgoing{Channel: "C1", Reply: delivery})
	if time.Since(start) > 5*time.Second {
		t.Errorf("Send ignored the context for %v", time.Since(start))
	}
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent {
		t.Errorf("err = %v, want transient", err)
	}
}

// TestSendUnderFaultsDeliversEachOnce plays the scheduler against a Slack
// that fails 20 % of posts with 429 and 10 % with 500: every message is
// sent exactly once by calling Send again after its RetryAfter, no post
// reaches a channel during its Retry-After, and no channel gets more than
// its pace allows.
func TestSendUnderFaultsDeliversEachOnce(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	rng := rand.New(rand.NewPCG(1, 2))
	var (
		blockedUntil = map[string]time.Time{} // by channel
		early        []string
		limited      int
	)
	e.f.before = func(c call) (failure, bool) {
		if c.Method != "chat.postMessage" {
			return failure{}, false
		}
		now, ch := e.clock.Now(), c.Params.Get("channel")
		if now.Before(blockedUntil[ch]) {
			early = append(early, fmt.Sprintf("%q to %s at %v, blocked until %v", c.Params.Get("text"), ch, now, blockedUntil[ch]))
		}
		switch r := rng.Float64(); {
		case r < 0.2:
			limited++
			wait := 1 + rng.IntN(3)
			blockedUntil[ch] = now.Add(time.Duration(wait) * time.Second)
			return failure{status: 429, retryAfter: strconv.Itoa(wait)}, true
		case r < 0.3:
			return failure{status: 500}, true
		}
		return failure{}, false
	}
	const n = 300
	var outs []bot.Outgoing
	for i := range n {
		out := bot.Outgoing{Tenant: "T1", Channel: bot.ChannelID(fmt.Sprint("C", i%7)), Reply: bot.Reply{Blocks: []string{fmt.Sprint("message ", i)}}}
		if i%10 == 0 {
			out.Channel, out.User = "", bot.UserID(fmt.Sprint("U", i))
		}
		outs = append(outs, out)
	}
	playScheduler(t, e, outs)

	checkSentOnce(t, e.f, n)
	if limited == 0 {
		t.Error("the fake never rate limited: the test proves nothing")
	}
	if len(early) > 0 {
		t.Errorf("%d posts during a Retry-After, e.g. %s", len(early), early[0])
	}
	checkPace(t, e.f)
}

// TestSendBurstToOneChannelStaysUnderThePace sends 100 messages due at
// the same instant to one channel: Slack sees no more than the channel's
// pace, each message once, and the refused sends come back in turn rather
// than all together.
func TestSendBurstToOneChannelStaysUnderThePace(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	const n = 100
	var outs []bot.Outgoing
	for i := range n {
		outs = append(outs, bot.Outgoing{Tenant: "T1", Channel: "C1", Reply: bot.Reply{Blocks: []string{fmt.Sprint("message ", i)}}})
	}
	start := e.clock.Now()
	sends := playScheduler(t, e, outs)
	checkSentOnce(t, e.f, n)
	checkPace(t, e.f)
	took := e.clock.Now().Sub(start)
	if want := time.Duration(n-channelRate.Burst) * channelRate.Every; took < want || took > want+time.Second {
		t.Errorf("the burst took %v, want about %v (the channel's pace)", took, want)
	}
	if sends > 2*n {
		t.Errorf("Send called %d times for %d messages: refused sends came back together", sends, n)
	}
}

// playScheduler plays the scheduler's part: every message is due at once;
// a failed one is due again after its RetryAfter, or after a backoff when
// there is none. It returns how many times Send was called.
func playScheduler(t *testing.T, e *testEnv, outs []bot.Outgoing) int {
	t.Helper()
	return playSchedulerAt(t, e, outs, nil)
}

// playSchedulerAt is playScheduler with outs[i] due at dues[i] (now when
// dues is short).
func playSchedulerAt(t *testing.T, e *testEnv, outs []bot.Outgoing, dues []time.Time) int {
	t.Helper()
	type job struct {
		out bot.Outgoing
		due time.Time
	}
	var jobs []*job
	for i, out := range outs {
		due := e.clock.Now()
		if i < len(dues) {
			due = dues[i]
		}
		jobs = append(jobs, &job{out: out, due: due})
	}
	ctx := context.Background()
	sends := 0
	for ; len(jobs) > 0; sends++ {
		if sends > 50*len(outs) {
			t.Fatalf("%d messages still unsent after %d sends", len(jobs), sends)
		}
		next := 0
		for i, j := range jobs {
			if j.due.Before(jobs[next].due) {
				next = i
			}
		}
		j := jobs[next]
		if d := j.due.Sub(e.clock.Now()); d > 0 {
			e.clock.Advance(d)
		}
		_, err := e.a.Send(ctx, j.out)
		if err == nil {
			jobs = append(jobs[:next], jobs[next+1:]...)
			continue
		}
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent {
			t.Fatalf("Send: %v, want a transient *bot.DeliveryError", err)
		}
		wait := de.RetryAfter
		if wait <= 0 {
			wait = 5 * time.Second
		}
		j.due = e.clock.Now().Add(wait)
	}
	return sends
}

// checkSentOnce checks that Slack accepted "message 0" … "message n-1"
// once each.
func checkSentOnce(t *testing.T, f *fakeSlack, n int) {
	t.Helper()
	sent := map[string]int{}
	for _, c := range f.callsTo("chat.postMessage") {
		if c.TS != "" {
			sent[c.Params.Get("text")]++
		}
	}
	for i := range n {
		if got := sent[fmt.Sprint("message ", i)]; got != 1 {
			t.Errorf("message %d sent %d times, want 1", i, got)
		}
	}
}

// checkPace checks that no second holds more posts to one channel than
// its pace allows, counting every post that reached the fake.
func checkPace(t *testing.T, f *fakeSlack) {
	t.Helper()
	byChannel := map[string][]time.Time{}
	for _, c := range f.callsTo("chat.postMessage") {
		byChannel[c.Params.Get("channel")] = append(byChannel[c.Params.Get("channel")], c.At)
	}
	for ch, times := range byChannel {
		for i, start := range times {
			in := 0
			for _, at := range times[i:] {
				if at.Sub(start) < time.Second {
					in++
				}
			}
			if in > channelRate.Burst {
				t.Errorf("%s: %d posts within a second from %v, the pace allows %d", ch, in, start, channelRate.Burst)
				break
			}
		}
	}
}
