package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

func newSender(t *testing.T) (*Adapter, *fakeDiscord, *noSleep) {
	t.Helper()
	fake := newFakeDiscord(t)
	sl := &noSleep{}
	a, err := New(Config{Token: "tok", AppID: "APP", APIURL: fake.srv.URL + "/"}, withSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	return a, fake, sl
}

var routine = bot.Reply{
	Title:  "Stretch time",
	Blocks: []string{"Five minutes, three exercises."},
	Cards: []bot.Card{{ID: "cat-cow", Name: "Cat-cow", Duration: "60 s", Detail: "on all fours, floor",
		Steps: []string{"Round your back", "Arch it"}, Caution: "Go gently"}},
	Note:       "Stop if anything hurts.",
	Actions:    []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "k3f9:1"}},
	Visibility: bot.Public,
}

func TestSendChannel(t *testing.T) {
	a, fake, _ := newSender(t)
	sent, err := a.Send(context.Background(), bot.Outgoing{Channel: "C3", Reply: routine})
	if err != nil {
		t.Fatal(err)
	}
	if sent.ID == "" || sent.Channel != "C3" || sent.At.IsZero() {
		t.Errorf("sent = %+v", sent)
	}
	reqs := fake.requests()
	if len(reqs) != 1 {
		t.Fatalf("requests: %s", fake.describe())
	}
	r := reqs[0]
	if r.Method != http.MethodPost || r.Path != "/api/v10/channels/C3/messages" || r.Header.Get("Authorization") != "Bot tok" {
		t.Errorf("request = %s %s auth %q", r.Method, r.Path, r.Header.Get("Authorization"))
	}
	body := string(r.Body)
	for _, want := range []string{"Stretch time", "Cat-cow", "Round your back", "Stop if anything hurts.", `"custom_id":"done:k3f9:1"`, `"parse":[]`} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q: %s", want, body)
		}
	}
	if strings.Contains(body, `"flags"`) {
		t.Errorf("channel post carries flags: %s", body)
	}
}

func TestSendDM(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	for i := 0; i < 2; i++ {
		clk.add(time.Second) // the channel's pace
		sent, err := a.Send(context.Background(), bot.Outgoing{User: "U5", Reply: bot.Reply{Blocks: []string{"time to stretch"}}})
		if err != nil {
			t.Fatal(err)
		}
		if sent.Channel != "DM-U5" {
			t.Errorf("sent = %+v", sent)
		}
	}
	var paths []string
	for _, r := range fake.requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	want := "POST /api/v10/users/@me/channels,POST /api/v10/channels/DM-U5/messages,POST /api/v10/channels/DM-U5/messages"
	if got := strings.Join(paths, ","); got != want {
		t.Errorf("requests = %s\nwant       %s (DM channel cached)", got, want)
	}
	if j := fake.requests()[0].JSON(); j["recipient_id"] != "U5" {
		t.Errorf("open DM body = %v", j)
	}
}

func TestSendPermanentErrors(t *testing.T) {
	tests := []struct {
		name   string
		out    bot.Outgoing
		reason string
	}{
		{"unknown channel", bot.Outgoing{Channel: "GONE"}, "no longer exists"},
		{"missing access", bot.Outgoing{Channel: "NOACCESS"}, "no longer has access"},
		{"missing permissions", bot.Outgoing{Channel: "NOPERM"}, "missing the permission"},
		{"unknown user", bot.Outgoing{User: "GONEUSER"}, "user no longer exists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake, _ := newSender(t)
			tt.out.Reply = bot.Reply{Blocks: []string{"x"}}
			_, err := a.Send(context.Background(), tt.out)
			var de *bot.DeliveryError
			if !errors.As(err, &de) || !de.Permanent || !strings.Contains(de.Reason, tt.reason) {
				t.Fatalf("err = %v, want permanent with reason %q", err, tt.reason)
			}
			if n := len(fake.requests()); n != 1 {
				t.Errorf("%d requests, want 1 (no retries)", n)
			}
		})
	}
	t.Run("cannot DM user", func(t *testing.T) {
		a, fake, _ := newSender(t)
		fake.on("/api/v10/channels/DM-U6/messages", 403, `{"message":"Cannot send messages to this user","code":50007}`, nil)
		_, err := a.Send(context.Background(), bot.Outgoing{User: "U6", Reply: bot.Reply{Blocks: []string{"x"}}})
		if !bot.IsPermanent(err) || !strings.Contains(err.Error(), "direct messages") {
			t.Errorf("err = %v", err)
		}
	})
}

