package slack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/chunk"
	"github.com/stretchbot/stretchbot/bot"
)

// Block Kit limits (https://api.slack.com/reference/block-kit).
const (
	maxBlocks      = 50
	maxHeaderLen   = 150
	maxSectionLen  = 3000
	maxContextLen  = 2000
	maxButtonLen   = 75
	maxButtonValue = 2000
	maxButtons     = 25
	// maxFallbackLen is chat.postMessage's limit for text; the fallback is
	// what notifications and clients without Block Kit show.
	maxFallbackLen  = 40000
	statusBlockID   = "stretchbot_status"
	actionsBlockID  = "stretchbot_actions"
	stepsBlockID    = "stretchbot_steps"
	shortenedNotice = "_(This message was shortened to fit Slack's limits.)_"
)

// message is a rendered reply: the plain-text fallback and the blocks.
type message struct {
	Text   string
	Blocks []slack.Block
}

// render turns a core reply into Block Kit within Slack's limits, leaving
// nothing out: text too long for a section goes on in the next one, and
// when there would be more blocks than a message holds, neighbouring
// sections are joined. Cards are shown in full unless the reply is Compact
// or full cards would not fit: then one line each, with a Steps button
// that shows the card privately. One block always stays free for the
// status line that button presses add. render never fails; only input far
// beyond anything the core writes is cut, with a notice.
func render(r bot.Reply) message {
	var head []slack.Block
	var body []string // escaped mrkdwn, each at most one section long
	if t := strings.TrimSpace(r.Title); utf8.RuneCountInString(t) > maxHeaderLen {
		body = append(body, splitSection("*"+escape(t)+"*")...)
	} else if t != "" {
		head = append(head, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, t, false, false)))
	}
	for _, p := range r.Blocks {
		if strings.TrimSpace(p) != "" {
			body = append(body, splitSection(escape(p))...)
		}
	}
	tail := noteBlocks(r.Note)
	tail = append(tail, buttonRows(r.Actions, actionsBlockID)...)
	if len(tail) > maxBlocks/2 {
		// Only absurd input has a note or buttons this long.
		tail = append(tail[:maxBlocks/2-1], section(shortenedNotice))
	}
	room := maxBlocks - 1 - len(head) - len(tail)

	if !r.Compact || len(r.Cards) == 0 {
		texts := slices.Clone(body)
		for _, c := range r.Cards {
			texts = append(texts, splitSection(cardText(c))...)
		}
		if blocks, ok := sections(texts, room); ok {
			return message{Text: fallback(r), Blocks: concat(head, blocks, tail)}
		}
	}
	if len(r.Cards) > 0 {
		if blocks, ok := compactCards(body, r.Cards, room); ok {
			return message{Text: fallback(r), Blocks: concat(head, blocks, tail)}
		}
	}
	// Far beyond anything the core writes: keep what fits and say so.
	blocks, _ := sections(append(body, compactLines(r.Cards)...), room)
	if len(blocks) > room {
		blocks = append(blocks[:room-1], section(shortenedNotice))
	}
	return message{Text: fallback(r), Blocks: concat(head, blocks, tail)}
}

func concat(parts ...[]slack.Block) []slack.Block {
	var out []slack.Block
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// sections makes a section of each text, at most room of them: when there
// are more texts, neighbours are joined (a blank line between them) into
// fewer, fuller sections. ok is false when even that is too many.
func sections(texts []string, room int) ([]slack.Block, bool) {
	if len(texts) > room {
		texts = chunk.Pack(texts, "\n\n", maxSectionLen)
	}
	out := make([]slack.Block, len(texts))
	for i, t := range texts {
		out[i] = section(t)
	}
	return out, len(out) <= room
}

// compactCards shows each card as one line, "1. Name — time · dose ·
// stage", with a Steps button beside it. When a section per card is too
// many blocks, the lines share sections and the buttons ("Steps: Name")
// go in rows of 25 below them.
func compactCards(body []string, cards []bot.Card, room int) ([]slack.Block, bool) {
	if blocks, ok := sections(body, room-len(cards)); ok {
		for i, c := range cards {
			var acc *slack.Accessory
			if a, ok := c.StepsAction(); ok {
				acc = slack.NewAccessory(slack.NewButtonBlockElement(fmt.Sprintf("%s#%d", a.ID, i), a.Value,
					slack.NewTextBlockObject(slack.PlainTextType, a.Label, false, false)))
			}
			blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cut(compactLine(i, c), maxSectionLen), false, false), nil, acc))
		}
		return blocks, true
	}
	rows := buttonRows(stepsButtons(cards), stepsBlockID)
	blocks, ok := sections(append(slices.Clone(body), compactLines(cards)...), room-len(rows))
	return append(blocks, rows...), ok
}

