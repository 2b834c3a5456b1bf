package slack

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/stretchbot/stretchbot/adapters/internal/chattext"
	"github.com/stretchbot/stretchbot/bot"
)

// eventEnvelope is an Events API body: the HTTP POST to /slack/events and
// the payload of a Socket Mode events_api envelope have the same shape.
type eventEnvelope struct {
	Type         string     `json:"type"`
	Challenge    string     `json:"challenge"`
	TeamID       string     `json:"team_id"`
	EnterpriseID string     `json:"enterprise_id"`
	EventID      string     `json:"event_id"`
	EventTime    int64      `json:"event_time"`
	Event        innerEvent `json:"event"`
	// Authorizations says whom the event is for; an organisation-wide
	// install is marked there.
	Authorizations []struct {
		EnterpriseID        string `json:"enterprise_id"`
		TeamID              string `json:"team_id"`
		IsEnterpriseInstall bool   `json:"is_enterprise_install"`
	} `json:"authorizations"`
}

// team is the workspace the event happened in.
func (env eventEnvelope) team() bot.TenantID {
	if env.TeamID != "" {
		return bot.TenantID(env.TeamID)
	}
	return bot.TenantID(env.Event.Team)
}

// orgWide reports an event for an organisation-wide installation.
func (env eventEnvelope) orgWide() bool {
	return len(env.Authorizations) > 0 && env.Authorizations[0].IsEnterpriseInstall
}

// innerEvent holds the fields of app_mention and message events we use.
type innerEvent struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
	Team        string `json:"team"`
	// Tab is "home" or "messages" (app_home_opened).
	Tab string `json:"tab"`
	// Tokens lists what tokens_revoked revoked: user ids under "oauth",
	// bot user ids under "bot".
	Tokens struct {
		Bot []string `json:"bot"`
	} `json:"tokens"`
}

// parseEvent decodes an Events API body.
func parseEvent(body []byte) (eventEnvelope, error) {
	var env eventEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return eventEnvelope{}, fmt.Errorf("slack: parse event: %w", err)
	}
	if env.Type == "" {
		return eventEnvelope{}, fmt.Errorf("slack: parse event: no type")
	}
	return env, nil
}

// eventMessage turns an event into a command for the core, or reports false
// when the bot must ignore it: anything but a mention or a direct message,
// edits and other subtypes, and messages from bots including itself.
func eventMessage(env eventEnvelope, botID string) (bot.Message, bool) {
	ev := env.Event
	if env.Type != "event_callback" {
		return bot.Message{}, false
	}
	dm := ev.ChannelType == "im"
	switch ev.Type {
	case "app_mention":
		// A mention in a DM also arrives as message.im; answer that one only.
		if dm || strings.HasPrefix(ev.Channel, "D") {
			return bot.Message{}, false
		}
	case "message":
		if !dm {
			return bot.Message{}, false
		}
	default:
		return bot.Message{}, false
	}
	if ev.Subtype != "" || ev.BotID != "" || ev.User == "" || ev.Channel == "" || (botID != "" && ev.User == botID) {
		return bot.Message{}, false
	}
	return bot.Message{
		Platform: bot.Slack,
		Tenant:   env.team(),
		Channel:  bot.ChannelID(ev.Channel),
		User:     bot.UserID(ev.User),
		Text:     stripMentions(ev.Text, botID, ev.Type == "app_mention"),
		DM:       dm,
		Thread:   ev.ThreadTS,
	}, true
}

// mentionPattern matches a user mention, <@U123> or <@U123|name>.
var mentionPattern = regexp.MustCompile(`<@([A-Z0-9]+)(\|[^>]*)?>`)

