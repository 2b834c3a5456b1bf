package bot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// TeamSummary reminders post a channel's summary (summaryCmd); the
// scheduler delivers them like any reminder, and Deliver renders them.
const TeamSummary ReminderKind = "summary"

const (
	// chartDays is how many days the summary's chart shows.
	chartDays = 28
	// summaryStreaks is how many streaks the summary names at most.
	summaryStreaks = 3
)

// summaryCmd shows, sets or stops the channel's summary.
func (b *Bot) summaryCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.DM || req.Channel == "" {
		return Reply{}, Invalid("summary every friday at 16:00", "A summary is for a channel: say `summary every friday at 16:00` in the channel that should get it.")
	}
	ts, err := b.teamStore()
	if err != nil {
		return Reply{}, err
	}
	set, err := b.channelSettings(ctx, req.Tenant, req.Channel)
	if err != nil {
		return Reply{}, fmt.Errorf("bot: channel settings: %w", err)
	}
	current, hasCurrent := b.currentSummary(ctx, set)
	arg := strings.TrimSpace(req.Args)
	switch settingArg(arg) {
	case "", "now", "this week", "please":
		// "summary now": the figures so far, as `summary` shows them.
		week, err := b.teamWeek(ctx, req.Tenant, req.Channel, req.Zone, req.Now)
		if err != nil {
			return Reply{}, err
		}
		lines := week.lines(req.Message.ChannelName)
		if hasCurrent {
			lines = append(lines, fmt.Sprintf("The %s #%s is posted here %s; next %s. `summary off` stops it.",
				strings.ToLower(b.summaryName(current)), current.ID, b.ruleWords(current), FormatTime(b.upcoming(current), req.Now, req.Zone)))
		} else {
			lines = append(lines, "No summary is scheduled here; `summary every friday at 16:00` posts one with a chart.")
		}
		return Reply{Title: "Team breaks this week", Blocks: lines, Visibility: Private}, nil
	case "off", "stop":
		if !hasCurrent {
			return Reply{Blocks: []string{"There is no summary here to stop."}, Visibility: Private}, nil
		}
		if err := mayChangeSummary(current, req); err != nil {
			return Reply{}, err
		}
		if err := b.store.DeleteReminder(ctx, current.Tenant, current.ID); err != nil && ErrorCode(err) != ENOTFOUND {
			return Reply{}, fmt.Errorf("bot: delete summary: %w", err)
		}
		set.Summary = ""
		if err := ts.SaveChannelSettings(ctx, set); err != nil {
			return Reply{}, fmt.Errorf("bot: save channel settings: %w", err)
		}
		b.wake()
		return Reply{Blocks: []string{fmt.Sprintf("%s #%s stopped.", b.summaryName(current), current.ID)}, Visibility: Public}, nil
	}
	if b.rules == nil {
		return Reply{}, errNoRules
	}
	if rest, channel, ok := namedChannel(arg); ok {
		// "summary every friday at 16:00 in #general": a summary is
		// posted where it is set.
		example := "summary every friday at 16:00"
		if r, err := b.rules.Parse(rest, req.Zone, req.Now); err == nil && r.Repeats() && !twiceADay(r, r.Next(req.Now), req.Zone) {
			example = "summary " + rest
		} else if rest == "" || settingArg(rest) == "off" {
			example = strings.TrimSpace("summary " + settingArg(rest))
		}
		return Reply{}, Invalid(example, "A summary is posted in the channel where you set it: say %s in %s.",
			"`"+example+"`", channel)
	}
	rule, err := b.rules.Parse(arg, req.Zone, req.Now)
	if err != nil {
		err = asCommand(err, "summary ")
		if ex := strings.TrimPrefix(ErrorExample(err), "summary "); ex != "" {
			// The grammar mends the time, not knowing it must repeat.
			if r, perr := b.rules.Parse(ex, req.Zone, req.Now); perr != nil || !r.Repeats() || twiceADay(r, r.Next(req.Now), req.Zone) {
				var e *Error
				if errors.As(err, &e) {
					c := *e
					c.Example = "summary every friday at 16:00"
					err = &c
				}
			}
		}
		return Reply{}, err
	}
	if !rule.Repeats() {
		return Reply{}, Invalid("summary every friday at 16:00", "A summary comes back every week or so: say when it repeats, like `summary every friday at 16:00`.")
	}
	next := rule.Next(req.Now)
	if next.IsZero() {
		return Reply{}, Invalid("summary every friday at 16:00", "That time never comes, so there is nothing to schedule.")
	}
	if twiceADay(rule, next, req.Zone) {
		return Reply{}, Invalid("summary every friday at 16:00", "A summary comes at most once a day, since it reports on the last 7 days: say a day and a time, like `summary every friday at 16:00`.")
	}
	if hasCurrent {
		// The new one would replace it.
		if err := mayChangeSummary(current, req); err != nil {
			return Reply{}, err
		}
	}
	r := Reminder{Tenant: req.Tenant, Platform: req.Platform, Kind: TeamSummary, Owner: req.Message.User,
		Channel: req.Channel, ChannelName: req.ChannelName, Rule: rule.Spec(), Zone: req.Zone.String(), NextRun: next, CreatedAt: req.Now}
	for attempt := 1; attempt <= 8; attempt++ {
		r.ID = b.newID(attempt)
		if err = b.store.CreateReminder(ctx, r); ErrorCode(err) != ECONFLICT {
			break
		}
	}
	if err != nil {
		return Reply{}, fmt.Errorf("bot: create summary: %w", err)
	}
	if hasCurrent {
		// One summary per channel: the new one replaces the old.
		if err := b.store.DeleteReminder(ctx, current.Tenant, current.ID); err != nil && ErrorCode(err) != ENOTFOUND {
			b.log.Warn("could not delete the replaced summary", "reminder", current.ID, "err", err)
		}
	}
	set.Summary = r.ID
	if err := ts.SaveChannelSettings(ctx, set); err != nil {
		return Reply{}, fmt.Errorf("bot: save channel settings: %w", err)
	}
	b.wake()
	lines := []string{
		fmt.Sprintf("%s #%s set for %s: %s. Next: %s.", summaryName(rule, next, req.Zone), r.ID, channelRef(r), describeRule(rule, req.Now), FormatTime(next, req.Now, req.Zone)),
		"Each one counts the team breaks of the last 7 days, held and skipped, and who took part, with a chart of the last four weeks. Nobody is named unless they said `stats public`.",
	}
	if hasCurrent {
		lines = append(lines, fmt.Sprintf("It replaces #%s.", current.ID))
	}
	return Reply{Blocks: lines, Visibility: Public}, nil
}

