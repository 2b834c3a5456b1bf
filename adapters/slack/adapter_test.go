package slack

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"ok HTTP", Config{SigningSecret: "s", BotToken: "xoxb-1"}, ""},
		{"ok socket", Config{AppToken: "xapp-1", BotToken: "xoxb-1"}, ""},
		{"no bot token", Config{SigningSecret: "s"}, "STRETCHBOT_SLACK_BOT_TOKEN"},
		{"no ingress", Config{BotToken: "xoxb-1"}, "STRETCHBOT_SLACK_SIGNING_SECRET"},
		{"bad API URL", Config{SigningSecret: "s", BotToken: "xoxb-1", APIURL: "ftp://x"}, "STRETCHBOT_SLACK_API_URL"},
		{"bad command", Config{SigningSecret: "s", BotToken: "xoxb-1", Command: "/two words"}, "STRETCHBOT_SLACK_COMMAND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				if a.Platform() != "slack" || a.cfg.Command != "/stretch" || a.cfg.APIURL != DefaultAPIURL {
					t.Errorf("defaults not applied: %+v", a.cfg.Command)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to name %s", err, tt.wantErr)
			}
		})
	}
	for _, in := range []string{"http://127.0.0.1:9/api", "http://127.0.0.1:9/api/"} {
		if got := (Config{APIURL: in}).withDefaults().APIURL; got != "http://127.0.0.1:9/api/" {
			t.Errorf("APIURL %q normalised to %q", in, got)
		}
	}
}

// TestNilOptionsKeepDefaults checks the rule every adapter follows: a nil
// argument to a With* option is the same as not giving the option.
func TestNilOptionsKeepDefaults(t *testing.T) {
	a, err := New(Config{SigningSecret: "s", BotToken: "xoxb-1"}, WithNow(nil), WithLogger(nil), WithHTTPClient(nil))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now == nil || a.log != slog.Default() || a.http == nil || a.http.Timeout != 15*time.Second {
		t.Errorf("defaults not kept: now=%v log=%v http=%v", a.now != nil, a.log, a.http)
	}
	clock := func() time.Time { return time.Unix(7, 0) }
	client := &http.Client{}
	a, err = New(Config{SigningSecret: "s", BotToken: "xoxb-1"}, WithNow(clock), WithHTTPClient(client))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now().Unix() != 7 || a.http != client {
		t.Error("options not applied")
	}
}
