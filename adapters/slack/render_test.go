package slack

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/bot"
)

// blocksJSON renders r and decodes its blocks as generic JSON.
func blocksJSON(t *testing.T, r bot.Reply) (string, []map[string]any) {
	t.Helper()
	m := render(r)
	b, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatalf("marshal blocks: %v", err)
	}
	var out []map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal blocks: %v", err)
	}
	return m.Text, out
}

func blockText(b map[string]any) string {
	if txt, ok := b["text"].(map[string]any); ok {
		s, _ := txt["text"].(string)
		return s
	}
	if els, ok := b["elements"].([]any); ok && len(els) > 0 {
		if el, ok := els[0].(map[string]any); ok {
			s, _ := el["text"].(string)
			return s
		}
	}
	return ""
}

func TestRender(t *testing.T) {
	card := bot.Card{Name: "Child's pose", Duration: "60 s", Detail: "floor, mat", Steps: []string{"Kneel", "Sit back <slowly>"}, Caution: "Skip with knee pain"}
	tests := []struct {
		name       string
		reply      bot.Reply
		wantTypes  []string
		wantTexts  []string // substrings of block texts, by index
		wantInText []string // substrings of the fallback
	}{
		{
			name:       "title and paragraph",
			reply:      bot.Reply{Title: "Stretch time", Blocks: []string{"stand up"}},
			wantTypes:  []string{"header", "section"},
			wantTexts:  []string{"Stretch time", "stand up"},
			wantInText: []string{"Stretch time", "stand up"},
		},
		{
			name:       "escaping",
			reply:      bot.Reply{Blocks: []string{"a < b & c > d <!channel>"}},
			wantTypes:  []string{"section"},
			wantTexts:  []string{"a &lt; b &amp; c &gt; d &lt;!channel&gt;"},
			wantInText: []string{"a &lt; b &amp; c &gt; d"},
		},
		{
			name:       "card",
			reply:      bot.Reply{Cards: []bot.Card{card}},
			wantTypes:  []string{"section"},
			wantTexts:  []string{"*Child's pose* — 60 s\nfloor, mat\n1. Kneel\n2. Sit back &lt;slowly&gt;\n_⚠️ Skip with knee pain_"},
			wantInText: []string{"1. Child's pose — 60 s"},
		},
		{
			name:       "note is a context block after the body",
			reply:      bot.Reply{Title: "Break", Cards: []bot.Card{card}, Note: "Stop if it hurts."},
			wantTypes:  []string{"header", "section", "context"},
			wantTexts:  []string{"Break", "Child's pose", "Stop if it hurts."},
			wantInText: []string{"Break", "Stop if it hurts."},
		},
		{
			name:      "actions last",
			reply:     bot.Reply{Blocks: []string{"x"}, Note: "n", Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "r1|2024", Style: "primary"}}},
			wantTypes: []string{"section", "context", "actions"},
		},
		{
			name:       "empty reply still has fallback",
			reply:      bot.Reply{},
			wantTypes:  nil,
			wantInText: []string{"stretchbot"},
		},
		{
			name:      "blank paragraphs skipped",
			reply:     bot.Reply{Blocks: []string{"", "  ", "real"}},
			wantTypes: []string{"section"},
			wantTexts: []string{"real"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, blocks := blocksJSON(t, tt.reply)
			var types []string
			for _, b := range blocks {
				types = append(types, b["type"].(string))
			}
			if fmt.Sprint(types) != fmt.Sprint(tt.wantTypes) {
				t.Fatalf("block types = %v, want %v", types, tt.wantTypes)
			}
			for i, want := range tt.wantTexts {
				if got := blockText(blocks[i]); !strings.Contains(got, want) {
					t.Errorf("block %d text = %q, want it to contain %q", i, got, want)
				}
			}
			for _, want := range tt.wantInText {
				if !strings.Contains(text, want) {
					t.Errorf("fallback = %q, want it to contain %q", text, want)
				}
			}
			if text == "" {
				t.Error("fallback text is empty")
			}
		})
	}
}

