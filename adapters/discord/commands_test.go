package discord

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/routines"
)

// schema returns the registered `stretch` command's subcommands by name.
func schema(t *testing.T) map[string]*discordgo.ApplicationCommandOption {
	t.Helper()
	cmds := Commands()
	if len(cmds) != 1 || cmds[0].Name != commandName {
		t.Fatalf("Commands() = %d commands, want one named %s", len(cmds), commandName)
	}
	subs := map[string]*discordgo.ApplicationCommandOption{}
	for _, s := range cmds[0].Options {
		if _, dup := subs[s.Name]; dup {
			t.Errorf("subcommand %s registered twice", s.Name)
		}
		subs[s.Name] = s
	}
	return subs
}

func optionNamed(s *discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
	for _, o := range s.Options {
		if o.Name == name {
			return o
		}
	}
	return nil
}

func choiceValues(o *discordgo.ApplicationCommandOption) []string {
	var out []string
	for _, c := range o.Choices {
		v, _ := c.Value.(string)
		out = append(out, v)
	}
	return out
}

// Every core command, parameter and choice is on Discord, and nothing
// else: the schema is the core table, walked.
func TestSchemaMatchesCoreTable(t *testing.T) {
	subs := schema(t)
	wantType := map[bot.ParamKind]discordgo.ApplicationCommandOptionType{
		bot.TextParam: discordgo.ApplicationCommandOptionString, bot.IDParam: discordgo.ApplicationCommandOptionString,
		bot.DurationParam: discordgo.ApplicationCommandOptionString, bot.MinutesParam: discordgo.ApplicationCommandOptionInteger,
		bot.ChannelParam: discordgo.ApplicationCommandOptionChannel, bot.ChoiceParam: discordgo.ApplicationCommandOptionString,
		bot.WhenParam: discordgo.ApplicationCommandOptionString, bot.ZoneParam: discordgo.ApplicationCommandOptionString,
		bot.NumberParam: discordgo.ApplicationCommandOptionInteger,
	}
	cmds := bot.Commands()
	if len(subs) != len(cmds) {
		t.Errorf("Discord has %d subcommands, the core %d commands", len(subs), len(cmds))
	}
	for _, c := range cmds {
		s, ok := subs[c.Name]
		if !ok {
			t.Errorf("core command %s is missing on Discord", c.Name)
			continue
		}
		if s.Type != discordgo.ApplicationCommandOptionSubCommand {
			t.Errorf("%s: type %v, want a subcommand", c.Name, s.Type)
		}
		if len(s.Options) != len(c.Params) {
			t.Errorf("%s: %d options on Discord, %d parameters in the core", c.Name, len(s.Options), len(c.Params))
		}
		for _, p := range c.Params {
			o := optionNamed(s, p.Name)
			if o == nil {
				t.Errorf("%s: parameter %s is missing on Discord", c.Name, p.Name)
				continue
			}
			if want := p.Required || p.SlashRequired; o.Required != want {
				t.Errorf("%s %s: required = %v on Discord, want %v (core: required %v, slash-required %v)",
					c.Name, p.Name, o.Required, want, p.Required, p.SlashRequired)
			}
			if want, ok := wantType[p.Kind]; !ok || o.Type != want {
				t.Errorf("%s %s: option type %v for a %v parameter", c.Name, p.Name, o.Type, p.Kind)
			}
			if got := choiceValues(o); !slices.Equal(got, p.Choices) {
				t.Errorf("%s %s: choices %v on Discord, %v in the core", c.Name, p.Name, got, p.Choices)
			}
			if (p.Kind == bot.MinutesParam || p.Kind == bot.NumberParam) && (o.MinValue == nil || *o.MinValue != float64(p.Min) || o.MaxValue != float64(p.Max)) {
				t.Errorf("%s %s: range %v–%v, want %d–%d", c.Name, p.Name, o.MinValue, o.MaxValue, p.Min, p.Max)
			}
			if o.Autocomplete != (p.Kind == bot.ZoneParam) {
				t.Errorf("%s %s: autocomplete = %v for a %v parameter", c.Name, p.Name, o.Autocomplete, p.Kind)
			}
		}
	}
	// Every category of the library can be picked wherever categories are
	// offered.
	for _, where := range [][2]string{{"exercises", "category"}, {"break", "focus"}} {
		s := subs[where[0]]
		if s == nil || optionNamed(s, where[1]) == nil {
			t.Errorf("%s %s is missing on Discord", where[0], where[1])
			continue
		}
		got := choiceValues(optionNamed(s, where[1]))
		for _, c := range routines.Categories {
			if !slices.Contains(got, string(c)) {
				t.Errorf("%s %s: category %s is not offered (choices %v)", where[0], where[1], c, got)
			}
		}
	}
}

