package slack

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// manifestShape is the part of the manifest the tests check.
type manifestShape struct {
	Features struct {
		AppHome struct {
			HomeTab bool `json:"home_tab_enabled"`
		} `json:"app_home"`
		BotUser struct {
			DisplayName string `json:"display_name"`
		} `json:"bot_user"`
		SlashCommands []struct {
			Command      string `json:"command"`
			URL          string `json:"url"`
			ShouldEscape bool   `json:"should_escape"`
			UsageHint    string `json:"usage_hint"`
		} `json:"slash_commands"`
	} `json:"features"`
	OAuth struct {
		RedirectURLs []string `json:"redirect_urls"`
		Scopes       struct {
			Bot []string `json:"bot"`
		} `json:"scopes"`
	} `json:"oauth_config"`
	Settings struct {
		Events struct {
			RequestURL string   `json:"request_url"`
			BotEvents  []string `json:"bot_events"`
		} `json:"event_subscriptions"`
		Interactivity struct {
			IsEnabled  bool   `json:"is_enabled"`
			RequestURL string `json:"request_url"`
		} `json:"interactivity"`
		SocketMode bool `json:"socket_mode_enabled"`
	} `json:"settings"`
}

func TestManifest(t *testing.T) {
	tests := []struct {
		name                     string
		cfg                      Config
		wantCmd, wantCmdURL      string
		wantEvents, wantInteract string
		wantSocket               bool
		wantRedirect             []string
	}{
		{"HTTP", Config{PublicURL: "https://bot.example.com"}, "/stretch",
			"https://bot.example.com/slack/commands", "https://bot.example.com/slack/events", "https://bot.example.com/slack/interactions", false,
			[]string{"https://bot.example.com/slack/oauth/callback"}},
		{"HTTP trailing slash, custom command", Config{PublicURL: "https://bot.example.com/", Command: "stretchy"}, "/stretchy",
			"https://bot.example.com/slack/commands", "https://bot.example.com/slack/events", "https://bot.example.com/slack/interactions", false,
			[]string{"https://bot.example.com/slack/oauth/callback"}},
		{"socket mode needs no URLs", Config{AppToken: "xapp-1"}, "/stretch", "", "", "", true, nil},
		{"socket mode with an install page", Config{AppToken: "xapp-1", PublicURL: "https://bot.example.com"}, "/stretch", "", "", "", true,
			[]string{"https://bot.example.com/slack/oauth/callback"}},
		{"no URL and no app token: socket mode", Config{}, "/stretch", "", "", "", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Manifest(tt.cfg)
			if err != nil {
				t.Fatalf("Manifest: %v", err)
			}
			var m manifestShape
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("manifest is not JSON: %v\n%s", err, b)
			}
			sc := m.Features.SlashCommands
			if len(sc) != 1 || sc[0].Command != tt.wantCmd || sc[0].URL != tt.wantCmdURL || !sc[0].ShouldEscape || sc[0].UsageHint == "" {
				t.Errorf("slash commands = %+v", sc)
			}
			if m.Settings.Events.RequestURL != tt.wantEvents || m.Settings.Interactivity.RequestURL != tt.wantInteract || !m.Settings.Interactivity.IsEnabled {
				t.Errorf("settings = %+v", m.Settings)
			}
			if m.Settings.SocketMode != tt.wantSocket {
				t.Errorf("socket_mode_enabled = %v, want %v", m.Settings.SocketMode, tt.wantSocket)
			}
			if !slices.Equal(m.Settings.Events.BotEvents, []string{"app_home_opened", "app_mention", "app_uninstalled", "message.im", "tokens_revoked"}) {
				t.Errorf("bot events = %v", m.Settings.Events.BotEvents)
			}
			if !slices.Equal(m.OAuth.RedirectURLs, tt.wantRedirect) {
				t.Errorf("redirect_urls = %v, want %v", m.OAuth.RedirectURLs, tt.wantRedirect)
			}
			if !m.Features.AppHome.HomeTab {
				t.Error("the Home tab is off")
			}
			for _, s := range []string{"commands", "chat:write", "im:write", "im:history", "app_mentions:read", "users:read", "channels:read", "groups:read", "files:write",
				"channels:history", "groups:history", "mpim:history"} {
				if !slices.Contains(m.OAuth.Scopes.Bot, s) {
					t.Errorf("scope %s missing from %v", s, m.OAuth.Scopes.Bot)
				}
			}
			if m.Features.BotUser.DisplayName == "" {
				t.Error("no bot user")
			}
		})
	}
}

func TestManifestErrors(t *testing.T) {
	if _, err := Manifest(Config{PublicURL: "bot.example.com"}); err == nil {
		t.Error("a URL without scheme was accepted")
	}
}

func TestUsageHintComesFromTheCoreTable(t *testing.T) {
	parts := strings.Split(usageHint(), " · ")
	if len(parts) != len(hintCommands) {
		t.Fatalf("usageHint() = %q, want one example for each of %v", usageHint(), hintCommands)
	}
	for i, p := range parts {
		if strings.Fields(p)[0] != hintCommands[i] {
			t.Errorf("hint part %q is not an example of %s", p, hintCommands[i])
		}
	}
}
