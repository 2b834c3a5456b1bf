package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Help is short: one line per command with one example, and `help <command>` for a
// command's options and examples. Both are built from the command table
// once, when the Bot is, and every answer reuses them: they are the same
// for everybody, so they are Fixed replies that adapters render once too.

// helpTitle heads the list of commands.
const helpTitle = "stretchbot: back-care stretch breaks"

// buildHelp makes the help replies: "" for the list of commands, and each
// command's name for its own page.
func buildHelp(cmds []*Command) map[string]Reply {
	out := make(map[string]Reply, len(cmds)+1)
	lines := make([]string, 0, len(cmds))
	for _, c := range cmds {
		lines = append(lines, c.Name+" — "+brief(c.Summary)+": `"+listExample(c)+"`")
	}
	out[""] = Reply{
		Title: helpTitle,
		Blocks: []string{strings.Join(lines, "\n"),
			"`help <command>` shows one in full, with examples: `help remind`."},
		Visibility: Private,
		Fixed:      "help",
	}
	for _, c := range cmds {
		out[c.Name] = commandHelp(c)
	}
	return out
}

// listExample is the example the list of commands gives a command: its
// first, but for help itself, which is what was just typed, a page of help.
func listExample(c *Command) string {
	if c.Name == "help" && len(c.Examples) > 1 {
		return c.Examples[1]
	}
	return c.Examples[0]
}

// brief is the first phrase of a summary, up to the first comma, colon,
// semicolon, bracket or full stop: "Shows the exercise library, grouped by
// category." is "Shows the exercise library". The full summary heads the
// command's own page.
func brief(summary string) string {
	if i := strings.IndexAny(summary, ",;:(."); i > 0 {
		summary = summary[:i]
	}
	return strings.TrimSpace(summary)
}

// commandHelp is one command's help page: what it does, how to type it,
// its options and examples that work as they are.
func commandHelp(c *Command) Reply {
	blocks := []string{c.Summary, "Usage: " + c.Usage()}
	if len(c.Aliases) > 0 {
		blocks = append(blocks, "Also: "+strings.Join(c.Aliases, ", "))
	}
	if len(c.Params) > 0 {
		lines := make([]string, 0, len(c.Params)+1)
		lines = append(lines, "Options:")
		for _, p := range c.Params {
			lines = append(lines, "  "+paramHelp(p))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	blocks = append(blocks, "Examples:\n  "+strings.Join(c.Examples, "\n  "))
	if i := slices.IndexFunc(c.Params, func(p Param) bool { return p.Kind == WhenParam }); i >= 0 {
		if forms := c.Params[i].Forms; len(forms) > 0 {
			blocks = append(blocks, "When can be:\n  "+strings.Join(forms, " · "))
		} else {
			blocks = append(blocks, whenHelp)
		}
	}
	return Reply{Title: "How to use " + c.Name, Blocks: blocks, Visibility: Private, Fixed: "help " + c.Name}
}

// paramHelp is one line about a parameter: its name, what it is, and the
// values it takes when there are few.
func paramHelp(p Param) string {
	s := p.Name + " — " + p.Summary
	switch {
	case p.Kind == ChoiceParam && len(p.Choices) > 0:
		s += ": " + strings.Join(p.Choices, ", ")
	case p.Kind == MinutesParam && p.Max > 0:
		s += fmt.Sprintf(" (%d to %d)", p.Min, p.Max)
	}
	switch {
	case p.Required:
		s += " (required)"
	case p.SlashRequired:
		s += " (optional when typed; Discord's slash command asks for it)"
	}
	return s
}

// whenHelp lists the ways to write <when>, each one an example that parses
// (a test types every one back).
const whenHelp = `When can be:
  in 20 minutes · in 1 hour 30 minutes · in 2h
  at 15:30 · at 3pm · at 9:15 tomorrow · at 10am on friday · at 08:00 on december 15
  every 45 minutes · every 2 hours between 9:00 and 17:00 on weekdays
  every day at 10:30 · every weekday at 10:30 and 15:00 · every mon,wed,fri at 11am · every weekend at 9
  cron "*/30 9-17 * * 1-5" · cron "CRON_TZ=Europe/Berlin 0 10 * * *" · @daily · @hourly`

func (b *Bot) help(_ context.Context, req *Request) (Reply, error) {
	r, err := b.helpFor(req.Args)
	if err != nil {
		return Reply{}, err
	}
	return r, nil
}

// helpFor is the help reply for the words after "help": the list of
// commands, or one command's page. It reads nothing but the Bot, so it is
// also Quick's answer.
func (b *Bot) helpFor(args string) (Reply, error) {
	name := ""
	if f := strings.Fields(args); len(f) > 0 {
		name = strings.ToLower(strings.TrimPrefix(f[0], "/"))
		if name == "me" || name == "please" || name == "pls" {
			return b.helpFor("") // "help me", "help please"
		}
		if (name == "with" || name == "on" || name == "for" || name == "about") && len(f) > 1 {
			return b.helpFor(strings.Join(f[1:], " ")) // "help with hours"
		}
		if t := strings.Trim(name, "\"'“”‘’`#"); t != "" {
			name = t // "help #remind", "help “remind”"
		}
		c, ok := b.index[name]
		if !ok {
			return Reply{}, b.noSuchCommand(name)
		}
		name = c.Name
	}
	r := b.helpReplies[name]
	// The caller may change its reply; the shared one must stay as built.
	r.Blocks = slices.Clone(r.Blocks)
	return r, nil
}
