package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

func (b *Bot) help(_ context.Context, req *Request) (Reply, error) {
	if req.Args != "" {
		name := strings.ToLower(strings.TrimPrefix(strings.Fields(req.Args)[0], "/"))
		c, ok := b.index[name]
		if !ok {
			return Reply{}, b.noSuchCommand(name)
		}
		blocks := []string{c.Summary, "Usage: " + c.Usage()}
		if len(c.Aliases) > 0 {
			blocks = append(blocks, "Also: "+strings.Join(c.Aliases, ", "))
		}
		blocks = append(blocks, "Examples:\n  "+strings.Join(c.Examples, "\n  "))
		if slices.ContainsFunc(c.Params, func(p Param) bool { return p.Kind == WhenParam }) {
			blocks = append(blocks, whenHelp)
		}
		return Reply{Title: "How to use " + c.Name, Blocks: blocks, Visibility: Private}, nil
	}
	lines := make([]string, 0, len(b.commands))
	for _, c := range b.commands {
		lines = append(lines, fmt.Sprintf("%s — %s  e.g. `%s`", c.Usage(), c.Summary, c.Examples[0]))
	}
	return Reply{
		Title:      "stretchbot: back-care stretch breaks",
		Blocks:     []string{strings.Join(lines, "\n"), "Times use your time zone; say `help remind` for every way to write one."},
		Visibility: Private,
	}, nil
}

const whenHelp = `When can be:
  in 20 minutes · in 1 hour 30 minutes · in 2h
  at 15:30 · at 3pm · at 9:15 tomorrow · at 10am on friday · at 08:00 on 2027-01-04
  every 45 minutes · every 2 hours between 9:00 and 17:00 on weekdays
  every day at 10:30 · every weekday at 10:30 and 15:00 · every mon,wed,fri at 11am · every weekend at 9
  cron "*/30 9-17 * * 1-5" · cron "CRON_TZ=Europe/Berlin 0 10 * * *" · @daily · @hourly`
