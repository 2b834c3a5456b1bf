package bot

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/routines"
)

// sizeMinutes is the length a word for one gives: 15 minutes for a long
// break, 2 for a quick one.
func sizeMinutes(w string) int {
	if w == "long" || w == "full" {
		return 15
	}
	return 2
}

// parseRoutineOptions reads the words after `break` (or the options of a
// team schedule): minutes, a place, a category and "easy".
func parseRoutineOptions(args string) (RoutineOptions, string, error) {
	var o RoutineOptions
	difficulty := ""
	// size is the word that gave a length ("quick", "long"), which a
	// length in minutes overrides; sized says minutes were given.
	size, sized := "", false
	words := strings.Fields(strings.ToLower(args))
	for i := range words {
		words[i] = strings.Trim(words[i], ",.;!?")
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if sp, err := timewords.Read(words, i); err == nil && sp.Parts > 0 && !(sp.To == i+1 && splitsAsNumber(w)) {
			// A length in words: "five minutes", "half an hour", "an hour".
			text := strings.Join(words[i:sp.To], " ")
			_, again := sp.Again(words) // "5 min 10 min": two lengths
			switch {
			case again:
				return o, "", Invalid("break 5 min", "Give the length once, like `5 min`.")
			case sp.Value%time.Minute != 0:
				// "90 seconds", "1.5 min": offer the nearest whole minute
				// a break can be, not an unrelated length.
				near := min(max(int(sp.Value.Round(time.Minute)/time.Minute), 1), 60)
				return o, "", Invalid(fmt.Sprintf("break %d min", near), "Breaks are measured in whole minutes, so %s doesn't fit.", quote.Short(text, 30))
			case sized:
				return o, "", Invalid("break 5 min", "Give the length once, like `5 min`.")
			case sp.Value < time.Minute || sp.Value > 60*time.Minute:
				e := Invalid("break 10 min", "A break can be 1 to 60 minutes long, not %s.", quote.Cut(text, 30))
				if i > 0 && words[i-1] == "for" {
					// "for 0 days", "for 2 hours" after a reminder's time
					// is its end, which the time's own parser explains.
					e.Err = errNotOption
				}
				return o, "", e
			}
			o.Minutes, sized = int(sp.Value/time.Minute), true
			i = sp.To - 1
			continue
		}
		if w == "at" && i+1 < len(words) && words[i+1] != "" && words[i+1][0] >= '0' && words[i+1][0] <= '9' {
			// "at 10" is a time, never a length: after a schedule's time
			// it belongs to the time ("every weekday at 10 pool").
			e := Invalid("break 5 min", "%s is a time; a break takes minutes, a place or a category.", quote.Short("at "+words[i+1], 30))
			e.Err = errNotOption
			return o, "", e
		}
		if fillerWord(w) {
			continue
		}
		if (w == "in" || w == "on") && i+1 < len(words) && !splitsAsNumber(words[i+1]) {
			// "in the gym", "on the floor"; but "in 5 min" is a time,
			// which a break does not take.
			continue
		}
		if w == "one" && size != "" && words[i-1] == size {
			continue // "a quick one": the break itself
		}
		if d := leadingDigits(w); d > 4 {
			// A number too long to read as minutes ("break 999999999"):
			// too long a break, said with the number as typed.
			if rest := strings.TrimPrefix(w[d:], "-"); rest == "" || isMinuteWord(rest) {
				text := w
				if rest == "" && i+1 < len(words) && isMinuteWord(words[i+1]) {
					text += " " + words[i+1]
				}
				return o, "", Invalid("break 10 min", "A break can be 1 to 60 minutes long, not %s.", quote.Cut(text, 30))
			}
		}
		if n, used, ok := timewords.Number(words, i); ok && !splitsAsNumber(w) && n > 0 {
			// "five", "twenty five": a number in words is the number.
			i += used - 1
			w = strconv.FormatInt(n, 10)
		}
		if n, unit, ok := splitNumber(w); ok {
			if unit == "" && i+1 < len(words) && (words[i+1] == "times" || words[i+1] == "time") {
				// "0 times": a count of runs, which the time's own parser
				// explains, not a length.
				e := Invalid("break 5 min", "%s is a count of runs; a break takes minutes, a place or a category.", quote.Short(w+" "+words[i+1], 30))
				e.Err = errNotOption
				return o, "", e
			}
			text := strconv.Itoa(n)
			if unit == "" && i+1 < len(words) && isMinuteWord(words[i+1]) {
				i++
			} else if u, ok := timewords.Unit(unit); ok && u == time.Hour {
				// "1h", as "1 hour" is read above.
				n, text = n*60, w
			} else if unit != "" && !isMinuteWord(unit) {
				e := Invalid("break 5 min", "Breaks are measured in minutes, so %s doesn't fit.", quote.Short(w, 30))
				switch unit {
				case "st", "nd", "rd", "th":
					e.Err = errNotOption // "the 4th": a day, which belongs to the time
				case "am", "pm":
					e.Err = errNotOption // "4pm": a time of day, which belongs to the time
				}
				return o, "", e
			}
			if sized {
				return o, "", Invalid("break 5 min", "Give the length once, like `5 min`.")
			}
			if n < 1 || n > 60 {
				e := Invalid("break 10 min", "A break can be 1 to 60 minutes long, not %s.", text)
				if unit == "" && len(w) == 4 && words[i] == w {
					// "2027" after a date is its year, which belongs to
					// the time ("on 29 february 2027").
					e.Err = errNotOption
				}
				return o, "", e
			}
			o.Minutes, sized = n, true
			continue
		}
		if p, ok := routines.ParsePlace(w); ok {
			if o.Place != "" && o.Place != string(p) {
				return o, "", Invalid("break "+o.Place, "A break is at one place: `break %s` or `break %s`.", o.Place, p)
			}
			o.Place = string(p)
			continue
		}
		c, ok := routines.ParseCategory(w)
		if !ok && i+1 < len(words) {
			// Two-word category names ("range of motion", "low impact").
			if c, ok = routines.ParseCategory(w + " " + words[i+1]); ok {
				i++
			}
		}
		if ok {
			if o.Category != "" && o.Category != string(c) {
				return o, "", Invalid("break "+o.Category, "A break has one category: `break %s` or `break %s`.", o.Category, c)
			}
			o.Category = string(c)
			continue
		}
		switch w {
		case "quick", "short", "mini", "long", "full":
			minutes := sizeMinutes(w)
			if size != "" && sizeMinutes(size) != minutes {
				return o, "", Invalid("break "+size, "A break is quick or long, not both: `break %s` or `break %s`.", size, w)
			}
			size = w
			if !sized {
				o.Minutes = minutes
			}
			continue
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
		switch w {
		case "lying", "laying", "supine", "prone":
			// Lying down is done on a mat, which a floor break brings.
			if o.Place != "" && o.Place != string(routines.Floor) {
				return o, "", Invalid("break "+o.Place, "A break is at one place: `break %s` or `break %s`.", o.Place, routines.Floor)
			}
			o.Place = string(routines.Floor)
			if i+1 < len(words) && words[i+1] == "down" {
				i++
			}
			continue
		case "seated", "sitting", "sit", "standing", "stand":
			// Exercises are picked by place; a desk break mixes standing
			// and seated ones, which is what the place allows.
			ex := strings.TrimSpace("break " + strings.Join(slices.DeleteFunc(slices.Clone(words), func(x string) bool {
				switch x {
				case "seated", "sitting", "sit", "standing", "stand", "down", "up":
					return true
				}
				return false
			}), " "))
			if _, _, err := parseRoutineOptions(strings.TrimPrefix(ex, "break")); err != nil || !strings.Contains(ex, " ") {
				ex = "break desk"
			} else if o2, _, _ := parseRoutineOptions(strings.TrimPrefix(ex, "break")); o2.Place == "" {
				ex += " desk"
			}
			e := Invalid(ex, "Breaks are chosen by place, not posture: a desk break is done standing or seated (chair, desk, wall), a floor break adds kneeling and lying on a mat.")
			if o == (RoutineOptions{}) && difficulty == "" {
				e.Err = errNotOption
			}
			return o, "", e
		}
		if fix, ok := nearestWord(w, optionWords); ok {
			// A slip of the keyboard: "flor", "strenght".
			fixed := slices.Clone(words)
			fixed[i] = fix
			if _, _, err := parseRoutineOptions(strings.Join(fixed, " ")); err != nil {
				return o, "", err // mended, it is still wrong: say what else is
			}
			return o, "", Invalid(strings.Join(append([]string{"break"}, fixed...), " "), "I don't know %s as a break option; did you mean %s?", quote.Short(w, 30), fix)
		}
		e := Invalid("break 5 min desk", "I don't understand %s in a break. Give minutes, a place (desk, floor, home, gym, outdoors, pool) or a category (mobility, traction, stabilization, strengthening, aerobic).", quote.Short(w, 30))
		if o == (RoutineOptions{}) && difficulty == "" {
			e.Err = errNotOption
		}
		return o, "", e
	}
	return o, difficulty, nil
}

// splitsClock reports whether reading opts as a break's options would cut
// a time of day in two: "at 9 30" is 09:30, so its "30" is no break length
// (but in "at 9 30 min" and "at 9 5" it is).
func splitsClock(when, opts []string) bool {
	n := len(when)
	if n < 2 || !strings.EqualFold(when[n-2], "at") || len(when[n-1]) > 2 || !allDigits(when[n-1]) || len(opts) == 0 {
		return false
	}
	m := opts[0]
	if len(m) != 2 || !allDigits(m) || m > "59" {
		return false
	}
	if len(opts) == 1 {
		return true
	}
	_, unit := timewords.Unit(strings.ToLower(opts[1]))
	return !unit && !isMinuteWord(opts[1]) && !strings.EqualFold(opts[1], "times")
}

// lengthTwice returns the length as first given when err refuses a length
// given twice ("2 hours 2 hours"), to offer it once.
func lengthTwice(err error) (string, bool) {
	var pe *timewords.PartError
	if errors.As(err, &pe) && errors.Is(err, timewords.ErrTwice) {
		return pe.Text, true
	}
	return "", false
}

// optionWords are the options a break takes, for mending typos.
var optionWords = []string{"desk", "floor", "home", "gym", "outdoors", "pool", "mobility", "traction", "stabilization",
	"strengthening", "strength", "stretching", "stability", "cardio", "aerobic", "easy", "gentle", "moderate", "medium", "hard"}

// fillerWord reports whether w is a word a break's options may carry
// without changing them: "a break of 5 min at my desk".
func fillerWord(w string) bool {
	switch w {
	case "", "for", "a", "at", "the", "of", "my", "our", "me", "please", "with", "now", "back", "lower", "spine", "some",
		"break": // "break short break": the command word said again
		return true
	}
	return false
}

// errNotOption marks words that start with no routine option at all, as
// opposed to options out of range or followed by a stray word: after a
// schedule's time they more likely belong to the time.
var errNotOption = errors.New("not a routine option")

// splitsAsNumber reports whether splitNumber reads w: "5", "5min".
func splitsAsNumber(w string) bool {
	_, _, ok := splitNumber(w)
	return ok
}

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
	return n, strings.TrimPrefix(w[j:], "-"), true // "5-min"
}

