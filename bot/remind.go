package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/routines"
)

func (b *Bot) remindCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	args := strings.TrimLeft(req.Args, ",:;-–— ")
	w, rest := splitWord(args)
	switch {
	case strings.EqualFold(strings.TrimRight(w, ",:;-"), "me"):
		args = strings.TrimLeft(rest, ",:;-–— ") // "remind me: at 3pm", "remind me - in 5 min"
	case strings.EqualFold(w, "us") || strings.EqualFold(w, "everyone") || strings.EqualFold(w, "team") || strings.HasPrefix(w, "#"):
		// A reminder for a channel is a team break.
		example := "schedule every weekday at 15:00"
		if c := b.index["schedule"]; rest != "" && c != nil && b.readsAs(c, rest) == nil {
			example = "schedule " + rest
		}
		return Reply{}, Invalid(example, "A reminder for the channel is a team break: say `schedule` and the time.")
	case strings.HasPrefix(w, "@") || strings.HasPrefix(w, "<@"):
		example := "remind me in 20 minutes to stand up"
		if rest != "" {
			if _, _, err := b.parseWhenAndNote(rest, req); err == nil {
				example = "remind me " + rest
			}
		}
		return Reply{}, Invalid(example, "I can only remind you; others can set their own reminders.")
	}
	if args == "" {
		return Reply{}, Invalid("remind me in 20 minutes to stand up", "When should I remind you?")
	}
	args = b.firstRunSaid(args, "remind me", req, func(s string) bool {
		_, _, err := b.parseWhenAndNote(s, req)
		return err == nil
	})
	rest, day, start, hasStart, err := b.splitStart(args, "remind me", req)
	if err != nil {
		return Reply{}, err
	}
	args = rest // without its start, and "from" a time said as "at" it
	rule, note, err := b.parseWhenAndNote(args, req)
	if polite := withoutPlease(args); err != nil && polite != args {
		if r, n, perr := b.parseWhenAndNote(polite, req); perr == nil {
			rule, note, err, args = r, n, nil, polite
		}
	}
	var opts RoutineOptions
	if err != nil {
		if werr := twoWindowsError(args, "remind me", "", "A reminder", req, func(s string) (Rule, error) {
			r, _, err := b.parseWhenAndNote(s, req)
			return r, err
		}); werr != nil {
			return Reply{}, werr
		}
		if rerr := twoRulesError(args, "remind me", "", func(s string) (Rule, error) {
			r, _, err := b.parseWhenAndNote(s, req)
			return r, err
		}); rerr != nil {
			return Reply{}, rerr
		}
		if oerr := timeOrTimeError(args, "remind me ", func(s string) bool {
			_, _, err := b.parseWhenAndNote(s, req)
			return err == nil
		}); oerr != nil {
			return Reply{}, oerr
		}
		var ok bool
		var oerr error
		if rule, note, opts, ok, oerr = b.remindWithOptions(args, req); !ok {
			if oerr != nil {
				return Reply{}, oerr
			}
			if c := b.index["schedule"]; c != nil && channelWords().MatchString(args) && b.readsAs(c, args) == nil {
				// "remind me every day at 10 in #general": a break posted
				// in a channel is a team break.
				return Reply{}, Invalid("schedule "+args, "A reminder comes to you alone; a break posted in a channel is a team break: say `schedule` and the time.")
			}
			if zerr := zoneInWhenError(args, "remind me", req, func(s string) bool {
				_, _, err := b.parseWhenAndNote(s, req)
				return err == nil
			}); zerr != nil {
				return Reply{}, zerr
			}
			parses := func(s string) bool {
				_, _, err := b.parseWhenAndNote(s, req)
				return err == nil
			}
			if nerr := noteWithoutTo(err, args, parses); nerr != nil {
				return Reply{}, nerr
			}
			if serr := b.startingInstead(err, args, "remind me", "", req, parses); serr != nil {
				return Reply{}, serr
			}
			return Reply{}, keepNote(asCommand(err, "remind me "), args, "remind me ", parses)
		}
	}
	if hasStart {
		if rule, err = b.withStart(rule, start, "remind me", args, day, req); err != nil {
			return Reply{}, err
		}
	}
	r := Reminder{Kind: Personal, Note: note, Routine: opts}
	return b.create(ctx, req, r, rule, 3)
}

