package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

func (b *Bot) cancelCmd(ctx context.Context, req *Request) (Reply, error) {
	if ids := manyIDs(req.Args); len(ids) > 1 || ids[0] != req.Args {
		return b.each(ctx, req, ids, b.cancelCmd)
	}
	r, err := b.lookup(ctx, req, req.Args)
	if err != nil {
		return Reply{}, err
	}
	if err := b.store.DeleteReminder(ctx, req.Tenant, r.ID); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Reply{}, notFound(r.ID)
		}
		return Reply{}, fmt.Errorf("bot: delete reminder: %w", err)
	}
	b.wake(r.ID)
	return Reply{Blocks: []string{fmt.Sprintf("Cancelled #%s (%s).", r.ID, b.ruleWords(r))}, Visibility: Private}, nil
}

// manyIDs splits "#k3f9 #m2x8", "#k3f9, #m2x8" or "#k3f9 and #m2x8" into
// its ids, each once: an id said twice is a slip, not a wish to cancel
// or skip it twice. Anything else (one id, words that are no ids) is
// returned whole, as one.
func manyIDs(args string) []string {
	words := strings.FieldsFunc(args, func(r rune) bool { return r == ' ' || r == ',' })
	var ids []string
	said := map[string]bool{}
	for _, w := range words {
		if strings.EqualFold(w, "and") || w == "&" {
			continue
		}
		if !strings.HasPrefix(w, "#") {
			return []string{args}
		}
		if key := strings.ToLower(strings.TrimRight(w, ".!?;:")); !said[key] {
			said[key] = true
			ids = append(ids, w)
		}
	}
	if len(ids) == 0 {
		return []string{args}
	}
	return ids
}

// bareIDs mends several ids typed without their # ("cancel k3f9 m2x8",
// "pause k3f9, m2x8"): when args is two or more words, besides "and", each
// of them an id the caller can see, the error offers the command with each
// id marked. Otherwise it is nil and the caller gives its own answer.
func (b *Bot) bareIDs(ctx context.Context, req *Request, args string) error {
	words := strings.FieldsFunc(args, func(r rune) bool { return r == ' ' || r == ',' })
	var ids []string
	for _, w := range words {
		if strings.EqualFold(w, "and") || w == "&" {
			continue
		}
		id := strings.ToLower(strings.TrimRight(strings.TrimPrefix(w, "#"), ".!?;:"))
		if !idPattern().MatchString(id) || slices.Contains(ids, "#"+id) {
			return nil
		}
		r, err := b.store.Reminder(ctx, req.Tenant, ReminderID(id))
		if err != nil || !visible(r, req.Message) {
			return nil
		}
		ids = append(ids, "#"+id)
	}
	if len(ids) < 2 {
		return nil
	}
	return Invalid(req.Command.Name+" "+strings.Join(ids, " "), "To give several ids at once, put # before each one.")
}

// leadingIDs splits the ids that begin args ("#k3f9, #m2x8 and #x7y2")
// from the words after them ("for 2 hours"), each id once; said is how
// many were typed, repeats included.
func leadingIDs(args string) (ids []string, said int, rest string) {
	words := strings.Fields(args)
	n := 0
	for n < len(words) && (strings.HasPrefix(words[n], "#") || strings.EqualFold(words[n], "and") || words[n] == "&" || words[n] == ",") {
		n++
	}
	for n > 0 && !strings.HasPrefix(words[n-1], "#") {
		n-- // "#k3f9 and for 2 hours": the "and" is no id's
	}
	if n == 0 {
		return nil, 0, args
	}
	for _, w := range words[:n] {
		if strings.HasPrefix(w, "#") {
			said++
		}
	}
	return manyIDs(strings.Join(words[:n], " ")), said, strings.Join(words[n:], " ")
}

// each runs cmd for every id, after checking that every one of them is
// the caller's to change, so that a mistyped id changes nothing.
func (b *Bot) each(ctx context.Context, req *Request, ids []string, cmd func(context.Context, *Request) (Reply, error)) (Reply, error) {
	for _, id := range ids {
		if _, err := b.lookup(ctx, req, id); err != nil {
			var e *Error
			if errors.As(err, &e) && e.Code != EINTERNAL {
				// Said of one id, the refusal could read as if the
				// others had been changed.
				c := *e
				c.Message = strings.TrimSpace(c.Message) + " Nothing was changed."
				return Reply{}, &c
			}
			return Reply{}, err
		}
	}
	var out Reply
	for _, id := range ids {
		one := *req
		one.Args = id
		r, err := cmd(ctx, &one)
		if err != nil {
			if len(out.Blocks) == 0 || !IsInvalid(err) {
				return Reply{}, err
			}
			// The ids before were changed: say so, and why this one
			// was not.
			out.Blocks = append(out.Blocks, ErrorMessage(err))
			continue
		}
		out.Blocks = append(out.Blocks, r.Blocks...)
		out.Visibility = r.Visibility
	}
	return out, nil
}
