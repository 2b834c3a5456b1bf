package discord

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
)

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
	f.Add("Title", "block", "card", "step", "note", "v", false)
	f.Add("", "", "", "", "", "", true)
	f.Add(strings.Repeat("t", 300), strings.Repeat("b *", 3000), strings.Repeat("c", 300), strings.Repeat("s\\", 700), strings.Repeat("n", 2100), "v", false)
	f.Fuzz(func(t *testing.T, title, block, card, step, note, value string, compact bool) {
		var cards []bot.Card
		for i := range 12 {
			cards = append(cards, bot.Card{ID: card, Name: card, Category: card, Steps: []string{step, step}, Seconds: i})
		}
		r := bot.Reply{Title: title, Blocks: []string{block}, Cards: cards, Note: note, Compact: compact,
			Actions: []bot.Action{{ID: "done", Value: value}}}
		checkLimits(t, "cards", render(r))
		checkLimits(t, "text", render(bot.Reply{Title: title, Blocks: []string{block, block}, Note: note}))
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

// escape's shortcut for plain text changes nothing: it answers as the
// full escape does.
func FuzzEscapePlain(f *testing.F) {
	for _, s := range []string{"", "plain", "# h", "#k", "a\n- b", "x\n", "\n-# y", ">>> z", ">> z", "### x", "#### x",
		"+ 1", "a@here", "[l](u)", "`c`", "a_b", "line\n> quote", "1. step"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := escape(s), escapeAll(s); got != want {
			t.Errorf("escape(%q) = %q, want %q", s, got, want)
		}
	})
}
