package bot_test

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
	"github.com/stretchbot/stretchbot/routines"
)

var paramName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

func command(t *testing.T, name string) bot.Command {
	t.Helper()
	for _, c := range bot.Commands() {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no command %s", name)
	return bot.Command{}
}

// The table is data adapters build schemas from: every field they rely on
// is filled in and well formed.
func TestCommandTableIsWellFormed(t *testing.T) {
	words := map[string]string{}
	for _, c := range bot.Commands() {
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			if w != strings.ToLower(w) || strings.ContainsAny(w, " \t") {
				t.Errorf("%s: command word %q is not one lowercase word", c.Name, w)
			}
			if other, dup := words[w]; dup {
				t.Errorf("word %q belongs to %s and %s", w, other, c.Name)
			}
			words[w] = c.Name
		}
		if n := utf8.RuneCountInString(c.Summary); n < 1 || n > 100 || strings.Contains(c.Summary, "\n") {
			t.Errorf("%s: summary must be one line of 1–100 characters: %q", c.Name, c.Summary)
		}
		if len(c.Examples) == 0 {
			t.Errorf("%s: no example", c.Name)
		}
		for _, ex := range c.Examples {
			first := strings.Fields(ex)[0]
			if first != c.Name && !slices.Contains(c.Aliases, first) {
				t.Errorf("%s: example %q does not start with the command", c.Name, ex)
			}
		}
		seen := map[string]bool{}
		optional := false
		for _, p := range c.Params {
			what := c.Name + " " + p.Name
			if !paramName.MatchString(p.Name) || seen[p.Name] {
				t.Errorf("%s: parameter names are unique lowercase words", what)
			}
			seen[p.Name] = true
			if strings.HasPrefix(p.Kind.String(), "ParamKind(") {
				t.Errorf("%s: unknown kind %v", what, p.Kind)
			}
			if n := utf8.RuneCountInString(p.Summary); n < 1 || n > 100 || strings.Contains(p.Summary, "\n") {
				t.Errorf("%s: summary must be one line of 1–100 characters: %q", what, p.Summary)
			}
			if p.Example == "" {
				t.Errorf("%s: no example", what)
			}
			if (p.Kind == bot.ChoiceParam) != (len(p.Choices) > 0) {
				t.Errorf("%s: choices %v on a %v parameter", what, p.Choices, p.Kind)
			}
			if p.Kind == bot.MinutesParam && (p.Min < 1 || p.Max < p.Min) {
				t.Errorf("%s: range %d–%d", what, p.Min, p.Max)
			}
			if p.Required && optional {
				t.Errorf("%s: required after an optional parameter", what)
			}
			optional = optional || !p.Required
		}
	}
}

func TestCommandsReturnsACopy(t *testing.T) {
	a := bot.Commands()
	a[1].Name = "changed"
	a[1].Params[1].Choices[0] = "changed"
	b := bot.Commands()
	if b[1].Name == "changed" || b[1].Params[1].Choices[0] == "changed" {
		t.Fatal("changing the result of Commands changed the table")
	}
}

