package slack

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

// reflected is the payload as json.Marshal writes it without the
// hand-written writer.
func reflected(t testing.TB, p responsePayload) []byte {
	type plain responsePayload
	b, err := json.Marshal(plain(p))
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	return b
}

// checkSameJSON fails unless the hand-written bytes are json.Marshal's,
// whenever the writer claims the payload.
func checkSameJSON(t testing.TB, name string, p responsePayload) bool {
	t.Helper()
	got, ok := p.AppendJSON(nil)
	if !ok {
		return false
	}
	if want := reflected(t, p); !bytes.Equal(got, want) {
		t.Errorf("%s: written\n%s\nwant json.Marshal's\n%s", name, got, want)
	}
	marshaled, err := json.Marshal(p)
	if err != nil || !bytes.Equal(marshaled, got) {
		t.Errorf("%s: json.Marshal through MarshalJSON gave %s, %v", name, marshaled, err)
	}
	return true
}

// replyCorpus is replies of every shape the core sends: titles, cards in
// full and compact, notes, buttons with styles, and text that JSON must
// escape.
func replyCorpus() []bot.Reply {
	card := bot.Card{ID: "childs-pose", Name: "Child's pose", Category: "range of motion", Duration: "1 min · hold 30 s",
		Detail: "on the floor <mat> & knees", Steps: []string{"Kneel \"sit back\"", "Reach\tforward\n", "Breathe \u2028 slowly"},
		Caution: "Stop if it hurts.", Seconds: 60}
	actions := []bot.Action{{ID: bot.ActionDone, Label: "Done ✓", Value: "r1", Style: "primary"},
		{ID: bot.ActionSnooze, Label: "Snooze", Value: "r1|10m"}, {ID: bot.ActionSkip, Label: "Skip", Value: "", Style: "danger"}}
	return []bot.Reply{
		{},
		{Title: "Your reminders", Blocks: []string{"• every weekday at 10:30 <#C1|general> & more", "\x01 control \x7f"}},
		{Title: "Break", Cards: []bot.Card{card, card}, Note: "Safety first: *go gently*.", Actions: actions, Visibility: bot.Public},
		{Title: strings.Repeat("long title ", 30), Cards: []bot.Card{card, card, card}, Compact: true, Actions: actions},
		{Blocks: []string{strings.Repeat("x & y ", 1000)}, Note: strings.Repeat("n", 300), Error: true},
		{Title: "bad \xff utf-8", Blocks: []string{"\xc3\x28 \u2029"}},
	}
}

func TestPayloadJSONMatchesMarshal(t *testing.T) {
	for i, r := range replyCorpus() {
		if !checkSameJSON(t, "reply "+string(rune('A'+i)), payloadFor(r)) {
			t.Errorf("reply %d: the writer gave the payload back to json.Marshal", i)
		}
	}
	yes, no := true, false
	blocks := []slack.Block{
		slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, "h", true, false), slack.HeaderBlockOptionBlockID("b"), slack.HeaderBlockOptionLevel(2)),
		slack.NewDividerBlock(),
		&slack.DividerBlock{Type: slack.MBTDivider, BlockID: "d"},
		slack.NewContextBlock("c", slack.NewTextBlockObject(slack.MarkdownType, "ctx", false, true)),
		&slack.ContextBlock{Type: slack.MBTContext},
		&slack.ActionBlock{Type: slack.MBTAction},
		&slack.ActionBlock{Type: slack.MBTAction, Elements: &slack.BlockElements{}},
		&slack.ActionBlock{Type: slack.MBTAction, Elements: &slack.BlockElements{ElementSet: []slack.BlockElement{}}},
		&slack.SectionBlock{Type: slack.MBTSection, Expand: true},
		slack.NewSectionBlock(nil, nil, slack.NewAccessory(&slack.ButtonBlockElement{URL: "https://example.com/?a=1&b=2"})),
		slack.NewActionBlock("a", slack.NewButtonBlockElement("id", "v", nil).WithStyle(slack.StyleDanger)),
	}
	for _, p := range []responsePayload{
		{Text: "only text"},
		{Text: "nil blocks", Blocks: []slack.Block(nil)},
		{Text: "t", Blocks: blocks, ReplaceOriginal: &yes},
		{ResponseType: "in_channel", Text: "t", Blocks: []slack.Block{}, ReplaceOriginal: &no},
	} {
		if !checkSameJSON(t, p.Text, p) {
			t.Errorf("%q: the writer gave the payload back to json.Marshal", p.Text)
		}
	}
}

