package discord

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
)

// Discord's message limits (https://discord.com/developers/docs/resources/message).
const (
	maxContent      = 2000
	maxEmbedTitle   = 256
	maxEmbedDesc    = 4096
	maxFields       = 25
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxFooter       = 2048
	maxEmbedTotal   = 6000
	maxButtonLabel  = 80
	maxButtonsInRow = 5
	maxRows         = 5
	embedColor      = 0x2E8B57
)

// message is a rendered reply: what Discord's create-message, interaction
// response and webhook endpoints all accept.
type message struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
	Reference       *discordgo.MessageReference       `json:"message_reference,omitempty"`
}

// noPings stops replies from pinging @everyone, roles or users by accident:
// reminders mention channels, never people.
var noPings = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// render turns a reply into a Discord message. Replies with exercise cards
// become an embed (title, description = blocks, one field per card, footer =
// Note) and no content: Discord shows the embed, and notifications use its
// title, so repeating the title as content would show it twice. Other
// replies are plain content with the note as subtext. Everything is truncated politely to
// Discord's limits; render never fails.
func render(r bot.Reply) message {
	// Empty lists, not null: an update must clear old embeds and buttons.
	m := message{AllowedMentions: noPings, Components: buttons(r.Actions), Embeds: []*discordgo.MessageEmbed{}}
	if r.Visibility == bot.Private {
		m.Flags = discordgo.MessageFlagsEphemeral
	}
	if len(r.Cards) == 0 {
		m.Content = plainContent(r)
		return m
	}
	e := routineEmbed(r)
	m.Embeds = []*discordgo.MessageEmbed{e}
	if e.Title == "" && e.Description == "" {
		// Nothing for a notification to show but field names.
		m.Content = "Stretch break"
	}
	return m
}

// plainContent is title, blocks and note as Discord markdown.
func plainContent(r bot.Reply) string {
	var parts []string
	if r.Title != "" {
		parts = append(parts, "**"+escape(r.Title)+"**")
	}
	for _, b := range r.Blocks {
		parts = append(parts, escape(b))
	}
	note := ""
	if r.Note != "" {
		note = "-# " + escape(strings.Join(strings.Fields(r.Note), " "))
	}
	// The note carries the safety text: keep it whole and cut the body.
	room := maxContent
	if note != "" {
		room -= utf8.RuneCountInString(note) + 2
	}
	body := truncate(strings.Join(parts, "\n\n"), max(room, 0))
	switch {
	case body == "" && note == "":
		return "…"
	case note == "":
		return body
	case body == "":
		return truncate(note, maxContent)
	}
	return body + "\n\n" + note
}

func routineEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: embedColor}
	budget := maxEmbedTotal
	take := func(s string, limit int) string {
		s = truncate(s, min(limit, budget))
		budget -= utf8.RuneCountInString(s)
		return s
	}
	// The footer (safety note) is reserved first so it is never cut away.
	if r.Note != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: take(r.Note, maxFooter)}
	}
	e.Title = take(r.Title, maxEmbedTitle)
	var desc []string
	for _, b := range r.Blocks {
		desc = append(desc, escape(b))
	}
	e.Description = take(strings.Join(desc, "\n\n"), maxEmbedDesc)
	cards := r.Cards
	more := 0
	if len(cards) > maxFields {
		more = len(cards) - (maxFields - 1)
		cards = cards[:maxFields-1]
	}
	for i, c := range cards {
		name := strconv.Itoa(i+1) + ". " + c.Name
		if c.Duration != "" {
			name += " — " + c.Duration
		}
		value := cardValue(c)
		if budget < 40 {
			more += len(cards) - i
			break
		}
		f := &discordgo.MessageEmbedField{Name: take(name, maxFieldName)}
		f.Value = take(value, maxFieldValue)
		if f.Value == "" {
			f.Value = "…"
			budget--
		}
		e.Fields = append(e.Fields, f)
	}
	if more > 0 && budget > 30 {
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:  take("More", maxFieldName),
			Value: take(strconv.Itoa(more)+" more exercise(s) did not fit; ask for `exercises` to see them all.", maxFieldValue),
		})
	}
	return e
}

func cardValue(c bot.Card) string {
	var lines []string
	if c.Detail != "" {
		lines = append(lines, "*"+escape(c.Detail)+"*")
	}
	for i, s := range c.Steps {
		lines = append(lines, strconv.Itoa(i+1)+". "+escape(s))
	}
	if c.Caution != "" {
		lines = append(lines, "⚠️ "+escape(c.Caution))
	}
	if len(lines) == 0 {
		return "…"
	}
	return strings.Join(lines, "\n")
}

// buttons lays actions out as rows of up to five buttons. A button whose
// custom_id would exceed Discord's 100 characters is left out rather than
// sent with a value that would not round-trip.
func buttons(actions []bot.Action) []discordgo.MessageComponent {
	rows := []discordgo.MessageComponent{}
	var row discordgo.ActionsRow
	for _, a := range actions {
		id, ok := customID(a)
		if !ok {
			continue
		}
		style := discordgo.SecondaryButton
		switch a.Style {
		case "primary":
			style = discordgo.PrimaryButton
		case "danger":
			style = discordgo.DangerButton
		}
		label := truncate(a.Label, maxButtonLabel)
		if label == "" {
			label = string(a.ID)
		}
		row.Components = append(row.Components, discordgo.Button{Label: label, Style: style, CustomID: id})
		if len(row.Components) == maxButtonsInRow {
			rows = append(rows, row)
			row = discordgo.ActionsRow{}
		}
	}
	if len(row.Components) > 0 {
		rows = append(rows, row)
	}
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	return rows
}

