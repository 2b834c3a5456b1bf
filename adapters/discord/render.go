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
// Note) with the title as content for notifications; other replies are plain
// content with the note as subtext. Everything is truncated politely to
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
	m.Content = truncate(fallbackTitle(r), maxContent)
	m.Embeds = []*discordgo.MessageEmbed{routineEmbed(r)}
	return m
}

func fallbackTitle(r bot.Reply) string {
	if r.Title != "" {
		return "**" + escape(r.Title) + "**"
	}
	if len(r.Blocks) > 0 {
		return escape(r.Blocks[0])
	}
	return "Stretch break"
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

// escape neutralises Discord markdown in plain text so that user-supplied
// words show as typed. Channel references (<#123>) are left intact.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '~', '`', '|':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
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
