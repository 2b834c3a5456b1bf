package discord

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// readable is everything a person can read in m, in order: content,
// embeds, the options of select menus and the button labels.
func readable(m message) string {
	parts := []string{plainText(m)}
	for _, c := range m.Components {
		for _, el := range c.(discordgo.ActionsRow).Components {
			switch x := el.(type) {
			case discordgo.Button:
				parts = append(parts, x.Label)
			case discordgo.SelectMenu:
				for _, o := range x.Options {
					parts = append(parts, o.Label, o.Description)
				}
			}
		}
	}
	return strings.Join(parts, "\n")
}

// checkLimits fails for anything Discord would refuse.
func checkLimits(t *testing.T, name string, m message) {
	t.Helper()
	fail := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{name}, args...)...) }
	runes := utf8.RuneCountInString
	if n := runes(m.Content); n > 2000 {
		fail("content of %d characters", n)
	}
	if m.Content == "" && len(m.Embeds) == 0 {
		fail("nothing to show")
	}
	if len(m.Embeds) > 10 {
		fail("%d embeds", len(m.Embeds))
	}
	total := 0
	for i, e := range m.Embeds {
		total += runes(e.Title) + runes(e.Description)
		if runes(e.Title) > 256 || runes(e.Description) > 4096 || len(e.Fields) > 25 {
			fail("embed %d: title %d, description %d, %d fields", i, runes(e.Title), runes(e.Description), len(e.Fields))
		}
		for _, f := range e.Fields {
			total += runes(f.Name) + runes(f.Value)
			if runes(f.Name) > 256 || runes(f.Value) > 1024 || f.Name == "" || f.Value == "" {
				fail("embed %d: field name %d, value %d", i, runes(f.Name), runes(f.Value))
			}
		}
		if e.Footer != nil {
			total += runes(e.Footer.Text)
			if runes(e.Footer.Text) > 2048 {
				fail("embed %d: footer of %d", i, runes(e.Footer.Text))
			}
		}
	}
	if total > 6000 {
		fail("embeds hold %d characters together", total)
	}
	if len(m.Components) > 5 {
		fail("%d action rows", len(m.Components))
	}
	ids := map[string]bool{}
	id := func(s string) {
		if len(s) > 100 || s == "" || ids[s] {
			fail("custom_id %q is empty, too long or repeated", s)
		}
		ids[s] = true
	}
	for _, c := range m.Components {
		row := c.(discordgo.ActionsRow)
		if n := len(row.Components); n == 0 || n > 5 {
			fail("%d components in a row", n)
		}
		for _, el := range row.Components {
			switch x := el.(type) {
			case discordgo.Button:
				id(x.CustomID)
				if runes(x.Label) > 80 {
					fail("button label of %d", runes(x.Label))
				}
			case discordgo.SelectMenu:
				id(x.CustomID)
				if len(row.Components) != 1 || len(x.Options) == 0 || len(x.Options) > 25 || runes(x.Placeholder) > 150 {
					fail("select menu with %d options in a row of %d", len(x.Options), len(row.Components))
				}
				for _, o := range x.Options {
					if runes(o.Label) > 100 || len(o.Value) > 100 || runes(o.Description) > 100 || o.Label == "" || o.Value == "" {
						fail("select option %q / %q / %q", o.Label, o.Value, o.Description)
					}
				}
			default:
				fail("unexpected component %T", el)
			}
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// has reports whether s (as is or escaped) shows in text, apart from where
// text was split over fields.
func has(text, s string) bool {
	t := spaces.ReplaceAllString(text, "")
	return strings.Contains(t, spaces.ReplaceAllString(s, "")) || strings.Contains(t, spaces.ReplaceAllString(escape(s), ""))
}

// stepsValues are the values of every Steps control in m.
func stepsValues(m message) map[string]bool {
	out := map[string]bool{}
	for _, c := range m.Components {
		for _, el := range c.(discordgo.ActionsRow).Components {
			if s, ok := el.(discordgo.SelectMenu); ok {
				if a, _, ok := parseCustomID(s.CustomID); ok && a == bot.ActionSteps {
					for _, o := range s.Options {
						out[o.Value] = true
					}
				}
			}
		}
	}
	return out
}

// checkNothingLost fails unless everything in r reaches the reader: the
// title, paragraphs and note; each card's name, time and dose, and stage;
// its steps and caution, or a Steps control that shows them; every button.
func checkNothingLost(t *testing.T, name string, r bot.Reply, m message) {
	t.Helper()
	fail := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{name}, args...)...) }
	text := readable(m)
	for _, s := range append([]string{r.Title, r.Note}, r.Blocks...) {
		if !has(text, s) {
			fail("text %q lost", s)
		}
	}
	steps := stepsValues(m)
	for _, c := range r.Cards {
		for _, s := range []string{c.Name, c.Duration, c.Category} {
			if !has(text, s) {
				fail("card %s: %q lost", c.Name, s)
			}
		}
		full := has(text, c.Caution)
		for _, s := range c.Steps {
			full = full && has(text, s)
		}
		a, _ := c.StepsAction()
		if !full && !steps[a.Value] {
			fail("card %s: neither its steps nor a Steps control", c.Name)
		}
		if r.Compact && !steps[a.Value] {
			fail("compact card %s has no Steps control", c.Name)
		}
	}
	buttons := map[string]bool{}
	for _, c := range m.Components {
		for _, el := range c.(discordgo.ActionsRow).Components {
			if b, ok := el.(discordgo.Button); ok {
				buttons[b.CustomID] = true
			}
		}
	}
	for _, a := range r.Actions {
		if id, _ := customID(a); !buttons[id] {
			fail("button %s (%q) lost", a.Label, a.Value)
		}
	}
}