// timeOrTime finds two times of day joined by "or": "at 3 or 4".
var timeOrTime = lazyRegexp(`(?i)\b((?:\d{1,2}(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?|noon|midnight))\s+or\s+(?:at\s+)?(?:\d{1,2}(?:[:.]\d\d)?(?:\s*[ap]\.?m\.?)?|noon|midnight)\b`)

// timeOrTimeError refuses a time said as one of two ("at 3 or 4"), which
// would leave the bot to guess, offering the command with the first of
// them when that reads (prefix starts it); nil otherwise.
func timeOrTimeError(args, prefix string, parses func(string) bool) error {
	m := timeOrTime().FindStringSubmatchIndex(args)
	if m == nil {
		return nil
	}
	mended := strings.Join(strings.Fields(args[:m[3]]+args[m[1]:]), " ")
	if !parses(mended) {
		return nil
	}
	return Invalid(prefix+mended, "Give me one time: %s leaves me to guess which.", quote.Short(args[m[2]:m[1]], 30))
}

// noteWithoutTo refuses a time followed by a note with no "to" before it
// ("in 5 min drink water"), whose refusal names the note's first word and
// offers the time alone: the example puts "to" back, when the words after
// the time are not one of the grammar's. nil when err is no such refusal.
func noteWithoutTo(err error, args string, parses func(string) bool) error {
	var e *Error
	if !errors.As(err, &e) || !strings.HasPrefix(e.Message, "I don't understand “") {
		return nil
	}
	// The note starts at the word refused, after words that read as a
	// time.
	words := strings.Fields(args)
	for k := 1; k < len(words); k++ {
		if !strings.Contains(e.Message, "“"+words[k]+"”") {
			continue
		}
		when, note := strings.Join(words[:k], " "), strings.Join(words[k:], " ")
		if !strings.EqualFold(strings.TrimPrefix(e.Example, "remind me "), when) {
			// The refusal mended the word to one of the grammar's ("exept"
			// → except), or offered another time: a slip, not a note.
			return nil
		}
		if noteWord(words[k]) || !parses(when) || !parses(when+" to "+note) {
			return nil
		}
		return Invalid("remind me "+when+" to "+note, "I don't understand %s as part of a time; if it is what the reminder is for, put `to` before it.", quote.Short(words[k], 30))
	}
	return nil
}

// joinTimeWords are words times are said with: one of them, or a slip
// for one, starting the words after a time is more likely a time mistyped
// than what the reminder is for.
var joinTimeWords = []string{"and", "at", "on", "every", "each", "in", "from", "until", "till", "between", "except", "for", "then",
	"after", "before", "today", "tomorrow", "tonight", "day", "days", "daily", "weekday", "weekdays", "weekend", "weekends",
	"morning", "afternoon", "evening", "night", "hour", "hours", "minute", "minutes", "week", "weeks", "month", "months",
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "noon", "midnight", "starting", "times"}

// noteWord reports whether w is one of joinTimeWords or a slip for one.
func noteWord(w string) bool {
	w = strings.ToLower(w)
	for _, t := range joinTimeWords {
		if _, ok := near(w, t); ok {
			return true
		}
	}
	return false
}

// keepNote gives a refusal's example the note args ends with, when the
// example mended only the time ("in 10 to stretch" offers "in 10 minutes
// to stretch", not "in 10 minutes") and still parses with it.
func keepNote(err error, args, prefix string, parses func(string) bool) error {
	var e *Error
	if !errors.As(err, &e) || !strings.HasPrefix(e.Example, prefix) {
		return err
	}
	lower, ex := strings.ToLower(args), strings.TrimPrefix(e.Example, prefix)
	for _, sep := range noteSeparators {
		i := strings.LastIndex(lower, sep)
		if i <= 0 || strings.Contains(strings.ToLower(ex), sep) {
			continue // "from 9 to 5": the example's "to" may be the time's
		}
		note := args[i:]
		if strings.Contains(strings.ToLower(ex), strings.ToLower(note)) || !parses(ex+note) {
			continue
		}
		c := *e
		c.Example = e.Example + note
		return &c
	}
	return err
}

