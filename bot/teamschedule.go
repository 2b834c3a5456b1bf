package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/stretchbot/stretchbot/internal/quote"
)

// channelWords is "in #channel" (or Slack's "in <#C123|name>"; "to", "for",
// "on" or nothing in place of "in") anywhere among a schedule's words:
// before the time, after it, or between the time and the routine options.
var channelWords = lazyRegexp(`(?i)(?:^|\s)(?:(?:in|to|for|on)\s+)?(?:<#([A-Za-z0-9]+)(?:\|([^>]*))?>|#([\p{L}\p{N}_.\-]{1,80}))[,;]?(?:\s|$)`)

// leadingBreakWords moves what names the break before its time ("a 5
// minute break every day at 11", "team stretch daily at 3pm") out of the
// way: fillers are dropped and a length goes after the time, where
// routine options are read.
func leadingBreakWords(args string) string {
	words := strings.Fields(args)
	var opts []string
	i := 0
	for i < len(words) {
		w := strings.ToLower(strings.Trim(words[i], ",:"))
		switch w {
		case "a", "an", "the", "team", "stretch", "stretching", "break", "breaks":
			i++
			continue
		}
		n, unit, ok := splitNumber(strings.Replace(w, "-", "", 1)) // "5-minute"
		switch {
		case ok && unit == "" && i+1 < len(words) && isMinuteWord(strings.ToLower(words[i+1])):
			opts = append(opts, strconv.Itoa(n), "min")
			i += 2
			continue
		case ok && unit != "" && isMinuteWord(unit):
			opts = append(opts, strconv.Itoa(n), "min")
			i++
			continue
		}
		break
	}
	switch {
	case i == len(words) && len(opts) == 0:
		return "" // "schedule a break": no time at all
	case i == 0 || i == len(words):
		return args
	}
	return strings.Join(append(words[i:], opts...), " ")
}

// bareHash is "in #" followed by a space or nothing: a channel left unnamed.
var bareHash = lazyRegexp(`(?i)(?:^|\s)in\s+#(?:\s|$)`)

// spacedHash is the space between a # and the channel's name.
var spacedHash = lazyRegexp(`#\s+`)

// plainChannel is "in general" ending a schedule: a channel without its #.
var plainChannel = lazyRegexp(`(?i)(?:^|\s)in\s+([\p{L}_][\p{L}\p{N}_.\-]{0,79})$`)

