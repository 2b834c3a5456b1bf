package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/internal/zones"
)

const (
	maxNoteLen   = 300
	idAlphabet   = "abcdefghijkmnpqrstuvwxyz23456789" // no l, o, 0, 1: easy to read aloud
	defaultSnooz = 10 * time.Minute
	maxSnooze    = 24 * time.Hour
	maxPause     = 366 * 24 * time.Hour
)

var errNoRules = &Error{Code: EINTERNAL, Message: "Scheduling is not available in this bot instance."}

// asCommand turns a <when> error's example ("in 20 minutes") into a whole
// command the user can type ("remind me in 20 minutes").
func asCommand(err error, prefix string) error {
	var e *Error
	if !errors.As(err, &e) || e.Example == "" || strings.HasPrefix(e.Example, prefix) {
		return err
	}
	c := *e
	c.Example = prefix + e.Example
	return &c
}

// newID draws a fresh public id: four characters while they are plentiful,
// longer after collisions.
func (b *Bot) newID(attempt int) ReminderID {
	n := 4 + max(0, attempt-1)
	if n > 8 {
		n = 8
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	id := make([]byte, n)
	for i := range id {
		id[i] = idAlphabet[b.rng.IntN(len(idAlphabet))]
	}
	return ReminderID(id)
}

var idPattern = lazyRegexp(`^[a-z0-9]{3,8}$`)

// parseID reads "#k3f9" or "k3f9".
func parseID(s string) (ReminderID, error) {
	s = strings.TrimSpace(s)
	if t := strings.TrimRight(s, ".!?,;:"); t != "" {
		s = t // a sentence may end right after the id: "cancel #k3f9."
	}
	s = strings.ToLower(strings.TrimPrefix(s, "#"))
	if !idPattern().MatchString(s) {
		if s == "" {
			return "", Invalid("list", "Which one? Give its id, like #k3f9; `list` shows them.")
		}
		return "", Invalid("list", "%s is not a reminder id; ids look like #k3f9 and `list` shows yours.", quote.Short(s, 20))
	}
	return ReminderID(s), nil
}

func notFound(id ReminderID) error {
	return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("Not found: there is no reminder #%s for you here.", id), Example: "list"}
}

// visible reports whether the caller may see r: any team schedule of the
// tenant, and their own personal reminders. Everything else is "not found",
// so nobody learns that someone else's id exists.
func visible(r Reminder, m Message) bool {
	return r.Tenant == m.Tenant && (r.Kind == ChannelSchedule || r.Owner == m.User)
}

// canManage reports whether the caller may change r: its owner, or a tenant
// admin for team schedules.
func canManage(r Reminder, m Message) bool {
	return r.Owner == m.User || (r.Kind == ChannelSchedule && m.Admin)
}

// notIDWords are words people put where an id goes. For each: whether the
// words from it on still belong in the command once an id is put first
// ("pause for 2 hours" → "pause #k3f9 for 2 hours", "skip next" → "skip #k3f9").
var notIDWords = map[string]bool{
	"for": true, "until": true, "till": true, "til": true, "by": true,
	"next": false, "it": false, "this": false, "that": false, "the": false,
	"my": false, "one": false, "last": false, "them": false, "reminder": false,
	"reminders": false, "everything": false, "now": false,
	"today": false, "tomorrow": false, "tonight": false,
}

// notIDWord looks w up in notIDWords, allowing a sentence's end after it.
func notIDWord(w string) (keepRest, ok bool) {
	keepRest, ok = notIDWords[strings.ToLower(strings.TrimRight(w, ".!?,;:"))]
	return keepRest, ok
}

