package slack

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log sink safe for the adapter's background goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestDebugLogPerRequest(t *testing.T) {
	var buf syncBuffer
	e := newTestEnv(t, &funcHandler{})
	e.a.log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))

	e.postCommand(t, "U1", "C1", "Remind me in 5 min to call the secret-doctor")
	e.postEvent(t, "Ev1", map[string]any{"type": "app_mention", "channel": "C1", "user": "U2", "text": "<@UBOT> break private-words", "ts": "1.1"})
	e.postInteraction(t, blockAction("done", "k3f9|secret-value", e.f.responseURL()))
	e.postCommand(t, "U1", "C1", "ünïcode-or-pasted-secret-xyz")

	logs := buf.String()
	lines := strings.Split(strings.TrimSpace(logs), "\n")
	var req []string
	for _, l := range lines {
		if strings.Contains(l, "slack: request") {
			req = append(req, l)
		}
	}
	if len(req) != 4 {
		t.Fatalf("request log lines = %d, want 4:\n%s", len(req), logs)
	}
	want := [][]string{
		{"level=DEBUG", "route=/slack/commands", "team=T1", "user=U1", "command=remind"},
		{"route=\"/slack/events app_mention\"", "team=T1", "user=U2", "command=break"},
		{"route=/slack/interactions", "team=T1", "user=U2", "command=done"},
		{"route=/slack/commands", "command=?"},
	}
	for i, w := range want {
		for _, s := range w {
			if !strings.Contains(req[i], s) {
				t.Errorf("line %d %q lacks %q", i, req[i], s)
			}
		}
	}
	for _, secret := range []string{"secret", "private-words", "xoxb-test", testSecret, "v0=", "ünïcode"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}

	// At the default level nothing is logged for a normal request.
	buf2 := &syncBuffer{}
	e.a.log = slog.New(slog.NewTextHandler(buf2, nil))
	e.postCommand(t, "U1", "C1", "help")
	if s := buf2.String(); s != "" {
		t.Errorf("info level logged %q", s)
	}
}

func TestCommandWord(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{"break 2 min", "break"},
		{"LIST", "list"},
		{"skip-next now", "skip-next"},
		{"<#C1|x>", "?"},
		{"password123", "?"},
		{strings.Repeat("a", maxLoggedWord+1), "?"},
	}
	for _, tt := range tests {
		if got := commandWord(tt.in); got != tt.want {
			t.Errorf("commandWord(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
