package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/internal/editdist"
	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/routines"
)

// Suggestions for a command word the bot does not know: the closest
// command, with the rest of the message kept when the command then reads
// it ("reminder in 5 minutes" → "remind me in 5 minutes"). Candidates are
// judged by the same parsers the commands use, without running them, so
// an offered example works when typed.

// notACommand answers a message whose first word is no command: a
// greeting gets the short help; anything else is refused with the closest
// command that reads the message, if one is near.
func (b *Bot) notACommand(ctx context.Context, m Message, word, args string) (Reply, error) {
	if isGreeting(strings.TrimSpace(word + " " + args)) {
		return shortHelp(), nil
	}
	if isThanks(strings.TrimSpace(word + " " + args)) {
		return Reply{Blocks: []string{"You're welcome! Say `break` for another routine, or `help` to see what else I can do."}, Visibility: Private}, nil
	}
	if painSaid(word + " " + args) {
		zone := ""
		if _, loc, err := b.caller(ctx, m); err == nil && loc != nil {
			zone = loc.String()
		}
		return painReply(zone), nil
	}
	shown := quote.Short(word, 40)
	if t := strings.TrimRight(word, ".!?,:;"); t != "" {
		word = t // "brake!" is near break
	}
	if w := strings.ToLower(word); w == "join" || w == "joined" || w == "joining" {
		// The Join button's word, typed: joining is said by pressing it.
		return Reply{}, Invalid("done", "Join is the button under a team break: press it to say you are taking part, and say `done` once you have finished.")
	}
	if editWords[strings.ToLower(word)] {
		if err := b.notEdited(ctx, m, args); err != nil {
			return Reply{}, err
		}
	}
	if name, ok := meaningOf[strings.ToLower(word)]; ok {
		// A word with the meaning of a command, but not its spelling.
		if c := b.index[name]; c != nil {
			example := withTypedID(c.Examples[0], args)
			if args != "" && b.readsAs(c, args) == nil {
				example = name + " " + args
			} else {
				example = b.withOwnID(ctx, m, c, example)
			}
			if name == "snooze" {
				if id, ok := b.undelivered(ctx, m, example); ok {
					// "postpone #k3f9" before its first run: snooze
					// would refuse it, and skip is what puts it off.
					return Reply{}, Invalid("skip #"+string(id), "I don't know the command %s. #%s hasn't come yet, so there is nothing to snooze: `skip #%s` passes over its next run.", shown, id, id)
				}
			}
			return Reply{}, Invalid(example, "I don't know the command %s. To do that, say `%s`.", shown, name)
		}
	}
	s, ok := b.closest(word, args)
	if !ok || !s.reads {
		if text, ok := b.laterCommand(args); ok {
			// "can you remind me in 10 minutes?": the command is further
			// on, and the words after it read.
			return Reply{}, Invalid(text, "I don't know the command %s. Did you mean `%s`?", shown, text)
		}
	}
	if ok {
		return Reply{}, Invalid(b.withOwnID(ctx, m, s.cmd, s.example), "I don't know the command %s. Did you mean `%s`?", shown, s.cmd.Name)
	}
	// A time on its own most likely wants a reminder at that time.
	text := strings.TrimSpace(word + " " + args)
	if b.rules != nil {
		if _, err := b.rules.Parse(text, b.zone, b.clock.Now()); err == nil {
			return Reply{}, Invalid("remind me "+text, "%s is a time, not a command: say what to do then, like `remind me %s`.", quote.Short(text, 40), quote.Cut(text, 40))
		}
	}
	// "can I have a break?": a sentence that names a command further on,
	// which reads on its own.
	for _, w := range strings.Fields(args) {
		if c := b.index[strings.ToLower(strings.Trim(w, ".!?,:;"))]; c != nil && b.readsAs(c, "") == nil {
			return Reply{}, Invalid(c.Name, "I don't know the command %s. Did you mean `%s`?", shown, c.Name)
		}
	}
	return Reply{}, Invalid("help", "I don't know the command %s. Send `help` to see what I can do.", shown)
}