// whichOne answers a command whose id was left out, with an example that
// names one of the caller's own reminders the command would take, or
// "all" for pause and resume.
func (b *Bot) whichOne(ctx context.Context, req *Request, keepRest bool) error {
	cmd := req.Command.Name
	l, err := b.listed(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return fmt.Errorf("bot: list reminders: %w", err)
	}
	rs := l.rs
	paused := func(r Reminder) bool { return r.Paused || r.PausedUntil.After(req.Now) }
	takes := func(r Reminder) bool { return !r.Finished() }
	switch cmd {
	case "pause":
		takes = func(r Reminder) bool { return !r.Paused && !r.Finished() }
	case "resume":
		takes = paused
	case "skip":
		takes = b.skippable
	case "snooze":
		takes = func(r Reminder) bool { return !r.LastRun.IsZero() && !paused(r) }
	}
	ref := ""
	for _, r := range rs {
		if canManage(r, req.Message) && takes(r) {
			ref = "#" + string(r.ID)
			break
		}
	}
	if r, ok := b.namedByWords(rs, req, takes); ok {
		// "cancel my 3pm reminder", "cancel the walk one": the one whose
		// time or note the words name.
		return namedOne(cmd, r, b.ruleWords(r))
	}
	switch {
	case ref == "" && cmd == "pause":
		return Invalid("remind me every weekday at 10:30", "You have nothing active here to pause.")
	case ref == "" && cmd == "resume":
		return Invalid("list", "Nothing here is paused.")
	case ref == "":
		return Invalid("list", "Which one? Give its id, like #k3f9; `list` shows them.")
	case cmd == "pause" || cmd == "resume":
		ref = "all"
	}
	example := cmd + " " + ref
	if keepRest {
		example += " " + strings.TrimSpace(req.Args)
	}
	how := "Give its id"
	if ref == "all" {
		how += " or `all`"
	}
	if strings.TrimSpace(req.Args) != "" {
		how += " first"
	}
	return Invalid(example, "Which one? %s; `list` shows them.", how)
}

// saidClock is a time of day as said in words: "3pm", "10:30", "10am".
var saidClock = lazyRegexp(`^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$`)

// namedByWords finds the one reminder among rs the caller may change with
// the command (takes) whose time of day or note the words of req.Args
// name: "my 3pm reminder" names one at 15:00, "the walk one" one whose
// note says walk. ok is false unless exactly one matches.
func (b *Bot) namedByWords(rs []Reminder, req *Request, takes func(Reminder) bool) (Reminder, bool) {
	var clocks, words []string
	for _, w := range strings.Fields(strings.ToLower(req.Args)) {
		w = strings.Trim(w, ".,!?;:#")
		if m := saidClock().FindStringSubmatch(w); m != nil && (m[2] != "" || m[3] != "") {
			h, _ := strconv.Atoi(m[1])
			if m[3] == "pm" && h < 12 {
				h += 12
			} else if m[3] == "am" && h == 12 {
				h = 0
			}
			mins := cmp.Or(m[2], "00")
			clocks = append(clocks, fmt.Sprintf("%02d:%s", h, mins))
			continue
		}
		if _, filler := notIDWords[w]; len(w) >= 3 && !filler && !isAll(w) {
			words = append(words, w)
		}
	}
	if len(clocks) == 0 && len(words) == 0 {
		return Reminder{}, false
	}
	var found Reminder
	for _, r := range rs {
		if !canManage(r, req.Message) || !takes(r) {
			continue
		}
		said := b.ruleWords(r)
		match := false
		for _, c := range clocks {
			match = match || strings.Contains(said, c)
		}
		for _, nw := range strings.Fields(strings.ToLower(r.Note)) {
			nw = strings.Trim(nw, ".,!?;:\"'()")
			for _, w := range words {
				// "walk" names a note that says walk or walking.
				match = match || nw == w || len(w) >= 4 && strings.HasPrefix(nw, w)
			}
		}
		if match {
			if found.ID != "" {
				return Reminder{}, false
			}
			found = r
		}
	}
	return found, found.ID != ""
}

// namedOne refuses cmd said with words instead of an id, offering the id
// of r, which the words name.
func namedOne(cmd string, r Reminder, ruleWords string) *Error {
	return Invalid(fmt.Sprintf("%s #%s", cmd, r.ID), "That sounds like #%s (%s); give its id, as `%s #%s`.", r.ID, ruleWords, cmd, r.ID)
}

