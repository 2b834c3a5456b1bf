package discord

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
)

func embedSize(e *discordgo.MessageEmbed) int {
	n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
	for _, f := range e.Fields {
		n += utf8.RuneCountInString(f.Name) + utf8.RuneCountInString(f.Value)
	}
	if e.Footer != nil {
		n += utf8.RuneCountInString(e.Footer.Text)
	}
	return n
}

func TestRenderPlain(t *testing.T) {
	m := render(bot.Reply{Title: "Help", Blocks: []string{"break — a routine", "use *stars*"}, Note: "Stop if\nit hurts.", Visibility: bot.Private})
	want := "**Help**\n\nbreak — a routine\n\nuse \\*stars\\*\n\n-# Stop if it hurts."
	if m.Content != want {
		t.Errorf("content = %q\nwant      %q", m.Content, want)
	}
	if m.Flags != discordgo.MessageFlagsEphemeral || len(m.Embeds) != 0 {
		t.Errorf("flags %v embeds %d", m.Flags, len(m.Embeds))
	}
	if b, _ := json.Marshal(m); !strings.Contains(string(b), `"components":[]`) || !strings.Contains(string(b), `"embeds":[]`) {
		t.Errorf("components must be an empty list (clears old buttons): %s", b)
	}
}

func TestRenderRoutine(t *testing.T) {
	m := render(routine)
	if m.Flags != 0 || len(m.Embeds) != 1 || m.Content != "" {
		t.Fatalf("message = %+v", m)
	}
	e := m.Embeds[0]
	if e.Title != "Stretch time" || e.Description != "Five minutes, three exercises." || e.Footer == nil || e.Footer.Text != "Stop if anything hurts." {
		t.Errorf("embed = %+v", e)
	}
	if len(e.Fields) != 1 || e.Fields[0].Name != "1. Cat-cow — 60 s" ||
		e.Fields[0].Value != "*on all fours, floor*\n1. Round your back\n2. Arch it\n⚠️ Go gently" {
		t.Errorf("field = %+v", e.Fields[0])
	}
	row := m.Components[0].(discordgo.ActionsRow)
	if b := row.Components[0].(discordgo.Button); b.CustomID != "done:k3f9:1" || b.Label != "Done" {
		t.Errorf("button = %+v", b)
	}
}

func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("stretch ", 600)
	var cards []bot.Card
	for i := 0; i < 40; i++ {
		cards = append(cards, bot.Card{Name: long[:300], Duration: "60 s", Steps: []string{long, long}, Caution: long})
	}
	var actions []bot.Action
	for i := 0; i < 30; i++ {
		actions = append(actions, bot.Action{ID: "done", Label: long, Value: "v"})
	}
	actions = append(actions, bot.Action{ID: "done", Value: strings.Repeat("x", 100)}) // would not round-trip
	r := bot.Reply{Title: long, Blocks: []string{long, long}, Cards: cards, Note: "Safety note: stop if it hurts.", Actions: actions}
	m := render(r)
	e := m.Embeds[0]
	if n := embedSize(e); n > maxEmbedTotal {
		t.Errorf("embed has %d characters, limit %d", n, maxEmbedTotal)
	}
	if len(e.Fields) > maxFields || utf8.RuneCountInString(e.Title) > maxEmbedTitle || utf8.RuneCountInString(e.Description) > maxEmbedDesc {
		t.Errorf("fields %d title %d desc %d", len(e.Fields), len(e.Title), len(e.Description))
	}
	for _, f := range e.Fields {
		if utf8.RuneCountInString(f.Name) > maxFieldName || utf8.RuneCountInString(f.Value) > maxFieldValue || f.Value == "" {
			t.Errorf("field too long or empty: %d/%d", len(f.Name), len(f.Value))
		}
	}
	if e.Footer == nil || e.Footer.Text != r.Note {
		t.Errorf("safety note lost: %+v", e.Footer)
	}
	if utf8.RuneCountInString(m.Content) > maxContent {
		t.Errorf("content has %d characters", utf8.RuneCountInString(m.Content))
	}
	if len(m.Components) > maxRows {
		t.Errorf("%d rows", len(m.Components))
	}
	for _, c := range m.Components {
		row := c.(discordgo.ActionsRow)
		if len(row.Components) > maxButtonsInRow {
			t.Errorf("%d buttons in a row", len(row.Components))
		}
		for _, b := range row.Components {
			if btn := b.(discordgo.Button); len(btn.CustomID) > 100 || utf8.RuneCountInString(btn.Label) > maxButtonLabel {
				t.Errorf("button %q / %q", btn.CustomID, btn.Label)
			}
		}
	}

	p := render(bot.Reply{Blocks: []string{long, long, long, long}, Note: "Safety note."})
	if utf8.RuneCountInString(p.Content) > maxContent || !strings.HasSuffix(p.Content, "-# Safety note.") {
		t.Errorf("plain content %d characters, ends %q", utf8.RuneCountInString(p.Content), p.Content[len(p.Content)-30:])
	}
	if got := render(bot.Reply{}); got.Content == "" {
		t.Error("empty reply renders empty content")
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{{"hello", 5, "hello"}, {"hello world", 7, "hello…"}, {"héllo", 3, "hé…"}, {"x", 0, ""}} {
		if got := truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func FuzzRender(f *testing.F) {
	f.Add("Title", "block", "card", "step", "note", "v")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, title, block, card, step, note, value string) {
		r := bot.Reply{Title: title, Blocks: []string{block}, Cards: []bot.Card{{Name: card, Steps: []string{step}}},
			Note: note, Actions: []bot.Action{{ID: "done", Value: value}}}
		m := render(r)
		if utf8.RuneCountInString(m.Content) > maxContent || embedSize(m.Embeds[0]) > maxEmbedTotal {
			t.Fatal("limits exceeded")
		}
		if m2 := render(bot.Reply{Title: title, Blocks: []string{block}, Note: note}); utf8.RuneCountInString(m2.Content) > maxContent {
			t.Fatal("content limit exceeded")
		}
	})
}