// The largest replies the core writes fit Discord with nothing lost: a
// 60-minute break at every place, every page of 200 reminders with the
// longest note in a channel with the longest name, deliveries, the
// library, help and every exercise.
func TestLargestRepliesFitDiscord(t *testing.T) {
	longest := strings.Repeat("stretch-and-move-", 6)[:100] // Discord channel names have at most 100 characters
	replies := testkit.LargestReplies(t, bot.Message{Platform: bot.Discord, Tenant: "876543210987654321", Channel: "1234567890123456789",
		ChannelName: longest, User: "1098765432109876543"})
	ids := map[string]bool{}
	for _, l := range replies {
		m := render(l.Reply)
		checkLimits(t, l.Name, m)
		checkNothingLost(t, l.Name, l.Reply, m)
		if strings.HasPrefix(l.Name, "list ") {
			for _, id := range regexp.MustCompile(`#[a-z0-9]{3,8} ·`).FindAllString(readable(m), -1) {
				ids[id] = true
			}
		}
	}
	if len(ids) != testkit.ListReminders {
		t.Errorf("list pages show %d reminders, want %d", len(ids), testkit.ListReminders)
	}
}

func card(i int) bot.Card {
	return bot.Card{ID: fmt.Sprintf("exercise-%d", i), Name: fmt.Sprintf("Exercise %d", i), Category: []string{"Mobility warm-up", "Traction"}[min(i/5, 1)],
		Duration: "1 min · hold 20 s each side", Seconds: 60, Steps: []string{"Stand tall.", "Breathe."}, Caution: "Go gently."}
}

// A compact routine lists every exercise a line each under its stage, with
// select menus of up to 25 exercises whose steps they show; with more
// exercises than the menus hold, the rest say how to see theirs.
func TestRenderCompact(t *testing.T) {
	for _, n := range []int{9, 25, 26, 60, 100} {
		r := bot.Reply{Title: "Your 60-minute break", Blocks: []string{"60 min in all."}, Note: "Safety note.", Compact: true,
			Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "b:1"}, {ID: bot.ActionSnooze, Label: "Snooze", Value: "k3f9"}}}
		for i := range n {
			r.Cards = append(r.Cards, card(i))
		}
		name := fmt.Sprintf("%d cards", n)
		m := render(r)
		checkLimits(t, name, m)
		checkNothingLost(t, name, r, m)
		if has(readable(m), "Stand tall.") {
			t.Errorf("%s: compact routine shows steps", name)
		}
		if got, want := len(m.Components), (n+24)/25+1; got != want {
			t.Errorf("%s: %d rows, want %d menus and the buttons", name, got, want)
		}
	}
	// With more exercises than four menus hold, the rest point to `exercise`.
	r := bot.Reply{Title: "Many", Compact: true, Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "b:1"}}}
	for i := range 110 {
		r.Cards = append(r.Cards, card(i))
	}
	m := render(r)
	checkLimits(t, "110 cards", m)
	if !has(readable(m), "steps of exercises 101 to 110") {
		t.Errorf("exercises without a menu do not say how to see their steps:\n%s", readable(m))
	}
	// Full cards that do not fit are shown compact instead of cut.
	r = bot.Reply{Title: "Long", Note: "Safety note."}
	for i := range 8 {
		c := card(i)
		c.Steps = []string{strings.Repeat("step ", 200)}
		r.Cards = append(r.Cards, c)
	}
	m = render(r)
	checkLimits(t, "full that does not fit", m)
	checkNothingLost(t, "full that does not fit", r, m)
	if len(stepsValues(m)) != 8 {
		t.Errorf("full cards that do not fit are not compact: %d Steps options", len(stepsValues(m)))
	}
}

// Text longer than content may be moves to embeds, whole; only input far
// beyond what the core writes is cut, and then says so.
func TestRenderLongText(t *testing.T) {
	long := strings.Repeat("word *x* ", 600) // 5400 characters; escapes grow it
	r := bot.Reply{Title: "Help", Blocks: []string{long[:3000], "short"}, Note: "Safety note."}
	m := render(r)
	checkLimits(t, "long", m)
	checkNothingLost(t, "long", r, m)
	if m.Content != "" || len(m.Embeds) < 1 || m.Embeds[len(m.Embeds)-1].Footer == nil {
		t.Errorf("long text: content %q, %d embeds", m.Content, len(m.Embeds))
	}
	huge := bot.Reply{Title: strings.Repeat("T", 300), Blocks: []string{long, long}, Note: "Safety note."}
	m = render(huge)
	checkLimits(t, "huge", m)
	if !has(readable(m), shortenedNotice) || !has(readable(m), "Safety note.") {
		t.Errorf("a cut message does not say so, or lost its note")
	}
	p := render(bot.Reply{Blocks: []string{"Take a break."}, Note: "Safety note."})
	if p.Content != "Take a break.\n\n-# Safety note." || len(p.Embeds) != 0 {
		t.Errorf("short text = %q with %d embeds", p.Content, len(p.Embeds))
	}
}