func (b *Bot) scheduleCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	args, channel, channelName := scheduleChannel(req.Args, req)
	if req.DM && channel == req.Channel {
		return Reply{}, b.scheduleInDM(args, req)
	}
	if channelWords().MatchString(strings.TrimRight(args, ".!?")) {
		more, _, _ := scheduleChannel(args, req)
		// "in #general in #random": one team break, one channel; the
		// example keeps the first.
		m := channelWords().FindStringIndex(req.Args)
		first := strings.TrimRight(strings.TrimSpace(req.Args[m[0]:m[1]]), ",;")
		example := "schedule " + more + " " + first
		if _, _, err := b.parseSchedule(leadingBreakWords(withoutPlease(more)), req); err != nil {
			// The rest is wrong too: an example that works, in that channel.
			example = "schedule every weekday at 15:00 " + first
		}
		return Reply{}, Invalid(example, "A team break goes to one channel; set one for each.")
	}
	args = leadingBreakWords(withoutPlease(args))
	if m := bareHash().FindStringIndex(args); m != nil {
		// "in #" with nothing after it, or a space before the name.
		rest := strings.Join(strings.Fields(args[:m[0]]+" "+args[m[1]:]), " ")
		example := "schedule every weekday at 15:00 in #general"
		if _, _, err := b.parseSchedule(rest, req); err == nil {
			example = "schedule " + rest + " in #general"
		}
		if joined := spacedHash().ReplaceAllString(req.Args, "#"); joined != req.Args {
			// "in # general": the name came after a space.
			if a, _, _ := scheduleChannel(joined, req); !bareHash().MatchString(a) {
				if _, _, err := b.parseSchedule(a, req); err == nil {
					example = "schedule " + strings.Join(strings.Fields(joined), " ")
				}
			}
		}
		return Reply{}, Invalid(example,
			"Put the channel's name right after #, with no space.")
	}
	if w := strings.Fields(args); len(w) > 1 && strings.EqualFold(w[len(w)-1], "in") {
		// "schedule every day at 9 in": the channel left out. Read as a
		// time, the "in" would ask how long from now.
		rest := strings.Join(w[:len(w)-1], " ")
		if _, _, err := b.parseSchedule(rest, req); err == nil {
			return Reply{}, Invalid("schedule "+rest+" in #general",
				"Name the channel after `in`, like `in #general`, or leave `in` out to post here.")
		}
	}
	said := args
	args = b.firstRunSaid(args, "schedule", req, func(s string) bool {
		_, _, err := b.parseSchedule(s, req)
		return err == nil
	})
	rest, day, start, hasStart, err := b.splitStart(args, "schedule", req)
	if err != nil {
		return Reply{}, err
	}
	args = rest // without its start, and "from" a time said as "at" it
	rule, opts, err := b.parseSchedule(args, req)
	if err != nil {
		in := ""
		if channel != req.Channel {
			in = " in " + channelRef(Reminder{Channel: channel, ChannelName: channelName})
		}
		if eerr := b.teamExceptTime(args, in, req); eerr != nil {
			return Reply{}, eerr
		}
		if nerr := b.teamNote(said, in, req); nerr != nil {
			return Reply{}, nerr
		}
		if werr := twoWindowsError(args, "schedule", in, "A team break", req, func(s string) (Rule, error) {
			r, _, err := b.parseSchedule(s, req)
			return r, err
		}); werr != nil {
			return Reply{}, werr
		}
		if rerr := twoRulesError(args, "schedule", in, func(s string) (Rule, error) {
			r, _, err := b.parseSchedule(s, req)
			return r, err
		}); rerr != nil {
			return Reply{}, rerr
		}
		if zerr := zoneInWhenError(args, "schedule", req, func(s string) bool {
			_, _, err := b.parseSchedule(s, req)
			return err == nil
		}); zerr != nil {
			return Reply{}, zerr
		}
		if serr := b.startingInstead(err, args, "schedule", in, req, func(s string) bool {
			_, _, err := b.parseSchedule(s, req)
			return err == nil
		}); serr != nil {
			return Reply{}, serr
		}
		if m := plainChannel().FindStringSubmatchIndex(args); m != nil {
			// "in general": a channel named without its #.
			fixed := args[:m[2]] + "#" + args[m[2]:]
			if _, _, ferr := b.parseSchedule(args[:m[0]], req); ferr == nil {
				return Reply{}, Invalid("schedule "+fixed, "A channel is named with # in front, like #%s.", args[m[2]:m[3]])
			}
		}
		if channel != req.Channel {
			return Reply{}, b.keepChannel(err, args, channel, channelName, req)
		}
		return Reply{}, err
	}
	if channel != req.Channel {
		if err := b.verifyChannel(ctx, req, channel); err != nil {
			return Reply{}, err
		}
	}
	if hasStart {
		if rule, err = b.withStart(rule, start, "schedule", args, day, req); err != nil {
			return Reply{}, err
		}
	}
	r := Reminder{Kind: ChannelSchedule, Channel: channel, ChannelName: channelName, Routine: opts}
	return b.create(ctx, req, r, rule, 3)
}

// scheduleInDM refuses a team break for the direct message it was asked in:
// a DM has no team, and a link to it reads as a channel that is none. The
// example is the personal reminder for the same time, which is what a
// break of one's own in a DM is.
func (b *Bot) scheduleInDM(args string, req *Request) error {
	example := "remind me every weekday at 15:00"
	if when := strings.TrimSpace(args); when != "" {
		if _, _, err := b.parseSchedule(leadingBreakWords(withoutPlease(when)), req); err == nil {
			example = "remind me " + when
		}
	}
	return Invalid(example, "A team break is posted to a channel: say `schedule` in the channel it is for, or name one with `in #channel`. Breaks of your own come with `remind me`.")
}