func TestRenderButtons(t *testing.T) {
	actions := []bot.Action{
		{ID: bot.ActionDone, Label: "Done", Value: "r1@2026-11-27T10:00Z", Style: "primary"},
		{ID: bot.ActionSnooze, Label: "Snooze 10 min", Value: "r1|10m"},
		{ID: bot.ActionSnooze, Label: "Snooze 30 min", Value: "r1|30m"},
		{ID: bot.ActionSkip, Label: "Skip", Value: "r1", Style: "danger"},
		{ID: "odd#id", Label: strings.Repeat("L", 100), Value: "v"},
	}
	_, blocks := blocksJSON(t, bot.Reply{Actions: actions})
	els := blocks[0]["elements"].([]any)
	seen := map[string]bool{}
	for i, e := range els {
		el := e.(map[string]any)
		id := el["action_id"].(string)
		if seen[id] {
			t.Errorf("duplicate action_id %q", id)
		}
		seen[id] = true
		if got := parseActionID(id); got != actions[i].ID {
			t.Errorf("parseActionID(%q) = %q, want %q", id, got, actions[i].ID)
		}
		if el["value"] != actions[i].Value {
			t.Errorf("button %d value = %v, want %q", i, el["value"], actions[i].Value)
		}
		if style, _ := el["style"].(string); style != actions[i].Style {
			t.Errorf("button %d style = %q, want %q", i, style, actions[i].Style)
		}
		label := el["text"].(map[string]any)["text"].(string)
		if utf8.RuneCountInString(label) > maxButtonLen {
			t.Errorf("button %d label has %d chars, max %d", i, utf8.RuneCountInString(label), maxButtonLen)
		}
	}
	if got := actionIDFor(actions, 0); got != "done" {
		t.Errorf("unique id got suffix: %q", got)
	}
}

