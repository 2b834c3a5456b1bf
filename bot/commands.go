package bot

import (
	"context"
	"fmt"
	"strings"
)

// builtinCommands is the command table, in the order help lists it.
func (b *Bot) builtinCommands() []*Command {
	return []*Command{
		{Name: "help", Args: "[command]", Summary: "Lists every command with an example, or explains one.",
			Examples: []string{"help", "help schedule"}, Run: b.help},
		{Name: "break", Aliases: []string{"stretch", "breaks"}, Args: "[minutes] [desk|floor|anywhere] [category] [easy]",
			Summary:  "Gives you a short stretch routine right now (about 5 minutes unless you say otherwise).",
			Examples: []string{"break", "break 2 min", "break 10 minutes", "break desk", "break strengthening"}, Run: b.breakCmd},
		{Name: "exercises", Aliases: []string{"library", "catalog", "catalogue"}, Args: "[category]",
			Summary:  "Shows the exercise library, grouped by category.",
			Examples: []string{"exercises", "exercises traction"}, Run: b.exercisesCmd},
		{Name: "exercise", Aliases: []string{"show", "how"}, Args: "<name or id>",
			Summary:  "Explains one exercise in full: steps, time, position, equipment and cautions.",
			Examples: []string{"exercise child's pose", "exercise knees-to-chest"}, Run: b.exerciseCmd},
		{Name: "remind", Args: "me <when> [to <note>]",
			Summary:  "Sets a personal reminder, once or repeating, in your time zone.",
			Examples: []string{"remind me every weekday at 10:30", "remind me in 20 minutes to stand up", "remind me at 3pm", "remind me cron \"*/30 9-17 * * 1-5\""}, Run: b.remindCmd},
		{Name: "schedule", Args: "<when> [minutes] [desk|floor] [category] [in #channel]",
			Summary:  "Schedules team stretch breaks posted to a channel (this one unless you name another).",
			Examples: []string{"schedule every weekday at 15:00", "schedule every 2 hours between 9:00 and 17:00 on weekdays in #general", "schedule every day at 11am 5 min desk"}, Run: b.scheduleCmd},
		{Name: "list", Aliases: []string{"reminders", "schedules", "ls"},
			Summary:  "Lists your reminders and this channel's schedules with their next run.",
			Examples: []string{"list"}, Run: b.listCmd},
		{Name: "cancel", Aliases: []string{"delete", "remove", "rm"}, Args: "<id>",
			Summary:  "Deletes a reminder or schedule.",
			Examples: []string{"cancel #k3f9"}, Run: b.cancelCmd},
		{Name: "pause", Args: "<id|all> [for <duration>|until <when>]",
			Summary:  "Stops deliveries until you resume, or for a while.",
			Examples: []string{"pause #k3f9", "pause all for 2 hours", "pause #k3f9 until tomorrow 9am"}, Run: b.pauseCmd},
		{Name: "resume", Aliases: []string{"unpause"}, Args: "<id|all>",
			Summary:  "Starts a paused reminder or schedule again.",
			Examples: []string{"resume #k3f9", "resume all"}, Run: b.resumeCmd},
		{Name: "skip", Args: "<id>",
			Summary:  "Skips only the next run.",
			Examples: []string{"skip #k3f9"}, Run: b.skipCmd},
		{Name: "snooze", Args: "<id> [duration]",
			Summary:  "Sends the last delivered break again after a while (10 minutes unless you say).",
			Examples: []string{"snooze #k3f9", "snooze #k3f9 30 min"}, Run: b.snoozeCmd},
		{Name: "done", Aliases: []string{"did", "finished"},
			Summary:  "Records that you did your last break.",
			Examples: []string{"done"}, Run: b.doneCmd},
		{Name: "stats", Aliases: []string{"streak"},
			Summary:  "Shows your breaks done and your streak; in a channel, who took part.",
			Examples: []string{"stats"}, Run: b.statsCmd},
		{Name: "timezone", Aliases: []string{"tz", "zone"}, Args: "[IANA zone]",
			Summary:  "Shows or sets your time zone; new reminders use it.",
			Examples: []string{"timezone Europe/Berlin", "timezone"}, Run: b.timezoneCmd},
	}
}

func (b *Bot) help(_ context.Context, req *Request) (Reply, error) {
	if req.Args != "" {
		name := strings.ToLower(strings.TrimPrefix(strings.Fields(req.Args)[0], "/"))
		c, ok := b.index[name]
		if !ok {
			return Reply{}, Invalid("help schedule", "There is no command %q to explain.", truncate(name, 40))
		}
		blocks := []string{c.Summary, "Usage: " + c.Usage()}
		if len(c.Aliases) > 0 {
			blocks = append(blocks, "Also: "+strings.Join(c.Aliases, ", "))
		}
		blocks = append(blocks, "Examples:\n  "+strings.Join(c.Examples, "\n  "))
		if c.Name == "remind" || c.Name == "schedule" {
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

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