// newClockedSender is newSender on a fake clock whose sleeps advance it,
// shared with the fake Discord.
func newClockedSender(t *testing.T) (*Adapter, *fakeDiscord, *clock) {
	t.Helper()
	fake := newFakeDiscord(t)
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	fake.now = clk.now
	a, err := New(Config{Token: "tok", AppID: "APP", APIURL: fake.srv.URL}, WithNow(clk.now), withSleep(clk.sleep))
	if err != nil {
		t.Fatal(err)
	}
	return a, fake, clk
}

func send(a *Adapter, channel bot.ChannelID) error {
	_, err := a.Send(context.Background(), bot.Outgoing{Channel: channel, Reply: bot.Reply{Blocks: []string{"x"}}})
	return err
}

// retryAfter returns err's RetryAfter, failing unless err is a transient
// *bot.DeliveryError.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent {
		t.Fatalf("err = %v, want a transient *bot.DeliveryError", err)
	}
	return de.RetryAfter
}

func TestSendRateLimitedReturnsAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		header map[string]string
		want   time.Duration
	}{
		{"retry_after in the body", `{"message":"You are being rate limited.","retry_after":1.5,"global":false}`, nil, 1500 * time.Millisecond},
		{"Retry-After header wins when longer", `{"message":"slow down","retry_after":0.1}`, map[string]string{"Retry-After": "2"}, 2 * time.Second},
		{"far off", `{"message":"slow down","retry_after":120}`, nil, 2 * time.Minute},
		{"no hint leaves the wait to the scheduler", `<html>slow down</html>`, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake, sl := newSender(t)
			fake.on("/api/v10/channels/C1/messages", 429, tt.body, tt.header)
			if got := retryAfter(t, send(a, "C1")); got != tt.want {
				t.Errorf("RetryAfter = %v, want %v", got, tt.want)
			}
			if n := len(fake.requests()); n != 1 {
				t.Errorf("%d requests, want 1: the scheduler retries", n)
			}
			if sl.total() != 0 {
				t.Errorf("Send slept %v", sl.total())
			}
		})
	}
}

// TestSendRouteRetryAfterHoldsOnlyItsBucket: after a 429 on one channel,
// nothing more goes to that channel before its Retry-After, while other
// channels are served.
func TestSendRouteRetryAfterHoldsOnlyItsBucket(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	fake.on("/api/v10/channels/C1/messages", 429, `{"message":"slow down","retry_after":5}`,
		map[string]string{"X-RateLimit-Bucket": "abc"})
	if got := retryAfter(t, send(a, "C1")); got != 5*time.Second {
		t.Fatalf("RetryAfter = %v, want 5s", got)
	}
	clk.add(2 * time.Second)
	if got := retryAfter(t, send(a, "C1")); got != 3*time.Second {
		t.Errorf("during the Retry-After: RetryAfter = %v, want 3s", got)
	}
	if err := send(a, "C2"); err != nil {
		t.Errorf("another channel: %v", err)
	}
	if n := len(fake.requests()); n != 2 {
		t.Errorf("requests: %s\nwant the 429 and C2's post", fake.describe())
	}
	clk.add(3 * time.Second)
	if err := send(a, "C1"); err != nil {
		t.Errorf("after the Retry-After: %v", err)
	}
}