// withoutPlease drops a "please" said before or after a command's words,
// which no time or option contains.
func withoutPlease(args string) string {
	words := strings.Fields(args)
	for len(words) > 0 && isPlease(words[0]) {
		words = words[1:]
	}
	for len(words) > 0 && isPlease(words[len(words)-1]) {
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ")
}

func isPlease(w string) bool {
	switch strings.ToLower(strings.Trim(w, ",.!?")) {
	case "please", "pls", "plz":
		return true
	}
	return false
}

// remindWithOptions reads a reminder whose break is sized or placed as a
// break's is ("every day at 15:00 floor 10 min"): up to four words of
// options end the time, before the note if there is one. ok is false when
// no such reading parses; err then explains options that were wrong after
// a time that was right.
func (b *Bot) remindWithOptions(args string, req *Request) (Rule, string, RoutineOptions, bool, error) {
	words := strings.Fields(args)
	end := len(words) // where the options end: the note's "to", or the end
	for i, w := range words {
		if i > 0 && strings.EqualFold(w, "to") {
			end = i
			break
		}
	}
	var optsErr error
	for _, stop := range []int{end, len(words)} {
		for k := min(4, stop-1); k >= 1; k-- {
			if splitsClock(words[:stop-k], words[stop-k:stop]) || continuesTimes(words[stop-k:stop]) {
				continue
			}
			rest := strings.Join(append(slices.Clone(words[:stop-k]), words[stop:]...), " ")
			opts, _, err := parseRoutineOptions(strings.Join(words[stop-k:stop], " "))
			if err != nil {
				var e *Error
				exOpts, _, exErr := parseRoutineOptions(strings.TrimPrefix(ErrorExample(err), "break"))
				if exErr != nil || exOpts == (RoutineOptions{}) {
					continue // the example's options would not be taken either ("easy")
				}
				if optsErr == nil && !errors.Is(err, errNotOption) && errors.As(err, &e) {
					if _, _, perr := b.parseWhenAndNote(rest, req); perr == nil {
						// The time was fine; the options were not. Keep
						// the time and put the example's options after it.
						head := strings.Join(words[:stop-k], " ")
						if note, msg, ok := optionsAsNote(e, words[stop-k:], end == len(words)); ok {
							if _, _, nerr := b.parseWhenAndNote(head+" to "+note, req); nerr == nil {
								// "every day at 3pm stretch my neck": what the
								// reminder is for, said without "to".
								optsErr = Invalid("remind me "+head+" to "+note, "%s", msg)
								continue
							}
						}
						c := *e
						c.Example = strings.Join(strings.Fields("remind me "+head+" "+strings.TrimPrefix(e.Example+" ", "break ")+" "+strings.Join(words[stop:], " ")), " ")
						optsErr = &c
					}
				}
				continue
			}
			if opts == (RoutineOptions{}) {
				continue
			}
			rule, note, err := b.parseWhenAndNote(rest, req)
			if err == nil {
				return rule, note, opts, true, nil
			}
			if optsErr == nil && errors.Is(err, ErrOneOffSeveral) {
				// "tomorrow at 9 and 15:00 5 min": the options were fine,
				// the times are what to mend; the example keeps the
				// options and the note.
				optsErr = withOptionsBack(asCommand(err, "remind me "), "remind me ", strings.Join(words[stop-k:stop], " "), strings.Join(words[stop:], " "), func(s string) bool {
					_, _, err := b.parseWhenAndNote(s, req)
					return err == nil
				})
			}
		}
		if stop == len(words) {
			break
		}
	}
	return nil, "", RoutineOptions{}, false, optsErr
}

// startingInstead refuses a repeating rule said with a later day as a
// one-off's ("every hour tomorrow"), err's refusal, with the rule starting
// on that day, when that reads (parses, for the words without the start):
// "every hour starting tomorrow", then in, the channel named if any. nil
// when err is no such refusal or no such start reads.
func (b *Bot) startingInstead(err error, args, command, in string, req *Request, parses func(string) bool) error {
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "leave out the day") {
		return nil
	}
	words := strings.Fields(args)
	for i, w := range words {
		switch strings.ToLower(w) {
		case "tomorrow", "next":
		default:
			continue
		}
		if i == 0 || strings.EqualFold(words[i-1], "starting") {
			return nil
		}
		alt := strings.Join(slices.Concat(words[:i], []string{"starting"}, words[i:]), " ")
		rest, _, _, ok, serr := b.splitStart(alt, command, req)
		if serr != nil || !ok {
			return nil
		}
		if !parses(rest) {
			return nil
		}
		return Invalid(command+" "+alt+in, "A repeating reminder starts right away; to begin on a later day, put `starting` before it.")
	}
	return nil
}