// lookup finds a reminder the caller may change.
func (b *Bot) lookup(ctx context.Context, req *Request, idText string) (Reminder, error) {
	if isAll(idText) {
		if req.Command.Name == "snooze" {
			return Reminder{}, Invalid("list", "`snooze` takes one id at a time; `list` shows them.")
		}
		// cancel: removing everything by one slip of a word is refused.
		return Reminder{}, b.cancelAll(ctx, req)
	}
	id, err := parseID(idText)
	if err != nil {
		// "pause for 2 hours", "cancel it": the id left out.
		first, _ := splitWord(idText)
		if first == "" {
			return Reminder{}, b.whichOne(ctx, req, false)
		}
		if keep, ok := notIDWord(first); ok {
			return Reminder{}, b.whichOne(ctx, req, keep)
		}
		if merr := b.bareIDs(ctx, req, idText); merr != nil {
			return Reminder{}, merr
		}
		return Reminder{}, err
	}
	r, err := b.store.Reminder(ctx, req.Tenant, id)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !visible(r, req.Message)) {
		if keep, ok := notIDWord(idText); ok {
			return Reminder{}, b.whichOne(ctx, req, keep)
		}
		if !strings.HasPrefix(strings.TrimSpace(idText), "#") {
			// "cancel walk": a word of a note, not an id. Still not found,
			// as it would be, with the id it names.
			if l, lerr := b.listed(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel}); lerr == nil {
				if named, ok := b.namedByWords(l.rs, req, func(r Reminder) bool { return !r.Finished() }); ok {
					return Reminder{}, &Error{Code: ENOTFOUND, Example: fmt.Sprintf("%s #%s", req.Command.Name, named.ID),
						Message: fmt.Sprintf("There is no reminder #%s for you here; that sounds like #%s (%s).", id, named.ID, b.ruleWords(named))}
				}
			}
		}
		return Reminder{}, notFound(id)
	}
	if err != nil {
		return Reminder{}, fmt.Errorf("bot: load reminder: %w", err)
	}
	if !canManage(r, req.Message) {
		return Reminder{}, notYours(r, req.Command.Name)
	}
	return r, nil
}

// maxCancelOffered is how many ids a refused `cancel all` offers.
const maxCancelOffered = 10

// cancelAll refuses `cancel all`, offering the command that cancels what
// the caller may cancel here, their ids spelled out: deleting is never
// one slip of a word away, yet takes no more than typing back.
func (b *Bot) cancelAll(ctx context.Context, req *Request) error {
	cmd := req.Command.Name
	l, err := b.listed(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return fmt.Errorf("bot: list reminders: %w", err)
	}
	var ids []string
	n := 0
	for _, r := range l.rs {
		if canManage(r, req.Message) && !r.Finished() {
			if n++; len(ids) < maxCancelOffered {
				ids = append(ids, "#"+string(r.ID))
			}
		}
	}
	switch {
	case n == 0:
		return Invalid("list", "You have nothing here to cancel.")
	case n > len(ids):
		return Invalid(cmd+" "+strings.Join(ids, " "), "`%s` takes ids, not `all`, so that nothing is deleted by a slip of a word. Here are the first %d of the %d you can cancel here; `list all` shows the rest.", cmd, len(ids), n)
	case n == 1:
		return Invalid(cmd+" "+ids[0], "`%s` takes ids, not `all`, so that nothing is deleted by a slip of a word. This cancels the one you can cancel here:", cmd)
	}
	return Invalid(cmd+" "+strings.Join(ids, " "), "`%s` takes ids, not `all`, so that nothing is deleted by a slip of a word. This cancels all %d you can cancel here:", cmd, n)
}

// notYours refuses a change to a team break by someone who neither created
// it nor is an admin. Snooze and Skip come as buttons on every delivery, so
// their refusal says what the presser can do instead.
func notYours(r Reminder, cmd string) error {
	msg := fmt.Sprintf("Only the person who created #%s or an admin can change it.", r.ID)
	example := "list"
	switch cmd {
	case "snooze":
		msg = fmt.Sprintf("Only the person who created #%s or an admin can snooze it for the whole channel; a reminder of your own can bring a break back to you.", r.ID)
		example = "remind me in 10 minutes"
	case "skip":
		msg = fmt.Sprintf("Only the person who created #%s or an admin can skip it for the whole channel; the break is yours to leave out.", r.ID)
	}
	return &Error{Code: EFORBIDDEN, Message: msg, Example: example}
}