// The writer gives back what it does not know, and json.Marshal writes it.
func TestPayloadJSONFallsBack(t *testing.T) {
	btn := slack.NewButtonBlockElement("id", "v", nil)
	btn.Confirm = slack.NewConfirmationBlockObject(nil, nil, nil, nil)
	for name, p := range map[string]responsePayload{
		"image block":      {Blocks: []slack.Block{slack.NewImageBlock("https://example.com/i.png", "alt", "", nil)}},
		"raw blocks":       {Blocks: []json.RawMessage{json.RawMessage(`{"type":"divider"}`)}},
		"section fields":   {Blocks: []slack.Block{slack.NewSectionBlock(nil, []*slack.TextBlockObject{slack.NewTextBlockObject(slack.MarkdownType, "f", false, false)}, nil)}},
		"confirm":          {Blocks: []slack.Block{slack.NewActionBlock("a", btn)}},
		"image accessory":  {Blocks: []slack.Block{slack.NewSectionBlock(nil, nil, slack.NewAccessory(slack.NewImageBlockElement("https://example.com/i.png", "alt")))}},
		"image in context": {Blocks: []slack.Block{slack.NewContextBlock("", slack.NewImageBlockElement("https://example.com/i.png", "alt"))}},
	} {
		if _, ok := p.AppendJSON(nil); ok {
			t.Errorf("%s: written by hand; want json.Marshal's", name)
		}
		got, err := json.Marshal(p)
		if err != nil || !bytes.Equal(got, reflected(t, p)) {
			t.Errorf("%s: json.Marshal gave %s, %v", name, got, err)
		}
		buf, err := respond.EncodeJSON(p)
		if err != nil || buf.String() != string(reflected(t, p))+"\n" {
			t.Errorf("%s: EncodeJSON gave %q, %v", name, buf.String(), err)
		}
		respond.Release(buf)
	}
}

func FuzzPayloadJSON(f *testing.F) {
	f.Add("Title", "para <&>", "card", "step\t\"q\"", "note", "done", "Done", "value", "primary", false, false)
	f.Add("", "", "", "", "", "", "", "", "", true, true)
	f.Add("\xff\u2028", strings.Repeat("&", 4000), "x", "\x00\x1f\x7f", "y", "a#1", "l", "v", "danger", true, false)
	f.Fuzz(func(t *testing.T, title, para, card, step, note, id, label, value, style string, compact, public bool) {
		vis := bot.Private
		if public {
			vis = bot.Public
		}
		r := bot.Reply{Title: title, Blocks: []string{para}, Note: note, Compact: compact, Visibility: vis,
			Cards:   []bot.Card{{ID: card, Name: card, Detail: step, Steps: []string{step, para}, Caution: note}, {Name: card}},
			Actions: []bot.Action{{ID: bot.ActionID(id), Label: label, Value: value, Style: style}, {ID: bot.ActionSteps, Value: value}}}
		p := payloadFor(r)
		checkSameJSON(t, "fuzz", p)
		buf, err := respond.EncodeJSON(p)
		if err != nil || buf.String() != string(reflected(t, p))+"\n" {
			t.Errorf("EncodeJSON gave %q, %v", buf.String(), err)
		}
		respond.Release(buf)
		s := string(title + para + step)
		if got, want := respond.AppendString(nil, s), must(json.Marshal(s)); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkPayloadJSON writes a break's answer (three full cards, a note
// and buttons) by hand and through reflection.
func BenchmarkPayloadJSON(b *testing.B) {
	r := replyCorpus()[2]
	r.Cards = append(r.Cards, r.Cards[0])
	p := payloadFor(r)
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ := respond.EncodeJSON(p)
			respond.Release(buf)
		}
	})
	b.Run("reflect", func(b *testing.B) {
		type plain responsePayload
		b.ReportAllocs()
		for b.Loop() {
			buf, _ := respond.EncodeJSON(plain(p))
			respond.Release(buf)
		}
	})
}