// compactLines are the cards' lines, as few sections' worth as they fit in.
func compactLines(cards []bot.Card) []string {
	lines := make([]string, len(cards))
	for i, c := range cards {
		lines[i] = compactLine(i, c)
	}
	return chunk.Pack(lines, "\n", maxSectionLen)
}

// stepsButtons are the cards' Steps controls, each labelled with its
// exercise since they stand apart from the lines.
func stepsButtons(cards []bot.Card) []bot.Action {
	var out []bot.Action
	for _, c := range cards {
		if a, ok := c.StepsAction(); ok {
			a.Label += ": " + c.Name
			out = append(out, a)
		}
	}
	return out
}

// compactLine is one card in a line; it is escaped.
func compactLine(i int, c bot.Card) string {
	line := fmt.Sprintf("*%d. %s*", i+1, escape(c.Name))
	if c.Duration != "" {
		line += " — " + escape(c.Duration)
	}
	if c.Category != "" {
		line += " · _" + escape(c.Category) + "_"
	}
	return line
}

// noteBlocks shows the note small, as a context block, or as sections
// when it is too long for one.
func noteBlocks(note string) []slack.Block {
	n := strings.TrimSpace(note)
	if n == "" {
		return nil
	}
	n = escape(n)
	if len(n) <= maxContextLen || utf8.RuneCountInString(n) <= maxContextLen {
		return []slack.Block{slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, n, false, false))}
	}
	var out []slack.Block
	for _, t := range splitSection(n) {
		out = append(out, section(t))
	}
	return out
}

// section is a mrkdwn section; text must already be escaped and fit.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cut(text, maxSectionLen), false, false), nil, nil)
}

// splitSection cuts escaped text into section-sized pieces, at line
// breaks where it can and never inside an escape or a channel link.
func splitSection(text string) []string {
	return chunk.Split(text, maxSectionLen, keepMarkup)
}

// keepMarkup moves a cut at at back to the start of an escape or channel
// link it would split.
func keepMarkup(r []rune, at int) int {
	head := r[:at]
	if i := lastIndexRune(head, '&'); i >= 0 && i > len(head)-6 && !containsRune(head[i:], ';') {
		return i
	}
	if i := lastIndexRune(head, '<'); i >= 0 && partialRef.MatchString(string(head[i:])) {
		return i
	}
	return at
}

// cardText formats one exercise in full: "*Name* — time · dose", the stage
// and the detail line, numbered steps and the caution in italics. It is
// written into one buffer sized for it: a routine's cards are most of a
// break's answer.
func cardText(c bot.Card) string {
	var b strings.Builder
	n := len(c.Name) + len(c.Duration) + len(c.Category) + len(c.Detail) + len(c.Caution) + 32
	for _, s := range c.Steps {
		n += len(s) + 6
	}
	b.Grow(n)
	b.WriteByte('*')
	b.WriteString(escape(c.Name))
	b.WriteByte('*')
	if c.Duration != "" {
		b.WriteString(" — ")
		b.WriteString(escape(c.Duration))
	}
	if c.Category != "" || c.Detail != "" {
		b.WriteByte('\n')
		if c.Category != "" {
			b.WriteByte('_')
			b.WriteString(escape(c.Category))
			b.WriteByte('_')
			if c.Detail != "" {
				b.WriteString(" · ")
			}
		}
		b.WriteString(escape(c.Detail))
	}
	for i, s := range c.Steps {
		b.WriteByte('\n')
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(escape(s))
	}
	if c.Caution != "" {
		b.WriteString("\n_⚠️ ")
		b.WriteString(escape(c.Caution))
		b.WriteByte('_')
	}
	return b.String()
}

// buttons renders the actions block; values round-trip unchanged.
func buttons(actions []bot.Action) *slack.ActionBlock {
	return actionBlock(actionsBlockID, actions[:min(len(actions), maxButtons)])
}

// buttonRows renders actions as actions blocks of 25 buttons each, with
// block ids blockID, blockID_2…. Values round-trip unchanged: a button
// whose value is too long for Slack is left out.
func buttonRows(actions []bot.Action, blockID string) []slack.Block {
	var kept []bot.Action
	for _, a := range actions {
		if len(a.Value) <= maxButtonValue {
			kept = append(kept, a)
		}
	}
	var out []slack.Block
	for start := 0; start < len(kept); start += maxButtons {
		id := blockID
		if start > 0 {
			id += "_" + strconv.Itoa(start/maxButtons+1)
		}
		out = append(out, actionBlock(id, kept[start:min(start+maxButtons, len(kept))]))
	}
	return out
}