// The subcommands and option names users and scripts rely on stay.
func TestSchemaKeepsTheContract(t *testing.T) {
	subs := schema(t)
	for _, tt := range []struct {
		sub      string
		required []string
		optional []string
	}{
		{"break", nil, []string{"minutes", "focus"}},
		{"exercises", nil, []string{"category"}},
		{"exercise", []string{"name"}, nil},
		{"remind", []string{"when"}, nil},
		{"schedule", []string{"when"}, []string{"channel"}},
		{"list", nil, nil},
		{"cancel", []string{"id"}, nil},
		{"pause", []string{"id"}, []string{"for"}},
		{"resume", []string{"id"}, nil},
		{"skip", []string{"id"}, nil},
		{"snooze", []string{"id"}, []string{"for"}},
		{"done", nil, nil},
		{"timezone", nil, []string{"zone"}},
		{"stats", nil, nil},
		{"help", nil, nil},
	} {
		s, ok := subs[tt.sub]
		if !ok {
			t.Errorf("subcommand %s is missing", tt.sub)
			continue
		}
		for _, names := range []struct {
			list     []string
			required bool
		}{{tt.required, true}, {tt.optional, false}} {
			for _, n := range names.list {
				if o := optionNamed(s, n); o == nil || o.Required != names.required {
					t.Errorf("%s: option %s missing or required = %v, want %v", tt.sub, n, o != nil && o.Required, names.required)
				}
			}
		}
	}
}

var discordName = regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)

// Discord refuses a whole registration over one bad field; check its limits
// here rather than at deploy time.
func TestSchemaWithinDiscordLimits(t *testing.T) {
	checkText := func(what, name, desc string) {
		if !discordName.MatchString(name) {
			t.Errorf("%s %q: names are 1–32 lowercase letters, digits, - or _", what, name)
		}
		if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
			t.Errorf("%s %s: description has %d characters, want 1–100: %q", what, name, n, desc)
		}
	}
	for _, c := range Commands() {
		checkText("command", c.Name, c.Description)
		if len(c.Options) > 25 {
			t.Errorf("%d subcommands, Discord allows 25", len(c.Options))
		}
		total := len(c.Name) + len(c.Description)
		for _, s := range c.Options {
			checkText("subcommand", s.Name, s.Description)
			total += len(s.Name) + len(s.Description)
			if len(s.Options) > 25 {
				t.Errorf("%s: %d options, Discord allows 25", s.Name, len(s.Options))
			}
			seen := map[string]bool{}
			optional := false
			for _, o := range s.Options {
				checkText("option of "+s.Name, o.Name, o.Description)
				total += len(o.Name) + len(o.Description)
				if seen[o.Name] {
					t.Errorf("%s: option %s twice", s.Name, o.Name)
				}
				seen[o.Name] = true
				if o.Required && optional {
					t.Errorf("%s: required option %s after an optional one", s.Name, o.Name)
				}
				optional = optional || !o.Required
				if len(o.Choices) > 25 {
					t.Errorf("%s %s: %d choices, Discord allows 25", s.Name, o.Name, len(o.Choices))
				}
				if len(o.Choices) > 0 && o.Autocomplete {
					t.Errorf("%s %s: choices and autocomplete exclude each other", s.Name, o.Name)
				}
				for _, ch := range o.Choices {
					v, _ := ch.Value.(string)
					if n := utf8.RuneCountInString(ch.Name); n < 1 || n > 100 || len(v) > 100 {
						t.Errorf("%s %s: choice %q outside 1–100 characters", s.Name, o.Name, ch.Name)
					}
					total += len(ch.Name) + len(v)
				}
			}
		}
		// Discord caps one command's names, descriptions and values at 8000
		// characters in all.
		if total > 8000 {
			t.Errorf("command %s has %d characters of names, descriptions and values; Discord allows 8000", c.Name, total)
		}
	}
}

// Every option Discord is told to autocomplete gets suggestions.
func TestEveryAutocompleteOptionIsAnswered(t *testing.T) {
	for _, s := range Commands()[0].Options {
		for _, o := range s.Options {
			if o.Autocomplete && !completesZone(s.Name, o.Name) {
				t.Errorf("%s %s autocompletes, but nothing answers it", s.Name, o.Name)
			}
		}
	}
}

// The example offered when a required option is missing is itself a
// complete slash command.
func TestMissingOptionOffersSlashExample(t *testing.T) {
	for _, c := range bot.Commands() {
		ex := slashExample(c)
		if !strings.HasPrefix(ex, "/stretch "+c.Name) {
			t.Errorf("%s: example %q", c.Name, ex)
		}
		for _, p := range c.Params {
			if p.Required && !strings.Contains(ex, " "+p.Name+":"+p.Example) {
				t.Errorf("%s: example %q lacks %s", c.Name, ex, p.Name)
			}
		}
	}
}