// stripMentions unescapes Slack's &amp; &lt; &gt;, normalizes the text and
// cuts it down to the command addressed to the bot (see
// chattext.AfterMention), given the bot's mentions: those of botID, or,
// when the bot id is unknown and the event is known to mention the bot,
// the first mention. Mentions of other people are kept.
func stripMentions(text, botID string, mentioned bool) string {
	text = chattext.Normalize(unescape(plainLinks(text)))
	var spans [][2]int
	for _, m := range mentionPattern.FindAllStringSubmatchIndex(text, -1) {
		if id := text[m[2]:m[3]]; id == botID || (botID == "" && mentioned && len(spans) == 0) {
			spans = append(spans, [2]int{m[0], m[1]})
		}
	}
	return chattext.AfterMention(text, spans)
}

// linkPattern matches a link in Slack's markup: <https://…>, <http://…> or
// <mailto:…>, with the text the user typed after a '|' when Slack adds it.
// A '<' the user typed arrives escaped as &lt;, so only Slack's own markup
// matches.
var linkPattern = regexp.MustCompile(`<((?:https?://|mailto:)[^|<>]*)(?:\|([^<>]*))?>`)

// plainLinks replaces each link in Slack's markup with what the user typed:
// the address, or its label when that is the address as typed
// ("example.com" for <http://example.com|example.com>), else the label and
// the address ("the doc (https://…)"). A note keeps a link Slack can make
// clickable again instead of markup that shows escaped. Run it before
// unescape, which turns a typed &lt; into a '<' this must not read.
func plainLinks(s string) string {
	if !strings.Contains(s, "<http") && !strings.Contains(s, "<mailto:") {
		return s
	}
	// Each pass takes away a '<' and adds none, so this ends; a second pass
	// is only for markup Slack never sends, a link inside another's label.
	for linkPattern.MatchString(s) {
		s = linkPattern.ReplaceAllStringFunc(s, plainLink)
	}
	return s
}

// plainLink is one link of plainLinks.
func plainLink(m string) string {
	sub := linkPattern.FindStringSubmatch(m)
	addr, label := sub[1], strings.TrimSpace(sub[2])
	bare := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(addr, "mailto:"), "https://"), "http://")
	switch {
	case label == "" || label == addr:
		return strings.TrimPrefix(addr, "mailto:")
	case label == bare || label == strings.TrimSuffix(bare, "/"):
		return label
	}
	return label + " (" + strings.TrimPrefix(addr, "mailto:") + ")"
}

// unescaper reverses Slack's three control-character escapes. A Replacer
// is safe for concurrent use, and building one costs more than most
// commands' text.
var unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// unescape reverses Slack's three control-character escapes.
func unescape(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return unescaper.Replace(s)
}

// slashCommand is a slash command invocation (form body over HTTP, JSON in
// Socket Mode).
type slashCommand struct {
	TeamID      string `json:"team_id"`
	ChannelID   string `json:"channel_id"`
	ChannelName string `json:"channel_name"`
	UserID      string `json:"user_id"`
	UserName    string `json:"user_name"`
	Command     string `json:"command"`
	Text        string `json:"text"`
	ResponseURL string `json:"response_url"`

	// EnterpriseID is the organisation of an Enterprise Grid workspace.
	EnterpriseID string `json:"enterprise_id"`
}

// parseSlashForm reads a slash command from its form-encoded body, and
// whether it is Slack's certificate probe (ssl_check=1), which carries no
// command to check.
func parseSlashForm(body []byte) (c slashCommand, sslCheck bool, err error) {
	c, sslCheck, err = readSlashForm(string(body))
	switch {
	case err != nil:
		return slashCommand{}, false, fmt.Errorf("slack: parse slash command: %w", err)
	case sslCheck:
		return c, true, nil
	}
	return c, false, c.check()
}

