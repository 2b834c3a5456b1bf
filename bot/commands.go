package bot

import (
	"github.com/stretchbot/stretchbot/routines"
)

// Break lengths a routine can have, in minutes.
const (
	minBreakMinutes = 1
	maxBreakMinutes = 60
)

// breakPlaces are the places offered for a break; the library has
// exercises for each.
var breakPlaces = routines.Places

// commandTable is every command, in the order help lists it. Handlers are
// method expressions, bound to a Bot when one is built.
var commandTable = []Command{
	{Name: "help", Args: "[command]", Summary: "Lists every command, or explains one with its options and examples.",
		Examples: []string{"help", "help schedule"},
		Params:   []Param{{Name: "command", Kind: TextParam, Summary: "A command to explain, e.g. schedule", Example: "schedule"}},
		run:      (*Bot).help},
	{Name: "break", Aliases: []string{"stretch", "breaks"}, Args: "[minutes] [desk|floor|home|gym|outdoors|pool] [category] [easy]",
		Summary:  "Gives you a short stretch routine right now (about 5 minutes unless you say otherwise).",
		Examples: []string{"break 5 min", "break", "break 10 minutes", "break floor", "break gym 30 min", "break strengthening"},
		Params: []Param{
			{Name: "minutes", Kind: MinutesParam, Summary: "How long the break lasts, in minutes", Example: "5",
				Min: minBreakMinutes, Max: maxBreakMinutes},
			{Name: "focus", Kind: ChoiceParam, Summary: "Where you are or what to work on", Example: "desk",
				Choices: append(placeNames(), categoryNames()...)},
		},
		Public: true, run: (*Bot).breakCmd},
	{Name: "exercises", Aliases: []string{"library", "catalog", "catalogue"}, Args: "[category]",
		Summary:  "Shows the exercise library, grouped by category.",
		Examples: []string{"exercises", "exercises traction"},
		Params: []Param{{Name: "category", Kind: ChoiceParam, Summary: "Only exercises of this category", Example: "traction",
			Choices: categoryNames()}},
		Public: true, run: (*Bot).exercisesCmd},
	{Name: "exercise", Aliases: []string{"show", "how"}, Args: "<name or id>",
		Summary:  "Explains one exercise in full: steps, time, position, equipment and cautions.",
		Examples: []string{"exercise child's pose", "exercise knees-to-chest"},
		Params:   []Param{{Name: "name", Kind: TextParam, Required: true, Summary: "Exercise name or id, e.g. cat-cow", Example: "cat-cow"}},
		Public:   true, run: (*Bot).exerciseCmd},
	{Name: "remind", Args: "me <when> [minutes] [desk|floor|home|gym|outdoors|pool] [category] [to <note>]",
		Summary:  "Sets a personal reminder, once or repeating, in your time zone.",
		Examples: []string{"remind me every weekday at 10:30", "remind me in 20 minutes to stand up", "remind me at 3pm", "remind me every monday to friday at 9 to stretch", "remind me twice a day", "remind me every day at 15:00 10 min floor", "remind me cron \"*/30 9-17 * * 1-5\""},
		Params: []Param{{Name: "when", Kind: WhenParam, Required: true,
			Summary: "When, e.g. in 20 minutes, every weekday at 10:30, at 3pm to drink water", Example: "in 20 minutes", Lead: []string{"me"}}},
		run: (*Bot).remindCmd},
	{Name: "schedule", Args: "<when> [minutes] [desk|floor|home|gym|outdoors|pool] [category] [in #channel]",
		Summary:  "Schedules team stretch breaks posted to a channel (this one unless you name another).",
		Examples: []string{"schedule every weekday at 15:00", "schedule every 2 hours between 9:00 and 17:00 on weekdays in #general", "schedule every day at 11am 5 min desk"},
		Params: []Param{
			{Name: "when", Kind: WhenParam, Required: true, Summary: "When, e.g. every weekday at 10:30 and 15:00", Example: "every weekday at 10:30"},
			{Name: "channel", Kind: ChannelParam, Summary: "Channel to post the team break in (default: this one)", Example: "C0123", Lead: []string{"in"}},
		},
		Public: true, run: (*Bot).scheduleCmd},
	{Name: "list", Aliases: []string{"reminders", "schedules", "ls"}, Args: "[page]",
		Summary:  "Lists your reminders and this channel's schedules with their next run.",
		Examples: []string{"list", "list 2", "list all"},
		Params: []Param{{Name: "page", Kind: NumberParam, Summary: "Which page, when there are more than fit on one (default: the first)",
			Example: "2", Min: 1}},
		run: (*Bot).listCmd},
	{Name: "cancel", Aliases: []string{"delete", "remove", "rm"}, Args: "<id>",
		Summary:  "Deletes a reminder or schedule.",
		Examples: []string{"cancel #k3f9"},
		Params:   []Param{idParam},
		run:      (*Bot).cancelCmd},
	{Name: "pause", Args: "<id|all> [for <duration>|until <when>]",
		Summary:  "Stops deliveries until you resume, or for a while.",
		Examples: []string{"pause #k3f9", "pause all for 2 hours", "pause #k3f9 until tomorrow 9am", "pause #k3f9 2 hours"},
		Params: []Param{idOrAllParam,
			{Name: "for", Kind: DurationParam, Summary: "How long, e.g. 2h, or until friday (default: until resumed)", Example: "2 hours",
				Lead: []string{"for", "until", "till", "til"}}},
		run: (*Bot).pauseCmd},
	{Name: "resume", Aliases: []string{"unpause"}, Args: "<id|all>",
		Summary:  "Starts a paused reminder or schedule again.",
		Examples: []string{"resume #k3f9", "resume all"},
		Params:   []Param{idOrAllParam},
		run:      (*Bot).resumeCmd},
	{Name: "skip", Args: "<id|all>",
		Summary:  "Skips only the next run (of each repeating one of yours here, with all).",
		Examples: []string{"skip #k3f9", "skip all"},
		Params:   []Param{idOrAllParam},
		run:      (*Bot).skipCmd},
	{Name: "snooze", Args: "[<id>] [duration]",
		Summary:  "Sends the last delivered break again after a while (10 minutes unless you say).",
		Examples: []string{"snooze #k3f9", "snooze #k3f9 30 min", "snooze 15 min"},
		Params: []Param{snoozeIDParam,
			{Name: "for", Kind: DurationParam, Summary: "How long, e.g. 15m (default 10 minutes)", Example: "15 min", Lead: []string{"for", "by"}}},
		run: (*Bot).snoozeCmd},
	{Name: "done", Aliases: []string{"did", "finished"},
		Summary:  "Records that you did your last break.",
		Examples: []string{"done"}, run: (*Bot).doneCmd},
	{Name: "stats", Aliases: []string{"streak", "statistics"}, Args: "[public|private]",
		Summary:  "Shows your breaks and streak; in a channel, the team's week. `stats public` lets summaries name you.",
		Examples: []string{"stats", "stats public", "stats private"},
		Params: []Param{{Name: "privacy", Kind: ChoiceParam, Summary: "Whether summaries may name you (public) or never do (private)",
			Example: "public", Choices: []string{"public", "private"}}},
		run: (*Bot).statsCmd},
	{Name: "holidays", Aliases: []string{"holiday"}, Args: "[country[-region]|off]",
		Summary:  "Team breaks in this channel skip the public holidays of a country or region.",
		Examples: []string{"holidays DE", "holidays US", "holidays GB-SCT", "holidays DE-BY", "holidays", "holidays off"},
		Params: []Param{{Name: "country", Kind: TextParam, Summary: "ISO country code, optionally with a region (DE, US, DE-BY), or off",
			Example: "DE"}},
		Public: true, run: (*Bot).holidaysCmd},
	{Name: "summary", Args: "[<when>|off]",
		Summary:  "Posts the last 7 days' team breaks here, with a chart, on a schedule.",
		Examples: []string{"summary every friday at 16:00", "summary", "summary off"},
		Params: []Param{{Name: "when", Kind: WhenParam, Summary: "When to post it, e.g. every friday at 16:00, or off",
			Example: "every friday at 16:00", Forms: []string{"every friday at 16:00", "every day at 17:00", "every weekday at 9",
				"every other monday at 10", "on the first of every month at 9", `cron "0 16 * * 5"`, "@weekly"}}},
		Public: true, run: (*Bot).summaryCmd},
	{Name: "timezone", Aliases: []string{"tz", "zone"}, Args: "[city, abbreviation or IANA zone]",
		Summary:  "Shows or sets your time zone; new reminders use it.",
		Examples: []string{"timezone Europe/Berlin", "timezone new york", "timezone PST", "timezone Pacific Time", "timezone UTC+05:30", "timezone"},
		Params: []Param{{Name: "zone", Kind: ZoneParam, Summary: "A city, abbreviation or IANA zone, e.g. Berlin, PST, Europe/Berlin (empty: see yours)",
			Example: "Europe/Berlin"}},
		run: (*Bot).timezoneCmd},
	{Name: "hours", Aliases: []string{"workhours"}, Args: "[<from>-<to> [days]|off]",
		Summary:  "Shows or sets your working hours; repeating reminders fire only inside them.",
		Examples: []string{"hours 9:00-17:30 mon-fri", "hours 8-12 and 13-17 weekdays", "hours 22:00-06:00 sun-thu", "hours off", "hours"},
		Params: []Param{{Name: "hours", Kind: TextParam, Summary: "Time ranges and days, e.g. 9:00-17:30 mon-fri, or off (empty: see yours)",
			Example: "9:00-17:30 mon-fri"}},
		run: (*Bot).hoursCmd},
	{Name: "quiet", Args: "[<from>-<to>|off]",
		Summary:  "Sets daily quiet periods, such as lunch, when repeating reminders are passed over.",
		Examples: []string{"quiet 12:00-13:00", "quiet 12:00-13:00 and 15:00-15:15", "quiet off", "quiet"},
		Params: []Param{{Name: "period", Kind: TextParam, Summary: "Time ranges, e.g. 12:00-13:00, or off (empty: see yours)",
			Example: "12:00-13:00"}},
		run: (*Bot).quietCmd},
	{Name: "away", Aliases: []string{"vacation", "ooo"}, Args: "[until <date>|for <duration>]",
		Summary:  "Passes over your repeating reminders while you are away.",
		Examples: []string{"away for 2 weeks", "away until friday", "away"},
		Params: []Param{{Name: "until", Kind: TextParam, Summary: "When you are back, e.g. until friday, or for 2 weeks (empty: see yours)",
			Example: "for 2 weeks", Lead: []string{"until", "for", "till", "to"}}},
		run: (*Bot).awayCmd},
	{Name: "back",
		Summary:  "Ends your time away: reminders reach you again.",
		Examples: []string{"back"}, run: (*Bot).backCmd},
	{Name: "level", Args: "[easy|medium|hard]",
		Summary:  "Shows or sets your level; higher levels draw harder exercise variants.",
		Examples: []string{"level medium", "level"},
		Params: []Param{{Name: "level", Kind: ChoiceParam, Summary: "How hard the exercises are, easy unless set (empty: see yours)", Example: "medium",
			Choices: levels}},
		run: (*Bot).levelCmd},
	{Name: "prefer", Args: "[desk|floor|home|gym|outdoors|pool|off]",
		Summary:  "Sets where your plain breaks and reminders are for when they name no place.",
		Examples: []string{"prefer floor", "prefer off", "prefer"},
		Params: []Param{{Name: "place", Kind: ChoiceParam, Summary: "Where you usually are, or off (empty: see yours)", Example: "floor",
			Choices: append(placeNames(), "off")}},
		run: (*Bot).preferCmd},
}

// The id parameters shared by the commands that change one reminder.
var (
	idParam = Param{Name: "id", Kind: IDParam, Required: true,
		Summary: "Reminder id as list shows it, e.g. k3f9 (the # is optional)", Example: "k3f9"}
	snoozeIDParam = Param{Name: "id", Kind: IDParam, SlashRequired: true,
		Summary: "Reminder id as list shows it, e.g. k3f9; left out, your reminder delivered last", Example: "k3f9"}
	idOrAllParam = Param{Name: "id", Kind: IDParam, Required: true,
		Summary: "Reminder id as list shows it, e.g. k3f9 (the # is optional), or all", Example: "k3f9"}
)

func placeNames() []string {
	out := make([]string, 0, len(breakPlaces))
	for _, p := range breakPlaces {
		out = append(out, string(p))
	}
	return out
}

func categoryNames() []string {
	out := make([]string, 0, len(routines.Categories))
	for _, c := range routines.Categories {
		out = append(out, string(c))
	}
	return out
}