// keepChannel mends the refusal of a schedule for another channel,
// channel named name, whose other words args did not parse, so that its
// example keeps the channel: "in #gen eral" may be #general typed with a
// space, and another slip's example goes on to the channel it named. A
// word after a channel the platform named (a mention, picked from a list)
// is no part of its name.
func (b *Bot) keepChannel(err error, args string, channel ChannelID, name string, req *Request) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	ref := channelRef(Reminder{Channel: channel, ChannelName: name})
	mention := string(channel) != name
	if w := strings.Fields(args); len(w) > 1 && spaceInName(cmp.Or(name, "x"), w[len(w)-1]) && rightAfterChannel(req.Args, w[len(w)-1]) {
		// The schedule's words end with a word that is neither an
		// option nor a slip for one, right after the channel.
		last := w[len(w)-1]
		rest := strings.Join(w[:len(w)-1], " ")
		if lw := strings.ToLower(strings.Trim(last, ".!?,")); lw == "channel" || lw == "chan" {
			// "in the #general channel": the channel, in other words.
			head := w[:len(w)-1]
			if n := len(head); n > 0 && strings.EqualFold(head[n-1], "the") {
				head = head[:n-1]
				if n := len(head); n > 0 && strings.EqualFold(head[n-1], "in") {
					head = head[:n-1]
				}
			}
			if when := strings.Join(head, " "); when != "" {
				if _, _, perr := b.parseSchedule(when, req); perr == nil {
					return Invalid("schedule "+when+" in "+ref, "Name the channel with its # alone, like `in %s`.", ref)
				}
			}
		}
		if _, _, perr := b.parseSchedule(rest, req); perr == nil {
			if mention {
				return Invalid("schedule "+rest+" in "+ref, "I don't understand %s after %s.", quote.Short(last, 30), ref)
			}
			joined := "#" + name + last
			return Invalid("schedule "+rest+" in "+joined, "A channel's name has no spaces: did you mean %s, or %s without %s?", joined, ref, quote.Short(last, 30))
		}
	}
	if name == "" && !mention {
		return err
	}
	if ex, ok := strings.CutPrefix(e.Example, "schedule "); ok && ex != "" {
		if _, _, perr := b.parseSchedule(ex, req); perr == nil {
			c := *e
			c.Example = "schedule " + ex + " in " + ref
			return &c
		}
	}
	return err
}

// rightAfterChannel reports whether word is what follows the channel
// named in text: "in #gen eral".
func rightAfterChannel(text, word string) bool {
	m := channelWords().FindStringIndex(strings.TrimRight(text, ".!?"))
	if m == nil {
		return false
	}
	next, _ := splitWord(strings.TrimRight(text[m[1]:], ".!?"))
	return next == word
}

// spaceInName reports whether word, ending a schedule whose channel is
// name, reads as the rest of that name: letters and digits only, no word
// of the grammar's and not a number.
func spaceInName(name, word string) bool {
	if word == "" || name == "" || len(name)+len(word) > 80 {
		return false
	}
	digits := true
	for _, r := range word {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
		digits = digits && unicode.IsDigit(r)
	}
	if _, ok := nearestWord(strings.ToLower(word), optionWords); ok || digits {
		return false // "#general flor" is a floor break mistyped
	}
	return true
}

// scheduleChannel takes the first "in #channel" out of a schedule's words;
// without one the schedule is for the caller's channel.
func scheduleChannel(args string, req *Request) (string, ChannelID, string) {
	// A sentence's end is not part of a channel's name ("in #general.").
	args = strings.TrimRight(args, ".!?")
	m := channelWords().FindStringSubmatchIndex(args)
	if m == nil {
		return args, req.Channel, req.ChannelName
	}
	rest := strings.Join(strings.Fields(args[:m[0]]+" "+args[m[1]:]), " ")
	if m[2] >= 0 {
		name := ""
		if m[4] >= 0 {
			name = args[m[4]:m[5]]
		}
		return rest, ChannelID(args[m[2]:m[3]]), name
	}
	name := args[m[6]:m[7]]
	if req.Platform == Console {
		// On the console the typed name is the channel, and channel
		// names are lower-case as on Slack: "#General" is #general, not
		// a second channel. Elsewhere a name is no id (the platform's
		// check refuses it), so it is left as typed.
		name = strings.ToLower(name)
	}
	return rest, ChannelID(name), name
}