// undelivered reports the id of example, a snooze command, when it names
// a reminder of the caller's that has not been delivered yet.
func (b *Bot) undelivered(ctx context.Context, m Message, example string) (ReminderID, bool) {
	r, idWord, named := b.exampleReminder(ctx, m, example)
	if !named || !strings.HasPrefix(idWord, "#") || !r.LastRun.IsZero() {
		return "", false
	}
	return r.ID, true
}

// exampleReminder reads example's first word after the command as an id:
// the caller's reminder it names, the word, and whether it names one.
// The word is "" when it is no id ("all", a time).
func (b *Bot) exampleReminder(ctx context.Context, m Message, example string) (Reminder, string, bool) {
	_, args := splitWord(example)
	idWord, _ := splitWord(args)
	if idWord == "" || isAll(idWord) {
		return Reminder{}, "", false
	}
	id, err := parseID(idWord)
	if err != nil {
		return Reminder{}, "", false
	}
	r, err := b.store.Reminder(ctx, m.Tenant, id)
	if err != nil || !visible(r, m) {
		return Reminder{}, idWord, false
	}
	return r, idWord, true
}

// laterCommand finds a command's name among args, the words after a first
// word that is no command ("can you remind me in 10 minutes?"), whose
// words after it read as that command: the command to type, and true.
// Commands that read with no words are left to the caller.
func (b *Bot) laterCommand(args string) (string, bool) {
	words := strings.Fields(args)
	for k, w := range words {
		c := b.index[strings.ToLower(strings.Trim(w, ".!?,:;"))]
		if c == nil || k+1 >= len(words) {
			continue
		}
		rest := withoutPlease(timewords.TrimSentenceEnd(strings.Join(words[k+1:], " "), ".!?"))
		text := c.Name + " " + rest
		if c.Name == "remind" {
			me, r := splitWord(rest)
			if !strings.EqualFold(me, "me") {
				continue
			}
			rest, text = r, "remind me "+r
		}
		if rest != "" && b.readsAs(c, rest) == nil {
			return text, true
		}
	}
	return "", false
}

// withOwnID mends an example of command c that still shows the made-up
// id of the commands' own examples, which is not found when typed: it
// becomes one of the caller's ids, or `all`, as the command itself would
// offer when its id is left out; or what to do first when the caller has
// nothing it could take.
func (b *Bot) withOwnID(ctx context.Context, m Message, c *Command, example string) string {
	if !slices.ContainsFunc(c.Params, func(p Param) bool { return p.Kind == IDParam }) {
		return example // "#k3f9" is an id only where the command takes one
	}
	if !strings.Contains(example, idPlaceholder) && !b.namesNone(ctx, m, example) {
		return example
	}
	req := &Request{Message: m, Command: c, Now: b.clock.Now()}
	if ex := ErrorExample(b.whichOne(ctx, req, false)); ex != "" {
		return ex
	}
	return example
}

// namesNone reports whether example's first word after the command reads
// as an id that names none of the caller's reminders: "rm str" read as
// `cancel str` would only be refused again.
func (b *Bot) namesNone(ctx context.Context, m Message, example string) bool {
	_, idWord, named := b.exampleReminder(ctx, m, example)
	return idWord != "" && !named
}

// noSuchCommand refuses `help <name>` for a name that is no command,
// offering help on the nearest command, or the whole list.
func (b *Bot) noSuchCommand(name string) error {
	if s, ok := b.closest(name, ""); ok {
		return Invalid("help "+s.cmd.Name, "There is no command %s to explain. Did you mean `%s`?", quote.Short(name, 40), s.cmd.Name)
	}
	return Invalid("help", "There is no command %s to explain; `help` lists them all.", quote.Short(name, 40))
}

// suggestion is a command near a mistyped word, and the text to offer.
type suggestion struct {
	cmd     *Command
	example string // a whole command to type
	reads   bool   // the user's own words read as this command
	dist    int
	named   bool // the word is near the command's name, not an alias
	alone   bool // no words came after the command word
}

