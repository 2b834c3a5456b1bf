package discord

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/chunk"
	"github.com/stretchbot/stretchbot/bot"
)

// Discord's message limits (https://discord.com/developers/docs/resources/message).
const (
	maxContent      = 2000
	maxEmbeds       = 10
	maxEmbedTitle   = 256
	maxEmbedDesc    = 4096
	maxFields       = 25
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxFooter       = 2048
	maxEmbedTotal   = 6000 // all embeds of a message together
	maxButtonLabel  = 80
	maxButtonsInRow = 5
	maxRows         = 5
	maxCustomID     = 100
	maxOptions      = 25  // options in a select menu
	maxOptionText   = 100 // an option's label, value or description
	maxPlaceholder  = 150
	embedColor      = 0x2E8B57
	// continued names a field that goes on with the field before it: a
	// zero-width space, as a field needs a name.
	continued = "\u200b"
	// shortenedNotice ends a message cut to fit, which only input far
	// beyond anything the core writes needs.
	shortenedNotice = "(Shortened to fit Discord's limits.)"
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
	// Nonce, enforced, makes Discord answer a post repeated within a few
	// minutes with the message the first one created (see nonceOf).
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// noPings stops replies from pinging @everyone, roles or users by accident:
// reminders mention channels, never people.
var noPings = &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}

// render turns a reply into a Discord message within Discord's limits,
// leaving nothing out. Replies without cards are plain content with the
// note as subtext, or, when longer than content may be, embeds. Replies with
// exercise cards are an embed (title, description = blocks, footer = note)
// and no content: Discord shows the embed, and notifications use its
// title. Its fields are the cards in full, unless the reply is Compact or
// full cards would not fit: then one field per stage lists its exercises a
// line each, and select menus above the buttons show any exercise's steps
// privately. render never fails; only input far beyond anything the core
// writes is cut, with a notice.
func render(r bot.Reply) message {
	// Empty lists, not null: an update must clear old embeds and buttons.
	m := message{AllowedMentions: noPings, Components: buttons(r.Actions), Embeds: []*discordgo.MessageEmbed{}}
	if r.Visibility == bot.Private {
		m.Flags = discordgo.MessageFlagsEphemeral
	}
	switch {
	case len(r.Cards) == 0:
		if c, ok := plainContent(r); ok {
			m.Content = c
		} else {
			m.Embeds = textEmbeds(r)
		}
		return m
	case !r.Compact:
		if e := cardsEmbed(r, fullFields(r.Cards)); fits([]*discordgo.MessageEmbed{e}) {
			m.Embeds = []*discordgo.MessageEmbed{e}
			break
		}
		fallthrough
	default:
		menus, covered := stepsMenus(r.Cards, maxRows-len(m.Components))
		m.Components = append(menus, m.Components...)
		m.Embeds = []*discordgo.MessageEmbed{squeeze(cardsEmbed(r, compactFields(r.Cards, covered)))}
	}
	if e := m.Embeds[0]; e.Title == "" && e.Description == "" {
		// Nothing for a notification to show but field names.
		m.Content = "Stretch break"
	}
	return m
}

// plainContent is title, blocks and note as Discord markdown; ok is false
// when that is longer than a message's content may be.
func plainContent(r bot.Reply) (string, bool) {
	var parts []string
	if r.Title != "" {
		parts = append(parts, "**"+escape(r.Title)+"**")
	}
	for _, b := range r.Blocks {
		parts = append(parts, escape(b))
	}
	if r.Note != "" {
		parts = append(parts, "-# "+escape(strings.Join(strings.Fields(r.Note), " ")))
	}
	c := strings.Join(parts, "\n\n")
	if c == "" {
		c = "…"
	}
	return c, utf8.RuneCountInString(c) <= maxContent
}

// textEmbeds shows a reply without cards that is too long for content:
// the blocks fill embed descriptions one after another, the note is the
// footer of the last.
func textEmbeds(r bot.Reply) []*discordgo.MessageEmbed {
	var desc []string
	title := r.Title
	if utf8.RuneCountInString(title) > maxEmbedTitle {
		desc, title = append(desc, "**"+escape(title)+"**"), ""
	}
	for _, b := range r.Blocks {
		desc = append(desc, escape(b))
	}
	var out []*discordgo.MessageEmbed
	for _, d := range splitText(strings.Join(desc, "\n\n"), maxEmbedDesc) {
		out = append(out, &discordgo.MessageEmbed{Color: embedColor, Description: d})
	}
	if len(out) == 0 {
		out = append(out, &discordgo.MessageEmbed{Color: embedColor})
	}
	out[0].Title = title
	setFooter(out[len(out)-1], r.Note)
	if fits(out) {
		return out
	}
	// Far beyond anything the core writes: one embed, cut, saying so.
	e := out[0]
	e.Description = truncate(strings.Join(desc, "\n\n"), maxEmbedDesc-utf8.RuneCountInString(shortenedNotice)-2) + "\n\n" + shortenedNotice
	setFooter(e, r.Note)
	return []*discordgo.MessageEmbed{squeeze(e)}
}

