package bot

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
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

var idPattern = regexp.MustCompile(`^[a-z0-9]{3,8}$`)

// parseID reads "#k3f9" or "k3f9".
func parseID(s string) (ReminderID, error) {
	s = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "#"))
	if !idPattern.MatchString(s) {
		if s == "" {
			return "", Invalid("list", "Which one? Give its id, like #k3f9; `list` shows them.")
		}
		return "", Invalid("list", "%q is not a reminder id; ids look like #k3f9 and `list` shows yours.", truncate(s, 20))
	}
	return ReminderID(s), nil
}

func notFound(id ReminderID) error {
	return &Error{Code: ENOTFOUND, Message: fmt.Sprintf("There is no reminder #%s for you here.", id), Example: "list"}
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

// lookup finds a reminder the caller may change.
func (b *Bot) lookup(ctx context.Context, req *Request, idText string) (Reminder, error) {
	if strings.EqualFold(strings.TrimSpace(idText), "all") {
		return Reminder{}, Invalid("list", "`%s` takes one id at a time; `list` shows them.", req.Command.Name)
	}
	id, err := parseID(idText)
	if err != nil {
		return Reminder{}, err
	}
	r, err := b.store.Reminder(ctx, req.Tenant, id)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !visible(r, req.Message)) {
		return Reminder{}, notFound(id)
	}
	if err != nil {
		return Reminder{}, fmt.Errorf("bot: load reminder: %w", err)
	}
	if !canManage(r, req.Message) {
		return Reminder{}, &Error{Code: EFORBIDDEN, Message: fmt.Sprintf("Only the person who created #%s or an admin can change it.", id), Example: "list"}
	}
	return r, nil
}

func (b *Bot) rule(r Reminder) (Rule, *time.Location, error) {
	if b.rules == nil {
		return nil, nil, errNoRules
	}
	loc, err := time.LoadLocation(r.Zone)
	if err != nil {
		loc = b.zone
	}
	rule, err := b.rules.Load(r.Rule, loc)
	if err != nil {
		return nil, nil, fmt.Errorf("bot: load rule of #%s: %w", r.ID, err)
	}
	return rule, loc, nil
}

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

var channelSuffix = regexp.MustCompile(`(?i)\s+in\s+(?:<#([A-Za-z0-9]+)(?:\|([^>]*))?>|#([\p{L}\p{N}_.\-]{1,80}))\s*$`)

func (b *Bot) scheduleCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	args := req.Args
	channel, channelName := req.Channel, req.ChannelName
	if m := channelSuffix.FindStringSubmatchIndex(args); m != nil {
		sub := channelSuffix.FindStringSubmatch(args)
		if sub[1] != "" {
			channel, channelName = ChannelID(sub[1]), sub[2]
		} else {
			channel, channelName = ChannelID(sub[3]), sub[3]
		}
		args = strings.TrimSpace(args[:m[0]])
	}
	if args == "" {
		return Reply{}, Invalid("schedule every weekday at 15:00", "When should the team break happen?")
	}
	// Up to four trailing words may be routine options ("5 min desk"); the
	// split with the most options whose both halves parse wins, so "every 2
	// hours 5 min" is a 5-minute break every 2 hours, not every 2h5m.
	words := strings.Fields(args)
	var whenErr, optsErr error
	for k := min(4, len(words)-1); k >= 0; k-- {
		var opts RoutineOptions
		var err error
		if k > 0 {
			if opts, _, err = parseRoutineOptions(strings.Join(words[len(words)-k:], " ")); err != nil {
				if _, werr := b.rules.Parse(strings.Join(words[:len(words)-k], " "), req.Zone, req.Now); werr == nil && optsErr == nil {
					optsErr = err // the time was fine; the options were not
				}
				continue
			}
		}
		rule, err := b.rules.Parse(strings.Join(words[:len(words)-k], " "), req.Zone, req.Now)
		if err != nil {
			if k == 0 {
				whenErr = err
			}
			continue
		}
		if channel != req.Channel {
			if err := b.verifyChannel(ctx, req, channel); err != nil {
				return Reply{}, err
			}
		}
		r := Reminder{Kind: ChannelSchedule, Channel: channel, ChannelName: channelName, Routine: opts}
		return b.create(ctx, req, r, rule, 3)
	}
	if optsErr != nil {
		return Reply{}, asCommand(optsErr, "schedule every weekday at 15:00 ")
	}
	return Reply{}, asCommand(whenErr, "schedule ")
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
		if code := ErrorCode(err); code == EINVALID || code == ENOTFOUND || code == EFORBIDDEN {
			return err
		}
		return fmt.Errorf("bot: verify channel: %w", err)
	}
	return nil
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
	times := make([]string, len(runs))
	for i, t := range runs {
		times[i] = FormatTime(t, req.Now, req.Zone)
	}
	lines := []string{fmt.Sprintf("Reminder #%s set: %s.", r.ID, rule.Describe())}
	if r.Kind == ChannelSchedule {
		lines[0] = fmt.Sprintf("Team break #%s set for %s: %s.", r.ID, channelRef(r), rule.Describe())
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
	if len(times) == 1 {
		lines = append(lines, fmt.Sprintf("Next: %s (in %s).", times[0], FormatDurationShort(runs[0].Sub(req.Now))))
	} else {
		lines = append(lines, "Next: "+strings.Join(times, " · "))
	}
	lines = append(lines, fmt.Sprintf("Change it with `pause #%s`, `skip #%s` or `cancel #%s`.", r.ID, r.ID, r.ID))
	vis := Private
	if r.Kind == ChannelSchedule {
		vis = Public
	}
	return Reply{Blocks: lines, Visibility: vis}, nil
}