func TestEscapeKeepsChannelReferences(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Team break #zz43 set for <#C123>", "Team break #zz43 set for <#C123>"},
		{"in <#C888|>", "in <#C888|>"},
		{"in <#C888|general>.", "in <#C888|general>."},
		{"<#C1> & <#G2|priv-ops>", "<#C1> &amp; <#G2|priv-ops>"},
		{"#general stays text", "#general stays text"},
		{"<b>bold</b> & <@U999> <!channel>", "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;@U999&gt; &lt;!channel&gt;"},
		{"lower case <#c123>", "lower case &lt;#c123&gt;"},
		{"name with markup <#C1|<!here>>", "name with markup &lt;#C1|&lt;!here&gt;&gt;"},
		{"name with pipe <#C1|a|b>", "name with pipe &lt;#C1|a|b&gt;"},
		{"name with amp <#C1|a&amp;b>", "name with amp &lt;#C1|a&amp;amp;b&gt;"},
		{"link <https://evil|x> <#C1|x", "link &lt;https://evil|x&gt; &lt;#C1|x"},
		{"<#>", "&lt;#&gt;"},
	}
	for _, tt := range tests {
		if got := escape(tt.in); got != tt.want {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Rendered replies keep the link in blocks and in the fallback text.
	m := render(bot.Reply{Title: "Scheduled", Blocks: []string{"Team break in <#C888|> every day at 9:00 <b>"}, Note: "see <#C1|general>"})
	b, _ := json.Marshal(m.Blocks)
	for _, want := range []string{"<#C888|>", "&lt;b&gt;", "<#C1|general>"} {
		if !strings.Contains(m.Text+string(b), want) {
			t.Errorf("render lost %q: text %q blocks %s", want, m.Text, b)
		}
	}
	if strings.Contains(m.Text+string(b), "&lt;#C888") {
		t.Errorf("channel reference escaped: %q %s", m.Text, b)
	}
}

func FuzzEscape(f *testing.F) {
	f.Add("<#C1|x> <@U1> & <!channel>")
	f.Add("<#C888|>")
	f.Add("<<#C1>>")
	f.Fuzz(func(t *testing.T, s string) {
		out := escape(s)
		// Outside channel references no raw '<' or '>' survives, and the
		// references themselves notify nobody.
		rest := channelRef.ReplaceAllString(out, "")
		if strings.ContainsAny(rest, "<>") {
			t.Errorf("escape(%q) = %q leaves markup", s, out)
		}
		if strings.Contains(out, "<@") || strings.Contains(out, "<!") {
			t.Errorf("escape(%q) = %q can mention", s, out)
		}
	})
}

func TestCut(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijk", 5, "abcd…"},
		{"ab &amp; cd", 6, "ab …"},
		{"ab &amp; cd", 10, "ab &amp; …"},
		{"ééééé", 3, "éé…"},
		{"set for <#C123|general> now", 12, "set for …"},
		{"set for <#C123> now", 16, "set for <#C123>…"},
		{"a < b and c", 8, "a < b a…"},
	}
	for _, tt := range tests {
		if got := cut(tt.in, tt.n); got != tt.want {
			t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestWithStatus(t *testing.T) {
	orig := []json.RawMessage{
		json.RawMessage(`{"type":"header","text":{"type":"plain_text","text":"Break"}}`),
		json.RawMessage(`{"type":"actions","block_id":"stretchbot_actions","elements":[]}`),
	}
	once := withStatus(orig, "✅ 1 person did this break")
	if len(once) != 3 || string(once[0]) != string(orig[0]) || string(once[1]) != string(orig[1]) {
		t.Fatalf("withStatus changed other blocks: %s", once)
	}
	twice := withStatus(once, "✅ 2 people did this break")
	if len(twice) != 3 {
		t.Fatalf("second status added a block instead of replacing: %d blocks", len(twice))
	}
	if !strings.Contains(string(twice[2]), "2 people") || strings.Contains(string(twice[2]), "1 person") {
		t.Errorf("status block = %s", twice[2])
	}
	full := make([]json.RawMessage, maxBlocks)
	for i := range full {
		full[i] = json.RawMessage(`{"type":"divider"}`)
	}
	if got := len(withStatus(full, "x")); got > maxBlocks {
		t.Errorf("status pushed the message to %d blocks", got)
	}
}

func TestParseActionID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"done", "done"},
		{"snooze#2", "snooze"},
		{"odd#id#4", "odd#id"},
		{"tag#", "tag#"},
		{"x#1a", "x#1a"},
		{"#0", "#0"}, // nothing before the suffix: no id of ours, kept whole
	}
	for _, tt := range tests {
		if got := parseActionID(tt.in); string(got) != tt.want {
			t.Errorf("parseActionID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlashReplyKeepsChannelLinks(t *testing.T) {
	h := &funcHandler{handle: func(_ context.Context, m bot.Message) bot.Reply {
		return bot.Reply{Blocks: []string{"Team break #zz43 set for <#C888> & <b>"}, Visibility: bot.Public}
	}}
	e := newTestEnv(t, h)
	w := e.postCommand(t, "U1", "C1", "schedule every day at 9am in <#C888|>")
	if msgs := h.Messages(); len(msgs) != 1 || msgs[0].Text != "schedule every day at 9am in <#C888|>" {
		t.Fatalf("core got %+v", msgs)
	}
	// encoding/json writes '<' as \u003c; decode before comparing.
	var got struct {
		Text   string `json:"text"`
		Blocks []struct {
			Text struct {
				Text string `json:"text"`
			} `json:"text"`
		} `json:"blocks"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := "Team break #zz43 set for <#C888> &amp; &lt;b&gt;"
	if got.Text != want || len(got.Blocks) != 1 || got.Blocks[0].Text.Text != want {
		t.Errorf("reply = %+v, want %q", got, want)
	}
}