// optionsAsNote reads words, refused as a break's options by e for a word
// they do not know, as what a reminder is for instead, when the reminder
// has no note yet (noNote): the note, and the refusal saying to put "to"
// before it.
func optionsAsNote(e *Error, words []string, noNote bool) (string, string, bool) {
	const unknown = " in a break."
	i := strings.Index(e.Message, unknown)
	if !noNote || i < 0 || !strings.HasPrefix(e.Message, "I don't understand ") || len(words) < 2 {
		return "", "", false
	}
	// Only words led by an activity ("stretch", "walk") read as what the
	// reminder is for: "5 min banana" or "floor banana" are options with a
	// slip, and keep the refusal about options.
	if _, ok := routines.ParseCategory(words[0]); !ok || strings.ContainsAny(strings.Join(words, " "), "0123456789") {
		return "", "", false
	}
	return strings.Join(words, " "), e.Message[:i] + " in a break; if it is what the reminder is for, put `to` before it.", true
}

// withOptionsBack puts a break's options, opts, back into the example of
// err, a refusal of the time said without them, before the note when there
// is one: "remind me friday night at 23:00" becomes "remind me friday night
// at 23:00 5 min". parses reads a time with its note; err is kept as it is
// when the example's time, with the note, does not read.
func withOptionsBack(err error, prefix, opts, note string, parses func(string) bool) error {
	var e *Error
	if opts == "" || !errors.As(err, &e) || !strings.HasPrefix(e.Example, prefix) {
		return err
	}
	when := strings.TrimSpace(strings.TrimPrefix(e.Example, prefix))
	if note != "" {
		when = strings.TrimSpace(strings.TrimSuffix(when, note))
	}
	if when == "" || !parses(strings.TrimSpace(when+" "+note)) {
		return err
	}
	c := *e
	c.Example = strings.TrimSpace(prefix + when + " " + opts + " " + note)
	return &c
}

// continuesTimes reports whether opts go on with a list of times
// ("12 and 15:00" after "at 9,"): words that are no break's options.
func continuesTimes(opts []string) bool {
	digit := func(w string) bool { return w != "" && w[0] >= '0' && w[0] <= '9' }
	if len(opts) < 2 || !digit(opts[0]) {
		return false
	}
	if strings.HasSuffix(opts[0], ",") {
		return digit(opts[1])
	}
	return len(opts) >= 3 && (strings.EqualFold(opts[1], "and") || opts[1] == ",") && digit(opts[2])
}