func TestCommandText(t *testing.T) {
	tests := []struct {
		cmd     string
		values  map[string]string
		want    string
		wantErr string
	}{
		{"break", nil, "break", ""},
		{"break", map[string]string{"minutes": "10", "focus": "desk"}, "break 10 min desk", ""},
		{"break", map[string]string{"minutes": "10 min"}, "break 10 min", ""},
		{"exercise", map[string]string{"name": "  cat   cow "}, "exercise cat cow", ""},
		{"exercise", map[string]string{"name": " "}, "", "needs `name`"},
		{"remind", map[string]string{"when": "in 20 minutes"}, "remind me in 20 minutes", ""},
		{"remind", map[string]string{"when": "Me at 3pm"}, "remind me at 3pm", ""},
		{"schedule", map[string]string{"when": "every day at 9", "channel": "123"}, "schedule every day at 9 in <#123>", ""},
		{"schedule", map[string]string{"when": "every day at 9", "channel": "<#123>"}, "schedule every day at 9 in <#123>", ""},
		{"cancel", map[string]string{"id": "##k3f9"}, "cancel k3f9", ""},
		{"cancel", map[string]string{"id": "#"}, "", "needs `id`"},
		{"pause", map[string]string{"id": "all", "for": "2h"}, "pause all for 2h", ""},
		{"pause", map[string]string{"id": "k3f9", "for": "UNTIL friday"}, "pause k3f9 until friday", ""},
		{"pause", map[string]string{"id": "k3f9", "for": "for"}, "pause k3f9 for", ""},
		{"snooze", map[string]string{"id": "k3f9", "for": "by 5 min"}, "snooze k3f9 by 5 min", ""},
		{"timezone", map[string]string{"zone": "Europe/Berlin"}, "timezone Europe/Berlin", ""},
	}
	for _, tt := range tests {
		t.Run(tt.cmd+"/"+tt.want, func(t *testing.T) {
			c := command(t, tt.cmd)
			got, err := c.Text(func(name string) string { return tt.values[name] })
			if tt.wantErr != "" {
				if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), tt.wantErr) {
					t.Fatalf("err = %v, want EINVALID containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Text = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

var reminderID = regexp.MustCompile(`#([a-z0-9]{3,8})`)

// The text Text builds from every parameter's example is a command the
// core carries out, so an adapter's form never produces a refusal.
func TestParamExamplesRun(t *testing.T) {
	// Commands that need a reminder in a particular state first, one
	// command a line: `list 2` needs more reminders than one page shows.
	setup := map[string]string{"resume": "pause #ID", "list": strings.Repeat("remind me every day at 10:00\n", bot.ListPage)}
	for _, c := range bot.Commands() {
		for _, all := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/all=%v", c.Name, all), func(t *testing.T) {
				k := testkit.New(t)
				// A delivered repeating reminder, for the commands taking an id.
				r := k.Send("remind me every day at 9:01")
				m := reminderID.FindStringSubmatch(r.PlainText())
				if m == nil {
					t.Fatalf("no id in %q", r.PlainText())
				}
				id := m[1]
				k.Advance(time.Minute)
				k.Tick()
				for _, s := range strings.Split(strings.TrimSpace(setup[c.Name]), "\n") {
					if s == "" {
						continue
					}
					if r := k.Send(strings.ReplaceAll(s, "ID", id)); r.Error {
						t.Fatalf("%s: %s", s, r.PlainText())
					}
				}
				text, err := c.Text(func(name string) string {
					for _, p := range c.Params {
						if p.Name == name && (all || p.Required) {
							if p.Kind == bot.IDParam {
								return "#" + id
							}
							return p.Example
						}
					}
					return ""
				})
				if err != nil {
					t.Fatal(err)
				}
				r = k.Send(text)
				if r.Error {
					t.Errorf("%q was refused: %s", text, r.PlainText())
				}
				// Adapters that answer before the core (deferrals) pick the
				// visibility from Public; a public answer must not be hidden.
				if r.Visibility == bot.Public && !c.Public {
					t.Errorf("%q answered publicly, but %s is not marked Public", text, c.Name)
				}
			})
		}
	}
}

// Every choice offered is one the core accepts, and the minutes range is
// the one the core enforces.
func TestParamChoicesAndRangesAreAccepted(t *testing.T) {
	k := testkit.New(t)
	for _, c := range bot.Commands() {
		for _, p := range c.Params {
			for _, v := range p.Choices {
				text, _ := c.Text(func(name string) string {
					if name == p.Name {
						return v
					}
					return ""
				})
				if r := k.Send(text); r.Error {
					t.Errorf("choice %q of %s %s: %q was refused: %s", v, c.Name, p.Name, text, r.PlainText())
				}
			}
			if p.Kind != bot.MinutesParam {
				continue
			}
			for n, ok := range map[int]bool{p.Min: true, p.Max: true, p.Min - 1: false, p.Max + 1: false} {
				text, _ := c.Text(func(name string) string {
					if name == p.Name {
						return fmt.Sprint(n)
					}
					return ""
				})
				if r := k.Send(text); r.Error == ok {
					t.Errorf("%q: refused = %v, want %v: %s", text, r.Error, !ok, r.PlainText())
				}
			}
		}
	}
	categories := command(t, "exercises").Params[0].Choices
	for _, c := range routines.Categories {
		if !slices.Contains(categories, string(c)) {
			t.Errorf("category %s is not offered by exercises", c)
		}
	}
}

// README's command table and `help` name the same commands.
func TestREADMECommandTableMatchesHelp(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Commands\n")
	if !ok {
		t.Fatal("README has no Commands section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	inREADME := map[string]bool{}
	code := regexp.MustCompile("`([^`]+)`")
	for _, line := range strings.Split(section, "\n") {
		// `\|` is a pipe inside a cell, not a cell border.
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "/"), "|")
		if len(cells) < 3 || strings.HasPrefix(strings.TrimSpace(cells[1]), "---") || strings.TrimSpace(cells[1]) == "command" {
			continue
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			inREADME[strings.Fields(m[1])[0]] = true
		}
	}
	if len(inREADME) == 0 {
		t.Fatal("README's Commands section has no command table")
	}

	k := testkit.New(t)
	help := k.Send("help")
	inHelp := map[string]bool{}
	for _, line := range strings.Split(help.Blocks[0], "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			inHelp[f[0]] = true
		}
	}
	for w := range inHelp {
		if !inREADME[w] {
			t.Errorf("help lists %q, README's command table does not", w)
		}
	}
	for w := range inREADME {
		if !inHelp[w] {
			t.Errorf("README's command table lists %q, help does not", w)
		}
	}
}

// Whatever a form sends, Text answers with the command's own text or a
// user error, never a panic or a different command.
func FuzzCommandText(f *testing.F) {
	f.Add("pause", "#k3f9", "until friday")
	f.Add("schedule", "every day at 9", "<#C1>")
	f.Add("break", "10", "desk")
	f.Add("cancel", "#", "")
	f.Add("remind", "me", "")
	f.Fuzz(func(t *testing.T, name, first, second string) {
		for _, c := range bot.Commands() {
			if c.Name != name && name != "" {
				continue
			}
			text, err := c.Text(func(p string) string {
				if len(c.Params) > 0 && p == c.Params[0].Name {
					return first
				}
				return second
			})
			if err != nil {
				if bot.ErrorCode(err) != bot.EINVALID || bot.ErrorMessage(err) == "" {
					t.Fatalf("%s: error %v is not a user error", c.Name, err)
				}
				continue
			}
			if w := strings.Fields(text)[0]; w != c.Name {
				t.Fatalf("%s: text %q starts with %q", c.Name, text, w)
			}
		}
	})
}