// TestSendGlobalRetryAfterHoldsEverything: a global 429 stops every
// bot-token call until it ends.
func TestSendGlobalRetryAfterHoldsEverything(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	fake.on("/api/v10/channels/C1/messages", 429, `{"message":"slow down","retry_after":0.1,"global":true}`,
		map[string]string{"Retry-After": "2", "X-RateLimit-Global": "true"})
	if got := retryAfter(t, send(a, "C1")); got != 2*time.Second {
		t.Fatalf("RetryAfter = %v, want 2s", got)
	}
	clk.add(time.Second)
	for _, ch := range []bot.ChannelID{"C2", "C3"} {
		if got := retryAfter(t, send(a, ch)); got < time.Second {
			t.Errorf("%s during the global limit: RetryAfter = %v, want ≥ 1s", ch, got)
		}
	}
	if _, err := a.Send(context.Background(), bot.Outgoing{User: "U9", Reply: bot.Reply{Blocks: []string{"x"}}}); err == nil {
		t.Error("a DM went out during the global limit")
	}
	if n := len(fake.requests()); n != 1 {
		t.Errorf("requests during the global limit: %s", fake.describe())
	}
	clk.add(time.Second)
	if err := send(a, "C2"); err != nil {
		t.Errorf("after the global limit: %v", err)
	}
}

// TestSendBurstToOneChannelStaysUnderTheLimit plays the scheduler for 100
// messages due at once in one channel, against a fake that allows 5 per 5
// seconds per channel as Discord does: no 429, each message once.
func TestSendBurstToOneChannelStaysUnderTheLimit(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	fake.perChannel, fake.window = 5, 5*time.Second
	const n = 100
	due := make([]time.Time, n)
	for i := range due {
		due[i] = clk.now()
	}
	sends := 0
	for left := n; left > 0; sends++ {
		if sends > 20*n {
			t.Fatalf("%d messages unsent after %d sends", left, sends)
		}
		next := -1
		for i, d := range due {
			if !d.IsZero() && (next < 0 || d.Before(due[next])) {
				next = i
			}
		}
		if d := due[next].Sub(clk.now()); d > 0 {
			clk.add(d)
		}
		_, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{fmt.Sprint("message ", next)}}})
		if err == nil {
			due[next] = time.Time{}
			left--
			continue
		}
		wait := retryAfter(t, err)
		if wait <= 0 {
			wait = 5 * time.Second
		}
		due[next] = clk.now().Add(wait)
	}
	if fake.limited != 0 {
		t.Errorf("the fake answered 429 %d times: the pace hit the limit", fake.limited)
	}
	reqs := fake.requests()
	if len(reqs) != n {
		t.Errorf("%d posts for %d messages", len(reqs), n)
	}
	for i, r := range reqs {
		in := 0
		for _, o := range reqs[i:] {
			if o.At.Sub(r.At) < 5*time.Second {
				in++
			}
		}
		if in > 5 {
			t.Fatalf("%d posts in the 5 s from %v", in, r.At)
		}
	}
	if sends > 2*n {
		t.Errorf("Send called %d times for %d messages: refused sends came back together", sends, n)
	}
}

// TestSendLearnsTheBucketFromHeaders: once Discord says a bucket is spent,
// nothing goes to it until its reset, even below the known pace.
func TestSendLearnsTheBucketFromHeaders(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	fake.on("/api/v10/channels/C1/messages", 200, `{"id":"1","channel_id":"C1"}`,
		map[string]string{"X-RateLimit-Bucket": "abc", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "30"})
	if err := send(a, "C1"); err != nil {
		t.Fatal(err)
	}
	clk.add(10 * time.Second)
	if got := retryAfter(t, send(a, "C1")); got != 20*time.Second {
		t.Errorf("RetryAfter = %v, want the reset in 20s", got)
	}
	if n := len(fake.requests()); n != 1 {
		t.Errorf("a post went to a spent bucket: %s", fake.describe())
	}
}

func TestRouteOf(t *testing.T) {
	tests := []struct {
		method, path, route, major string
	}{
		{"POST", "/api/v10/channels/123/messages", "POST /channels/{id}/messages", "123"},
		{"GET", "/api/v10/channels/123", "GET /channels/{id}", "123"},
		{"POST", "/api/v10/users/@me/channels", "POST /users/@me/channels", ""},
		{"PATCH", "/api/v10/webhooks/app/tok/messages/@original", "PATCH /webhooks/{id}/{token}/messages/@original", "app/tok"},
		{"POST", "/api/v10/interactions/9/tok/callback", "POST /interactions/{id}/{token}/callback", "9/tok"},
		{"PUT", "/api/v10/applications/APP/guilds/G1/commands", "PUT /applications/{id}/guilds/{id}/commands", ""},
	}
	for _, tt := range tests {
		route, major := routeOf(tt.method, tt.path)
		if route != tt.route || major != tt.major {
			t.Errorf("routeOf(%s %s) = %q, %q; want %q, %q", tt.method, tt.path, route, major, tt.route, tt.major)
		}
	}
}

