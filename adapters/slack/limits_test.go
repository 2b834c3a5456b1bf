package slack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// rendered is a message as Slack receives it, decoded, with everything a
// person can read in order and every button.
type rendered struct {
	blocks  []map[string]any
	text    string           // header, section, context texts and button labels
	buttons []map[string]any // every button, in the actions blocks and beside sections
}

func decode(t *testing.T, m message) rendered {
	t.Helper()
	b, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var out rendered
	if err := json.Unmarshal(b, &out.blocks); err != nil {
		t.Fatal(err)
	}
	var text []string
	str := func(v any, key string) string {
		o, _ := v.(map[string]any)
		s, _ := o[key].(string)
		return s
	}
	for _, bl := range out.blocks {
		text = append(text, str(bl["text"], "text"))
		els, _ := bl["elements"].([]any)
		if acc, ok := bl["accessory"]; ok {
			els = append(els, acc)
		}
		for _, e := range els {
			el := e.(map[string]any)
			if el["type"] == "button" {
				out.buttons = append(out.buttons, el)
				text = append(text, str(el["text"], "text"))
			} else {
				text = append(text, str(el, "text"))
			}
		}
	}
	out.text = strings.Join(text, "\n")
	return out
}

// checkLimits fails for anything Slack would refuse or cut.
func checkLimits(t *testing.T, name string, m message, got rendered) {
	t.Helper()
	fail := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{name}, args...)...) }
	runes := utf8.RuneCountInString
	if n := len(got.blocks); n > maxBlocks-1 {
		fail("%d blocks; at most %d leave room for the status line", n, maxBlocks-1)
	}
	if m.Text == "" || runes(m.Text) > 40000 {
		fail("fallback text of %d characters", runes(m.Text))
	}
	blockIDs := map[string]bool{}
	for i, bl := range got.blocks {
		txt, _ := bl["text"].(map[string]any)
		s, _ := txt["text"].(string)
		switch bl["type"] {
		case "header":
			if runes(s) > 150 || txt["type"] != "plain_text" {
				fail("block %d: header of %d characters", i, runes(s))
			}
		case "section":
			if runes(s) > 3000 || s == "" {
				fail("block %d: section of %d characters", i, runes(s))
			}
		case "context":
			els := bl["elements"].([]any)
			if len(els) > 10 {
				fail("block %d: %d context elements", i, len(els))
			}
			for _, e := range els {
				if n := runes(e.(map[string]any)["text"].(string)); n > 2000 {
					fail("block %d: context text of %d characters", i, n)
				}
			}
		case "actions":
			if n := len(bl["elements"].([]any)); n > 25 || n == 0 {
				fail("block %d: %d elements in an actions block", i, n)
			}
		}
		if id, _ := bl["block_id"].(string); id != "" {
			if blockIDs[id] || len(id) > 255 {
				fail("block id %q repeats or is too long", id)
			}
			blockIDs[id] = true
		}
	}
	for _, b := range got.buttons {
		label := b["text"].(map[string]any)["text"].(string)
		value, _ := b["value"].(string)
		id, _ := b["action_id"].(string)
		if runes(label) > 75 || len(value) > 2000 || len(id) > 255 || id == "" {
			fail("button %q: label %d, value %d, action_id %q", label, runes(label), len(value), id)
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// has reports whether s shows in text, apart from where text was split
// over sections.
func has(text, s string) bool {
	return strings.Contains(spaces.ReplaceAllString(text, ""), spaces.ReplaceAllString(s, ""))
}

// checkNothingLost fails unless everything in r reaches the reader: the
// title, paragraphs and note; each card's name, time and dose, and stage;
// its steps and caution, or a Steps button that shows them; every button.
func checkNothingLost(t *testing.T, name string, r bot.Reply, got rendered) {
	t.Helper()
	fail := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{name}, args...)...) }
	if r.Title != "" && !has(got.text, r.Title) && !has(got.text, escape(r.Title)) {
		fail("title %q lost", r.Title)
	}
	for _, p := range append(append([]string{}, r.Blocks...), r.Note) {
		if !has(got.text, escape(p)) {
			fail("text %q lost", p)
		}
	}
	values := map[string]bool{}
	for _, b := range got.buttons {
		values[b["action_id"].(string)+"="+b["value"].(string)] = true
	}
	for _, c := range r.Cards {
		for _, s := range []string{c.Name, c.Duration, c.Category} {
			if !has(got.text, escape(s)) {
				fail("card %s: %q lost", c.Name, s)
			}
		}
		full := has(got.text, escape(c.Caution))
		for _, s := range c.Steps {
			full = full && has(got.text, escape(s))
		}
		a, ok := c.StepsAction()
		hasSteps := false
		for v := range values {
			hasSteps = hasSteps || (ok && strings.HasPrefix(v, string(a.ID)) && strings.HasSuffix(v, "="+a.Value))
		}
		if !full && !hasSteps {
			fail("card %s: neither its steps nor a Steps button", c.Name)
		}
		if r.Compact && !hasSteps {
			fail("compact card %s has no Steps button", c.Name)
		}
	}
	for i, a := range r.Actions {
		if !values[actionIDFor(r.Actions, i)+"="+a.Value] {
			fail("button %s (%q) lost", a.Label, a.Value)
		}
	}
}