func channelRef(r Reminder) string {
	if r.ChannelName != "" {
		return "#" + r.ChannelName
	}
	return "<#" + string(r.Channel) + ">"
}

func (b *Bot) listCmd(ctx context.Context, req *Request) (Reply, error) {
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return Reply{}, fmt.Errorf("bot: list reminders: %w", err)
	}
	if len(rs) == 0 {
		return Reply{Blocks: []string{"You have no reminders here, and this channel has no schedules."}, Visibility: Private}, nil
	}
	lines := make([]string, 0, len(rs))
	for _, r := range rs {
		lines = append(lines, b.describe(r, req))
	}
	return Reply{Title: "Reminders and schedules", Blocks: []string{strings.Join(lines, "\n")}, Visibility: Private}, nil
}

// describe is one list line: id, rule in words, next run, state.
func (b *Bot) describe(r Reminder, req *Request) string {
	desc := r.Rule
	if rule, _, err := b.rule(r); err == nil {
		desc = rule.Describe()
	}
	if r.Zone != req.Zone.String() {
		desc += " (" + r.Zone + ")" // zones of existing reminders stay as created
	}
	parts := []string{"#" + string(r.ID), desc}
	if r.Kind == ChannelSchedule {
		parts = append(parts, "team break in "+channelRef(r))
	} else {
		parts = append(parts, "personal")
	}
	if r.Note != "" {
		parts = append(parts, "“"+truncate(r.Note, 60)+"”")
	}
	switch {
	case r.Paused:
		parts = append(parts, "PAUSED")
	case r.PausedUntil.After(req.Now):
		parts = append(parts, "paused until "+FormatTime(r.PausedUntil, req.Now, req.Zone))
	}
	if !r.NextRun.IsZero() && !r.Paused {
		parts = append(parts, "next "+FormatTime(r.NextRun, req.Now, req.Zone))
	}
	return strings.Join(parts, " · ")
}

func (b *Bot) cancelCmd(ctx context.Context, req *Request) (Reply, error) {
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
	b.wake()
	return Reply{Blocks: []string{fmt.Sprintf("Cancelled #%s (%s).", r.ID, b.ruleWords(r))}, Visibility: Private}, nil
}

func (b *Bot) ruleWords(r Reminder) string {
	if rule, _, err := b.rule(r); err == nil {
		return rule.Describe()
	}
	return r.Rule
}

