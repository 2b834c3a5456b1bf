package discord

import "github.com/bwmarrin/discordgo"

// Categories and places offered as choices; they match the core's words.
var (
	categories = []string{"mobility", "traction", "stabilization", "strengthening", "aerobic"}
	places     = []string{"desk", "floor", "anywhere"}
)

func choices(names ...[]string) []*discordgo.ApplicationCommandOptionChoice {
	var out []*discordgo.ApplicationCommandOptionChoice
	for _, list := range names {
		for _, n := range list {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
		}
	}
	return out
}

func sub(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts,
	}
}

func str(name, desc string, required bool) *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required,
	}
}

func idOpt() *discordgo.ApplicationCommandOption {
	return str("id", "Reminder id as shown by /stretch list, e.g. k3f9 (the # is optional)", true)
}

// Commands returns the application command definitions stretchbot
// registers: one `stretch` command whose subcommands mirror spec §4.
func Commands() []*discordgo.ApplicationCommand {
	one := 1.0
	minutes := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionInteger, Name: "minutes",
		Description: "How long the break lasts, in minutes (1–60)", MinValue: &one, MaxValue: 60,
	}
	focus := str("focus", "Where you are or what to work on", false)
	focus.Choices = choices(places, categories)
	category := str("category", "Only exercises of this category", false)
	category.Choices = choices(categories)
	channel := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionChannel, Name: "channel",
		Description:  "Channel to post the team break in (default: this one)",
		ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildPublicThread},
	}
	zone := str("zone", "IANA time zone, e.g. Europe/Berlin (leave empty to see yours)", false)
	zone.Autocomplete = true
	return []*discordgo.ApplicationCommand{{
		Type:        discordgo.ChatApplicationCommand,
		Name:        commandName,
		Description: "Back-care stretch breaks and reminders",
		Options: []*discordgo.ApplicationCommandOption{
			sub("break", "A short stretch routine right now", minutes, focus),
			sub("exercises", "The exercise library, grouped by category", category),
			sub("exercise", "One exercise in full", str("name", "Exercise name or id, e.g. cat-cow", true)),
			sub("remind", "A personal reminder", str("when", "When, e.g. in 20 minutes, every weekday at 10:30, at 3pm to drink water", true)),
			sub("schedule", "A team break posted to a channel", str("when", "When, e.g. every weekday at 10:30 and 15:00", true), channel),
			sub("list", "Your reminders and this channel's schedules"),
			sub("cancel", "Delete a reminder or schedule", idOpt()),
			sub("pause", "Pause a reminder or schedule", idOpt(), str("for", "How long, e.g. 2h, or until friday (default: until resumed)", false)),
			sub("resume", "Resume a paused reminder or schedule", idOpt()),
			sub("skip", "Skip only the next occurrence", idOpt()),
			sub("snooze", "Deliver the last break again later", idOpt(), str("for", "How long, e.g. 15m (default 10 minutes)", false)),
			sub("done", "Record that you did the last break"),
			sub("timezone", "Show or set your time zone", zone),
			sub("stats", "Your breaks and streak; channel participation"),
			sub("help", "Every command with an example"),
		},
	}}
}