func (b *Bot) rule(r Reminder) (Rule, *time.Location, error) {
	if b.rules == nil {
		return nil, nil, errNoRules
	}
	k := loadedKey{r.Zone, r.Rule}
	b.loadedMu.RLock()
	l, ok := b.loaded[k]
	b.loadedMu.RUnlock()
	if ok {
		return l.rule, l.loc, nil
	}
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	rule, err := b.rules.Load(r.Rule, loc)
	if err != nil {
		return nil, nil, fmt.Errorf("bot: load rule of #%s: %w", r.ID, err)
	}
	b.loadedMu.Lock()
	if b.loaded == nil || len(b.loaded) >= maxLoadedRules {
		b.loaded = map[loadedKey]loadedRule{} // bounded: loading again is cheap
	}
	b.loaded[k] = loadedRule{rule, loc}
	b.loadedMu.Unlock()
	return rule, loc, nil
}

// maxLoadedRules bounds the rules kept loaded; list and every delivery
// load their reminders' rules, mostly the same few again.
const maxLoadedRules = 10_000

// loadedKey is a stored rule in its zone; loadedRule is what loading it
// gave. Rules are values: one serves every caller.
type (
	loadedKey  struct{ zone, spec string }
	loadedRule struct {
		rule Rule
		loc  *time.Location
	}
)