// readSlashForm reads the fields of a slash command's form-encoded body
// that the adapter uses, and whether it is Slack's certificate probe
// (ssl_check=1), as url.ParseQuery and Get would: the first value of each
// field, names and values unescaped, and an error when any pair is
// malformed. It builds no map of the dozen fields Slack sends, and a value
// with nothing escaped is a substring of body.
func readSlashForm(body string) (c slashCommand, sslCheck bool, err error) {
	var set uint16 // the fields given a value: the first one counts
	for body != "" {
		var pair string
		pair, body, _ = strings.Cut(body, "&")
		if strings.Contains(pair, ";") {
			err = errors.New("invalid semicolon separator in query")
			continue
		}
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, kerr := url.QueryUnescape(k)
		if kerr != nil {
			err = cmp.Or(err, kerr)
			continue
		}
		var field *string
		var bit uint16
		switch k {
		case "team_id":
			field, bit = &c.TeamID, 1<<0
		case "enterprise_id":
			field, bit = &c.EnterpriseID, 1<<1
		case "channel_id":
			field, bit = &c.ChannelID, 1<<2
		case "channel_name":
			field, bit = &c.ChannelName, 1<<3
		case "user_id":
			field, bit = &c.UserID, 1<<4
		case "user_name":
			field, bit = &c.UserName, 1<<5
		case "command":
			field, bit = &c.Command, 1<<6
		case "text":
			field, bit = &c.Text, 1<<7
		case "response_url":
			field, bit = &c.ResponseURL, 1<<8
		case "ssl_check":
			bit = 1 << 9
		}
		if bit == 0 || set&bit != 0 {
			// Not read, or not the first value; still checked, as the
			// whole form is.
			if _, verr := url.QueryUnescape(v); verr != nil {
				err = cmp.Or(err, verr)
			}
			continue
		}
		v, verr := url.QueryUnescape(v)
		if verr != nil {
			err = cmp.Or(err, verr)
			continue
		}
		set |= bit
		if field != nil {
			*field = v
		} else {
			sslCheck = v == "1"
		}
	}
	return c, sslCheck, err
}

// parseSlashJSON reads a slash command from a Socket Mode payload.
func parseSlashJSON(body []byte) (slashCommand, error) {
	var c slashCommand
	if err := json.Unmarshal(body, &c); err != nil {
		return slashCommand{}, fmt.Errorf("slack: parse slash command: %w", err)
	}
	return c, c.check()
}

func (c slashCommand) check() error {
	if c.TeamID == "" || c.UserID == "" || c.ChannelID == "" {
		return fmt.Errorf("slack: parse slash command: team_id, user_id and channel_id are required")
	}
	return nil
}

// message converts the command to the core's form. The slash command name
// itself is not part of Text.
func (c slashCommand) message() bot.Message {
	m := bot.Message{
		Platform: bot.Slack,
		Tenant:   bot.TenantID(c.TeamID),
		Channel:  bot.ChannelID(c.ChannelID),
		User:     bot.UserID(c.UserID),
		UserName: c.UserName,
		Text:     chattext.Normalize(unescape(plainLinks(strings.TrimSpace(c.Text)))),
		DM:       c.ChannelName == "directmessage" || strings.HasPrefix(c.ChannelID, "D"),
	}
	if m.Text == "" {
		// "/stretch" typed alone: the command word is the slash command
		// itself, which is a break (as `stretch` is anywhere), not the
		// greeting a bare mention gets.
		m.Text = "stretch"
	}
	if c.ChannelName != "directmessage" && c.ChannelName != "privategroup" {
		m.ChannelName = c.ChannelName
	}
	return m
}