// closest finds the command nearest to word whose parsers read args, or
// failing that the nearest command at all, with an example that works.
func (b *Bot) closest(word, args string) (suggestion, bool) {
	word = strings.ToLower(word)
	var best suggestion
	for w, c := range b.index {
		d, ok := near(word, w)
		if !ok || d > 0 && len(w) <= 3 && word[0] != w[0] {
			// A short alias shares too few letters to be mistyped in
			// its first ("foo" is not "ooo").
			continue
		}
		s := suggestion{cmd: c, dist: d, example: withTypedID(c.Examples[0], args), named: w == c.Name, alone: strings.TrimSpace(args) == ""}
		text, rest := c.Name, args
		if c.Name == "remind" {
			// "reminder in 5 minutes", "remind in 5 minutes": the
			// command reads "remind me …".
			if w, r := splitWord(args); strings.EqualFold(w, "me") {
				rest = r
			}
			text = "remind me"
		}
		text = strings.TrimSpace(text + " " + rest)
		switch err := b.readsAs(c, rest); {
		case err == nil:
			s.example, s.reads = text, true
		case ErrorExample(err) != "" && strings.HasPrefix(ErrorExample(err), c.Name):
			// The command's own mended example keeps most of the words.
			s.example = ErrorExample(err)
		}
		if best.cmd == nil || better(s, best) {
			best = s
		}
	}
	return best, best.cmd != nil
}

// better orders suggestions: one that reads the user's words, then the
// nearer word, then a command's name before an alias, then the name, so
// the choice does not depend on map order. A word said alone has no
// words to read, so nearness comes first: "schedulle" is schedule, not
// list, whose alias "schedules" is as near and which needs no words.
func better(a, b suggestion) bool {
	if a.reads != b.reads && !a.alone {
		return a.reads
	}
	if a.dist != b.dist {
		return a.dist < b.dist
	}
	if a.named != b.named {
		return a.named
	}
	if a.reads != b.reads {
		return a.reads
	}
	return a.cmd.Name < b.cmd.Name
}

// near reports whether typed is plausibly a misspelling of word, and how
// far apart they are: about one edit per three letters typed; two for the
// same letters in another order ("brake" → "break"); three when one is the
// start of the other ("reminder" → "remind", "schedul" → "schedule").
func near(typed, word string) (int, bool) {
	d := editdist.Distance(typed, word)
	n := utf8.RuneCountInString(typed)
	switch {
	case d <= n/3:
	case d <= 2 && sameLetters(typed, word):
	case d <= 3 && min(n, utf8.RuneCountInString(word)) >= 4 && (strings.HasPrefix(typed, word) || strings.HasPrefix(word, typed)):
	default:
		return d, false
	}
	return d, true
}

// sameLetters reports whether a and b are anagrams.
func sameLetters(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	slices.Sort(ra)
	slices.Sort(rb)
	return slices.Equal(ra, rb)
}

// readsAs parses args as command c would, without running it: nil when
// c would take them. Commands without a parser of their own read one id,
// or nothing, as their synopsis says.
func (b *Bot) readsAs(c *Command, args string) error {
	req := &Request{Command: c, Args: args, Now: b.clock.Now(), Zone: b.zone}
	switch c.Name {
	case "help":
		if _, ok := b.index[strings.ToLower(args)]; args != "" && !ok {
			return errNoRead
		}
	case "break":
		_, _, err := parseRoutineOptions(args)
		return err
	case "exercises":
		if _, ok := routines.ParseCategory(strings.ToLower(args)); args != "" && !ok {
			return errNoRead
		}
	case "exercise":
		if _, ok := b.library().Find(args); !ok {
			return errNoRead
		}
	case "remind":
		if b.rules == nil || args == "" {
			return errNoRead
		}
		_, _, err := b.parseWhenAndNote(args, req)
		return asCommand(err, "remind me ")
	case "schedule":
		if b.rules == nil {
			return errNoRead
		}
		rest, _, _ := scheduleChannel(args, req)
		_, _, err := b.parseSchedule(rest, req)
		return err
	case "list":
		// A later page may not exist; the first always does.
		if p, err := listPage(args); err != nil || p > 1 {
			return errNoRead
		}
	case "timezone":
		if args != "" {
			_, err := lookupZone(args)
			return err
		}
	default:
		if args == "" {
			if slices.ContainsFunc(c.Params, func(p Param) bool { return p.Required }) {
				return errNoRead
			}
			return nil
		}
		if len(c.Params) == 1 && c.Params[0].Kind == ChoiceParam {
			if slices.ContainsFunc(c.Params[0].Choices, func(ch string) bool { return strings.EqualFold(ch, args) }) {
				return nil
			}
			return errNoRead // one choice, and this is none of them
		}
		if !slices.ContainsFunc(c.Params, func(p Param) bool { return p.Kind == IDParam }) {
			// Words for a command without a reader here ("away 1") are
			// not vouched for: the command's own example is offered.
			return errNoRead
		}
		{
			// Only a bare id is judged here: whether "all" or a length
			// works depends on what the caller has.
			id, rest := splitWord(args)
			if rest != "" || isAll(id) {
				return errNoRead
			}
			if _, err := parseID(id); err != nil {
				return err
			}
			if _, ok := notIDWord(id); ok {
				return errNoRead // "pause til": a word, not an id
			}
		}
	}
	return nil
}

