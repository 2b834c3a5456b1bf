package slack

import (
	"context"
	"errors"
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
	sent, err := e.a.Send(context.Background(), bot.Outgoing{User: "U5", Reply: delivery})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	open := e.f.callsTo("conversations.open")
	if len(open) != 1 || open[0].Params.Get("users") != "U5" {
		t.Fatalf("conversations.open calls = %+v", open)
	}
	if sent.Channel != "DU5" || e.f.callsTo("chat.postMessage")[0].Params.Get("channel") != "DU5" {
		t.Errorf("DM went to %q, want the opened DU5", sent.Channel)
	}

	// conversations.open failing transiently falls back to the user id.
	e.f.failAlways("conversations.open", failure{status: 500})
	sent, err = e.a.Send(context.Background(), bot.Outgoing{User: "U6", Reply: delivery})
	if err != nil || sent.Channel != "U6" {
		t.Errorf("fallback: sent %+v, err %v; want channel U6", sent, err)
	}

	// A permanent failure is reported as such.
	e.f.failAlways("conversations.open", failure{code: "user_not_found"})
	_, err = e.a.Send(context.Background(), bot.Outgoing{User: "U7", Reply: delivery})
	if !bot.IsPermanent(err) {
		t.Errorf("err = %v, want permanent", err)
	}

	if _, err := e.a.Send(context.Background(), bot.Outgoing{Reply: delivery}); !bot.IsPermanent(err) {
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

func TestSendTransientErrors(t *testing.T) {
	tests := []struct {
		name          string
		script        []failure
		always        *failure
		wantErr       bool
		wantCalls     int
		wantRetryMin  time.Duration
		wantSleepsAll []time.Duration // exact sleeps, when set
	}{
		{name: "429 then ok", script: []failure{{status: 429, retryAfter: "1"}}, wantCalls: 2, wantSleepsAll: []time.Duration{time.Second}},
		{name: "429 twice then ok", script: []failure{{status: 429, retryAfter: "2"}, {status: 429, retryAfter: "3"}}, wantCalls: 3, wantSleepsAll: []time.Duration{2 * time.Second, 3 * time.Second}},
		{name: "429 always", always: &failure{status: 429, retryAfter: "4"}, wantErr: true, wantCalls: 3, wantRetryMin: 4 * time.Second},
		{name: "429 beyond the cap", always: &failure{status: 429, retryAfter: "120"}, wantErr: true, wantCalls: 1, wantRetryMin: 120 * time.Second},
		{name: "500 then ok", script: []failure{{status: 500}}, wantCalls: 2},
		{name: "503 always", always: &failure{status: 503}, wantErr: true, wantCalls: 3},
		{name: "internal_error then ok", script: []failure{{code: "internal_error"}}, wantCalls: 2},
		{name: "invalid_auth is transient, not retried now", always: &failure{code: "invalid_auth"}, wantErr: true, wantCalls: 1, wantRetryMin: authRetryAfter},
		{name: "unknown code not retried now", always: &failure{code: "invalid_blocks"}, wantErr: true, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			e.f.failNext("chat.postMessage", tt.script...)
			if tt.always != nil {
				e.f.failAlways("chat.postMessage", *tt.always)
			}
			sent, err := e.a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: delivery})
			if n := len(e.f.callsTo("chat.postMessage")); n != tt.wantCalls {
				t.Errorf("calls = %d, want %d", n, tt.wantCalls)
			}
			if !tt.wantErr {
				if err != nil || sent.ID == "" {
					t.Fatalf("Send = %+v, %v; want success", sent, err)
				}
			} else {
				var de *bot.DeliveryError
				if !errors.As(err, &de) || de.Permanent {
					t.Fatalf("err = %v, want a transient *bot.DeliveryError", err)
				}
				if de.RetryAfter < tt.wantRetryMin {
					t.Errorf("RetryAfter = %v, want at least %v", de.RetryAfter, tt.wantRetryMin)
				}
				if de.Reason == "" {
					t.Error("empty reason")
				}
			}
			if tt.wantSleepsAll != nil {
				got := e.clock.Sleeps()
				if len(got) != len(tt.wantSleepsAll) {
					t.Fatalf("sleeps = %v, want %v", got, tt.wantSleepsAll)
				}
				for i := range got {
					if got[i] != tt.wantSleepsAll[i] {
						t.Errorf("sleeps = %v, want %v", got, tt.wantSleepsAll)
					}
				}
			}
			var total time.Duration
			for _, s := range e.clock.Sleeps() {
				total += s
			}
			if total > maxRetryWait+2*time.Second {
				t.Errorf("waited %v in total, cap %v", total, maxRetryWait)
			}
		})
	}
}

func TestSendPacing(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()
	for range 3 {
		if _, err := e.a.Send(ctx, bot.Outgoing{Channel: "C1", Reply: delivery}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.a.Send(ctx, bot.Outgoing{Channel: "C2", Reply: delivery}); err != nil {
		t.Fatal(err)
	}
	got := e.clock.Sleeps()
	if len(got) != 2 || got[0] != time.Second || got[1] != time.Second {
		t.Errorf("sleeps = %v, want [1s 1s] (C1 paced, C2 free)", got)
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