// targets resolves "<id>" or "all" to the reminders the caller may change.
func (b *Bot) targets(ctx context.Context, req *Request, arg string, want func(Reminder) bool) ([]Reminder, bool, error) {
	if !strings.EqualFold(arg, "all") {
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

func (b *Bot) pauseCmd(ctx context.Context, req *Request) (Reply, error) {
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	arg, rest := splitWord(req.Args)
	if arg == "" {
		return Reply{}, Invalid("pause all for 2 hours", "Which one? Give an id or `all`.")
	}
	shown := arg
	if !strings.EqualFold(arg, "all") && !strings.HasPrefix(arg, "#") {
		shown = "#" + arg
	}
	var until time.Time
	kw, when := splitWord(rest)
	switch strings.ToLower(kw) {
	case "":
	case "for":
		d, ok := parseDuration(when)
		switch {
		case when == "":
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "For how long?")
		case !ok:
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "I couldn't read %q as a length of time.", truncate(when, 40))
		case d < time.Second || d > maxPause:
			return Reply{}, Invalid("pause "+shown+" for 2 hours", "A pause can last from 1 second to a year.")
		}
		until = req.Now.Add(d)
	case "until", "till", "til":
		t, err := b.instant(when, req)
		if err != nil {
			return Reply{}, asCommand(err, "pause "+shown+" until ")
		}
		until = t
	default:
		return Reply{}, Invalid("pause "+shown+" for 2 hours", "After the id, say `for <duration>` or `until <when>`, or nothing to pause until you resume.")
	}
	rs, all, err := b.targets(ctx, req, arg, func(r Reminder) bool { return !r.Paused && !r.Finished() })
	if err != nil {
		return Reply{}, err
	}
	if all && len(rs) == 0 {
		return Reply{}, Invalid("remind me every weekday at 10:30", "You have nothing active here to pause.")
	}
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		if err := b.store.SetPaused(ctx, req.Tenant, r.ID, until.IsZero(), until); err != nil {
			return Reply{}, fmt.Errorf("bot: pause #%s: %w", r.ID, err)
		}
		if !until.IsZero() && r.NextRun.Before(until) {
			// Move the next run past the pause now, so `list` tells the truth
			// and the scheduler need not skip it. A conflict means the
			// scheduler got there first, which is as good.
			if rule, _, err := b.rule(r); err == nil {
				if err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, rule.Next(until.Add(-time.Nanosecond))); err != nil && ErrorCode(err) != ECONFLICT {
					return Reply{}, fmt.Errorf("bot: pause #%s: %w", r.ID, err)
				}
			}
		}
		ids = append(ids, "#"+string(r.ID))
	}
	b.wake()
	if until.IsZero() {
		it := "it"
		if len(ids) > 1 {
			it = "them"
		}
		return Reply{Blocks: []string{fmt.Sprintf("Paused %s until you `resume` %s.", joinWords(ids), it)}, Visibility: Private}, nil
	}
	return Reply{Blocks: []string{fmt.Sprintf("Paused %s until %s; runs before then are skipped.", joinWords(ids), FormatTime(until, req.Now, req.Zone))}, Visibility: Private}, nil
}

// instant reads a point in time: "15:00", "tomorrow 9am", "friday", a date.
func (b *Bot) instant(s string, req *Request) (time.Time, error) {
	if s == "" {
		return time.Time{}, Invalid("pause #k3f9 until tomorrow 9am", "Until when?")
	}
	var firstErr error
	for _, cand := range []string{s, "at " + s, "on " + s, "at 9:00 on " + s, strings.Replace(s, "tomorrow", "at 9:00 tomorrow", 1)} {
		rule, err := b.rules.Parse(cand, req.Zone, req.Now)
		if err != nil {
			// The most telling failure is "that is in the past".
			if firstErr == nil || strings.Contains(strings.ToLower(ErrorMessage(err)), "past") {
				firstErr = err
			}
			continue
		}
		if t := rule.Next(req.Now); !t.IsZero() {
			if t.Sub(req.Now) > maxPause {
				return time.Time{}, Invalid("pause #k3f9 for 2 weeks", "A pause can last up to a year.")
			}
			return t, nil
		}
	}
	return time.Time{}, firstErr
}

func (b *Bot) resumeCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		return Reply{}, Invalid("resume #k3f9", "Which one? Give an id or `all`.")
	}
	rs, all, err := b.targets(ctx, req, req.Args, func(r Reminder) bool { return r.Paused || r.PausedUntil.After(req.Now) })
	if err != nil {
		return Reply{}, err
	}
	if all && len(rs) == 0 {
		return Reply{}, Invalid("pause all", "Nothing here is paused.")
	}
	var lines []string
	for _, r := range rs {
		if !r.Paused && !r.PausedUntil.After(req.Now) {
			return Reply{}, Invalid(fmt.Sprintf("pause #%s", r.ID), "#%s is not paused.", r.ID)
		}
		line, err := b.resume(ctx, req, r)
		if err != nil {
			return Reply{}, err
		}
		lines = append(lines, line)
	}
	b.wake()
	return Reply{Blocks: lines, Visibility: Private}, nil
}

