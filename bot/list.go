package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/internal/quote"
)

// ListPage is how many reminders one `list` reply shows: ten lines fit
// every platform's message limits, with the longest notes and channel
// names. `list 2` shows the next ten.
const ListPage = 10

// ListAllCap is how many reminders `list all` shows at most, a whole
// number of pages so that the rest starts on a page of `list`. Long lines
// (long notes and channel names) make it fewer pages: as many as fit
// listAllRunes, which one message holds on every platform.
const ListAllCap = 5 * ListPage

// listAllRunes bounds the text of `list all`'s lines: Discord's embeds
// hold 6000 characters in all, with the title and the line saying what
// is left.
const listAllRunes = 5000

func (b *Bot) listCmd(ctx context.Context, req *Request) (Reply, error) {
	page, err := listPage(req.Args)
	if err != nil {
		return Reply{}, err
	}
	l, err := b.listed(ctx, ReminderFilter{Tenant: req.Tenant, Owner: req.Message.User, Channel: req.Channel})
	if err != nil {
		return Reply{}, fmt.Errorf("bot: list reminders: %w", err)
	}
	rs := l.rs
	if len(rs) == 0 {
		return Reply{Blocks: []string{"You have no reminders here, and this channel has no schedules."}, Visibility: Private}, nil
	}
	pages := (len(rs) + ListPage - 1) / ListPage
	size := ListPage
	if page == 0 {
		// "list all": one reply holds what fits in ListAllCap, and
		// what is left starts on a page of its own.
		size = ListAllCap
	}
	if page > pages {
		last := "list"
		if pages > 1 {
			last = fmt.Sprintf("list %d", pages)
		}
		// What list shows is the caller's reminders and the channel's
		// team breaks, so they are counted as both, not as "yours".
		return Reply{}, Invalid(last, "There is no page %d: `list` shows %s, on %s.",
			page, plural(len(rs), "reminder or team break", "reminders and team breaks"), plural(pages, "page", "pages"))
	}
	key := pageKeyOf(page, req.Zone, req.User)
	if p := l.written(key, req.Now); p != nil {
		return p.reply(), nil
	}
	until, keep := yearSteady(req.Now)
	first := max(page-1, 0) * ListPage
	shown := rs[first:min(first+size, len(rs))]
	lines := make([]string, 0, len(shown))
	written := 0 // runes of the lines kept
	for from := 0; from < len(shown); from += ListPage {
		// A page at a time: `list all` keeps whole pages, as many as fit
		// one message, so that what is left starts a page of `list`.
		part := shown[from:min(from+ListPage, len(shown))]
		more := make([]string, 0, len(part))
		n := 0
		for _, r := range part {
			line := b.describe(ctx, r, req)
			if at, ok := l.snoozed[r.ID]; ok {
				line += " · snoozed, comes again " + FormatTime(at, req.Now, req.Zone)
			}
			more = append(more, line)
			n += utf8.RuneCountInString(line) + 1
		}
		if from > 0 && written+n > listAllRunes {
			shown = shown[:from]
			break
		}
		lines, written = append(lines, more...), written+n
		for _, r := range part {
			if keep {
				until, keep = b.lineSteady(r, req.Now, until)
			}
		}
	}
	reply := Reply{Title: "Reminders and schedules", Blocks: []string{strings.Join(lines, "\n")}, Visibility: Private}
	switch {
	case page == 0 && len(shown) < len(rs):
		reply.Title += fmt.Sprintf(" (the first %d of %d)", len(shown), len(rs))
	case page == 0 && pages > 1:
		reply.Title += fmt.Sprintf(" (all %d)", len(rs))
	case pages > 1:
		reply.Title += fmt.Sprintf(" (page %d of %d)", page, pages)
	}
	if rest := len(rs) - first - len(shown); rest > 0 {
		reply.Blocks = append(reply.Blocks, fmt.Sprintf("%d more — `list %d`", rest, (first+len(shown))/ListPage+1))
	}
	if keep && l.page != nil && req.Now.Before(until) {
		l.page.Store(&writtenPage{key: key, from: req.Now, until: until, title: reply.Title, blocks: reply.Blocks})
	}
	return reply, nil
}

// writtenPage is a page of `list` as written for one caller, kept with the
// cached rows it was written from (listing.page), so that asking again
// writes nothing new. Its words follow from the rows, which do not change
// while cached, from how the caller reads them (pageKey: the page, their
// zone and the settings that pass runs over), and from the time only at a
// few instants: the turn of a year (dates name their year only when it is
// not now's, as DatedRule promises), the end of a timed pause, and a run of
// a rule that ends (its runs left). The next runs and snoozes it shows are
// none of them: the rows are read again before those come. It is valid
// from when it was written until the first of those instants.
type writtenPage struct {
	key         pageKey
	from, until time.Time
	title       string
	blocks      []string
}

// pageKey is what a page of `list` depends on besides its rows and the
// time. The caller is the rows' owner, part of the listing's filter.
type pageKey struct {
	page         int
	zone         *time.Location
	hours, quiet string
	away         time.Time
}

// pageKeyOf is the key of page as u reads it in zone.
func pageKeyOf(page int, zone *time.Location, u User) pageKey {
	return pageKey{page: page, zone: zone, hours: u.Hours, quiet: u.Quiet, away: u.AwayUntil}
}

