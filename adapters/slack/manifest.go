package slack

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

// botScopes are the OAuth scopes the bot needs: the slash command, posting
// (chat:write.public lets schedules post to public channels the bot was not
// invited to), DMs, mentions, users:read for zones and admin status,
// channels:read/groups:read for conversations.info when a schedule names a
// public or private channel, files:write for the charts of channel
// summaries, dnd:read so personal reminders wait out do-not-disturb, and
// channels:history, groups:history, mpim:history and im:history so that a
// delivery that may have been posted already is looked for before it is
// posted again (see findDelivery). The install page asks for the same list.
var botScopes = []string{
	"app_mentions:read",
	"channels:history",
	"channels:read",
	"chat:write",
	"chat:write.public",
	"commands",
	"dnd:read",
	"files:write",
	"groups:history",
	"groups:read",
	"im:history",
	"im:write",
	"mpim:history",
	"users:read",
}

// botEvents are the events the bot subscribes to: commands by mention and
// DM, the Home tab, and the app's removal (which deletes its token).
var botEvents = []string{"app_home_opened", "app_mention", "app_uninstalled", "message.im", "tokens_revoked"}

// hintCommands are the commands the slash command's usage hint shows.
var hintCommands = []string{"break", "remind", "help"}

// usageHint shows each of hintCommands by its first example in the core's
// table, so the hint never offers what the core would refuse.
func usageHint() string {
	cmds := bot.Commands()
	var parts []string
	for _, name := range hintCommands {
		if i := slices.IndexFunc(cmds, func(c bot.Command) bool { return c.Name == name }); i >= 0 {
			parts = append(parts, cmds[i].Examples[0])
		}
	}
	return strings.Join(parts, " · ")
}

// Manifest returns a Slack app manifest (JSON) for cfg. With a public URL
// and no app token the slash command, events and interactivity point at
// cfg.PublicURL; otherwise (an app token, or no URL to point at) it
// enables Socket Mode and needs none. The OAuth redirect URL is listed
// whenever there is a public URL, since the install pages are served over
// HTTP in both modes.
func Manifest(cfg Config) ([]byte, error) {
	cfg = cfg.withDefaults()
	socket := cfg.AppToken != "" || cfg.PublicURL == ""
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("slack manifest: STRETCHBOT_PUBLIC_URL %q is not an http(s) URL", cfg.PublicURL)
		}
	}
	at := func(path string) string {
		if socket {
			return ""
		}
		return cfg.PublicURL + path
	}
	oauth := map[string]any{"scopes": map[string][]string{"bot": botScopes}}
	if cfg.PublicURL != "" {
		oauth["redirect_urls"] = []string{cfg.PublicURL + callbackPath}
	}

	type command struct {
		Command      string `json:"command"`
		URL          string `json:"url,omitempty"`
		Description  string `json:"description"`
		UsageHint    string `json:"usage_hint"`
		ShouldEscape bool   `json:"should_escape"`
	}
	type events struct {
		RequestURL string   `json:"request_url,omitempty"`
		BotEvents  []string `json:"bot_events"`
	}
	type interactivity struct {
		IsEnabled  bool   `json:"is_enabled"`
		RequestURL string `json:"request_url,omitempty"`
	}
	m := map[string]any{
		"_metadata": map[string]int{"major_version": 1, "minor_version": 1},
		"display_information": map[string]string{
			"name":             "stretchbot",
			"description":      "Stretch breaks for your back, on demand or on a schedule.",
			"long_description": "stretchbot gets teams to take short back-care stretch breaks: ask for a routine with /stretch break, set personal reminders, or schedule team breaks in a channel. Every routine carries a safety note: stop if an exercise causes pain, numbness or weakness.",
			"background_color": "#2c6e49",
		},
		"features": map[string]any{
			"app_home": map[string]bool{
				"home_tab_enabled":               true,
				"messages_tab_enabled":           true,
				"messages_tab_read_only_enabled": false,
			},
			"bot_user": map[string]any{"display_name": "stretchbot", "always_online": true},
			"slash_commands": []command{{
				Command:      cfg.Command,
				URL:          at("/slack/commands"),
				Description:  "Stretch breaks and reminders",
				UsageHint:    usageHint(),
				ShouldEscape: true,
			}},
		},
		"oauth_config": oauth,
		"settings": map[string]any{
			"event_subscriptions":    events{RequestURL: at("/slack/events"), BotEvents: botEvents},
			"interactivity":          interactivity{IsEnabled: true, RequestURL: at("/slack/interactions")},
			"org_deploy_enabled":     false,
			"socket_mode_enabled":    socket,
			"token_rotation_enabled": false,
		},
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("slack manifest: %w", err)
	}
	return append(b, '\n'), nil
}