// resume moves NextRun past the pause while the reminder is still paused
// (so the scheduler cannot race it), then lifts the pause.
func (b *Bot) resume(ctx context.Context, req *Request, r Reminder) (string, error) {
	rule, _, err := b.rule(r)
	if err != nil {
		return "", err
	}
	next := r.NextRun
	late := false
	switch {
	case rule.Repeats():
		// A timed pause moved the next run past its end; resuming early
		// brings it back to the first run from now.
		next = rule.Next(req.Now)
	case !next.IsZero() && next.Before(req.Now):
		next, late = req.Now, true
	}
	if !next.Equal(r.NextRun) {
		if err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, next); err != nil && ErrorCode(err) != ECONFLICT {
			return "", fmt.Errorf("bot: resume #%s: %w", r.ID, err)
		}
	}
	if err := b.store.SetPaused(ctx, req.Tenant, r.ID, false, time.Time{}); err != nil {
		return "", fmt.Errorf("bot: resume #%s: %w", r.ID, err)
	}
	switch {
	case late:
		return fmt.Sprintf("Resumed #%s; its time passed while it was paused, so it comes right now.", r.ID), nil
	case next.IsZero():
		return fmt.Sprintf("Resumed #%s, but it has no runs left.", r.ID), nil
	}
	return fmt.Sprintf("Resumed #%s. Next: %s.", r.ID, FormatTime(next, req.Now, req.Zone)), nil
}

func (b *Bot) skipCmd(ctx context.Context, req *Request) (Reply, error) {
	r, err := b.lookup(ctx, req, req.Args)
	if err != nil {
		return Reply{}, err
	}
	if r.Finished() {
		return Reply{}, Invalid("list", "#%s has no runs left to skip.", r.ID)
	}
	if r.Paused {
		return Reply{}, Invalid(fmt.Sprintf("resume #%s", r.ID), "#%s is paused, so nothing is coming to skip.", r.ID)
	}
	rule, _, err := b.rule(r)
	if err != nil {
		return Reply{}, err
	}
	next := rule.Next(r.NextRun)
	if next.IsZero() {
		// Skipping the only run leaves nothing: remove it, as cancel would.
		if err := b.store.DeleteReminder(ctx, req.Tenant, r.ID); err != nil {
			return Reply{}, fmt.Errorf("bot: skip #%s: %w", r.ID, err)
		}
		b.wake()
		return Reply{Blocks: []string{fmt.Sprintf("Skipped #%s on %s; that was its only run, so it is removed.", r.ID, FormatTime(r.NextRun, req.Now, req.Zone))}, Visibility: Private}, nil
	}
	if err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, next); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return Reply{}, &Error{Code: ECONFLICT, Message: fmt.Sprintf("#%s is being delivered right now; try again in a moment.", r.ID)}
		}
		return Reply{}, fmt.Errorf("bot: skip #%s: %w", r.ID, err)
	}
	b.wake()
	skipped := FormatTime(r.NextRun, req.Now, req.Zone)
	return Reply{Blocks: []string{fmt.Sprintf("Skipped #%s on %s. Next: %s.", r.ID, skipped, FormatTime(next, req.Now, req.Zone))}, Visibility: Private}, nil
}

func (b *Bot) snoozeCmd(ctx context.Context, req *Request) (Reply, error) {
	arg, rest := splitWord(req.Args)
	r, err := b.lookup(ctx, req, arg)
	if err != nil {
		return Reply{}, err
	}
	d := defaultSnooz
	if rest != "" {
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "for "), "by ")
		var ok bool
		if d, ok = parseDuration(rest); !ok {
			return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "I couldn't read %q as a length of time.", truncate(rest, 40))
		}
	}
	least := min(time.Minute, b.minInterval)
	if d < least || d > maxSnooze {
		return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "A snooze can be %s to %s.", FormatDuration(least), FormatDuration(maxSnooze))
	}
	if r.LastRun.IsZero() {
		return Reply{}, Invalid(fmt.Sprintf("skip #%s", r.ID), "#%s hasn't been delivered yet, so there is nothing to snooze.", r.ID)
	}
	at := req.Now.Add(d)
	err = b.store.AddOccurrence(ctx, Occurrence{Reminder: r.ID, Tenant: r.Tenant, At: at, Kind: SnoozeOccurrence, State: Pending, LeaseUntil: at})
	if ErrorCode(err) == ECONFLICT {
		return Reply{}, Invalid(fmt.Sprintf("snooze #%s 15 min", r.ID), "#%s is already snoozed to that moment.", r.ID)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("bot: snooze #%s: %w", r.ID, err)
	}
	b.wake()
	return Reply{Blocks: []string{fmt.Sprintf("Snoozed #%s: it comes again at %s (in %s).", r.ID, FormatTime(at, req.Now, req.Zone), FormatDuration(d))}, Visibility: Private}, nil
}
