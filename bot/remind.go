package bot

import (
	"context"
	"strings"
)

func (b *Bot) remindCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	args := req.Args
	if w, rest := splitWord(args); strings.EqualFold(w, "me") {
		args = rest
	}
	if args == "" {
		return Reply{}, Invalid("remind me in 20 minutes to stand up", "When should I remind you?")
	}
	rule, note, err := b.parseWhenAndNote(args, req)
	if err != nil {
		return Reply{}, asCommand(err, "remind me ")
	}
	r := Reminder{Kind: Personal, Note: note}
	return b.create(ctx, req, r, rule, 3)
}

// parseWhenAndNote splits "<when> to <note>" or "to <note> <when>".
func (b *Bot) parseWhenAndNote(args string, req *Request) (Rule, string, error) {
	words := strings.Fields(args)
	if strings.EqualFold(words[0], "to") {
		// "to stand up in 20 minutes": the longest tail that parses is the when.
		for i := 2; i < len(words); i++ {
			if rule, err := b.rules.Parse(strings.Join(words[i:], " "), req.Zone, req.Now); err == nil {
				note, err := checkNote(strings.Join(words[1:i], " "))
				return rule, note, err
			}
		}
		return nil, "", Invalid("remind me in 20 minutes to stand up", "I couldn't find when to remind you.")
	}
	lower := strings.ToLower(args)
	if strings.HasSuffix(lower, " to") {
		return nil, "", Invalid("remind me in 20 minutes to stand up", "Remind you to do what? Add a note after `to`, or leave `to` out.")
	}
	// "<when> to <note>": the longest head that parses is the when, so that
	// a "to" inside the time ("from 9 to 5 to stretch") stays with it.
	rule, err := b.rules.Parse(args, req.Zone, req.Now)
	if err == nil {
		return rule, "", nil
	}
	var cuts []int
	for i := 0; ; {
		j := strings.Index(lower[i:], " to ")
		if j < 0 {
			break
		}
		cuts, i = append(cuts, i+j), i+j+1
	}
	for k := len(cuts) - 1; k >= 0; k-- {
		if rule, perr := b.rules.Parse(args[:cuts[k]], req.Zone, req.Now); perr == nil {
			note, err := checkNote(args[cuts[k]+4:])
			return rule, note, err
		}
	}
	if len(cuts) > 0 {
		// The time before the first "to" explains best what is wrong with
		// it, unless the cut took the end of the time with it ("from 1 to
		// 4 on 2027-03-28"): then the whole says more.
		if _, cerr := b.rules.Parse(args[:cuts[0]], req.Zone, req.Now); !strings.HasPrefix(ErrorMessage(cerr), "Something is missing") {
			err = cerr
		}
	}
	return nil, "", err
}

func checkNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > maxNoteLen {
		return "", Invalid("remind me in 20 minutes to stand up", "That note is too long; keep it under %d characters.", maxNoteLen)
	}
	return note, nil
}
