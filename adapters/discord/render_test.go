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

func TestWithStatus(t *testing.T) {
	embed := []*discordgo.MessageEmbed{{Title: "Stretch time"}}
	tests := []struct {
		name string
		msg  *discordgo.Message
		want string
	}{
		{"no message", nil, statusMark + "✅ 2 done"},
		{"embed, old title content", &discordgo.Message{Content: "**Stretch time**", Embeds: embed}, statusMark + "✅ 2 done"},
		{"embed, old status", &discordgo.Message{Content: statusMark + "✅ 1 done", Embeds: embed}, statusMark + "✅ 2 done"},
		{"plain", &discordgo.Message{Content: "Time to stretch."}, "Time to stretch.\n\n" + statusMark + "✅ 2 done"},
		{"plain, old status", &discordgo.Message{Content: "Time to stretch.\n\n" + statusMark + "🙋 1 joined"}, "Time to stretch.\n\n" + statusMark + "✅ 2 done"},
		{"status only", &discordgo.Message{Content: statusMark + "🙋 1 joined"}, statusMark + "✅ 2 done"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := withStatus(tt.msg, "✅  2 done\n")
			if got.Content != tt.want {
				t.Errorf("content = %q, want %q", got.Content, tt.want)
			}
			b, _ := json.Marshal(got)
			if tt.msg == nil && (strings.Contains(string(b), `"embeds"`) || strings.Contains(string(b), `"components"`)) {
				t.Errorf("unknown message must leave embeds and components alone: %s", b)
			}
		})
	}
	long := withStatus(&discordgo.Message{Content: strings.Repeat("x", maxContent)}, strings.Repeat("y", 3000))
	if n := len([]rune(long.Content)); n > maxContent || !strings.Contains(long.Content, statusMark+"y") {
		t.Errorf("long content: %d runes", n)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"core code span", "Say `pause #k3f9` to stop it.", "Say `pause #k3f9` to stop it."},
		{"two spans", "`done` or `skip`", "`done` or `skip`"},
		{"code span keeps underscores", "Change it with `timezone America/New_York`", "Change it with `timezone America/New_York`"},
		{"unpaired backtick", "it`s", "it\\`s"},
		{"bold", "**bold**", "\\*\\*bold\\*\\*"},
		{"italic and strike", "_a_ ~~b~~", "\\_a\\_ \\~\\~b\\~\\~"},
		{"spoiler hides text", "||secret||", "\\|\\|secret\\|\\|"},
		{"masked link", "[click](https://evil.example)", "\\[click\\](https://evil.example)"},
		{"backslash", `a\b`, `a\\b`},
		{"everyone", "hi @everyone and @here", "hi @\u200beveryone and @\u200bhere"},
		{"user mention stays text", "<@123> <@&456>", "<@123> <@&456>"},
		{"channel link intact", "Team break #ab12 set for <#701>", "Team break #ab12 set for <#701>"},
		{"heading", "# Big", "\\# Big"},
		{"subtext", "-# small", "\\-# small"},
		{"quote", "> quoted\n>>> all", "\\> quoted\n\\>>> all"},
		{"bullet", "- item", "\\- item"},
		{"id is no heading", "#k3f9 paused", "#k3f9 paused"},
		{"mid-line hash", "see # this", "see # this"},
		{"heading after newline", "line\n## two", "line\n\\## two"},
		{"html stays", "<script>&amp;", "<script>&amp;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"`a` b", "**x**", "@everyone", "# h", "`", "a\n> b", "é`ü`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := escape(s)
		if strings.Contains(out, "@everyone") || strings.Contains(out, "@here") {
			t.Fatalf("escape(%q) = %q can ping", s, out)
		}
		if len(out) < len(s) {
			t.Fatalf("escape(%q) = %q lost text", s, out)
		}
	})
}

func TestRenderEmbedHasNoDuplicateTitle(t *testing.T) {
	tests := []struct {
		name string
		r    bot.Reply
		want string
	}{
		{"title", routine, ""},
		{"blocks only", bot.Reply{Blocks: []string{"Go"}, Cards: routine.Cards}, ""},
		{"nothing but cards", bot.Reply{Cards: routine.Cards}, "Stretch break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := render(tt.r)
			if m.Content != tt.want || len(m.Embeds) != 1 {
				t.Errorf("content = %q (embeds %d), want %q", m.Content, len(m.Embeds), tt.want)
			}
		})
	}
	m := render(bot.Reply{Title: "Help", Blocks: []string{"Say `break` to start."}})
	if m.Content != "**Help**\n\nSay `break` to start." {
		t.Errorf("plain content = %q", m.Content)
	}
}