// written is the page kept for key that is still valid at now, or nil.
func (l listing) written(key pageKey, now time.Time) *writtenPage {
	if l.page == nil {
		return nil
	}
	p := l.page.Load()
	if p == nil || p.key != key || now.Before(p.from) || !now.Before(p.until) {
		return nil
	}
	return p
}

// reply is the kept page as a reply of its own: its blocks are shared, so
// the slice is cut to its length, and a caller appending to it gets a copy.
func (p *writtenPage) reply() Reply {
	return Reply{Title: p.title, Blocks: p.blocks[:len(p.blocks):len(p.blocks)], Visibility: Private}
}

// yearSteady returns the end of the stretch of time around now in which
// every zone is in the year now is in UTC, and false when now is not in
// one: no zone is a day from UTC, so from 2 January to 30 December.
func yearSteady(now time.Time) (time.Time, bool) {
	u := now.UTC()
	start := time.Date(u.Year(), time.January, 2, 0, 0, 0, 0, time.UTC)
	end := time.Date(u.Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	return end, !u.Before(start) && u.Before(end)
}

// lineSteady narrows until to when r's list line, written at now, may next
// read otherwise (see writtenPage); false when it may at any time: a team
// break's next run passed over by holidays is read from the channel's
// settings, which another instance may change without a report.
func (b *Bot) lineSteady(r Reminder, now, until time.Time) (time.Time, bool) {
	if r.Kind == ChannelSchedule && b.holidays != nil {
		return until, false
	}
	if r.PausedUntil.After(now) && r.PausedUntil.Before(until) {
		until = r.PausedUntil
	}
	if rule, _, err := b.rule(r); err == nil {
		if _, ok := rule.(EndingRule); ok {
			if next := rule.Next(now); !next.IsZero() && next.Before(until) {
				until = next
			}
		}
	}
	return until, true
}

// listAll are words after list that ask for the list itself.
var listAll = map[string]bool{"all": true, "reminders": true, "mine": true, "schedules": true, "everything": true}

// listPage reads the page `list` was asked for: "", "2" or "page 2".
func listPage(args string) (int, error) {
	words := strings.Fields(strings.ToLower(args))
	if len(words) > 0 && words[0] == "page" {
		words = words[1:]
	}
	if len(words) == 1 && (words[0] == "all" || words[0] == "everything") {
		return 0, nil // every one, up to ListAllCap
	}
	if len(words) == 1 && listAll[words[0]] {
		return 1, nil // "list reminders": the list itself
	}
	switch {
	case len(words) == 0 && args == "":
		return 1, nil
	case len(words) == 1:
		if n, err := strconv.Atoi(words[0]); err == nil && n >= 1 {
			return n, nil
		}
	}
	return 0, Invalid("list", "`list` takes a page number, like `list 2`, or nothing for the first page.")
}

// describe is one list line: id, rule in words, next run, state.
func (b *Bot) describe(ctx context.Context, r Reminder, req *Request) string {
	desc := r.Rule
	rule, _, err := b.rule(r)
	named := false // the words name the zone already
	if err == nil {
		desc = describeRule(rule, req.Now)
		named = runZone(rule) != ""
	}
	if r.Zone != req.Zone.String() && !named && !slices.Contains(strings.Fields(desc), r.Zone) {
		// A one-off's time names its zone's abbreviation, which for UTC
		// is the zone itself: "09:00 UTC", not "09:00 UTC (UTC)".
		desc += " (" + r.Zone + ")" // zones of existing reminders stay as created
	}
	parts := []string{"#" + string(r.ID), desc}
	switch r.Kind {
	case ChannelSchedule:
		parts = append(parts, "team break in "+channelRef(r))
	case TeamSummary:
		parts = append(parts, "summary for "+channelRef(r))
	default:
		parts = append(parts, "personal")
	}
	if r.Note != "" {
		parts = append(parts, "“"+quote.Cut(r.Note, 60)+"”")
	}
	switch {
	case r.Paused:
		parts = append(parts, "PAUSED")
	case r.PausedUntil.After(req.Now):
		parts = append(parts, "paused until "+FormatTime(r.PausedUntil, req.Now, req.Zone))
	}
	if !r.NextRun.IsZero() && !r.Paused {
		parts = append(parts, b.nextWords(ctx, r, req))
	}
	if e, ok := rule.(EndingRule); ok && err == nil {
		parts = append(parts, runsLeft(rule, e.End(), r, req))
	}
	return strings.Join(parts, " · ")
}

// runsLeft says what is left of r's rule, which ends: "3 runs left, the
// last Mon 7 Dec 09:00 CET", or its end when many runs are left. The runs
// are counted from r's next run, so a skipped one is not among them, and
// from the end of a timed pause, whose runs do not come.
func runsLeft(rule Rule, end time.Time, r Reminder, req *Request) string {
	const most = 100
	from := req.Now
	if r.NextRun.After(from) {
		from = r.NextRun.Add(-time.Nanosecond)
	}
	if r.PausedUntil.After(from) {
		from = r.PausedUntil.Add(-time.Nanosecond) // a run at its end comes
	}
	var last time.Time
	n := 0
	for t := rule.Next(from); !t.IsZero() && n < most; t = rule.Next(t) {
		last, n = t, n+1
	}
	switch {
	case n == 0:
		return "ended"
	case n == most:
		return "ends " + FormatTime(end, req.Now, req.Zone)
	}
	return plural(n, "run", "runs") + " left, the last " + FormatTime(last, req.Now, req.Zone)
}
