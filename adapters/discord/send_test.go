package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
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
	a, fake, _ := newSender(t)
	for i := 0; i < 2; i++ {
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

func TestSendRateLimited(t *testing.T) {
	t.Run("retry_after then success", func(t *testing.T) {
		a, fake, sl := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 429, `{"message":"You are being rate limited.","retry_after":1.5,"global":false}`, nil)
		sent, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}})
		if err != nil || sent.ID == "" {
			t.Fatalf("Send = %+v, %v", sent, err)
		}
		if n := len(fake.requests()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
		if !hasWait(sl, 1500*time.Millisecond) {
			t.Errorf("waits = %v, want 1.5s", sl.waits)
		}
	})
	t.Run("Retry-After header and global", func(t *testing.T) {
		a, fake, sl := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 429, `{"message":"slow down","retry_after":0.1,"global":true}`,
			map[string]string{"Retry-After": "2", "X-RateLimit-Global": "true"})
		if _, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}}); err != nil {
			t.Fatal(err)
		}
		if !hasWait(sl, 2*time.Second) {
			t.Errorf("waits = %v, want 2s", sl.waits)
		}
		// The global limit is remembered for every other request.
		if a.rest.globalUntil.IsZero() {
			t.Error("global rate limit not recorded")
		}
	})
	t.Run("bounded", func(t *testing.T) {
		a, fake, sl := newSender(t)
		for i := 0; i < 10; i++ {
			fake.on("/api/v10/channels/C1/messages", 429, `{"message":"slow down","retry_after":5}`, nil)
		}
		_, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}})
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent || de.RetryAfter != 5*time.Second {
			t.Fatalf("err = %v, want transient with RetryAfter 5s", err)
		}
		if n := len(fake.requests()); n != maxAttempts {
			t.Errorf("%d requests, want %d", n, maxAttempts)
		}
		if sl.total() > maxRetryWait+time.Second {
			t.Errorf("slept %v in total", sl.total())
		}
	})
	t.Run("no hint uses backoff", func(t *testing.T) {
		a, fake, sl := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 429, `<html>slow down</html>`, nil)
		if _, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}}); err != nil {
			t.Fatal(err)
		}
		if lo, hi := backoff.Request.Min/2, backoff.Request.Min; sl.total() < lo || sl.total() > hi {
			t.Errorf("waited %v, want a backoff between %v and %v", sl.total(), lo, hi)
		}
		if n := len(fake.requests()); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("too long to wait", func(t *testing.T) {
		a, fake, _ := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 429, `{"message":"slow down","retry_after":120}`, nil)
		_, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}})
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent || de.RetryAfter != 2*time.Minute || len(fake.requests()) != 1 {
			t.Fatalf("err = %v after %d requests, want transient RetryAfter 2m after 1", err, len(fake.requests()))
		}
	})
}

func hasWait(sl *noSleep, d time.Duration) bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	for _, w := range sl.waits {
		if w == d {
			return true
		}
	}
	return false
}

func TestSendServerErrors(t *testing.T) {
	t.Run("recovers", func(t *testing.T) {
		a, fake, _ := newSender(t)
		fake.on("/api/v10/channels/C1/messages", 500, `{"message":"oops"}`, nil)
		fake.on("/api/v10/channels/C1/messages", 502, ``, nil)
		if _, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}}); err != nil {
			t.Fatal(err)
		}
		if n := len(fake.requests()); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("gives up transiently", func(t *testing.T) {
		a, fake, _ := newSender(t)
		for i := 0; i < 5; i++ {
			fake.on("/api/v10/channels/C1/messages", 503, `{"message":"down"}`, nil)
		}
		_, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}})
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent {
			t.Fatalf("err = %v, want transient", err)
		}
		if n := len(fake.requests()); n != maxAttempts {
			t.Errorf("%d requests, want %d", n, maxAttempts)
		}
	})
	t.Run("network error is transient", func(t *testing.T) {
		sl := &noSleep{}
		a, err := New(Config{Token: "tok", APIURL: "http://127.0.0.1:1"}, withSleep(sl.sleep))
		if err != nil {
			t.Fatal(err)
		}
		_, err = a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}})
		var de *bot.DeliveryError
		if !errors.As(err, &de) || de.Permanent {
			t.Fatalf("err = %v, want transient", err)
		}
	})
}

func TestSendPacesPerChannel(t *testing.T) {
	a, _, sl := newSender(t)
	now := time.Unix(1000, 0)
	a.rest.now = func() time.Time { return now }
	for _, ch := range []bot.ChannelID{"C1", "C1", "C2", "C1"} {
		if _, err := a.Send(context.Background(), bot.Outgoing{Channel: ch, Reply: bot.Reply{Blocks: []string{"x"}}}); err != nil {
			t.Fatal(err)
		}
	}
	want := []time.Duration{0, time.Second, 0, 2 * time.Second}
	if len(sl.waits) != len(want) {
		t.Fatalf("waits = %v, want %v", sl.waits, want)
	}
	for i := range want {
		if sl.waits[i] != want[i] {
			t.Errorf("waits = %v, want %v", sl.waits, want)
		}
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
