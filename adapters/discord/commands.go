package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
)

// commandName is the one application command stretchbot registers.
const commandName = "stretch"

// subcommands indexes the core's command table by name; the table is
// fixed at build time, so it is read once.
var subcommands = func() map[string]bot.Command {
	m := map[string]bot.Command{}
	for _, c := range bot.Commands() {
		m[c.Name] = c
	}
	return m
}()

// publicSubcommands are deferred publicly when the core is slow and the
// response must go out before its visibility is known; all others are
// deferred as ephemeral so nothing personal can leak.
var publicSubcommands = func() map[string]bool {
	m := map[string]bool{}
	for name, c := range subcommands {
		m[name] = c.Public
	}
	return m
}()

// Commands returns the application command definitions stretchbot
// registers: one `stretch` command with a subcommand per core command,
// whose options are the command's parameters. Nothing here is written by
// hand, so a command added to the core appears on Discord by itself.
func Commands() []*discordgo.ApplicationCommand {
	cmds := bot.Commands()
	subs := make([]*discordgo.ApplicationCommandOption, 0, len(cmds))
	for _, c := range cmds {
		s := &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.Name, Description: c.Summary,
		}
		for _, p := range c.Params {
			s.Options = append(s.Options, commandOption(p))
		}
		subs = append(subs, s)
	}
	return []*discordgo.ApplicationCommand{{
		Type:        discordgo.ChatApplicationCommand,
		Name:        commandName,
		Description: "Back-care stretch breaks and reminders",
		Options:     subs,
	}}
}

// commandOption is the Discord option for one parameter: a number field
// for minutes and pages (max_value 0 is left out: no bound), a channel picker, a fixed list of choices, or text (with
// completion for time zones).
func commandOption(p bot.Param) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: p.Name, Description: p.Summary, Required: p.Required || p.SlashRequired,
	}
	switch p.Kind {
	case bot.MinutesParam, bot.NumberParam:
		lo := float64(p.Min)
		o.Type, o.MinValue, o.MaxValue = discordgo.ApplicationCommandOptionInteger, &lo, float64(p.Max)
	case bot.ChannelParam:
		o.Type = discordgo.ApplicationCommandOptionChannel
		o.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildPublicThread}
	case bot.ChoiceParam:
		for _, v := range p.Choices {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	case bot.ZoneParam:
		o.Autocomplete = true
	}
	return o
}

// completesZone reports whether option name of subcommand sub holds a time
// zone, which autocomplete suggests as it is typed.
func completesZone(sub, name string) bool {
	for _, p := range subcommands[sub].Params {
		if p.Name == name {
			return p.Kind == bot.ZoneParam
		}
	}
	return false
}

// slashExample is how to call c on Discord with its required options:
// "/stretch cancel id:k3f9".
func slashExample(c bot.Command) string {
	parts := []string{"/" + commandName, c.Name}
	for _, p := range c.Params {
		if p.Required || p.SlashRequired {
			parts = append(parts, p.Name+":"+p.Example)
		}
	}
	return strings.Join(parts, " ")
}