// setFooter puts the note in e's footer, or at the end of its
// description when it is too long for a footer.
func setFooter(e *discordgo.MessageEmbed, note string) {
	e.Footer = nil
	switch {
	case note == "":
	case utf8.RuneCountInString(note) <= maxFooter:
		e.Footer = &discordgo.MessageEmbedFooter{Text: note}
	default:
		e.Description += "\n\n-# " + escape(note)
	}
}

// cardsEmbed is the embed of a reply with cards: title, blocks as the
// description, fields, and the note as the footer.
func cardsEmbed(r bot.Reply, fields []*discordgo.MessageEmbedField) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Color: embedColor, Title: r.Title, Fields: fields}
	var desc []string
	if utf8.RuneCountInString(e.Title) > maxEmbedTitle {
		desc, e.Title = append(desc, "**"+escape(r.Title)+"**"), ""
	}
	for _, b := range r.Blocks {
		desc = append(desc, escape(b))
	}
	e.Description = strings.Join(desc, "\n\n")
	setFooter(e, r.Note)
	return e
}

// fullFields are the cards in full, a field each ("1. Name — time · dose"
// over the stage, detail, steps and caution); a card too long for one
// field goes on in the next.
func fullFields(cards []bot.Card) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for i, c := range cards {
		name := strconv.Itoa(i+1) + ". " + c.Name
		if c.Duration != "" {
			name += " — " + c.Duration
		}
		out = append(out, fields(name, cardValue(c))...)
	}
	return out
}

// compactFields list the cards a line each, one field per stage. Cards
// past the first covered (those without a place in the Steps menus) say
// how to see their steps.
func compactFields(cards []bot.Card, covered int) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for start := 0; start < len(cards); {
		stage := cards[start].Category
		end := start
		var lines []string
		for ; end < len(cards) && cards[end].Category == stage; end++ {
			c := cards[end]
			line := "**" + strconv.Itoa(end+1) + ".** " + escape(c.Name)
			if c.Duration != "" {
				line += " — " + escape(c.Duration)
			}
			lines = append(lines, line)
		}
		if stage == "" {
			stage = "Exercises"
		}
		out = append(out, fields(stage, strings.Join(lines, "\n"))...)
		start = end
	}
	if len(cards) > covered {
		out = append(out, fields("Steps", fmt.Sprintf("Say `exercise <name>` for the steps of exercises %d to %d.", covered+1, len(cards)))...)
	}
	return out
}

// fields is a field named name holding value, continued in further fields
// when value is longer than one may be.
func fields(name, value string) []*discordgo.MessageEmbedField {
	var out []*discordgo.MessageEmbedField
	for i, v := range splitText(value, maxFieldValue) {
		f := &discordgo.MessageEmbedField{Name: name, Value: v}
		if i > 0 {
			f.Name = continued
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, &discordgo.MessageEmbedField{Name: name, Value: "…"})
	}
	return out
}

// splitText cuts escaped text into pieces of at most n characters, at line
// breaks where it can, never between a backslash and what it escapes.
func splitText(s string, n int) []string {
	return chunk.Split(s, n, func(r []rune, at int) int {
		if r[at-1] == '\\' {
			return at - 1
		}
		return at
	})
}

// fits reports whether embeds keep every embed limit of one message.
func fits(embeds []*discordgo.MessageEmbed) bool {
	total := 0
	for _, e := range embeds {
		total += embedSize(e)
		if utf8.RuneCountInString(e.Title) > maxEmbedTitle || utf8.RuneCountInString(e.Description) > maxEmbedDesc || len(e.Fields) > maxFields {
			return false
		}
		if e.Footer != nil && utf8.RuneCountInString(e.Footer.Text) > maxFooter {
			return false
		}
		for _, f := range e.Fields {
			if n := utf8.RuneCountInString(f.Name); n == 0 || n > maxFieldName {
				return false
			}
			if n := utf8.RuneCountInString(f.Value); n == 0 || n > maxFieldValue {
				return false
			}
		}
	}
	return len(embeds) <= maxEmbeds && total <= maxEmbedTotal
}

