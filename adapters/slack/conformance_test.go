package slack

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/bot"
)

// harness drives the adapter through signed Events API requests to its
// mounted routes, against the recording fake Slack.
type harness struct {
	env *testEnv
	n   int
}

func (h *harness) Adapter() bot.Adapter { return h.env.a }

// Inject sends in as an app_mention (channels) or an IM message event and
// returns after the adapter's asynchronous handling finished.
func (h *harness) Inject(_ context.Context, t *testing.T, in adaptertest.Incoming) {
	t.Helper()
	h.n++
	text := in.Text
	ev := map[string]any{"type": "app_mention", "channel": in.Channel, "user": in.User, "ts": fmt.Sprintf("1700000100.%06d", h.n)}
	if in.DM {
		ev["type"], ev["channel_type"] = "message", "im"
	}
	if in.Mention {
		text = "<@UBOT> " + text
	}
	ev["text"] = text
	if in.Thread != "" {
		ev["thread_ts"] = in.Thread
	}
	if in.FromSelf {
		ev["user"], ev["bot_id"] = "UBOT", "BBOT"
	}
	if in.FromBot {
		ev["bot_id"] = "B9"
		ev["subtype"] = "bot_message"
	}
	if w := h.env.postEvent(t, fmt.Sprintf("Ev%d", h.n), ev); w.Code != http.StatusOK {
		t.Fatalf("events endpoint answered %d", w.Code)
	}
}

// Posted lists chat.postMessage and chat.postEphemeral calls the fake got.
func (h *harness) Posted() []adaptertest.Posted {
	var out []adaptertest.Posted
	h.env.f.mu.Lock()
	defer h.env.f.mu.Unlock()
	for _, c := range h.env.f.calls {
		if c.Method != "chat.postMessage" && c.Method != "chat.postEphemeral" {
			continue
		}
		if c.TS == "" { // answered with an error
			continue
		}
		out = append(out, adaptertest.Posted{
			Channel:   c.Params.Get("channel"),
			Thread:    c.Params.Get("thread_ts"),
			Text:      unescape(c.Params.Get("text")),
			ID:        c.TS,
			Ephemeral: c.Method == "chat.postEphemeral",
		})
	}
	return out
}

// GoneChannel is answered channel_not_found by the fake.
func (h *harness) GoneChannel() string { return "CGONE" }

func TestConformance(t *testing.T) {
	adaptertest.RunConformanceTests(t, func(t *testing.T, hd bot.Handler) adaptertest.Harness {
		return &harness{env: newTestEnv(t, hd)}
	})
}