// leadingDigits is how many ASCII digits w starts with.
func leadingDigits(w string) int {
	j := 0
	for j < len(w) && w[j] >= '0' && w[j] <= '9' {
		j++
	}
	return j
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
	return b.buildLeveled(ctx, tenant, scope, o, difficulty, "")
}

// buildLeveled is buildRoutine drawing variants nearest to level first
// (routines.Request.Level).
func (b *Bot) buildLeveled(ctx context.Context, tenant TenantID, scope string, o RoutineOptions, difficulty, level string) (routines.Routine, error) {
	r, err := b.drawLeveled(ctx, tenant, scope, o, difficulty, level)
	if err != nil {
		return routines.Routine{}, err
	}
	if err := b.saveRotation(ctx, tenant, scope, r.Used); err != nil {
		return routines.Routine{}, fmt.Errorf("bot: save rotation: %w", err)
	}
	return r, nil
}

// drawLeveled is buildLeveled without saving the rotation: r.Used is what
// the caller must save.
func (b *Bot) drawLeveled(ctx context.Context, tenant TenantID, scope string, o RoutineOptions, difficulty, level string) (routines.Routine, error) {
	used, err := b.rotation(ctx, tenant, scope)
	if err != nil {
		return routines.Routine{}, fmt.Errorf("bot: load rotation: %w", err)
	}
	r, err := b.library().Build(routines.Request{
		Minutes:    o.Minutes,
		Place:      routines.Place(o.Place),
		Category:   routines.Category(o.Category),
		Difficulty: difficulty,
		Level:      level,
		Used:       used,
		Seed:       b.seed(),
	})
	if err != nil {
		return routines.Routine{}, routineError(err)
	}
	return r, nil
}

