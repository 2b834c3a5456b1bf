package slack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

// Block Kit limits (https://api.slack.com/reference/block-kit).
const (
	maxBlocks       = 50
	maxHeaderLen    = 150
	maxSectionLen   = 3000
	maxContextLen   = 2000
	maxButtonLen    = 75
	maxButtonValue  = 2000
	maxButtons      = 25
	maxFallbackLen  = 3900 // Slack shows ~4000 characters in notifications
	statusBlockID   = "stretchbot_status"
	actionsBlockID  = "stretchbot_actions"
	shortenedNotice = "_(This message was shortened to fit Slack's limits.)_"
)

// message is a rendered reply: the plain-text fallback and the blocks.
type message struct {
	Text   string
	Blocks []slack.Block
}

// render turns a core reply into Block Kit. It never fails: over-long parts
// are cut politely, and the safety note and the buttons are always kept.
func render(r bot.Reply) message {
	var body []slack.Block
	if t := strings.TrimSpace(r.Title); t != "" {
		body = append(body, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, cut(t, maxHeaderLen), false, false)))
	}
	for _, p := range r.Blocks {
		if strings.TrimSpace(p) == "" {
			continue
		}
		body = append(body, section(escape(p)))
	}
	for _, c := range r.Cards {
		body = append(body, section(cardText(c)))
	}

	var tail []slack.Block
	if n := strings.TrimSpace(r.Note); n != "" {
		tail = append(tail, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, cut(escape(n), maxContextLen), false, false)))
	}
	if len(r.Actions) > 0 {
		tail = append(tail, buttons(r.Actions))
	}
	// One block stays free for the status line that button presses add.
	room := maxBlocks - 1 - len(tail)
	if len(body) > room {
		body = append(body[:room-1], section(shortenedNotice))
	}
	return message{Text: fallback(r), Blocks: append(body, tail...)}
}

// section is a mrkdwn section; text must already be escaped.
func section(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cut(text, maxSectionLen), false, false), nil, nil)
}

// cardText formats one exercise: "*Name* — duration", the detail line,
// numbered steps and the caution in italics.
func cardText(c bot.Card) string {
	var b strings.Builder
	b.WriteString("*" + escape(c.Name) + "*")
	if c.Duration != "" {
		b.WriteString(" — " + escape(c.Duration))
	}
	if c.Detail != "" {
		b.WriteString("\n" + escape(c.Detail))
	}
	for i, s := range c.Steps {
		fmt.Fprintf(&b, "\n%d. %s", i+1, escape(s))
	}
	if c.Caution != "" {
		b.WriteString("\n_⚠️ " + escape(c.Caution) + "_")
	}
	return b.String()
}

// buttons renders the actions block; values round-trip unchanged.
func buttons(actions []bot.Action) *slack.ActionBlock {
	if len(actions) > maxButtons {
		actions = actions[:maxButtons]
	}
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
	return slack.NewActionBlock(actionsBlockID, els...)
}

// fallback is the plain text Slack shows in notifications and to clients
// without Block Kit: title, paragraphs, exercise names and the note.
func fallback(r bot.Reply) string {
	var parts []string
	if t := strings.TrimSpace(r.Title); t != "" {
		parts = append(parts, t)
	}
	for _, p := range r.Blocks {
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	for i, c := range r.Cards {
		line := fmt.Sprintf("%d. %s", i+1, c.Name)
		if c.Duration != "" {
			line += " — " + c.Duration
		}
		parts = append(parts, line)
	}
	if n := strings.TrimSpace(r.Note); n != "" {
		parts = append(parts, n)
	}
	if len(parts) == 0 {
		return "stretchbot"
	}
	return cut(escape(strings.Join(parts, "\n")), maxFallbackLen)
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
	if utf8.RuneCountInString(s) <= n {
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