// embedSize is what an embed counts toward the 6000 characters of a message.
func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	if e.Author != nil {
		n += utf8.RuneCountInString(e.Author.Name)
	}
	return n
}

// squeeze returns e if it fits; otherwise, for input far beyond anything
// the core writes, it cuts every part to its limit and drops the last
// fields until the embed fits, and says so in a last field. The footer
// (the safety note) is kept.
func squeeze(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	if fits([]*discordgo.MessageEmbed{e}) {
		return e
	}
	e.Title = truncate(e.Title, maxEmbedTitle)
	e.Description = truncate(e.Description, maxEmbedDesc)
	if e.Footer != nil {
		e.Footer.Text = truncate(e.Footer.Text, maxFooter)
	}
	for _, f := range e.Fields {
		f.Name, f.Value = truncate(f.Name, maxFieldName), truncate(f.Value, maxFieldValue)
	}
	notice := &discordgo.MessageEmbedField{Name: "…", Value: shortenedNotice}
	if len(e.Fields) >= maxFields {
		e.Fields = e.Fields[:maxFields-1]
	}
	e.Fields = append(e.Fields, notice)
	for !fits([]*discordgo.MessageEmbed{e}) && len(e.Fields) > 1 {
		e.Fields = append(e.Fields[:len(e.Fields)-2], notice)
	}
	if !fits([]*discordgo.MessageEmbed{e}) {
		room := maxEmbedTotal - embedSize(e) + utf8.RuneCountInString(e.Description)
		e.Description = truncate(e.Description, max(room, 0))
	}
	return e
}

// cardValue is a card in full: stage and detail in italics, the numbered
// steps and the caution, a line each.
func cardValue(c bot.Card) string {
	var b strings.Builder
	n := len(c.Category) + len(c.Detail) + len(c.Caution) + 16
	for _, s := range c.Steps {
		n += len(s) + 6
	}
	b.Grow(n)
	line := func() {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
	}
	switch {
	case c.Category != "" && c.Detail != "":
		b.WriteString("*" + escape(c.Category+" · "+c.Detail) + "*")
	case c.Category != "" || c.Detail != "":
		b.WriteString("*" + escape(c.Category+c.Detail) + "*")
	}
	for i, s := range c.Steps {
		line()
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(escape(s))
	}
	if c.Caution != "" {
		line()
		b.WriteString("⚠️ ")
		b.WriteString(escape(c.Caution))
	}
	if b.Len() == 0 {
		return "…"
	}
	return b.String()
}

// stepsMenus are the cards' Steps controls as select menus of up to 25
// exercises, at most rows of them; choosing an exercise shows its steps
// privately. Each menu's custom_id is "steps:<n>"; the chosen option's
// value is the action's value. covered is how many cards, from the first,
// the menus offer.
func stepsMenus(cards []bot.Card, rows int) (menus []discordgo.MessageComponent, covered int) {
	for start := 0; start < len(cards) && len(menus) < rows; start += maxOptions {
		page := cards[start:min(start+maxOptions, len(cards))]
		var opts []discordgo.SelectMenuOption
		for i, c := range page {
			if a, ok := c.StepsAction(); ok && len(a.Value) <= maxOptionText {
				opts = append(opts, discordgo.SelectMenuOption{
					Label: truncate(strconv.Itoa(start+i+1)+". "+c.Name, maxOptionText), Value: a.Value,
					Description: truncate(c.Duration, maxOptionText),
				})
			}
		}
		covered = start + len(page)
		if len(opts) == 0 {
			continue
		}
		hint := "Steps of an exercise…"
		if len(cards) > maxOptions {
			hint = fmt.Sprintf("Steps of exercises %d to %d…", start+1, covered)
		}
		menus = append(menus, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: string(bot.ActionSteps) + ":" + strconv.Itoa(len(menus)),
			Placeholder: truncate(hint, maxPlaceholder), Options: opts,
		}}})
	}
	return menus, covered
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
	if plain(s) {
		return s
	}
	return escapeAll(s)
}

// escapeAll is escape without the shortcut for plain text.
func escapeAll(s string) string {
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

// plain reports whether escape would leave s as it is: no character it
// escapes, and no line starting like a heading, a quote or a list item.
// Most of what the core writes is plain.
func plain(s string) bool {
	if strings.ContainsAny(s, "`\\*_~|[]@") {
		return false
	}
	for {
		if blockMarkup(s) {
			return false
		}
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return true
		}
		s = s[i+1:]
	}
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
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
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
