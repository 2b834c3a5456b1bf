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
	when, note := args, ""
	lower := strings.ToLower(args)
	if strings.HasSuffix(lower, " to") {
		return nil, "", Invalid("remind me in 20 minutes to stand up", "Remind you to do what? Add a note after `to`, or leave `to` out.")
	}
	if i := strings.Index(lower, " to "); i >= 0 {
		when, note = args[:i], strings.TrimSpace(args[i+4:])
	}
	rule, err := b.rules.Parse(when, req.Zone, req.Now)
	if err != nil {
		return nil, "", err
	}
	n, err := checkNote(note)
	return rule, n, err
}

func checkNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if len([]rune(note)) > maxNoteLen {
		return "", Invalid("remind me in 20 minutes to stand up", "That note is too long; keep it under %d characters.", maxNoteLen)
	}
	return note, nil
}
