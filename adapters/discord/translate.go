package discord

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/chattext"
	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// Permission bits that make a guild member a stretchbot admin.
const (
	permAdministrator = 1 << 3
	permManageGuild   = 1 << 5
)

// option is the part of an interaction option translate needs; it lets the
// table tests build options without the SDK.
type option struct {
	Name  string
	Value any
}

// commandText turns the `stretch` subcommand and its options into the core's
// text command, as the core's table says to write it. It is pure: every
// subcommand is table-tested.
func commandText(sub string, opts []option) (string, error) {
	c, ok := subcommands[sub]
	if !ok {
		return "", bot.Invalid("/stretch help", "I don't know the subcommand %s.", quote.Text(sub))
	}
	text, err := c.Text(func(name string) string {
		for _, o := range opts {
			if o.Name == name {
				return optionString(o.Value)
			}
		}
		return ""
	})
	if err != nil {
		// The same reason, with an example the user can type here.
		return "", bot.Invalid(slashExample(c), "%s", bot.ErrorMessage(err))
	}
	return chattext.Normalize(text), nil
}

// optionString formats an option value as a user would have typed it.
// Integers arrive from JSON as float64.
func optionString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return fmt.Sprint(x)
	}
}

// subcommand extracts the subcommand name and its options from a `stretch`
// command interaction.
func subcommand(d discordgo.ApplicationCommandInteractionData) (string, []option, error) {
	if d.Name != commandName {
		return "", nil, bot.Invalid("/stretch help", "I only know the /stretch command.")
	}
	if len(d.Options) == 0 || d.Options[0] == nil {
		return "help", nil, nil
	}
	sub := d.Options[0]
	opts := make([]option, 0, len(sub.Options))
	for _, o := range sub.Options {
		if o != nil {
			opts = append(opts, option{Name: o.Name, Value: o.Value})
		}
	}
	return sub.Name, opts, nil
}

// focusedOption returns the value being typed in an autocomplete request.
func focusedOption(d discordgo.ApplicationCommandInteractionData) (sub, name, value string) {
	for _, s := range d.Options {
		if s == nil {
			continue
		}
		for _, o := range s.Options {
			if o != nil && o.Focused {
				return s.Name, o.Name, optionString(o.Value)
			}
		}
	}
	return "", "", ""
}

// matchZones returns up to limit zone names for what was typed in the zone
// field: the zone `timezone` would read it as first, then the IANA names
// matching it (matchZoneNames).
func matchZones(q string, limit int) []string {
	if strings.TrimSpace(q) == "" {
		// Nothing typed yet: zones people use, rather than the first in
		// alphabetical order, which are all in Africa.
		return commonZones[:min(limit, len(commonZones))]
	}
	var first string
	if m, err := zones.Lookup(q); err == nil {
		// What `timezone` reads the words as comes first: "pst" is
		// America/Los_Angeles, "japan" Asia/Tokyo.
		first = m.Name
	}
	out := matchZoneNames(q, limit)
	if first == "" || (len(out) > 0 && out[0] == first) {
		return out
	}
	out = slices.DeleteFunc(out, func(z string) bool { return z == first })
	return append([]string{first}, out[:min(len(out), limit-1)]...)
}

// commonZones are offered before anything is typed: UTC, then from west
// to east the zones most people live in.
var commonZones = []string{
	"UTC", "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Sao_Paulo",
	"Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Warsaw",
	"Africa/Lagos", "Africa/Johannesburg", "Africa/Cairo", "Europe/Istanbul", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
}

// matchZoneNames returns up to limit zone names matching q,
// case-insensitively: prefix matches of the full name or of the city part
// first, then substring matches. Spaces match underscores ("new york").
func matchZoneNames(q string, limit int) []string {
	q = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(q), " ", "_"))
	type hit struct {
		rank int
		name string
	}
	var hits []hit
	for _, z := range zones.Names {
		l := strings.ToLower(z)
		city := l[strings.LastIndex(l, "/")+1:]
		switch {
		case q == "" || strings.HasPrefix(l, q):
			hits = append(hits, hit{0, z})
		case strings.HasPrefix(city, q):
			hits = append(hits, hit{1, z})
		case strings.Contains(l, q):
			hits = append(hits, hit{2, z})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].rank < hits[j].rank })
	out := make([]string, 0, limit)
	for _, h := range hits {
		if len(out) == limit {
			break
		}
		out = append(out, h.name)
	}
	return out
}

// interactionMessage is who invoked an interaction and where, with Text left
// for the caller to fill.
func interactionMessage(in *discordgo.Interaction) bot.Message {
	m := bot.Message{
		Platform: bot.Discord,
		Channel:  bot.ChannelID(in.ChannelID),
		DM:       in.GuildID == "",
	}
	if in.Member != nil {
		m.Admin = in.Member.Permissions&(permAdministrator|permManageGuild) != 0
	}
	switch {
	case in.Member != nil && in.Member.User != nil:
		m.User = bot.UserID(in.Member.User.ID)
		m.UserName = displayName(in.Member.User, in.Member.Nick)
	case in.User != nil:
		m.User = bot.UserID(in.User.ID)
		m.UserName = displayName(in.User, "")
	}
	m.Tenant = tenant(in.GuildID, string(m.User))
	return m
}

