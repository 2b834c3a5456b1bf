package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// helpSize is the length of what a reply shows: its title and blocks.
func helpSize(r bot.Reply) int {
	n := len(r.Title)
	for _, b := range r.Blocks {
		n += len(b)
	}
	return n
}

// help is short enough to read at a glance, and names every command once.
func TestHelpIsShort(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("help")
	if n := helpSize(r); n > 2000 {
		t.Errorf("help is %d bytes; keep it near 1.5 KB and put details behind help <command>", n)
	}
	lines := strings.Split(r.Blocks[0], "\n")
	if len(lines) != len(bot.Commands()) {
		t.Errorf("help has %d lines for %d commands", len(lines), len(bot.Commands()))
	}
}

// help gives every command with one example, which works as typed.
func TestHelpGivesAnExampleEach(t *testing.T) {
	k := testkit.New(t)
	lines := strings.Split(k.Send("help").Blocks[0], "\n")
	for i, c := range bot.Commands() {
		if i >= len(lines) {
			break
		}
		_, ex, ok := strings.Cut(lines[i], "`")
		ex, _, closed := strings.Cut(ex, "`")
		if !ok || !closed || !strings.HasPrefix(lines[i], c.Name+" — ") {
			t.Errorf("help line %q gives no example for %s", lines[i], c.Name)
			continue
		}
		if r := k.Send(ex); refusedAsInvalid(r) {
			t.Errorf("help shows %q for %s, which is refused:\n%s", ex, c.Name, r.PlainText())
		}
	}
}

// A help page says each thing once and plainly: no range given twice, no
// option whose empty form is left unexplained, and a usage line that admits
// every example.
func TestHelpPagesReadPlainly(t *testing.T) {
	k := testkit.New(t)
	for _, c := range bot.Commands() {
		page := k.Send("help " + c.Name).PlainText()
		if strings.Contains(page, ") (1 to") || strings.Contains(page, "(empty: see)") {
			t.Errorf("help %s:\n%s", c.Name, page)
		}
	}
	bottest.MustContain(t, k.Send("help summary"), "Usage: summary [<when>|off]")
	if page := k.Send("help level").PlainText(); strings.Contains(page, "hard (empty: see yours): easy") {
		t.Errorf("help level names its choices twice:\n%s", page)
	}
	if page := k.Send("help stats").PlainText(); strings.Contains(page, "they never do: public") {
		t.Errorf("help stats runs its choices into its summary:\n%s", page)
	}
}

// Every example a help page shows works when typed as it is: the
// command's own examples, and each way of writing <when> after
// "remind me". Ids in examples name no reminder, which is "not found",
// not a refusal of the command.
func TestEveryHelpExampleWorks(t *testing.T) {
	k := testkit.New(t)
	for _, c := range bot.Commands() {
		page := k.Send("help " + c.Name)
		if page.Error {
			t.Errorf("help %s refused:\n%s", c.Name, page.PlainText())
			continue
		}
		for _, ex := range helpExamples(c.Name, page) {
			if r := k.Send(ex); refusedAsInvalid(r) {
				t.Errorf("help %s shows %q, which is refused:\n%s", c.Name, ex, r.PlainText())
			}
		}
	}
}

// helpExamples returns the commands the help page of command name offers
// to type: its examples, and its ways to say a time after the command
// (after `remind me` for the commands that share them).
func helpExamples(name string, r bot.Reply) []string {
	prefix := "remind me "
	if name == "summary" {
		prefix = "summary "
	}
	var out []string
	for _, b := range r.Blocks {
		if rest, ok := strings.CutPrefix(b, "Examples:\n"); ok {
			for _, l := range strings.Split(rest, "\n") {
				out = append(out, strings.TrimSpace(l))
			}
		}
		if rest, ok := strings.CutPrefix(b, "When can be:\n"); ok {
			for _, l := range strings.Split(rest, "\n") {
				for _, w := range strings.Split(l, " · ") {
					out = append(out, prefix+strings.TrimSpace(w))
				}
			}
		}
	}
	return out
}

// Every parameter is explained on its command's page.
func TestHelpPagesNameEveryOption(t *testing.T) {
	k := testkit.New(t)
	for _, c := range bot.Commands() {
		page := k.Send("help " + c.Name).PlainText()
		for _, p := range c.Params {
			if !strings.Contains(page, p.Name+" — "+p.Summary) {
				t.Errorf("help %s does not explain %s:\n%s", c.Name, p.Name, page)
			}
		}
	}
}

// Quick answers help and a bare mention exactly as Handle does, as
// Fixed replies, and leaves everything else to Handle.
func TestQuick(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{"help", "/stretch help", "help schedule", "HELP Remind", "help ls", "", "<@U0BOT>"} {
		m := msg(in)
		q, ok := k.Bot.Quick(m)
		if !ok {
			t.Errorf("Quick(%q) declined", in)
			continue
		}
		h := k.Bot.Handle(context.Background(), m)
		if q.Fixed == "" || q.Fixed != h.Fixed || q.Title != h.Title || !slices.Equal(q.Blocks, h.Blocks) || q.Visibility != h.Visibility {
			t.Errorf("Quick(%q) = %+v, Handle = %+v", in, q, h)
		}
	}
	for _, in := range []string{"break", "list", "help flarp", "helpp", "timezone", "remind me in 5 min"} {
		if r, ok := k.Bot.Quick(msg(in)); ok {
			t.Errorf("Quick(%q) answered %+v; only fixed answers are quick", in, r)
		}
	}
	// A reply handed out is the caller's to change.
	r, _ := k.Bot.Quick(msg("help"))
	r.Blocks[0] = "changed"
	if again, _ := k.Bot.Quick(msg("help")); again.Blocks[0] == "changed" {
		t.Error("changing one help reply changed the next")
	}
}

// msg is text from the console's default user.
func msg(text string) bot.Message {
	return bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console", Text: text}
}