// specOf records r so that rebuildRoutine can give it again exactly: the
// same exercises, order, times and doses.
func specOf(r routines.Routine) RoutineSpec { return RoutineSpec(r.Spec()) }

// rebuildRoutine gives again the routine spec records, from the library.
// It reports false for an empty or damaged spec, or one naming an exercise
// the library no longer has; the caller then builds a fresh routine.
func (b *Bot) rebuildRoutine(spec RoutineSpec) (routines.Routine, bool) {
	if spec == "" {
		return routines.Routine{}, false
	}
	r, err := b.library().FromSpec(string(spec))
	return r, err == nil
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

// routineReply renders a routine: cards in progression order, each with
// its stage label, the total and the safety note for zone.
func routineReply(title string, r routines.Routine, zone string) Reply {
	cats := []string{}
	seen := map[routines.Category]bool{}
	cards := make([]Card, 0, len(r.Items))
	for _, it := range r.Items {
		if !seen[it.Exercise.Category] {
			seen[it.Exercise.Category] = true
			cats = append(cats, categoryLabel(it.Exercise.Category))
		}
		cards = append(cards, itemCard(it))
	}
	intro := fmt.Sprintf("%s in all · %s. Move slowly, breathe, and stay in a pain-free range.",
		timewords.FormatShort(secondsDur(r.Seconds)), strings.Join(cats, " → "))
	if r.Note != "" {
		intro += " " + r.Note
	}
	return Reply{Title: title, Blocks: []string{intro}, Cards: cards, Note: routines.SafetyNote(zone), Compact: len(cards) > FullCards}
}

// itemCard shows one routine item: the time it gets, the dose scaled to
// that time, and its stage as the card's category.
func itemCard(it routines.Item) Card {
	e := it.Exercise
	// The first place is the plainest one the exercise suits ("desk" for
	// office exercises, "floor" for mat work).
	detail := e.Position + " · " + string(e.Places[0]) + " · no equipment"
	if len(e.Equipment) > 0 {
		detail = strings.TrimSuffix(detail, "no equipment") + "needs " + timewords.JoinAnd(e.Equipment)
	}
	return Card{
		ID:       e.ID,
		Name:     e.Name,
		Category: it.Stage,
		Duration: timewords.FormatShort(secondsDur(it.Seconds)) + " · " + it.Dose.String(),
		Detail:   detail,
		Steps:    e.Steps,
		Caution:  e.Cautions,
		Seconds:  it.Seconds,
	}
}

func categoryLabel(c routines.Category) string {
	s := string(c)
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (b *Bot) breakCmd(ctx context.Context, req *Request) (Reply, error) {
	o, difficulty, err := parseRoutineOptions(req.Args)
	if err != nil {
		if b.rules != nil && req.Args != "" && !splitsAsNumber(strings.TrimSpace(req.Args)) {
			// (A bare number is minutes out of range, not a time: "break 0"
			// is no reminder at midnight.)
			// "break every day at 3pm", "break in 20 minutes": a break
			// later is a reminder.
			if _, _, perr := b.parseWhenAndNote(req.Args, req); perr == nil {
				return Reply{}, Invalid("remind me "+req.Args, "A break is for right now; for one later, set a reminder.")
			}
		}
		return Reply{}, err
	}
	if o.Place == "" {
		o.Place = req.User.Prefer // the standing preference, if any
	}
	level, ceiling := routineLevel(req.User)
	if difficulty == "" {
		difficulty = ceiling
	}
	scope := "user:" + string(req.User.ID)
	r, err := b.drawLeveled(ctx, req.Tenant, scope, o, difficulty, level)
	if err != nil {
		return Reply{}, err
	}
	// Remember the break so `done` credits this one and only once, with
	// the rotation, in one write.
	u := req.User
	u.Tenant, u.ID = req.Tenant, req.Message.User
	u.LastBreak = req.Now
	u.LastBreakKey = fmt.Sprintf("break:%s:%d", req.Message.User, req.Now.UnixNano())
	if err := b.saveBreak(ctx, BreakRecord{User: u, Scope: scope, Used: r.Used}); err != nil {
		return Reply{}, fmt.Errorf("bot: save break: %w", err)
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
	reply := routineReply(fmt.Sprintf("Your %d-minute %s break", minutes, kind), r, req.Zone.String())
	reply.Blocks = append(reply.Blocks, "Say `done` when you have finished, so it counts toward your streak.")
	// The Done button names the break and whose it is ("b:<time>.<user>"),
	// so that a teammate who presses it is told it is not theirs.
	reply.Actions = []Action{{ID: ActionDone, Label: "Done", Value: "b:" + strconv.FormatInt(req.Now.UnixNano(), 36) + "." + string(req.Message.User), Style: "primary"}}
	// A break asked for in a channel is for everyone there to join.
	reply.Visibility = Public
	return reply, nil
}

func (b *Bot) exercisesCmd(_ context.Context, req *Request) (Reply, error) {
	cats := routines.Categories
	if req.Args != "" {
		c, ok := routines.ParseCategory(strings.ToLower(req.Args))
		if p, isPlace := routines.ParsePlace(strings.ToLower(req.Args)); !ok && isPlace {
			// "exercises floor": a routine for that place is what helps.
			return Reply{}, Invalid("break "+string(p), "The library is listed by category; for exercises that suit the %s, ask for a break there.", p)
		}
		if !ok {
			return Reply{}, Invalid("exercises mobility", "%s is not a category. Categories: mobility, traction, stabilization, strengthening, aerobic.", quote.Short(req.Args, 40))
		}
		cats = []routines.Category{c}
	}
	var blocks []string
	for _, c := range cats {
		exs := b.library().ByCategory(c)
		if len(cats) > 1 {
			// The whole library by name only: with every summary it
			// would not fit in one chat message.
			names := make([]string, len(exs))
			for i, e := range exs {
				names[i] = e.Name
			}
			blocks = append(blocks, fmt.Sprintf("%s (%d): %s", categoryLabel(c), len(exs), strings.Join(names, " · ")))
			continue
		}
		lines := make([]string, 0, len(exs)+1)
		lines = append(lines, fmt.Sprintf("%s (%d)", categoryLabel(c), len(exs)))
		for _, e := range exs {
			lines = append(lines, fmt.Sprintf("• %s (%s) — %s", e.Name, e.ID, e.Summary))
		}
		blocks = append(blocks, strings.Join(lines, "\n"))
	}
	if len(cats) > 1 {
		blocks = append(blocks, "Say `exercises mobility` (or another category) for what each one does, `exercise <name>` for the steps, or `break` for a routine.")
	} else {
		blocks = append(blocks, "Say `exercise <name>` for the steps, or `break` for a routine.")
	}
	return Reply{Title: "Exercise library", Blocks: blocks, Note: routines.SafetyNote(req.Zone.String()), Visibility: Private}, nil
}

func (b *Bot) exerciseCmd(_ context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		return Reply{}, Invalid("exercise child's pose", "Which exercise? Give its name or id.")
	}
	lib := b.library()
	e, ok := lib.Find(req.Args)
	named := lib.Named(req.Args)
	if !ok && len(named) == 1 {
		// A word of one exercise's name alone ("spinal") is that one.
		e, ok, named = named[0], true, nil
	}
	if !ok {
		if c := b.howToUse(req.Args); c != "" {
			return Reply{}, Invalid("help "+c, "To see how `%s` is used, with examples, ask for its help.", c)
		}
		if len(named) > 1 {
			return Reply{}, Invalid("exercise "+strings.ToLower(named[0].Name), "%s is in the names of %s.", quote.Short(req.Args, 40), exerciseNames(named))
		}
		sug := lib.Suggest(req.Args, 3)
		if len(sug) == 0 {
			return Reply{}, Invalid("exercises", "I don't have an exercise called %s.", quote.Short(req.Args, 40))
		}
		return Reply{}, Invalid("exercise "+strings.ToLower(sug[0].Name), "I don't have an exercise called %s. Closest: %s.", quote.Short(req.Args, 40), exerciseNames(sug))
	}
	r := exerciseReply(e.Usual(), req.Zone.String())
	var others []routines.Exercise
	for _, o := range named {
		if o.ID != e.ID {
			others = append(others, o)
		}
	}
	if len(others) > 0 && len(others) < len(named) {
		// A word such as "hamstring" finds one exercise by its alias; say
		// which others it names, so that the choice is not made silently.
		r.Blocks = append(r.Blocks, fmt.Sprintf("%s also names %s: say `exercise %s`, for example.",
			quote.Short(req.Args, 40), exerciseNames(others), strings.ToLower(others[0].Name)))
	}
	return r, nil
}

// maxNamed is how many exercises a reply names before it counts the rest.
const maxNamed = 5

// exerciseNames joins the names of es, the first maxNamed of them and a
// count of the rest.
func exerciseNames(es []routines.Exercise) string {
	names := make([]string, 0, maxNamed+1)
	for i, e := range es {
		if i == maxNamed {
			names = append(names, fmt.Sprintf("%d more", len(es)-maxNamed))
			break
		}
		names = append(names, e.Name)
	}
	return timewords.JoinAnd(names)
}

// exerciseReply shows one exercise in full with the time and dose of it:
// the answer to `exercise <name>` and to a Steps control.
func exerciseReply(it routines.Item, zone string) Reply {
	e := it.Exercise
	blocks := []string{e.Summary, fmt.Sprintf("Difficulty: %s. %s", e.Difficulty, e.Background())}
	return Reply{Title: e.Name, Blocks: blocks, Cards: []Card{itemCard(it)}, Note: routines.SafetyNote(zone), Visibility: Private}
}

// nearestWord returns the word of words closest to typed, when one is
// close enough to be what was meant.
func nearestWord(typed string, words []string) (string, bool) {
	best, bestD := "", -1
	for _, w := range words {
		if d, ok := near(typed, w); ok && (bestD < 0 || d < bestD) {
			best, bestD = w, d
		}
	}
	return best, bestD >= 0
}

// howToUse is the command a question asks how to use ("how do I schedule
// a break?", "show me how to set a reminder"), read after "how" or "show":
// words of a question first, then the first word naming a command; "" when
// args are not such a question.
func (b *Bot) howToUse(args string) string {
	words := strings.Fields(strings.ToLower(args))
	if len(words) < 2 {
		return ""
	}
	switch words[0] {
	case "do", "does", "can", "could", "should", "would", "to", "me", "you":
	default:
		return ""
	}
	for _, w := range words[1:] {
		w = strings.Trim(w, ".!?,;:")
		switch w {
		case "reminder", "reminders":
			return "remind"
		case "exercise", "exercises", "show", "how", "stretch":
			continue // the question's own words, or this command
		}
		if c := b.index[w]; c != nil {
			return c.Name
		}
	}
	return ""
}