func nextRuns(rule Rule, after time.Time, n int) []time.Time {
	var out []time.Time
	for t := after; len(out) < n; {
		t = rule.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}

// create stores a new reminder with a fresh id and answers with its next runs.
func (b *Bot) create(ctx context.Context, req *Request, r Reminder, rule Rule, show int) (Reply, error) {
	next := rule.Next(req.Now)
	if next.IsZero() {
		return Reply{}, Invalid("remind me in 20 minutes", "That time never comes, so there is nothing to schedule.")
	}
	r.Tenant, r.Platform, r.Owner = req.Tenant, req.Platform, req.Message.User
	if r.Channel == "" {
		r.Channel, r.ChannelName = req.Channel, req.ChannelName
	}
	r.Rule, r.Zone, r.NextRun, r.CreatedAt = rule.Spec(), req.Zone.String(), next, req.Now
	same := b.sameAs(ctx, r)
	var err error
	for attempt := 1; attempt <= 8; attempt++ {
		r.ID = b.newID(attempt)
		if err = b.store.CreateReminder(ctx, r); ErrorCode(err) != ECONFLICT {
			break
		}
	}
	if err != nil {
		return Reply{}, fmt.Errorf("bot: create reminder: %w", err)
	}
	b.wake()
	runs := nextRuns(rule, req.Now, show)
	if !rule.Repeats() {
		runs = runs[:1]
	}
	// A personal reminder's runs that its owner's hours, quiet periods or
	// time away pass over are not shown as coming.
	var held blocked
	if r.Kind == Personal && rule.Repeats() {
		runs, held = b.firingRuns(r, req.User, show)
	}
	times := make([]string, len(runs))
	for i, t := range runs {
		times[i] = FormatTime(t, req.Now, req.Zone)
		if rule.Repeats() {
			// As a one-off's description says it: the run at the end of
			// the gap is the one set for a time the clocks skip.
			if asked := skippedTime(rule, t, req.Zone); asked != "" {
				times[i] += " (" + asked + " does not exist that day)"
			}
		}
	}
	words := describeRule(rule, req.Now)
	lines := []string{fmt.Sprintf("Reminder #%s set: %s.", r.ID, words)}
	if r.Kind == ChannelSchedule {
		lines[0] = fmt.Sprintf("Team break #%s set for %s: %s.", r.ID, channelRef(r), words)
	}
	if r.Note != "" {
		lines = append(lines, "Note: "+r.Note)
	}
	if o := r.Routine; o != (RoutineOptions{}) {
		var what []string
		if o.Minutes > 0 {
			what = append(what, fmt.Sprintf("%d min", o.Minutes))
		}
		for _, w := range []string{o.Place, o.Category} {
			if w != "" {
				what = append(what, w)
			}
		}
		lines = append(lines, "Each break: "+strings.Join(what, ", ")+".")
	}
	switch {
	case len(times) == 0:
		lines = append(lines, "Next: none while your settings stand: every run within a year is passed over by "+held.words()+"; see "+held.commands()+".")
	case len(times) == 1:
		// Runs are kept to whole seconds ("in 20 minutes" said at 09:00:00.9
		// comes at 09:20:00), so the countdown counts from the same whole
		// second: a user who asked for 20 minutes is told 20, not 19 min 59 s.
		lines = append(lines, fmt.Sprintf("Next: %s (in %s).", times[0], timewords.FormatRough(runs[0].Sub(req.Now.Truncate(time.Second)))))
	default:
		lines = append(lines, "Next: "+strings.Join(times, " · "))
	}
	if len(times) > 0 && held != 0 {
		lines = append(lines, "Runs passed over by "+held.words()+" are left out; see "+held.commands()+".")
	}
	if same != "" {
		lines = append(lines, fmt.Sprintf("#%s already does the same; `cancel #%s` if one is enough.", same, same))
	}
	if note := b.holidayNote(ctx, r, runs, req); note != "" {
		lines = append(lines, note)
	}
	lines = append(lines, fmt.Sprintf("Change it with `pause #%s`, `skip #%s` or `cancel #%s`.", r.ID, r.ID, r.ID))
	vis := Private
	if r.Kind == ChannelSchedule {
		vis = Public
	}
	return Reply{Blocks: lines, Visibility: vis}, nil
}

// sameAs returns the id of a reminder that already does what r is about
// to (the same time, zone, note and break, for the same person or
// channel), so setting one twice by mistake is noticed; "" for none, or
// when the store cannot say.
func (b *Bot) sameAs(ctx context.Context, r Reminder) ReminderID {
	f := ReminderFilter{Tenant: r.Tenant, Owner: r.Owner}
	if r.Kind == ChannelSchedule {
		f = ReminderFilter{Tenant: r.Tenant, Channel: r.Channel}
	}
	rs, err := b.store.Reminders(ctx, f)
	if err != nil {
		return ""
	}
	for _, o := range rs {
		if o.Kind == r.Kind && o.Channel == r.Channel && (r.Kind != Personal || o.Owner == r.Owner) &&
			o.Rule == r.Rule && o.Zone == r.Zone && o.Note == r.Note && o.Routine == r.Routine {
			return o.ID
		}
	}
	return ""
}

func channelRef(r Reminder) string {
	if r.ChannelName != "" {
		return "#" + r.ChannelName
	}
	return "<#" + string(r.Channel) + ">"
}

func (b *Bot) ruleWords(r Reminder) string {
	if rule, _, err := b.rule(r); err == nil {
		return describeRule(rule, b.clock.Now())
	}
	return r.Rule
}

// isAll reports whether s is the word "all", as a sentence may end it
// ("pause all.", "resume all!").
func isAll(s string) bool {
	return strings.EqualFold(strings.TrimRight(strings.TrimSpace(s), ".!?,;:"), "all")
}

// targets resolves "<id>" or "all" to the reminders the caller may change.
func (b *Bot) targets(ctx context.Context, req *Request, arg string, want func(Reminder) bool) ([]Reminder, bool, error) {
	if !isAll(arg) {
		r, err := b.lookup(ctx, req, arg)
		if err != nil {
			return nil, false, err
		}
		return []Reminder{r}, false, nil
	}
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return nil, true, fmt.Errorf("bot: list reminders: %w", err)
	}
	var out []Reminder
	for _, r := range rs {
		if canManage(r, req.Message) && want(r) {
			out = append(out, r)
		}
	}
	return out, true, nil
}

// holidayNote names the runs shown for a new team break that fall on a
// public holiday of its channel, which will be passed over; "" if none.
func (b *Bot) holidayNote(ctx context.Context, r Reminder, runs []time.Time, req *Request) string {
	if r.Kind != ChannelSchedule || len(runs) < 2 {
		return ""
	}
	var off []string
	holidays := b.channelHolidays(ctx, r)
	for _, t := range runs {
		if why := holidays.skip(t); why != "" {
			off = append(off, fmt.Sprintf("%s (%s)", FormatTime(t, req.Now, req.Zone), strings.TrimPrefix(why, "public holiday: ")))
		}
	}
	switch len(off) {
	case 0:
		return ""
	case 1:
		return off[0] + " is a public holiday here, so that break is passed over."
	}
	return timewords.JoinAnd(off) + " are public holidays here, so those breaks are passed over."
}