// The largest replies the core writes fit Slack with nothing lost: a
// 60-minute break at every place, every page of 200 reminders with the
// longest note in a channel with the longest name, deliveries, the
// library, help and every exercise.
func TestLargestRepliesFitSlack(t *testing.T) {
	longest := strings.Repeat("stretch-and-move", 5) // Slack channel names have at most 80 characters
	replies := testkit.LargestReplies(t, bot.Message{Platform: bot.Slack, Tenant: "T0123ABCD", Channel: "C0123ABCDEF", ChannelName: longest, User: "U0123ABCDEF"})
	ids := map[string]bool{}
	for _, l := range replies {
		m := render(l.Reply)
		got := decode(t, m)
		checkLimits(t, l.Name, m, got)
		checkNothingLost(t, l.Name, l.Reply, got)
		if strings.HasPrefix(l.Name, "list ") {
			for _, id := range regexp.MustCompile(`#[a-z0-9]{3,8} ·`).FindAllString(got.text, -1) {
				ids[id] = true
			}
		}
	}
	if len(ids) != testkit.ListReminders {
		t.Errorf("list pages show %d reminders, want %d", len(ids), testkit.ListReminders)
	}
}

// Input far beyond what the core writes still fits: long text continues
// in the next section, too many sections are joined, and only when even
// that cannot fit is the message cut, with a notice.
func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("word & ", 1000) // 7000 characters; escapes grow it
	paras := make([]string, 80)
	for i := range paras {
		paras[i] = fmt.Sprintf("para %d", i)
	}
	r := bot.Reply{
		Title:   strings.Repeat("T", 300),
		Blocks:  append([]string{long}, paras...),
		Note:    "Stop if an exercise causes pain.",
		Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "x"}},
	}
	m := render(r)
	got := decode(t, m)
	checkLimits(t, "long", m, got)
	checkNothingLost(t, "long", r, got)
	n := len(got.blocks)
	if got.blocks[n-1]["type"] != "actions" || got.blocks[n-2]["type"] != "context" {
		t.Errorf("last blocks = %v, %v; want context (note) then actions", got.blocks[n-2]["type"], got.blocks[n-1]["type"])
	}
	if strings.Contains(got.text, "shortened") {
		t.Error("a message that fits says it was shortened")
	}

	huge := bot.Reply{Blocks: make([]string, 60), Note: "Safety note.", Actions: r.Actions}
	for i := range huge.Blocks {
		huge.Blocks[i] = strings.Repeat("x", 2999)
	}
	m = render(huge)
	got = decode(t, m)
	checkLimits(t, "huge", m, got)
	if !strings.Contains(got.text, "shortened") || !strings.Contains(got.text, "Safety note.") {
		t.Error("a cut message does not say so, or lost its note")
	}
}

func card(i int) bot.Card {
	return bot.Card{ID: fmt.Sprintf("exercise-%d", i), Name: fmt.Sprintf("Exercise %d", i), Category: "Mobility warm-up",
		Duration: "1 min · hold 20 s each side", Seconds: 60, Steps: []string{"Stand tall.", "Breathe."}, Caution: "Go gently."}
}

// A compact routine shows a line and a Steps button per exercise: beside
// each line while there are blocks for that, else below the lines.
func TestRenderCompact(t *testing.T) {
	for _, n := range []int{9, 40, 60, 120} {
		r := bot.Reply{Title: "Your 60-minute break", Blocks: []string{"60 min in all."}, Note: "Safety note.", Compact: true,
			Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "b:1"}}}
		for i := range n {
			r.Cards = append(r.Cards, card(i))
		}
		name := fmt.Sprintf("%d cards", n)
		m := render(r)
		got := decode(t, m)
		checkLimits(t, name, m, got)
		checkNothingLost(t, name, r, got)
		if has(got.text, "Stand tall.") {
			t.Errorf("%s: compact routine shows steps", name)
		}
		if len(got.buttons) != n+1 {
			t.Errorf("%s: %d buttons, want a Steps button per card and Done", name, len(got.buttons))
		}
		if strings.Contains(got.text, "shortened") {
			t.Errorf("%s: cut", name)
		}
	}
	// Full cards that do not fit are shown compact instead of cut.
	r := bot.Reply{Title: "Many", Note: "Safety note."}
	for i := range 60 {
		c := card(i)
		c.Steps = []string{strings.Repeat("step ", 500)}
		r.Cards = append(r.Cards, c)
	}
	m := render(r)
	got := decode(t, m)
	checkLimits(t, "full that does not fit", m, got)
	checkNothingLost(t, "full that does not fit", r, got)
}

func FuzzRenderLimits(f *testing.F) {
	f.Add("Title", "block", "card", "step", "note", "v", false)
	f.Add("", "", "", "", "", "", true)
	f.Add(strings.Repeat("t", 300), strings.Repeat("b & ", 3000), strings.Repeat("c", 300), strings.Repeat("s<#C1|x>", 700), strings.Repeat("n", 2100), "v", false)
	f.Fuzz(func(t *testing.T, title, block, card, step, note, value string, compact bool) {
		var cards []bot.Card
		for i := range 12 {
			cards = append(cards, bot.Card{ID: card, Name: card, Category: card, Steps: []string{step, step}, Seconds: i})
		}
		r := bot.Reply{Title: title, Blocks: []string{block, block}, Cards: cards, Note: note, Compact: compact,
			Actions: []bot.Action{{ID: "done", Value: value}}}
		m := render(r)
		checkLimits(t, "fuzz", m, decode(t, m))
	})
}