// interaction is a block_actions payload (the "payload" form field, or a
// Socket Mode interactive envelope).
type interaction struct {
	Type string `json:"type"`
	Team struct {
		ID string `json:"id"`
	} `json:"team"`
	Enterprise *struct {
		ID string `json:"id"`
	} `json:"enterprise"`
	User struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Name     string `json:"name"`
		TeamID   string `json:"team_id"`
	} `json:"user"`
	Channel struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"channel"`
	Container struct {
		// Type is "message", or "view" for a press on the home page.
		Type        string `json:"type"`
		MessageTS   string `json:"message_ts"`
		ChannelID   string `json:"channel_id"`
		ThreadTS    string `json:"thread_ts"`
		IsEphemeral bool   `json:"is_ephemeral"`
	} `json:"container"`
	Message *struct {
		TS       string            `json:"ts"`
		ThreadTS string            `json:"thread_ts"`
		Text     string            `json:"text"`
		Blocks   []json.RawMessage `json:"blocks"`
	} `json:"message"`
	ResponseURL string `json:"response_url"`
	Actions     []struct {
		ActionID string `json:"action_id"`
		BlockID  string `json:"block_id"`
		Value    string `json:"value"`
	} `json:"actions"`
}

// parseInteraction decodes an interaction payload.
func parseInteraction(payload []byte) (interaction, error) {
	var in interaction
	if err := json.Unmarshal(payload, &in); err != nil {
		return interaction{}, fmt.Errorf("slack: parse interaction: %w", err)
	}
	if in.Type == "" {
		return interaction{}, fmt.Errorf("slack: parse interaction: no type")
	}
	return in, nil
}

// team is the workspace of the presser.
func (in interaction) team() bot.TenantID {
	if in.Team.ID != "" {
		return bot.TenantID(in.Team.ID)
	}
	return bot.TenantID(in.User.TeamID)
}

// enterprise is the presser's organisation, if any.
func (in interaction) enterprise() string {
	if in.Enterprise == nil {
		return ""
	}
	return in.Enterprise.ID
}

// fromHome reports a press on the home page, which has no channel to
// answer in.
func (in interaction) fromHome() bool { return in.Container.Type == "view" }

// channel is where the clicked message lives.
func (in interaction) channel() string {
	if in.Channel.ID != "" {
		return in.Channel.ID
	}
	return in.Container.ChannelID
}

// messageTS is the clicked message's timestamp (its id).
func (in interaction) messageTS() string {
	if in.Container.MessageTS != "" {
		return in.Container.MessageTS
	}
	if in.Message != nil {
		return in.Message.TS
	}
	return ""
}

// actionEvents turns each pressed button into an event for the core.
func (in interaction) actionEvents() []bot.ActionEvent {
	if in.Type != "block_actions" {
		return nil
	}
	name := in.User.Username
	if name == "" {
		name = in.User.Name
	}
	thread := in.Container.ThreadTS
	if thread == "" && in.Message != nil {
		thread = in.Message.ThreadTS
	}
	ch := in.channel()
	base := bot.Message{
		Platform: bot.Slack,
		Tenant:   in.team(),
		Channel:  bot.ChannelID(ch),
		User:     bot.UserID(in.User.ID),
		UserName: name,
		DM:       strings.HasPrefix(ch, "D"),
		Thread:   thread,
	}
	if in.Channel.Name != "directmessage" && in.Channel.Name != "privategroup" {
		base.ChannelName = in.Channel.Name
	}
	var out []bot.ActionEvent
	for _, act := range in.Actions {
		if act.ActionID == "" {
			continue
		}
		out = append(out, bot.ActionEvent{
			Message:    base,
			ID:         parseActionID(act.ActionID),
			Value:      act.Value,
			MessageRef: in.messageTS(),
		})
	}
	return out
}

// actionIDFor is the Slack action_id of the i-th button. Slack needs ids
// unique within a block, so a "#<i>" suffix is added when the id repeats or
// itself contains '#' (so parseActionID can always strip it).
func actionIDFor(actions []bot.Action, i int) string {
	id := string(actions[i].ID)
	dup := strings.Contains(id, "#")
	for j, o := range actions {
		if j != i && o.ID == actions[i].ID {
			dup = true
		}
	}
	if dup {
		return fmt.Sprintf("%s#%d", id, i)
	}
	return id
}

// parseActionID recovers the core's ActionID from a Slack action_id.
func parseActionID(s string) bot.ActionID {
	// i > 0: actionIDFor never writes a suffix alone, and stripping it
	// from "#0" would leave an event without an id.
	if i := strings.LastIndexByte(s, '#'); i > 0 {
		tail := s[i+1:]
		digits := tail != ""
		for _, r := range tail {
			if r < '0' || r > '9' {
				digits = false
			}
		}
		if digits {
			return bot.ActionID(s[:i])
		}
	}
	return bot.ActionID(s)
}