// parseWhenAndNote splits "<when> to <note>" or "to <note> <when>".
func (b *Bot) parseWhenAndNote(args string, req *Request) (Rule, string, error) {
	words := strings.Fields(args)
	if w := strings.ToLower(words[0]); w == "to" || w == "about" || w == "that" {
		// "to stand up in 20 minutes": the longest tail that parses is the when.
		for i := 2; i < len(words); i++ {
			if rule, err := b.rules.Parse(strings.Join(words[i:], " "), req.Zone, req.Now); err == nil {
				note, err := checkNote(strings.Join(words[1:i], " "))
				return rule, note, err
			}
		}
		example := "remind me in 20 minutes to stand up"
		if w := strings.ToLower(words[0]); w == "to" && len(words) > 1 {
			if _, err := checkNote(strings.Join(words[1:], " ")); err == nil {
				example = "remind me in 20 minutes " + strings.Join(words, " ") // their own note
			}
		}
		return nil, "", Invalid(example, "I couldn't find when to remind you.")
	}
	lower := strings.ToLower(args)
	if strings.HasSuffix(lower, " to") {
		example := "remind me in 20 minutes to stand up"
		if head := strings.TrimSpace(args[:len(args)-len(" to")]); head != "" {
			if _, err := b.rules.Parse(head, req.Zone, req.Now); err == nil {
				example = "remind me " + head // their own time
			}
		}
		return nil, "", Invalid(example, "Remind you to do what? Add a note after `to`, or leave `to` out.")
	}
	// "<when> to <note>": the longest head that parses is the when, so that
	// a "to" inside the time ("from 9 to 5 to stretch") stays with it.
	rule, err := b.rules.Parse(args, req.Zone, req.Now)
	if err == nil {
		return rule, "", nil
	}
	// A note follows "to", "about", "that", a colon or a dash.
	type cut struct{ at, note int }
	var cuts []cut
	for i := 0; i < len(lower); i++ {
		for _, sep := range noteSeparators {
			if strings.HasPrefix(lower[i:], sep) {
				cuts = append(cuts, cut{i, i + len(sep)})
				break
			}
		}
	}
	// "every day to eat lunch at noon": the time goes on after the note.
	for k, c := range cuts {
		if k == maxNoteCuts {
			break // a long message is not read every way it could be
		}
		rest := strings.Fields(args[c.note:])
		for j := 1; j < min(len(rest), maxNoteWords); j++ {
			if !resumesTime[strings.ToLower(rest[j])] {
				continue
			}
			when := args[:c.at] + " " + strings.Join(rest[j:], " ")
			if rule, perr := b.rules.Parse(when, req.Zone, req.Now); perr == nil {
				note, err := checkNote(strings.Join(rest[:j], " "))
				return rule, note, err
			}
		}
	}
	for k := len(cuts) - 1; k >= 0; k-- {
		if dayRange(args[:cuts[k].at], args[cuts[k].note:]) || clockRange(args[:cuts[k].at], args[cuts[k].note:]) {
			continue // "monday to friday", "at 9 - 17": time, not a note
		}
		if rule, perr := b.rules.Parse(args[:cuts[k].at], req.Zone, req.Now); perr == nil {
			if sep := strings.TrimSpace(args[cuts[k].at:cuts[k].note]); sep == "-" || sep == "–" || sep == "—" {
				// "every weekday at 9 – except fridays": a dash within
				// the time is punctuation when the time reads on.
				if whole, werr := b.rules.Parse(args[:cuts[k].at]+" "+args[cuts[k].note:], req.Zone, req.Now); werr == nil {
					return whole, "", nil
				}
			}
			note, err := checkNote(args[cuts[k].note:])
			return rule, note, err
		}
	}
	if rule, note, ok := b.noteFirst(args, req, ErrorMessage(err)); ok {
		note, err := checkNote(note)
		return rule, note, err
	}
	if rule, note, ok := b.noteAfterFor(args, req, err); ok {
		note, err := checkNote(note)
		return rule, note, err
	}
	if len(cuts) > 0 {
		// The time before the first "to" explains best what is wrong with
		// it, unless the cut took the end of the time with it ("from 1 to
		// 4 on 2027-03-28"): then the whole says more.
		if _, cerr := b.rules.Parse(args[:cuts[0].at], req.Zone, req.Now); cerr != nil && !strings.HasPrefix(ErrorMessage(cerr), "Something is missing") {
			err = cerr
		}
	}
	return nil, "", err
}

