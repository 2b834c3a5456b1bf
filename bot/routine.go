package bot

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/routines"
)

// parseRoutineOptions reads the words after `break` (or the options of a
// team schedule): minutes, a place, a category and "easy".
func parseRoutineOptions(args string) (RoutineOptions, string, error) {
	var o RoutineOptions
	difficulty := ""
	words := strings.Fields(strings.ToLower(args))
	for i := 0; i < len(words); i++ {
		w := strings.Trim(words[i], ",.;")
		if w == "" || w == "for" || w == "a" || w == "at" || w == "the" || w == "of" {
			continue
		}
		if n, unit, ok := splitNumber(w); ok {
			if unit == "" && i+1 < len(words) && isMinuteWord(words[i+1]) {
				i++
			} else if unit != "" && !isMinuteWord(unit) {
				return o, "", Invalid("break 5 min", "Breaks are measured in minutes, so %q doesn't fit.", w)
			}
			if o.Minutes != 0 {
				return o, "", Invalid("break 5 min", "Give the length once, like `5 min`.")
			}
			if n < 1 || n > 60 {
				return o, "", Invalid("break 10 min", "A break can be 1 to 60 minutes long, not %d.", n)
			}
			o.Minutes = n
			continue
		}
		if p, ok := routines.ParsePlace(w); ok {
			o.Place = string(p)
			continue
		}
		if c, ok := routines.ParseCategory(w); ok {
			o.Category = string(c)
			continue
		}
		// Two-word category names ("range of motion", "low impact").
		if i+1 < len(words) {
			if c, ok := routines.ParseCategory(w + " " + words[i+1]); ok {
				o.Category = string(c)
				i++
				continue
			}
		}
		switch w {
		case "easy", "gentle", "light":
			difficulty = "easy"
			continue
		case "moderate", "medium":
			difficulty = "moderate"
			continue
		case "hard", "tough":
			difficulty = "hard"
			continue
		}
		e := Invalid("break 5 min desk", "I don't understand %q in a break. Give minutes, a place (desk, floor, anywhere) or a category (mobility, traction, stabilization, strengthening, aerobic).", truncate(w, 30))
		if o == (RoutineOptions{}) && difficulty == "" {
			e.Err = errNotOption
		}
		return o, "", e
	}
	return o, difficulty, nil
}

// errNotOption marks words that start with no routine option at all, as
// opposed to options out of range or followed by a stray word: after a
// schedule's time they more likely belong to the time.
var errNotOption = errors.New("not a routine option")

func splitNumber(w string) (int, string, bool) {
	j := 0
	for j < len(w) && w[j] >= '0' && w[j] <= '9' {
		j++
	}
	if j == 0 || j > 4 {
		return 0, "", false
	}
	n, err := strconv.Atoi(w[:j])
	if err != nil {
		return 0, "", false
	}
	return n, w[j:], true
}

// isMinuteWord reports whether w names minutes: a unit word ("min") or
// the minute mark (5 ').
func isMinuteWord(w string) bool {
	w = strings.Trim(w, ",.;")
	u, ok := timewords.Unit(w)
	return ok && u == time.Minute || w == "'"
}

// buildRoutine builds a routine for scope ("user:U1" or "channel:C1"),
// rotating through the library without repeats, and saves the rotation.
func (b *Bot) buildRoutine(ctx context.Context, tenant TenantID, scope string, o RoutineOptions, difficulty string) (routines.Routine, error) {
	used, err := b.store.Rotation(ctx, tenant, scope)
	if err != nil {
		return routines.Routine{}, fmt.Errorf("bot: load rotation: %w", err)
	}
	seed := b.seed()
	r, err := b.lib.Build(routines.Request{
		Minutes:    o.Minutes,
		Place:      routines.Place(o.Place),
		Category:   routines.Category(o.Category),
		Difficulty: difficulty,
		Used:       used,
		Rand:       rand.New(rand.NewPCG(seed, seed>>1|1)),
	})
	if err != nil {
		return routines.Routine{}, routineError(err)
	}
	if err := b.store.SaveRotation(ctx, tenant, scope, r.Used); err != nil {
		return routines.Routine{}, fmt.Errorf("bot: save rotation: %w", err)
	}
	return r, nil
}

// routineError maps the builder's errors to user errors; the builder's
// errors say what did not fit and what would.
func routineError(err error) error {
	var ue interface {
		UserMessage() string
		Example() string
	}
	if errors.As(err, &ue) {
		return &Error{Code: EINVALID, Message: ue.UserMessage(), Example: ue.Example(), Err: err}
	}
	return &Error{Code: EINVALID, Message: "No routine fits that request.", Example: "break 5 min", Err: err}
}

// routineReply renders a routine: cards in progression order, the total and
// the safety note.
func routineReply(title string, r routines.Routine) Reply {
	cats := []string{}
	seen := map[routines.Category]bool{}
	cards := make([]Card, 0, len(r.Items))
	for _, it := range r.Items {
		if !seen[it.Exercise.Category] {
			seen[it.Exercise.Category] = true
			cats = append(cats, categoryLabel(it.Exercise.Category))
		}
		cards = append(cards, exerciseCard(it.Exercise, it.Seconds))
	}
	intro := fmt.Sprintf("%s in all · %s. Move slowly, breathe, and stay in a pain-free range.",
		timewords.FormatShort(secondsDur(r.Seconds)), strings.Join(cats, " → "))
	return Reply{Title: title, Blocks: []string{intro}, Cards: cards, Note: routines.SafetyNote}
}