// mayChangeSummary refuses a change to the channel's summary current by
// anyone but the person who set it and admins, as `cancel` of it is.
func mayChangeSummary(current Reminder, req *Request) error {
	if canManage(current, req.Message) {
		return nil
	}
	return Invalid("summary", "Only the person who set this channel's summary #%s, or an admin, can change or stop it.", current.ID)
}

// summaryRunsChecked is how many runs twiceADay looks at: two months of
// daily runs, enough for any cadence the grammar can say to show itself.
const summaryRunsChecked = 64

// twiceADay reports whether two of rule's runs from first on fall on the
// same date in zone: a summary of the last 7 days posted more often than
// daily would repeat the same figures ("summary every hour").
func twiceADay(rule Rule, first time.Time, zone *time.Location) bool {
	t := first
	for range summaryRunsChecked {
		n := rule.Next(t)
		if n.IsZero() {
			return false
		}
		y1, m1, d1 := t.In(zone).Date()
		y2, m2, d2 := n.In(zone).Date()
		if y1 == y2 && m1 == m2 && d1 == d2 {
			return true
		}
		t = n
	}
	return false
}

// summaryName names a summary by how often rule posts it from its run
// first on, its dates read in zone: "Daily summary" when it comes on most
// days (every day, every weekday: five days of seven or more), "Weekly
// summary" when it comes every 7 days, else "Summary" (monthly, on
// weekends, a few days a week). Each one covers the same last 7 days, so
// "weekly" is no name for them all.
func summaryName(rule Rule, first time.Time, zone *time.Location) string {
	const checked = 15 // two weeks and more of daily runs
	weekly, runs := true, 1
	date := func(t time.Time) time.Time {
		y, m, d := t.In(zone).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	weekEnd := date(first).AddDate(0, 0, 7)
	t := first
	for range checked {
		n := rule.Next(t)
		if n.IsZero() {
			break
		}
		if date(n).Before(weekEnd) {
			runs++
		}
		weekly = weekly && date(n).Sub(date(t)) == 7*24*time.Hour
		t = n
	}
	switch {
	case t.Equal(first):
		return "Summary"
	case runs >= 5:
		return "Daily summary"
	case weekly:
		return "Weekly summary"
	}
	return "Summary"
}

// summaryName names the stored summary r as summaryName does.
func (b *Bot) summaryName(r Reminder) string {
	rule, loc, err := b.rule(r)
	if err != nil {
		return "Summary"
	}
	first := r.NextRun
	if first.IsZero() {
		first = b.clock.Now()
	}
	return summaryName(rule, first, loc)
}

// currentSummary is the channel's live summary reminder, if any.
func (b *Bot) currentSummary(ctx context.Context, set ChannelSettings) (Reminder, bool) {
	if set.Summary == "" {
		return Reminder{}, false
	}
	r, err := b.store.Reminder(ctx, set.Tenant, set.Summary)
	if err != nil || r.Kind != TeamSummary || r.Channel != set.Channel {
		return Reminder{}, false
	}
	return r, true
}

// teamWeek is a channel's figures for the 7 days before now, and its
// breaks per day over the last chartDays days.
type teamWeek struct {
	held, skipped int
	reasons       map[string]int // skipped runs by reason
	people        int            // distinct people who did or joined a break here
	streaks       []namedStreak  // longest current streaks of people who agreed to be named
	anyPublic     bool           // someone in the tenant agreed to be named
	days          []DayCount     // chartDays days, oldest first
}

type namedStreak struct {
	name string
	days int
}

// teamWeek gathers a channel's figures, reading days in loc.
func (b *Bot) teamWeek(ctx context.Context, tenant TenantID, channel ChannelID, loc *time.Location, now time.Time) (teamWeek, error) {
	ts, err := b.teamStore()
	if err != nil {
		return teamWeek{}, err
	}
	today := startOfDay(now, loc)
	first := today.AddDate(0, 0, -(chartDays - 1))
	// A week on the clock of loc: 167 or 169 hours in the weeks the
	// clocks change, so a daily break counts 7 times in any of them.
	weekAgo := now.In(loc).AddDate(0, 0, -7)
	w := teamWeek{reasons: map[string]int{}}
	index := map[string]int{}
	for i := range chartDays {
		d := first.AddDate(0, 0, i)
		index[d.Format(time.DateOnly)] = i
		w.days = append(w.days, DayCount{Day: d})
	}
	runs, err := ts.TeamRuns(ctx, tenant, channel, first)
	if err != nil {
		return teamWeek{}, fmt.Errorf("bot: team runs: %w", err)
	}
	for _, r := range runs {
		if r.At.After(now) {
			continue
		}
		i, ok := index[r.At.In(loc).Format(time.DateOnly)]
		if !ok {
			continue
		}
		recent := r.At.After(weekAgo)
		if r.Skipped == "" {
			w.days[i].Held++
			if recent {
				w.held++
			}
		} else {
			w.days[i].Skipped++
			if recent {
				w.skipped++
				w.reasons[r.Skipped]++
			}
		}
	}
	cs, err := b.store.Completions(ctx, CompletionFilter{Tenant: tenant, Channel: channel, Since: first})
	if err != nil {
		return teamWeek{}, fmt.Errorf("bot: channel completions: %w", err)
	}
	recentPeople, anyPeople := map[UserID]bool{}, map[UserID]bool{}
	for _, c := range cs {
		if c.At.After(now) {
			continue
		}
		anyPeople[c.User] = true
		if c.At.After(weekAgo) {
			recentPeople[c.User] = true
		}
	}
	w.people = len(recentPeople)
	public, err := ts.PublicUsers(ctx, tenant)
	if err != nil {
		return teamWeek{}, fmt.Errorf("bot: public users: %w", err)
	}
	w.anyPublic = len(public) > 0
	for _, u := range public {
		if !anyPeople[u.User] {
			// Only people who took part here in the chart's weeks.
			continue
		}
		st, err := b.personalStats(ctx, tenant, u.User, loc, now)
		if err != nil {
			return teamWeek{}, err
		}
		if st.streak > 0 {
			name := u.Name
			if name == "" {
				name = string(u.User)
			}
			w.streaks = append(w.streaks, namedStreak{name: name, days: st.streak})
		}
	}
	slices.SortStableFunc(w.streaks, func(a, b namedStreak) int {
		return cmp.Or(cmp.Compare(b.days, a.days), strings.Compare(a.name, b.name))
	})
	w.streaks = w.streaks[:min(len(w.streaks), summaryStreaks)]
	return w, nil
}

// lines renders the figures as text, for `stats`, `summary` and the
// delivered summary.
func (w teamWeek) lines(channelName string) []string {
	where := "this channel"
	if channelName != "" {
		where = "#" + channelName
	}
	held := fmt.Sprintf("Last 7 days in %s: %s held", where, plural(w.held, "team break", "team breaks"))
	if w.skipped > 0 {
		reasons := make([]string, 0, len(w.reasons))
		for r := range w.reasons {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		held += fmt.Sprintf(", %d skipped (%s)", w.skipped, strings.Join(reasons, "; "))
	}
	if w.held == 0 && w.people > 0 {
		// Breaks done here count, also without a team break to join;
		// "0 held; 1 person took part" would read as a mistake.
		held += fmt.Sprintf("; %s took a break here on their own.", plural(w.people, "person", "people"))
	} else {
		held += fmt.Sprintf("; %s took part.", plural(w.people, "person", "people"))
	}
	lines := []string{held}
	if len(w.streaks) > 0 {
		parts := make([]string, len(w.streaks))
		for i, s := range w.streaks {
			parts[i] = fmt.Sprintf("%s %s", s.name, plural(s.days, "day", "days"))
		}
		lines = append(lines, "Longest current streaks: "+strings.Join(parts, ", ")+".")
	} else if w.anyPublic {
		// Asking for it again would tell those who said it that it failed.
		lines = append(lines, "No one who said `stats public` has a current streak here yet.")
	} else {
		lines = append(lines, "Streaks are private unless you say `stats public`.")
	}
	return lines
}

// summaryReply renders a delivery of the summary r, with its chart
// when a Charter is set and the chart can be drawn.
func (b *Bot) summaryReply(ctx context.Context, r Reminder, now time.Time) (Reply, error) {
	loc, err := zones.Load(r.Zone)
	if err != nil {
		loc = b.zone
	}
	w, err := b.teamWeek(ctx, r.Tenant, r.Channel, loc, now)
	if err != nil {
		return Reply{}, err
	}
	title := "Stretch summary"
	if name := b.summaryName(r); name != "Summary" {
		title = strings.TrimSuffix(name, " summary") + " stretch summary" // "Daily stretch summary"
	}
	reply := Reply{Title: fmt.Sprintf("%s #%s", title, r.ID), Blocks: w.lines(r.ChannelName), Visibility: Public}
	if b.charter != nil {
		png, err := b.charter.BreaksPerDay("Team breaks per day, last 4 weeks", w.days)
		if err != nil {
			b.log.Warn("could not draw the summary chart", "reminder", r.ID, "err", err)
		} else {
			local := now.In(loc)
			reply.Files = []File{{Name: fmt.Sprintf("stretch-summary-%s.png", local.Format(time.DateOnly)), Type: "image/png",
				Title: "Team breaks per day", Data: png}}
		}
	}
	reply.Blocks = append(reply.Blocks, fmt.Sprintf("`summary off` stops these; `cancel #%s` works too.", r.ID))
	return reply, nil
}

// deliverSummary posts the summary r to its channel as the
// delivery of o.
func (b *Bot) deliverSummary(ctx context.Context, s Sender, r Reminder, o Occurrence) (Sent, error) {
	reply, err := b.summaryReply(ctx, r, b.clock.Now())
	if err != nil {
		return Sent{}, err
	}
	return s.Send(ctx, Outgoing{Platform: r.Platform, Tenant: r.Tenant, Channel: r.Channel, Reply: reply,
		Key: deliveryKey(r, o), Unsure: o.Unsure, Due: o.At})
}

// namedChannel finds a channel named in a channel setting's words ("every
// friday at 16:00 in #general", "DE <#C123|team>"): the words without it,
// and the channel as it is shown. ok is false when none is named.
func namedChannel(arg string) (rest, channel string, ok bool) {
	loc := channelWords().FindStringSubmatchIndex(arg)
	if loc == nil {
		return arg, "", false
	}
	rest = strings.TrimSpace(arg[:loc[0]] + " " + arg[loc[1]:])
	switch {
	case loc[6] >= 0: // "#general"
		channel = "#" + quote.Cut(arg[loc[6]:loc[7]], 40)
	case loc[4] >= 0 && loc[5] > loc[4]: // "<#C123|general>"
		channel = "#" + quote.Cut(arg[loc[4]:loc[5]], 40)
	default: // "<#C123>", as the platform shows a mention
		channel = "<#" + arg[loc[2]:loc[3]] + ">"
	}
	return rest, channel, true
}

// statsPrivacy handles `stats public` and `stats private`: whether weekly
// summaries may name the caller with their streak.
func (b *Bot) statsPrivacy(ctx context.Context, req *Request, arg string) (Reply, error) {
	ts, err := b.teamStore()
	if err != nil {
		return Reply{}, err
	}
	u := PublicUser{Tenant: req.Tenant, User: req.Message.User, Name: req.Message.UserName}
	if rest, channel, ok := namedChannel(arg); ok && rest == "" {
		return Reply{}, Invalid("stats", "A channel's figures are shown in it: say `stats` in %s.", channel)
	}
	switch strings.ToLower(arg) {
	case "public", "on", "share":
		if err := ts.SetPublic(ctx, u, true); err != nil {
			return Reply{}, fmt.Errorf("bot: set public: %w", err)
		}
		return Reply{Blocks: []string{"Summaries may now name you with your current streak. `stats private` takes that back."}, Visibility: Private}, nil
	case "private", "off", "hide":
		if err := ts.SetPublic(ctx, u, false); err != nil {
			return Reply{}, fmt.Errorf("bot: set private: %w", err)
		}
		return Reply{Blocks: []string{"Your stats are private: summaries count your breaks but never name you."}, Visibility: Private}, nil
	}
	return Reply{}, Invalid("stats public", "`stats` takes `public` (summaries may name you) or `private` (they never do), not %s.", quote.Short(arg, 20))
}
