// Package adaptertest is the conformance suite every chat adapter runs, in
// the manner of go-cloud's drivertest: one set of behaviours, many
// implementations, each wired to a fake of its platform.
package adaptertest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Incoming is a chat message as the fake platform would send it.
type Incoming struct {
	Channel string
	User    string
	Text    string
	// Mention adds the platform's mention of the bot in front of Text.
	Mention bool
	// DM sends it as a direct message to the bot.
	DM bool
	// FromSelf makes the bot itself the author; FromBot another bot.
	FromSelf bool
	FromBot  bool
	Thread   string
}

// Posted is a message the fake platform received from the adapter.
type Posted struct {
	Channel   string
	Thread    string
	Text      string // plain-text rendering or fallback text
	ID        string
	Ephemeral bool
}

// Harness connects the suite to one adapter and its fake platform.
type Harness interface {
	// Adapter is the adapter under test.
	Adapter() bot.Adapter
	// Inject makes the fake platform deliver in to the adapter and returns
	// once the adapter has finished with it (handled or dropped).
	Inject(ctx context.Context, t *testing.T, in Incoming)
	// Posted returns everything the fake platform received, in order,
	// including replies to injected messages.
	Posted() []Posted
	// GoneChannel is a channel id the fake platform reports as deleted or
	// inaccessible, for the permanent-error test.
	GoneChannel() string
}

// MakeHarness builds a fresh harness whose adapter hands messages to h.
type MakeHarness func(t *testing.T, h bot.Handler) Harness

// Recorder is a bot.Handler that records messages and echoes them.
type Recorder struct {
	mu   sync.Mutex
	msgs []bot.Message
}

// Handle records m and replies "echo: <text>" publicly.
func (r *Recorder) Handle(_ context.Context, m bot.Message) bot.Reply {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return bot.Reply{Blocks: []string{"echo: " + m.Text}, Visibility: bot.Public}
}

// HandleAction records nothing and leaves the message unchanged.
func (r *Recorder) HandleAction(context.Context, bot.ActionEvent) bot.ActionResult {
	return bot.ActionResult{}
}

// Messages returns the recorded messages.
func (r *Recorder) Messages() []bot.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Message(nil), r.msgs...)
}

// RunConformanceTests runs the suite against mk.
func RunConformanceTests(t *testing.T, mk MakeHarness) {
	t.Helper()
	ctx := context.Background()
	tests := []struct {
		name string
		fn   func(t *testing.T)
	}{
		{"IgnoresOwnMessages", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "C1", User: "U1", Text: "help", Mention: true, FromSelf: true})
			if n := len(rec.Messages()); n != 0 {
				t.Fatalf("handler got %d messages from the bot itself, want 0", n)
			}
		}},
		{"IgnoresOtherBots", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "C1", User: "B9", Text: "help", Mention: true, FromBot: true})
			if n := len(rec.Messages()); n != 0 {
				t.Fatalf("handler got %d messages from another bot, want 0", n)
			}
		}},
		{"StripsMention", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "C1", User: "U1", Text: "break 2 min", Mention: true})
			msgs := rec.Messages()
			if len(msgs) != 1 {
				t.Fatalf("handler got %d messages, want 1", len(msgs))
			}
			if got := strings.TrimSpace(msgs[0].Text); got != "break 2 min" {
				t.Errorf("text = %q, want %q", got, "break 2 min")
			}
			if msgs[0].User != "U1" || msgs[0].Channel != "C1" || msgs[0].Tenant == "" {
				t.Errorf("message = %+v, want user U1 in channel C1 with a tenant", msgs[0])
			}
		}},
		{"ReplyInSameChannel", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "C7", User: "U1", Text: "stats", Mention: true})
			if !postedContains(h.Posted(), "C7", "", "echo: stats") {
				t.Fatalf("no reply with %q in C7; posted %+v", "echo: stats", h.Posted())
			}
		}},
		{"ReplyInSameThread", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "C7", User: "U1", Text: "list", Mention: true, Thread: "1700000000.000100"})
			if !postedContains(h.Posted(), "C7", "1700000000.000100", "echo: list") {
				t.Fatalf("no reply in the thread; posted %+v", h.Posted())
			}
		}},
		{"DirectMessage", func(t *testing.T) {
			rec := &Recorder{}
			h := mk(t, rec)
			h.Inject(ctx, t, Incoming{Channel: "D1", User: "U2", Text: "help", DM: true})
			msgs := rec.Messages()
			if len(msgs) != 1 || !msgs[0].DM {
				t.Fatalf("handler got %+v, want one DM", msgs)
			}
		}},
		{"SendReturnsID", func(t *testing.T) {
			h := mk(t, &Recorder{})
			sent, err := h.Adapter().Send(ctx, bot.Outgoing{Channel: "C3", Reply: bot.Reply{Title: "Stretch time", Blocks: []string{"stand up"}, Visibility: bot.Public}})
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if sent.ID == "" {
				t.Error("Send returned an empty message id")
			}
			if !postedContains(h.Posted(), "C3", "", "stand up") {
				t.Errorf("fake platform did not receive the message; posted %+v", h.Posted())
			}
		}},
		{"SendDirectMessage", func(t *testing.T) {
			h := mk(t, &Recorder{})
			sent, err := h.Adapter().Send(ctx, bot.Outgoing{User: "U5", Reply: bot.Reply{Blocks: []string{"time to stretch"}}})
			if err != nil {
				t.Fatalf("Send DM: %v", err)
			}
			if sent.ID == "" {
				t.Error("Send DM returned an empty message id")
			}
			found := false
			for _, p := range h.Posted() {
				if strings.Contains(p.Text, "time to stretch") {
					found = true
				}
			}
			if !found {
				t.Errorf("DM not received; posted %+v", h.Posted())
			}
		}},
		{"SendToGoneChannelIsPermanent", func(t *testing.T) {
			h := mk(t, &Recorder{})
			gone := h.GoneChannel()
			if gone == "" {
				t.Skip("platform fake has no gone channel")
			}
			sendCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			_, err := h.Adapter().Send(sendCtx, bot.Outgoing{Channel: bot.ChannelID(gone), Reply: bot.Reply{Blocks: []string{"x"}}})
			if err == nil {
				t.Fatal("Send to a gone channel succeeded")
			}
			var de *bot.DeliveryError
			if !errors.As(err, &de) || !de.Permanent {
				t.Errorf("err = %v, want a permanent *bot.DeliveryError", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.fn)
	}
}

func postedContains(ps []Posted, channel, thread, text string) bool {
	for _, p := range ps {
		if p.Channel == channel && (thread == "" || p.Thread == thread) && strings.Contains(p.Text, text) {
			return true
		}
	}
	return false
}