// actionBlock is one actions block of at most 25 buttons.
func actionBlock(blockID string, actions []bot.Action) *slack.ActionBlock {
	els := make([]slack.BlockElement, 0, len(actions))
	for i, a := range actions {
		label := a.Label
		if label == "" {
			label = string(a.ID)
		}
		btn := slack.NewButtonBlockElement(actionIDFor(actions, i), cut(a.Value, maxButtonValue), slack.NewTextBlockObject(slack.PlainTextType, cut(label, maxButtonLen), true, false))
		switch a.Style {
		case "primary":
			btn.Style = slack.StylePrimary
		case "danger":
			btn.Style = slack.StyleDanger
		}
		els = append(els, btn)
	}
	return slack.NewActionBlock(blockID, els...)
}

// fallback is the plain text Slack shows in notifications and to clients
// without Block Kit: title, paragraphs, one line per exercise (time, dose
// and stage) and the note, a line each.
func fallback(r bot.Reply) string {
	var b strings.Builder
	line := func() {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
	}
	if t := strings.TrimSpace(r.Title); t != "" {
		b.WriteString(t)
	}
	for _, p := range r.Blocks {
		if strings.TrimSpace(p) != "" {
			line()
			b.WriteString(p)
		}
	}
	for i, c := range r.Cards {
		line()
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(". ")
		b.WriteString(c.Name)
		if c.Duration != "" {
			b.WriteString(" — ")
			b.WriteString(c.Duration)
		}
		if c.Category != "" {
			b.WriteString(" · ")
			b.WriteString(c.Category)
		}
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		line()
		b.WriteString(n)
	}
	if b.Len() == 0 {
		return "stretchbot"
	}
	return cut(escape(b.String()), maxFallbackLen)
}

// channelRef matches the channel references the core writes (<#C123> and
// <#C123|name>, the name possibly empty as Slack now sends it). They are
// the only markup passed through: a channel link cannot notify anyone.
var channelRef = regexp.MustCompile(`<#[A-Z0-9]+(?:\|[^<>|&]*)?>`)

// partialRef is the start of a channel reference cut off by cut.
var partialRef = regexp.MustCompile(`^<#[A-Z0-9]*(?:\|[^<>|&]*)?$`)

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape applies Slack's only required escapes so user and core text can
// never form links, mentions or broadcasts; channel references are kept so
// Slack renders them as channel links.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		// Nothing to escape, and no channel reference (each has a '<').
		return s
	}
	locs := channelRef.FindAllStringIndex(s, -1)
	if locs == nil {
		return escaper.Replace(s)
	}
	var b strings.Builder
	prev := 0
	for _, l := range locs {
		b.WriteString(escaper.Replace(s[prev:l[0]]))
		b.WriteString(s[l[0]:l[1]])
		prev = l[1]
	}
	b.WriteString(escaper.Replace(s[prev:]))
	return b.String()
}

// cut shortens s to at most n characters, ending with "…" when cut, and
// never splits an escape sequence such as "&amp;".
func cut(s string, n int) string {
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	// Do not leave half an entity behind.
	if i := lastIndexRune(r, '&'); i >= 0 && i > len(r)-6 && !containsRune(r[i:], ';') {
		r = r[:i]
	}
	// Nor half a channel link.
	if i := lastIndexRune(r, '<'); i >= 0 && partialRef.MatchString(string(r[i:])) {
		r = r[:i]
	}
	return string(r) + "…"
}

func lastIndexRune(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}

func containsRune(r []rune, c rune) bool {
	return lastIndexRune(r, c) >= 0
}

// withStatus returns the clicked message's blocks with its status line
// replaced by status (or added at the bottom), keeping every other block
// byte for byte: the core cannot rebuild a delivered routine.
func withStatus(blocks []json.RawMessage, status string) []json.RawMessage {
	out := make([]json.RawMessage, 0, len(blocks)+1)
	for _, b := range blocks {
		var id struct {
			BlockID string `json:"block_id"`
		}
		if json.Unmarshal(b, &id) == nil && id.BlockID == statusBlockID {
			continue
		}
		out = append(out, b)
	}
	if len(out) >= maxBlocks {
		out = out[:maxBlocks-1]
	}
	st, _ := json.Marshal(slack.NewContextBlock(statusBlockID, slack.NewTextBlockObject(slack.MarkdownType, cut(escape(status), maxContextLen), false, false)))
	return append(out, st)
}