// errNoRead marks words a command would not take.
var errNoRead = errors.New("bot: the command does not read these words")

// idPlaceholder is the id commands' own examples show.
const idPlaceholder = "#k3f9"

// meaningOf maps words people use for a command's action, which are not
// its names, to the command: "stop #k3f9" pauses (cancel would lose it).
var meaningOf = map[string]string{
	"stop": "pause", "halt": "pause", "mute": "pause", "silence": "pause", "hold": "pause",
	"postpone": "snooze", "delay": "snooze", "later": "snooze",
	"mine": "list",
}

// editWords are words for changing a reminder in place, which is done by
// setting it again and cancelling the old one.
var editWords = map[string]bool{
	"edit": true, "change": true, "update": true, "modify": true, "move": true,
	"reschedule": true, "resched": true, "amend": true, "adjust": true,
}

// notEdited refuses "edit #k3f9 every day at 10" for a reminder or team
// break of the caller's: it is set again with the new time, then the old
// one cancelled. The example is the new one when the words after the id
// read as its time ("to 10:00" as "at 10:00"), else the command's help.
// An id with # that names none of the caller's is not found ("reschedule
// #k3f9 …" is no team break for a channel named like the id); other words
// are answered as any unknown command (nil).
func (b *Bot) notEdited(ctx context.Context, m Message, args string) error {
	idWord, rest := splitWord(args)
	id, err := parseID(idWord)
	if err != nil {
		return nil
	}
	r, err := b.store.Reminder(ctx, m.Tenant, id)
	if err != nil || !visible(r, m) {
		if strings.HasPrefix(idWord, "#") && (err == nil || ErrorCode(err) == ENOTFOUND) {
			return notFound(id) // an id, but none of the caller's
		}
		return nil
	}
	if !canManage(r, m) {
		// Another person's team break: setting it again and cancelling
		// the old one is not theirs to do either.
		return notYours(r, "edit")
	}
	name, cmd, what := "remind", "remind me", "A reminder"
	if r.Kind == ChannelSchedule {
		name, cmd, what = "schedule", "schedule", "A team break"
	}
	example := "help " + name
	when := rest
	if w, after := splitWord(rest); strings.EqualFold(w, "to") || strings.EqualFold(w, "for") {
		when = after // "change #k3f9 to 10:00"
	}
	if c := b.index[name]; c != nil && when != "" {
		cands := []string{when}
		if when[0] >= '0' && when[0] <= '9' {
			cands = []string{"at " + when, when} // "to 10:00": at 10:00
		}
		for _, cand := range cands {
			if b.readsAs(c, cand) == nil {
				example = cmd + " " + cand
				break
			}
		}
	}
	if example == "help "+name {
		return Invalid(example, "%s is not changed in place: set it again with `%s` and the new time, then `cancel #%s`.", what, cmd, id)
	}
	return Invalid(example, "%s is not changed in place: set it again with `%s`, then `cancel #%s`.", what, example, id)
}

// withTypedID puts the id the caller typed first in args in place of an
// example's placeholder id, so "postpone #m2x8 1 hour" is offered
// "snooze #m2x8", not the help's "snooze #k3f9".
func withTypedID(example, args string) string {
	const placeholder = idPlaceholder
	first, _ := splitWord(args)
	if first == "" || !strings.Contains(example, placeholder) {
		return example
	}
	if _, ok := notIDWord(first); ok || isAll(first) {
		return example
	}
	id, err := parseID(first)
	if err != nil {
		return example
	}
	return strings.Replace(example, placeholder, "#"+string(id), 1)
}
