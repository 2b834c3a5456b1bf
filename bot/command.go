package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Command is one command of the core, described as data: its words, its
// help text and its parameters. Help is generated from these fields and
// adapters with structured input (Discord's application commands) build
// their schema from them, so nothing about a command is written twice.
type Command struct {
	Name     string
	Aliases  []string
	Args     string   // argument synopsis of the text form: "<id|all> [for <duration>]"
	Summary  string   // one line, at most 100 characters
	Examples []string // the first is shown in help, after errors and in usage hints
	// Params are the command's arguments as structured input, in the order
	// Text writes them. A text command may say more than its Params (the
	// text grammar is richer); Params say what a form or slash command offers.
	Params []Param
	// Public marks commands whose answer is normally for the whole
	// channel. Adapters that must choose visibility before the answer
	// exists (a deferred Discord response) keep every other command private.
	Public bool

	// run is the handler; it is bound to a Bot when one is built, so the
	// table itself needs none.
	run func(b *Bot, ctx context.Context, req *Request) (Reply, error)
}

// Usage is the command's synopsis: "pause <id|all> [for <duration>]".
func (c Command) Usage() string {
	if c.Args == "" {
		return c.Name
	}
	return c.Name + " " + c.Args
}

// Param is one structured argument of a Command.
type Param struct {
	Name     string // lowercase option name: "id", "for"
	Kind     ParamKind
	Required bool
	// SlashRequired marks a parameter that may be left out when the
	// command is typed but that a slash command's form asks for: `snooze`
	// alone repeats the reminder delivered last, while Discord's
	// `/stretch snooze` takes an id, as its published options say.
	SlashRequired bool
	Summary       string // one line, at most 100 characters
	Example       string // a value that works: "k3f9", "in 20 minutes"
	// Choices are the values a ChoiceParam offers, in the order to show them.
	Choices []string
	// Min and Max bound a MinutesParam or NumberParam (Max 0: no bound).
	Min, Max int
	// Lead lists the words that introduce the value in a text command
	// ("in" before a channel; "for" or "until" after a pause's id). When
	// the value starts with none of them, Text puts the first in front.
	Lead []string
	// Forms, for a WhenParam, are the ways to say the time that the
	// command takes, shown on its help page in place of every way to say
	// a time: a summary comes back at most daily.
	Forms []string
}

// ParamKind is what a parameter holds, so an adapter can offer the right
// input: a number field, a channel picker, a list of choices.
type ParamKind int

// The kinds of parameter.
const (
	TextParam     ParamKind = iota + 1 // free text
	IDParam                            // a reminder id, "#" optional ("all" where the command allows it)
	DurationParam                      // a length of time: "2h", "15 min"
	MinutesParam                       // whole minutes from Min to Max
	ChannelParam                       // a channel id of the caller's tenant
	ChoiceParam                        // one of Choices
	WhenParam                          // a <when> expression: "every weekday at 10:30"
	ZoneParam                          // a time zone: an IANA name, a city or an abbreviation; adapters may complete it as it is typed
	NumberParam                        // a whole number from Min (to Max, when set): a page
)

var kindNames = map[ParamKind]string{
	TextParam: "text", IDParam: "id", DurationParam: "duration", MinutesParam: "minutes",
	ChannelParam: "channel", ChoiceParam: "choice", WhenParam: "when", ZoneParam: "zone", NumberParam: "number",
}

// String names the kind for tests and messages: "duration".
func (k ParamKind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("ParamKind(%d)", int(k))
}

// Commands returns the command table in help order. It needs no Bot, so
// adapters can build platform schemas from it; the result is a copy the
// caller may keep or change.
func Commands() []Command {
	out := make([]Command, len(commandTable))
	for i, c := range commandTable {
		c.Aliases = slices.Clone(c.Aliases)
		c.Examples = slices.Clone(c.Examples)
		c.Params = slices.Clone(c.Params)
		for j := range c.Params {
			c.Params[j].Choices = slices.Clone(c.Params[j].Choices)
			c.Params[j].Lead = slices.Clone(c.Params[j].Lead)
		}
		c.run = nil
		out[i] = c
	}
	return out
}

// Text builds the text command that structured input stands for: the
// command's name, then each parameter's value in table order (see Param.Lead
// and the kinds), so a slash command reaches the same parser as a typed
// message. value returns what the user gave for a parameter ("" if
// nothing). A required parameter without a value is an EINVALID error.
func (c Command) Text(value func(name string) string) (string, error) {
	words := []string{c.Name}
	for _, p := range c.Params {
		v := p.text(value(p.Name))
		if v == "" {
			if p.Required {
				return "", Invalid(c.Examples[0], "`%s` needs `%s`, like `%s`.", c.Name, p.Name, p.Example)
			}
			continue
		}
		words = append(words, v)
	}
	return strings.Join(words, " "), nil
}

// text writes one value the way the text grammar expects it.
func (p Param) text(v string) string {
	v = strings.Join(strings.Fields(v), " ")
	switch p.Kind {
	case IDParam:
		v = strings.TrimLeft(v, "#")
	case MinutesParam:
		if v != "" && strings.Trim(v, "0123456789") == "" {
			v += " min"
		}
	case ChannelParam:
		if v = strings.Trim(v, "<#>"); v != "" {
			v = "<#" + v + ">"
		}
	}
	if v == "" || len(p.Lead) == 0 {
		return v
	}
	first, rest, _ := strings.Cut(v, " ")
	for _, w := range p.Lead {
		if strings.EqualFold(first, w) {
			return strings.TrimSpace(w + " " + rest)
		}
	}
	return p.Lead[0] + " " + v
}