func TestSendServerErrorsReturnAtOnce(t *testing.T) {
	t.Run("5xx", func(t *testing.T) {
		a, fake, _ := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 503, `{"message":"down"}`, nil)
		if got := retryAfter(t, send(a, "C1")); got != 0 {
			t.Errorf("RetryAfter = %v, want 0 (the scheduler's backoff)", got)
		}
		if n := len(fake.requests()); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("network error", func(t *testing.T) {
		sl := &noSleep{}
		a, err := New(Config{Token: "tok", APIURL: "http://127.0.0.1:1"}, withSleep(sl.sleep))
		if err != nil {
			t.Fatal(err)
		}
		retryAfter(t, send(a, "C1"))
	})
}

// TestAnswersRetryWithinABudget: calls made while answering a user (not
// deliveries) wait out a short 429 and retry transient failures.
func TestAnswersRetryWithinABudget(t *testing.T) {
	t.Run("429 then success", func(t *testing.T) {
		a, fake, clk := newClockedSender(t)
		start := clk.now()
		fake.on("/api/v10/webhooks/APP/tok", 429, `{"message":"slow down","retry_after":1.5}`, nil)
		if err := a.rest.followup(context.Background(), "APP", "tok", message{Content: "x"}); err != nil {
			t.Fatal(err)
		}
		if n, waited := len(fake.requests()), clk.now().Sub(start); n != 2 || waited != 1500*time.Millisecond {
			t.Errorf("%d requests after %v, want 2 after 1.5s", n, waited)
		}
	})
	t.Run("5xx then success", func(t *testing.T) {
		a, fake, _ := newSender(t)
		fake.on("/api/v10/webhooks/APP/tok", 500, `{"message":"oops"}`, nil)
		fake.on("/api/v10/webhooks/APP/tok", 502, ``, nil)
		if err := a.rest.followup(context.Background(), "APP", "tok", message{Content: "x"}); err != nil {
			t.Fatal(err)
		}
		if n := len(fake.requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		a, fake, sl := newSender(t)
		for range 10 {
			fake.on("/api/v10/webhooks/APP/tok", 503, `{"message":"down"}`, nil)
		}
		if err := a.rest.followup(context.Background(), "APP", "tok", message{Content: "x"}); err == nil {
			t.Fatal("no error after repeated 503s")
		}
		if n := len(fake.requests()); n != answerAttempts {
			t.Errorf("%d requests, want %d", n, answerAttempts)
		}
		if sl.total() > answerMaxWait {
			t.Errorf("slept %v in total", sl.total())
		}
	})
	t.Run("a Retry-After beyond the budget is not waited", func(t *testing.T) {
		a, fake, sl := newSender(t)
		fake.on("/api/v10/webhooks/APP/tok", 429, `{"message":"slow down","retry_after":60}`, nil)
		if err := a.rest.followup(context.Background(), "APP", "tok", message{Content: "x"}); err == nil {
			t.Fatal("no error")
		}
		if n := len(fake.requests()); n != 1 || sl.total() != 0 {
			t.Errorf("%d requests after sleeping %v, want 1 and none", n, sl.total())
		}
	})
}

func TestSendPacesPerChannel(t *testing.T) {
	a, fake, clk := newClockedSender(t)
	if err := send(a, "C1"); err != nil {
		t.Fatal(err)
	}
	// The next post to C1 would wait a second: handed back, not slept.
	if got := retryAfter(t, send(a, "C1")); got != time.Second {
		t.Errorf("RetryAfter = %v, want 1s", got)
	}
	if err := send(a, "C2"); err != nil {
		t.Errorf("another channel: %v", err)
	}
	// A short wait is slept in place.
	start := clk.now()
	clk.add(900 * time.Millisecond)
	if err := send(a, "C1"); err != nil {
		t.Fatal(err)
	}
	if d := clk.now().Sub(start); d != time.Second {
		t.Errorf("posted after %v, want 1s", d)
	}
	if n := len(fake.requests()); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
}

func TestSendWithoutToken(t *testing.T) {
	a, err := New(Config{PublicKey: vecPublicKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Send(context.Background(), bot.Outgoing{Channel: "C1"})
	var de *bot.DeliveryError
	if !errors.As(err, &de) || de.Permanent {
		t.Errorf("err = %v, want transient delivery error", err)
	}
}

func TestRegister(t *testing.T) {
	fake := newFakeDiscord(t)
	ctx := context.Background()
	if err := Register(ctx, Config{Token: "tok", AppID: "APP", APIURL: fake.srv.URL}); err != nil {
		t.Fatal(err)
	}
	if err := Register(ctx, Config{Token: "tok", AppID: "APP", GuildID: "G1", APIURL: fake.srv.URL}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.requests()
	if len(reqs) != 2 || reqs[0].Method != http.MethodPut || reqs[0].Path != "/api/v10/applications/APP/commands" ||
		reqs[1].Path != "/api/v10/applications/APP/guilds/G1/commands" || reqs[0].Header.Get("Authorization") != "Bot tok" {
		t.Fatalf("requests: %s", fake.describe())
	}
	body := string(reqs[0].Body)
	for _, want := range []string{
		`"name":"stretch"`, `"name":"break"`, `"name":"minutes"`, `"type":4`, `"min_value":1`, `"max_value":60`,
		`"name":"focus"`, `"value":"desk"`, `"value":"aerobic"`, `"name":"channel"`, `"type":7`, `"autocomplete":true`,
		`"name":"snooze"`, `"name":"help"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("payload lacks %s", want)
		}
	}
	for _, c := range Commands() {
		for _, s := range c.Options {
			if s.Description == "" {
				t.Errorf("subcommand %s has no description", s.Name)
			}
			for _, o := range s.Options {
				if o.Description == "" || len(o.Description) > 100 {
					t.Errorf("%s %s: description %q", s.Name, o.Name, o.Description)
				}
			}
		}
	}
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{Token: "tok"}, "STRETCHBOT_DISCORD_APP_ID"},
		{Config{PublicKey: vecPublicKey, AppID: "APP"}, "STRETCHBOT_DISCORD_TOKEN"},
	} {
		if err := Register(ctx, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Register(%+v) = %v, want mention of %s", tt.cfg, err, tt.want)
		}
	}
}

// A delivery's key becomes the message's nonce, enforced, so that a post
// retried after its answer was lost gives back the first message instead
// of a second one; every attempt of one occurrence sends the same nonce,
// and a message without a key sends none.
func TestSendNonceFromKey(t *testing.T) {
	a, fake, _ := newSender(t)
	ctx := context.Background()
	// A channel each: the fake limits posts to one channel.
	for _, out := range []bot.Outgoing{
		{Channel: "C3", Key: "occ:k3f9@1764669600#run"},
		{Channel: "C4", Key: "occ:k3f9@1764669600#run"},
		{Channel: "C5", Key: "occ:k3f9@1764673200#run"},
		{Channel: "C6"},
	} {
		out.Reply = routine
		if _, err := a.Send(ctx, out); err != nil {
			t.Fatal(err)
		}
	}
	reqs := fake.requests()
	if len(reqs) != 4 {
		t.Fatalf("requests: %s", fake.describe())
	}
	var body struct {
		Nonce        string `json:"nonce"`
		EnforceNonce bool   `json:"enforce_nonce"`
	}
	nonces := make([]string, len(reqs))
	for i, r := range reqs {
		body.Nonce, body.EnforceNonce = "", false
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		if body.EnforceNonce != (body.Nonce != "") {
			t.Errorf("request %d: nonce %q, enforce_nonce %v", i, body.Nonce, body.EnforceNonce)
		}
		if n := len(body.Nonce); n > 25 {
			t.Errorf("request %d: nonce %q is %d characters, Discord takes 25", i, body.Nonce, n)
		}
		nonces[i] = body.Nonce
	}
	if nonces[0] == "" || nonces[0] != nonces[1] || nonces[2] == nonces[0] || nonces[2] == "" || nonces[3] != "" {
		t.Errorf("nonces = %q, want the same for one key, another for another key, none without one", nonces)
	}
}