// parseSchedule reads a schedule's time and routine options. It only
// parses, so it can also judge a suggestion.
func (b *Bot) parseSchedule(args string, req *Request) (Rule, RoutineOptions, error) {
	if args == "" {
		return nil, RoutineOptions{}, Invalid("schedule every weekday at 15:00", "When should the team break happen?")
	}
	// Up to four trailing words may be routine options ("5 min desk"); the
	// split with the most options whose both halves parse wins, so "every 2
	// hours 5 min" is a 5-minute break every 2 hours, not every 2h5m.
	words := strings.Fields(args)
	var whenErr, optsErr error
	var optsWhen string // the time before the options optsErr refused
	for k := min(4, len(words)-1); k >= 0; k-- {
		var opts RoutineOptions
		var err error
		if k > 0 && splitsClock(words[:len(words)-k], words[len(words)-k:]) {
			continue
		}
		if k > 0 {
			if opts, _, err = parseRoutineOptions(strings.Join(words[len(words)-k:], " ")); err != nil {
				when := strings.Join(words[:len(words)-k], " ")
				if _, werr := b.rules.Parse(when, req.Zone, req.Now); werr == nil && !errors.Is(err, errNotOption) {
					// The time was fine; the options were not. The longest
					// such time wins: "every day" parses too, but "at 9"
					// is no option.
					optsErr, optsWhen = err, when
				}
				continue
			}
		}
		rule, err := b.rules.Parse(strings.Join(words[:len(words)-k], " "), req.Zone, req.Now)
		if err != nil {
			if k == 0 && whenErr == nil {
				whenErr = err
			}
			if k > 0 && whenErr == nil && opts != (RoutineOptions{}) && errors.Is(err, ErrOneOffSeveral) {
				// "friday night at 11 and 1 5 min": the options were
				// fine, the times are what to mend; the example keeps
				// the options.
				whenErr = withOptionsBack(asCommand(err, "schedule "), "schedule ", strings.Join(words[len(words)-k:], " "), "", func(s string) bool {
					_, err := b.rules.Parse(s, req.Zone, req.Now)
					return err == nil
				})
			}
			continue
		}
		return rule, opts, nil
	}
	if optsErr != nil {
		// The options' examples are breaks ("break 5 min"): keep the
		// user's time and put the example's options after it.
		var e *Error
		if !errors.As(optsErr, &e) {
			return nil, RoutineOptions{}, optsErr
		}
		c := *e
		c.Example = strings.TrimSpace("schedule " + optsWhen + " " + strings.TrimSpace(strings.TrimPrefix(e.Example+" ", "break ")))
		return nil, RoutineOptions{}, &c
	}
	err := asCommand(whenErr, "schedule ")
	var e *Error
	if errors.As(err, &e) && e.Code == EUNREAD {
		// The parser's catch-all example is a one-off; team breaks
		// mostly repeat.
		c := *e
		c.Example = "schedule every weekday at 15:00"
		return nil, RoutineOptions{}, &c
	}
	return nil, RoutineOptions{}, err
}

// verifyChannel asks the platform, when it can tell, whether channel is in
// the caller's tenant and open to the bot, so nobody schedules breaks into
// someone else's server by typing its channel id.
func (b *Bot) verifyChannel(ctx context.Context, req *Request, channel ChannelID) error {
	v, ok := b.sender(req.Platform).(ChannelVerifier)
	if !ok {
		return nil
	}
	if err := v.VerifyChannel(ctx, req.Tenant, channel); err != nil {
		if code := ErrorCode(err); IsInvalid(err) || code == ENOTFOUND || code == EFORBIDDEN {
			return err
		}
		return fmt.Errorf("bot: verify channel: %w", err)
	}
	return nil
}