func exerciseCard(e routines.Exercise, seconds int) Card {
	dur := timewords.FormatShort(secondsDur(seconds))
	if e.Reps != "" {
		dur += " · " + e.Reps
	}
	detail := []string{e.Position}
	if len(e.Places) > 0 {
		ps := make([]string, len(e.Places))
		for i, p := range e.Places {
			ps[i] = string(p)
		}
		detail = append(detail, strings.Join(ps, "/"))
	}
	if len(e.Equipment) > 0 {
		detail = append(detail, "needs "+timewords.JoinAnd(e.Equipment))
	} else {
		detail = append(detail, "no equipment")
	}
	return Card{
		ID:       e.ID,
		Name:     e.Name,
		Category: categoryLabel(e.Category),
		Duration: dur,
		Detail:   strings.Join(detail, " · "),
		Steps:    e.Steps,
		Caution:  e.Cautions,
	}
}

func categoryLabel(c routines.Category) string {
	s := string(c)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sourceText drops the library's internal section numbering ("Seed §3 ")
// from an exercise's source note.
func sourceText(s string) string {
	if rest, ok := strings.CutPrefix(s, "Seed §"); ok {
		if i := strings.IndexByte(rest, ' '); i >= 0 {
			s = rest[i+1:]
		}
	}
	s = strings.TrimSpace(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func (b *Bot) breakCmd(ctx context.Context, req *Request) (Reply, error) {
	o, difficulty, err := parseRoutineOptions(req.Args)
	if err != nil {
		return Reply{}, err
	}
	r, err := b.buildRoutine(ctx, req.Tenant, "user:"+string(req.User.ID), o, difficulty)
	if err != nil {
		return Reply{}, err
	}
	// Remember the break so `done` credits this one and only once.
	u := req.User
	u.Tenant, u.ID = req.Tenant, req.Message.User
	u.LastBreak = req.Now
	u.LastBreakKey = fmt.Sprintf("break:%s:%d", req.Message.User, req.Now.UnixNano())
	if err := b.store.SaveUser(ctx, u); err != nil {
		return Reply{}, fmt.Errorf("bot: save last break: %w", err)
	}
	minutes := o.Minutes
	if minutes == 0 {
		minutes = 5
	}
	kind := "stretch"
	if o.Category != "" {
		kind = strings.ToLower(categoryLabel(routines.Category(o.Category)))
	}
	if o.Place != "" {
		kind = o.Place + " " + kind
	}
	reply := routineReply(fmt.Sprintf("Your %d-minute %s break", minutes, kind), r)
	reply.Blocks = append(reply.Blocks, "Say `done` when you have finished, so it counts toward your streak.")
	reply.Actions = []Action{{ID: ActionDone, Label: "Done", Value: "b:" + strconv.FormatInt(req.Now.UnixNano(), 36), Style: "primary"}}
	// A break asked for in a channel is for everyone there to join.
	reply.Visibility = Public
	return reply, nil
}

func (b *Bot) exercisesCmd(_ context.Context, req *Request) (Reply, error) {
	cats := routines.Categories
	if req.Args != "" {
		c, ok := routines.ParseCategory(strings.ToLower(req.Args))
		if !ok {
			return Reply{}, Invalid("exercises mobility", "%q is not a category. Categories: mobility, traction, stabilization, strengthening, aerobic.", truncate(req.Args, 40))
		}
		cats = []routines.Category{c}
	}
	var blocks []string
	for _, c := range cats {
		exs := b.lib.ByCategory(c)
		lines := make([]string, 0, len(exs)+1)
		lines = append(lines, fmt.Sprintf("%s (%d)", categoryLabel(c), len(exs)))
		for _, e := range exs {
			lines = append(lines, fmt.Sprintf("• %s (%s) — %s", e.Name, e.ID, e.Summary))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	blocks = append(blocks, "Say `exercise <name>` for the steps, or `break` for a routine.")
	return Reply{Title: "Exercise library", Blocks: blocks, Note: routines.SafetyNote, Visibility: Private}, nil
}

func (b *Bot) exerciseCmd(_ context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		return Reply{}, Invalid("exercise child's pose", "Which exercise? Give its name or id.")
	}
	e, ok := b.lib.Find(req.Args)
	if !ok {
		sug := b.lib.Suggest(req.Args, 3)
		if len(sug) == 0 {
			return Reply{}, Invalid("exercises", "I don't have an exercise called %q.", truncate(req.Args, 40))
		}
		names := make([]string, len(sug))
		for i, s := range sug {
			names[i] = s.Name
		}
		return Reply{}, Invalid("exercise "+strings.ToLower(sug[0].Name), "I don't have an exercise called %q. Closest: %s.", truncate(req.Args, 40), timewords.JoinAnd(names))
	}
	card := exerciseCard(e, e.Seconds)
	blocks := []string{e.Summary}
	blocks = append(blocks, fmt.Sprintf("Difficulty: %s. Background: %s", e.Difficulty, sourceText(e.Source)))
	return Reply{Title: e.Name, Blocks: blocks, Cards: []Card{card}, Note: routines.SafetyNote, Visibility: Private}, nil
}