// escape makes core text (plain text in which `…` marks a command the user
// can type) safe to show as Discord markdown. The rule, applied to the
// whole text whoever wrote its parts:
//
//   - Backtick code spans pass through untouched, so `pause #k3f9` shows as
//     inline code; their content is literal on Discord, so nothing inside
//     needs (or may get) an escape. An unpaired backtick is escaped.
//   - Outside code spans, \ * _ ~ | [ ] are backslash-escaped: bold,
//     italics, strikethrough, spoilers (which hide text) and masked links
//     (which hide a URL) show as typed.
//   - A line starting like a heading (#, -#), a quote (>) or a list bullet
//     is escaped so user text cannot restyle the layout.
//   - @everyone and @here get a zero-width space so they can never ping;
//     user and role mentions (<@…>, <@&…>) stay as text but are silenced
//     by allowed_mentions (noPings) on every message. Channel references
//     (<#123>) are left intact so they render as links.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		if c == '`' {
			if j := strings.IndexByte(s[i+1:], '`'); j >= 0 {
				b.WriteString(s[i : i+j+2])
				lineStart = false
				i += j + 2
				continue
			}
			b.WriteString("\\`")
			lineStart = false
			i++
			continue
		}
		if lineStart && blockMarkup(s[i:]) {
			b.WriteByte('\\')
		}
		switch c {
		case '\\', '*', '_', '~', '|', '[', ']':
			b.WriteByte('\\')
		case '@':
			if strings.HasPrefix(s[i:], "@everyone") || strings.HasPrefix(s[i:], "@here") {
				b.WriteString("@\u200b")
				lineStart = false
				i++
				continue
			}
		}
		b.WriteByte(c)
		lineStart = c == '\n'
		i++
	}
	return b.String()
}

// blockMarkup reports whether a line starting with s would be styled as a
// heading ("# ", "## ", "### ", "-# "), a quote ("> ", ">>> ") or a list
// item ("- ", "+ "). "#k3f9" is not: a heading needs the space.
func blockMarkup(s string) bool {
	switch {
	case strings.HasPrefix(s, "-# "), strings.HasPrefix(s, "- "), strings.HasPrefix(s, "+ "):
		return true
	case strings.HasPrefix(s, ">"):
		t := strings.TrimLeft(s, ">")
		n := len(s) - len(t)
		return (n == 1 || n == 3) && strings.HasPrefix(t, " ")
	case strings.HasPrefix(s, "#"):
		t := strings.TrimLeft(s, "#")
		return len(s)-len(t) <= 3 && strings.HasPrefix(t, " ")
	}
	return false
}

// truncate cuts s to at most n runes, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRightFunc(string(r[:n-1]), func(c rune) bool { return c == ' ' || c == '\n' }) + "…"
}

// plainText flattens a rendered message back to text (content and embeds),
// for logs and tests.
func plainText(m message) string {
	parts := []string{m.Content}
	for _, e := range m.Embeds {
		parts = append(parts, e.Title, e.Description)
		for _, f := range e.Fields {
			parts = append(parts, f.Name, f.Value)
		}
		if e.Footer != nil {
			parts = append(parts, e.Footer.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// statusMark starts the status line of a clicked message (a zero-width
// space, invisible), so the next status replaces it and nothing else.
const statusMark = "\u200b"

// statusMessage is a partial message edit that sets the status line: the
// clicked message's embeds and components are sent back unchanged (omitted
// when unknown, which also leaves them unchanged).
type statusMessage struct {
	Content         string                            `json:"content"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	Components      []discordgo.MessageComponent      `json:"components,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions,omitempty"`
}

// statusResponse is the type 7 answer carrying a statusMessage.
type statusResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data statusMessage                     `json:"data"`
}

// withStatus keeps the clicked message m (nil when Discord did not send it)
// and puts status in its content. A message with embeds shows the embed, so
// its content is the status line alone; a plain message keeps its text and
// gets the status line at the bottom, replacing any earlier one.
func withStatus(m *discordgo.Message, status string) statusMessage {
	line := statusMark + escape(strings.Join(strings.Fields(status), " "))
	out := statusMessage{AllowedMentions: noPings}
	body := ""
	if m != nil {
		out.Embeds, out.Components = m.Embeds, m.Components
		if len(m.Embeds) == 0 {
			body = m.Content
			if i := strings.Index(body, "\n\n"+statusMark); i >= 0 {
				body = body[:i]
			}
			if strings.HasPrefix(body, statusMark) {
				body = ""
			}
		}
	}
	if body == "" {
		out.Content = truncate(line, maxContent)
		return out
	}
	line = truncate(line, maxContent/2)
	out.Content = truncate(body, maxContent-utf8.RuneCountInString(line)-2) + "\n\n" + line
	return out
}