// noteAfterFor reads "<when> for <note>" ("every weekday at 10:30 for the
// standup"), when the time was refused for want of a length after its
// "for": the words after the last "for" start the note if nothing in
// them looks like a length, mistyped or not ("for 3 weaks", "for a
// fortnite", "for the next 3 wekes" stay refused).
func (b *Bot) noteAfterFor(args string, req *Request, err error) (Rule, string, bool) {
	if !strings.HasPrefix(ErrorMessage(err), "Say how long it should go on") {
		return nil, "", false
	}
	i := strings.LastIndex(strings.ToLower(args), " for ")
	if i < 0 {
		return nil, "", false
	}
	after := strings.Fields(strings.ToLower(args[i+len(" for "):]))
	if len(after) == 0 {
		return nil, "", false
	}
	if _, _, isNumber := timewords.Number(after, 0); isNumber || after[0][0] >= '0' && after[0][0] <= '9' {
		return nil, "", false
	}
	if len(after) > 1 {
		switch after[0] {
		case "a", "an", "another", "one":
			if lengthWord(after[1]) {
				return nil, "", false
			}
		case "the":
			switch after[1] {
			case "next", "rest", "coming", "following", "whole", "entire":
				return nil, "", false
			}
		}
	}
	switch after[0] {
	case "ever", "good", "now", "today", "tomorrow", "tonight":
		return nil, "", false
	}
	rule, perr := b.rules.Parse(args[:i], req.Zone, req.Now)
	if perr != nil {
		return nil, "", false
	}
	return rule, strings.TrimSpace(args[i+1:]), true
}

// lengthWords are the words, besides the unit words timewords knows,
// that a length after "a" may begin with or be a slip for: units spelt
// out, their short forms, and lengths that name no unit.
var lengthWords = append(timewords.UnitNames(), "fortnight", "min", "sec", "hr", "wk", "mo", "yr", "while", "bit", "couple", "few", "moment")

// lengthWord reports whether w, after "a", may be a length of time, or a
// mistyped one: a unit word, a word near one, or one that begins as a
// unit does for four letters ("fortnite").
func lengthWord(w string) bool {
	w = strings.Trim(w, ",.;:!?")
	if _, ok := timewords.Unit(w); ok {
		return true
	}
	for _, u := range lengthWords {
		if strings.HasPrefix(w, u) || strings.HasPrefix(u, w) || len(u) > 4 && len(w) >= 4 && strings.HasPrefix(u, w[:4]) {
			return true
		}
		if _, ok := near(w, u); ok {
			return true
		}
	}
	return false
}

// dayRange reports whether a "to" between head and note joins two days
// ("except monday to friday"), which makes them a range, not a note.
func dayRange(head, note string) bool {
	before := strings.Fields(head)
	after, _ := splitWord(note)
	if len(before) == 0 || after == "" {
		return false
	}
	d1, ok1 := timewords.LookupDay(strings.ToLower(before[len(before)-1]))
	d2, ok2 := timewords.LookupDay(strings.ToLower(strings.Trim(after, ",.;:!?")))
	return ok1 && ok2 && d1.Single && d2.Single
}

// Bounds on the readings of a note in the middle of the time.
const (
	maxNoteCuts  = 8
	maxNoteWords = 40
)

// resumesTime are the words that may take the time up again after a note
// in the middle: "every day to eat lunch at noon".
var resumesTime = map[string]bool{
	"at": true, "on": true, "every": true, "each": true, "from": true, "between": true, "until": true, "till": true,
	"tomorrow": true, "today": true, "tonight": true, "daily": true, "weekly": true, "monthly": true, "hourly": true,
}

// clockRange reports whether a "to" or dash between head and note joins
// two times of day ("at 10:30 - 15:00"), which makes them a range, not a
// time and a note.
func clockRange(head, note string) bool {
	before := strings.Fields(head)
	n := len(before)
	if n == 0 || !clockOnly().MatchString(note) {
		return false
	}
	return clockOnly().MatchString(before[n-1]) || n > 1 && clockOnly().MatchString(before[n-2]+" "+before[n-1]) // "3 pm"
}

// clockOnly matches words that are a time of day and nothing else:
// "17", "15:00", "4pm", "4.30 p.m.", "noon".
var clockOnly = lazyRegexp(`(?i)^\s*(\d{1,2}([:.]\d\d)?\s*([ap]\.?m\.?)?|noon|midnight)\s*$`)

// clockInNote finds a time of day written with digits: "10:30", "9.30",
// "3pm".
var clockInNote = lazyRegexp(`(?i)\b\d{1,2}[:.]\d\d\b|\b\d{1,2}\s*[ap]\.?m\b`)

