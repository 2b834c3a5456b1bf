package slack

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

func TestStripMentions(t *testing.T) {
	tests := []struct {
		name      string
		text, bot string
		mentioned bool
		want      string
	}{
		{"leading", "<@UBOT> break", "UBOT", true, "break"},
		{"with label", "<@UBOT|stretchbot> break", "UBOT", true, "break"},
		{"text before the mention ignored", "please <@UBOT> help", "UBOT", true, "help"},
		{"command before the mention", "break 2 min <@UBOT>", "UBOT", true, "break 2 min"},
		{"bare mention", " <@UBOT> ", "UBOT", true, ""},
		{"unknown bot id, first mention is the bot's", "hey <@UXYZ> break <@U2>", "", true, "break <@U2>"},
		{"non-breaking spaces and full width", "<@UBOT> ｂｒｅａｋ 5 min", "UBOT", true, "break 5 min"},
		{"other user kept", "<@UBOT> stats <@U2>", "UBOT", true, "stats <@U2>"},
		{"unknown bot id, leading mention dropped", "<@UXYZ> break", "", true, "break"},
		{"unknown bot id in IM keeps text", "<@U2> hi", "", false, "<@U2> hi"},
		{"escapes", "a &lt;b&gt; &amp;lt;", "UBOT", false, "a <b> &lt;"},
		{"whitespace", "  <@UBOT>\n\tbreak   2  min ", "UBOT", true, "break 2 min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripMentions(tt.text, tt.bot, tt.mentioned); got != tt.want {
				t.Errorf("stripMentions(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestSlashMessage(t *testing.T) {
	tests := []struct {
		name string
		cmd  slashCommand
		want bot.Message
	}{
		{"channel", slashCommand{TeamID: "T1", ChannelID: "C1", ChannelName: "general", UserID: "U1", UserName: "ann", Text: " break "},
			bot.Message{Platform: bot.Slack, Tenant: "T1", Channel: "C1", ChannelName: "general", User: "U1", UserName: "ann", Text: "break"}},
		{"DM", slashCommand{TeamID: "T1", ChannelID: "D1", ChannelName: "directmessage", UserID: "U1", Text: "help"},
			bot.Message{Platform: bot.Slack, Tenant: "T1", Channel: "D1", User: "U1", Text: "help", DM: true}},
		{"private group", slashCommand{TeamID: "T1", ChannelID: "G1", ChannelName: "privategroup", UserID: "U1", Text: "schedule every day at 10 in <#C9|random>"},
			bot.Message{Platform: bot.Slack, Tenant: "T1", Channel: "G1", User: "U1", Text: "schedule every day at 10 in <#C9|random>"}},
		{"channel without a name (Slack's current escaping)", slashCommand{TeamID: "T1", ChannelID: "C1", ChannelName: "general", UserID: "U1", Text: "schedule every day at 9am in <#C888|>"},
			bot.Message{Platform: bot.Slack, Tenant: "T1", Channel: "C1", ChannelName: "general", User: "U1", Text: "schedule every day at 9am in <#C888|>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.cmd.message(); got != tt.want {
				t.Errorf("message = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"type":"event_callback","team_id":"T1","event_id":"E1","event":{"type":"app_mention","channel":"C1","user":"U1","text":"<@UBOT> break"}}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"&lt;@UBOT&gt;"}}`))
	f.Add([]byte(`{"type":"url_verification","challenge":"x"}`))
	f.Add([]byte(`{"type":"event_callback","event":{"type":"message","user":123}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := parseEvent(body)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		m, ok := eventMessage(env, "UBOT")
		// The bot's own mention is cut off; a "<@UBOT" that is no mention
		// (typed, unclosed) is only text.
		if ok && (m.User == "" || m.User == "UBOT" || m.Channel == "" || botMentioned(m.Text)) {
			t.Errorf("accepted %+v", m)
		}
	})
}

func botMentioned(text string) bool {
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		if m[1] == "UBOT" {
			return true
		}
	}
	return false
}

func FuzzParseSlashForm(f *testing.F) {
	f.Add([]byte(vecBody))
	f.Add([]byte("team_id=T1&channel_id=C1&user_id=U1&text=break+2+min"))
	f.Add([]byte("%zz"))
	f.Add([]byte(""))
	f.Add([]byte("ssl_check=1&token=x"))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, ssl, err := parseSlashForm(body)
		if ssl && err != nil {
			t.Error("a certificate probe came with an error")
		}
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		_ = c.message()
	})
}

// readSlashForm reads what url.ParseQuery and Get read, and fails where it
// fails.
func FuzzReadSlashForm(f *testing.F) {
	f.Add(vecBody)
	f.Add("team_id=T1&channel_id=C1&user_id=U1&text=break+2+min")
	f.Add("text=a&text=b&te%78t=c&user_id=%55%31")
	f.Add("ssl_check=1&token=x")
	f.Add("ssl_check=0&ssl_check=1")
	f.Add("text=%zz&team_id=T1")
	f.Add("a=1;b=2&text=x")
	f.Add("%zz=1&text=ok")
	f.Add("==&&=&text")
	f.Add("")
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Count(body, "&") >= 9999 {
			return // ParseQuery refuses that many fields; Slack sends a dozen
		}
		v, werr := url.ParseQuery(body)
		c, ssl, err := readSlashForm(body)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: error %v, url.ParseQuery's %v", body, err, werr)
		}
		if err != nil {
			return
		}
		want := slashCommand{
			TeamID: v.Get("team_id"), EnterpriseID: v.Get("enterprise_id"), ChannelID: v.Get("channel_id"), ChannelName: v.Get("channel_name"),
			UserID: v.Get("user_id"), UserName: v.Get("user_name"), Command: v.Get("command"),
			Text: v.Get("text"), ResponseURL: v.Get("response_url"),
		}
		if c != want || ssl != (v.Get("ssl_check") == "1") {
			t.Errorf("%q: read %+v (ssl_check %v), url.ParseQuery %+v (%q)", body, c, ssl, want, v.Get("ssl_check"))
		}
	})
}

func FuzzParseInteraction(f *testing.F) {
	f.Add([]byte(`{"type":"block_actions","team":{"id":"T1"},"user":{"id":"U1"},"channel":{"id":"C1"},"container":{"message_ts":"1.2"},"actions":[{"action_id":"snooze#1","value":"k|10m"}]}`))
	f.Add([]byte(`{"type":"block_actions","actions":[{"action_id":""}],"message":{"blocks":[1,2]}}`))
	f.Add([]byte(`{"type":"view_submission"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := parseInteraction(body)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		for _, e := range in.actionEvents() {
			if e.ID == "" {
				t.Errorf("event without id: %+v", e)
			}
		}
		if in.Message != nil {
			_ = withStatus(in.Message.Blocks, "status")
		}
	})
}

func FuzzRender(f *testing.F) {
	f.Add("Title", "para <&>", "card", "note", "done", "value")
	f.Add("", "", "", "", "", "")
	f.Add(strings.Repeat("é", 200), strings.Repeat("&", 4000), "x", "y", "a#1", "v")
	f.Fuzz(func(t *testing.T, title, para, card, note, id, value string) {
		m := render(bot.Reply{Title: title, Blocks: []string{para}, Cards: []bot.Card{{Name: card, Steps: []string{para}}}, Note: note,
			Actions: []bot.Action{{ID: bot.ActionID(id), Value: value}, {ID: bot.ActionID(id), Value: value}}})
		if m.Text == "" || len(m.Blocks) > maxBlocks-1 {
			t.Errorf("render gave text %q and %d blocks", m.Text, len(m.Blocks))
		}
	})
}

// Slack sends a link the user typed as <https://…> (or <https://…|what
// they typed>, <mailto:…|…>); a reminder's note keeps what was typed, so its
// delivery shows a link Slack makes clickable rather than the markup, shown
// escaped as “&lt;https://…&gt;”. Channel and user references are kept.
func TestLinksReadAsTyped(t *testing.T) {
	for in, want := range map[string]string{
		"remind me at 3pm to join <https://zoom.us/j/123?pwd=a&amp;b=c>":          "remind me at 3pm to join https://zoom.us/j/123?pwd=a&b=c",
		"remind me in 5 minutes to read <https://example.com|example.com>":        "remind me in 5 minutes to read example.com",
		"remind me in 5 minutes to mail <mailto:bob@example.com|bob@example.com>": "remind me in 5 minutes to mail bob@example.com",
		"remind me in 5 minutes to read <http://a.example/x|the doc> now":         "remind me in 5 minutes to read the doc (http://a.example/x) now",
		"schedule every day at 10 in <#C9|random>":                                "schedule every day at 10 in <#C9|random>",
		"stats <@U2>":                                      "stats <@U2>",
		"remind me in 5 minutes to tell <!here>":           "remind me in 5 minutes to tell <!here>",
		"a &lt;https://typed.example&gt; stays as written": "a <https://typed.example> stays as written",
	} {
		c := slashCommand{TeamID: "T1", ChannelID: "C1", UserID: "U1", Text: in}
		if got := c.message().Text; got != want {
			t.Errorf("slash %q = %q, want %q", in, got, want)
		}
		if got := stripMentions("<@UBOT> "+in, "UBOT", true); got != want {
			t.Errorf("mention %q = %q, want %q", in, got, want)
		}
	}
}

// plainLinks leaves no link markup behind and is stable.
func FuzzPlainLinks(f *testing.F) {
	f.Add("remind me at 3pm to join <https://zoom.us/j/123?pwd=a&amp;b=c>")
	f.Add("<http://a.example/x|the doc> <mailto:bob@example.com|bob@example.com>")
	f.Add("<https://x|<https://y>>")
	f.Add("<#C9|random> <@U2> <!here> &lt;https://typed&gt;")
	f.Fuzz(func(t *testing.T, s string) {
		got := plainLinks(s)
		if linkPattern.MatchString(got) {
			t.Errorf("plainLinks(%q) = %q still holds link markup", s, got)
		}
		if again := plainLinks(got); again != got {
			t.Errorf("plainLinks is not stable on %q: %q then %q", s, got, again)
		}
	})
}

// "/stretch" typed alone is the command `stretch`, a break, as on every
// other platform; only a bare mention of the bot gets the short greeting.
func TestBareSlashCommandIsStretch(t *testing.T) {
	for _, text := range []string{"", "  ", "\n"} {
		c := slashCommand{TeamID: "T1", ChannelID: "C1", UserID: "U1", Command: "/stretch", Text: text}
		if got := c.message().Text; got != "stretch" {
			t.Errorf("/stretch %q = %q, want stretch", text, got)
		}
	}
}