// invoker is the id of the user who invoked in, "" when it names none.
func invoker(in *discordgo.Interaction) string {
	switch {
	case in.Member != nil && in.Member.User != nil:
		return in.Member.User.ID
	case in.User != nil:
		return in.User.ID
	}
	return ""
}

// tenant is the guild, or the user's own id in DMs, so servers never share data.
func tenant(guildID, userID string) bot.TenantID {
	if guildID != "" {
		return bot.TenantID(guildID)
	}
	return bot.TenantID(userID)
}

func displayName(u *discordgo.User, nick string) string {
	switch {
	case nick != "":
		return nick
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// parseCustomID splits a component's custom_id "<actionID>:<value>",
// leaving out the delivery mark a delivery's first component may end
// with (see markSuffix); a custom_id without one parses as it always did.
func parseCustomID(id string) (bot.ActionID, string, bool) {
	id, _ = cutMark(id)
	a, v, ok := strings.Cut(id, ":")
	if !ok || a == "" {
		return "", "", false
	}
	return bot.ActionID(a), v, true
}

// markSep starts the delivery mark at the end of a custom_id: "#" and
// markDigits lowercase hex digits (the key's unsure.Digest: a custom_id is
// readable by every client, so not the key itself).
const (
	markSep    = "#"
	markDigits = unsure.DigestLen
)

// cutMark splits a custom_id into what it was built from and the delivery
// mark at its end ("" when it has none).
func cutMark(id string) (rest, mark string) {
	n := len(id) - len(markSep) - markDigits
	if n < 0 || id[n:n+len(markSep)] != markSep || !isMark(id[n+len(markSep):]) {
		return id, ""
	}
	return id[:n], id[n+len(markSep):]
}

// isMark reports whether s is a delivery mark: markDigits lowercase hex.
func isMark(s string) bool {
	if len(s) != markDigits {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// componentAction is the core action a component interaction stands for:
// a button's custom_id "<action>:<value>", or a select menu's
// "<action>:<menu>" with the chosen option's value as the value.
func componentAction(d discordgo.MessageComponentInteractionData) (bot.ActionID, string, bool) {
	id, value, ok := parseCustomID(d.CustomID)
	if ok && len(d.Values) > 0 {
		value = d.Values[0]
	}
	return id, value, ok
}

// customID builds a button's custom_id; ok is false when Discord's
// 100-character limit would cut the value (it must round-trip unchanged).
// A value that itself ends like a delivery mark is refused too: it would
// come back without its end.
func customID(a bot.Action) (string, bool) {
	id := string(a.ID) + ":" + a.Value
	_, mark := cutMark(id)
	return id, a.ID != "" && len(id) <= maxCustomID && mark == ""
}

// gatewayMessage translates a gateway message into a command for the core.
// It reports false when the message is not for the bot: its own messages,
// other bots', and guild messages that do not mention it. The mention is
// stripped from Text. threadParent is the parent channel id when the message
// was posted in a thread ("" otherwise).
func gatewayMessage(m *discordgo.Message, selfID, threadParent string) (bot.Message, bool) {
	if m == nil || m.Author == nil || selfID == "" {
		return bot.Message{}, false
	}
	if m.Author.ID == selfID || m.Author.Bot || m.Author.System {
		return bot.Message{}, false
	}
	dm := m.GuildID == ""
	text, mentioned := stripMention(m.Content, selfID)
	if !mentioned {
		for _, u := range m.Mentions {
			if u != nil && u.ID == selfID {
				mentioned = true
			}
		}
	}
	if !dm && !mentioned {
		return bot.Message{}, false
	}
	msg := bot.Message{
		Platform: bot.Discord,
		Tenant:   tenant(m.GuildID, m.Author.ID),
		Channel:  bot.ChannelID(m.ChannelID),
		User:     bot.UserID(m.Author.ID),
		UserName: displayName(m.Author, ""),
		Text:     text,
		DM:       dm,
	}
	if m.Member != nil {
		if m.Member.Nick != "" {
			msg.UserName = m.Member.Nick
		}
		// Gateway messages carry no computed permissions; only trust them
		// if Discord filled them in.
		msg.Admin = m.Member.Permissions&(permAdministrator|permManageGuild) != 0
	}
	if threadParent != "" {
		// Threads are channels in Discord: replies and "schedule here" go to
		// the thread itself, which is also the thread id.
		msg.Thread = m.ChannelID
	}
	return msg, true
}

// stripMention cuts content down to the command addressed to the bot
// (see chattext.AfterMention), normalized, and reports whether the bot was
// mentioned as <@ID> or <@!ID>.
func stripMention(content, selfID string) (string, bool) {
	content = chattext.Normalize(content)
	tags := []string{"<@" + selfID + ">", "<@!" + selfID + ">"}
	var spans [][2]int
	for i := 0; i < len(content); i++ {
		for _, tag := range tags {
			if strings.HasPrefix(content[i:], tag) {
				spans = append(spans, [2]int{i, i + len(tag)})
				i += len(tag) - 1
				break
			}
		}
	}
	return chattext.AfterMention(content, spans), len(spans) > 0
}