// noteSeparators start a note after the time: "in 5 min to stretch",
// "in 5 min: stretch", "in 5 min - stretch", "in 5 min about lunch".
var noteSeparators = []string{" to ", " about ", " that ", ": ", " - ", " – ", " — "}

// noteFirst reads "<note> <when>" without a "to": "remind me drink water
// in 5 min". The time is the words from one that starts a time; the note
// must not hold a word close to a time word, so that a typo ("tomorow at
// 9") is refused rather than taken for a note.
//
// why is the refusal of the whole: the note must hold the word it could
// not read, so that a time refused for its own sake ("every 5 min from 9
// to 5" under a 10-minute minimum) is not cut into a note.
func (b *Bot) noteFirst(args string, req *Request, why string) (Rule, string, bool) {
	words := strings.Fields(args)
	for j := 1; j < min(len(words), maxNoteWords); j++ {
		if w := strings.ToLower(words[j]); !resumesTime[w] && w != "in" && w != "every" && w != "next" {
			continue
		}
		rule, err := b.rules.Parse(strings.Join(words[j:], " "), req.Zone, req.Now)
		if err != nil {
			continue
		}
		if clockInNote().MatchString(strings.Join(words[:j], " ")) {
			// "every weekday at 10:30, then at 15:00": a time of day
			// before the time read is part of a time, not a note.
			return nil, "", false
		}
		switch strings.ToLower(words[0]) {
		case "every", "each", "on", "next", "this":
			// "every school day at 9", "on new year's eve at 23:59": a
			// day not read, never a note of another time ("in the
			// office at 3pm" may be one).
			return nil, "", false
		}
		for i := 1; i <= min(j, 4); i++ {
			if _, err := b.rules.Parse(strings.Join(words[:i], " "), req.Zone, req.Now); err == nil {
				// "in 20 min and then every hour": the words before
				// the time read are a time too, not a note.
				return nil, "", false
			}
		}
		unread := false
		for _, w := range words[:j] {
			lw := strings.ToLower(strings.Trim(w, ",.;:!?"))
			if nearTimeWord(lw) {
				return nil, "", false
			}
			unread = unread || strings.HasPrefix(why, "I don't understand "+quote.Text(lw))
		}
		if !unread {
			return nil, "", false
		}
		head := strings.Join(words[:j], " ")
		for _, c := range []string{" and", ",", " then", " plus"} {
			head = strings.TrimSuffix(strings.TrimSpace(head), c)
		}
		if _, err := b.rules.Parse(head, req.Zone, req.Now); err == nil {
			// "every day at 9 and every monday at 10": two times, of
			// which neither is a note.
			return nil, "", false
		}
		return rule, strings.Join(words[:j], " "), true
	}
	return nil, "", false
}

// timeWords start or make up a time; a note word near one, but not one,
// is likely a typo of it.
var timeWords = append([]string{"in", "at", "on", "every", "each", "tomorrow", "today", "tonight", "next", "this",
	"daily", "weekly", "monthly", "hourly", "noon", "midday", "midnight", "morning", "afternoon", "evening", "night", "minutes",
	"hours", "days", "weeks", "from", "between", "until", "weekday", "weekdays"}, timewords.DayWords()...)

func nearTimeWord(w string) bool {
	if len(w) < 4 || slices.Contains(timeWords, w) {
		return false // a time word itself is the note's ("the weekly review")
	}
	for _, t := range joinTimeWords {
		if _, ok := near(w, t); ok {
			return true
		}
	}
	return false
}

func checkNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	for _, q := range [][2]string{{`"`, `"`}, {"“", "”"}, {"'", "'"}, {"‘", "’"}} {
		// "to “drink water”": the quotes mark the note, not part of it.
		if inner, ok := strings.CutPrefix(note, q[0]); ok {
			if inner, ok = strings.CutSuffix(inner, q[1]); ok && inner != "" && !strings.Contains(inner, q[0]) {
				note = strings.TrimSpace(inner)
			}
			break
		}
	}
	if len([]rune(note)) > maxNoteLen {
		return "", Invalid("remind me in 20 minutes to stand up", "That note is too long; keep it under %d characters.", maxNoteLen)
	}
	return note, nil
}
