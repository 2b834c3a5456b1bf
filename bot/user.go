package bot

import (
	"context"

	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/routines"
)

func secondsDur(s int) time.Duration { return time.Duration(s) * time.Second }

func (b *Bot) timezoneCmd(ctx context.Context, req *Request) (Reply, error) {
	if req.Args == "" {
		source := "the bot's default"
		switch {
		case req.User.Zone != "":
			source = "your setting"
		case req.ZoneHint != "":
			source = "your " + categoryLabel(routines.Category(req.Platform)) + " profile"
		}
		return Reply{Blocks: []string{fmt.Sprintf("Your time zone is %s (%s, from %s); it is %s there now. Change it with `timezone Europe/Berlin`.",
			req.Zone.String(), zoneOffset(req.Now, req.Zone), source, req.Now.In(req.Zone).Format("Mon 15:04"))}, Visibility: Private}, nil
	}
	loc, err := LoadZone(req.Args)
	if err != nil {
		return Reply{}, err
	}
	u := req.User
	u.Tenant, u.ID = req.Tenant, req.Message.User
	u.Zone = loc.String()
	if err := b.store.SaveUser(ctx, u); err != nil {
		return Reply{}, fmt.Errorf("bot: save zone: %w", err)
	}
	return Reply{Blocks: []string{fmt.Sprintf("Time zone set to %s (%s); it is %s there now. New reminders use it.",
		loc.String(), zoneOffset(req.Now, loc), req.Now.In(loc).Format("Mon 15:04"))}, Visibility: Private}, nil
}

func zoneOffset(now time.Time, loc *time.Location) string {
	name, off := now.In(loc).Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s, UTC%c%02d:%02d", name, sign, off/3600, off%3600/60)
}

// LoadZone reads an IANA zone name case-insensitively ("europe/berlin",
// "UTC"). Local and abbreviations like "CET" that are not IANA locations
// are refused with an example, because they hide daylight-saving rules.
func LoadZone(name string) (*time.Location, error) {
	name = strings.TrimSpace(name)
	bad := Invalid("timezone Europe/Berlin", "%q is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.", truncate(name, 40))
	if name == "" || len(name) > 64 || strings.EqualFold(name, "local") || strings.Contains(name, "..") || strings.HasPrefix(name, "/") || strings.ContainsAny(name, " \\\x00") {
		return nil, bad
	}
	switch strings.ToLower(name) {
	case "utc", "gmt", "z", "etc/utc":
		return time.UTC, nil
	}
	for _, cand := range []string{name, titleZone(name), strings.ToUpper(name)} {
		if loc, err := time.LoadLocation(cand); err == nil {
			return loc, nil
		}
	}
	return nil, bad
}

// titleZone capitalises each part: "america/new_york" → "America/New_York".
func titleZone(s string) string {
	b := []byte(strings.ToLower(s))
	up := true
	for i, c := range b {
		if up && c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
		up = c == '/' || c == '_' || c == '-'
	}
	return string(b)
}

func (b *Bot) doneCmd(ctx context.Context, req *Request) (Reply, error) {
	key := req.User.LastBreakKey
	if key == "" || req.Now.Sub(req.User.LastBreak) > 24*time.Hour {
		// No recent break from us: count a self-directed one, once a minute.
		key = fmt.Sprintf("self:%s:%d", req.Message.User, req.Now.Unix()/60)
	}
	added, err := b.store.AddCompletion(ctx, Completion{
		Tenant: req.Tenant, User: req.Message.User, Channel: req.Channel, Key: key, Kind: KindDone, At: req.Now,
	})
	if err != nil {
		return Reply{}, fmt.Errorf("bot: add completion: %w", err)
	}
	st, err := b.personalStats(ctx, req.Tenant, req.Message.User, req.Zone, req.Now)
	if err != nil {
		return Reply{}, err
	}
	if !added {
		return Reply{Blocks: []string{fmt.Sprintf("That break is already counted. You have %s, streak %s.", plural(st.total, "break", "breaks"), plural(st.streak, "day", "days"))}, Visibility: Private}, nil
	}
	return Reply{Blocks: []string{fmt.Sprintf("Nice work! That's %s done, streak %s.", plural(st.total, "break", "breaks"), plural(st.streak, "day", "days"))}, Visibility: Private}, nil
}

type userStats struct {
	total, week, streak, best int
	last                      time.Time
}

// personalStats counts a user's breaks and streaks in their zone. A streak
// is consecutive days with at least one break, ending today or yesterday.
func (b *Bot) personalStats(ctx context.Context, tenant TenantID, user UserID, loc *time.Location, now time.Time) (userStats, error) {
	cs, err := b.store.Completions(ctx, CompletionFilter{Tenant: tenant, User: user, Kind: KindDone})
	if err != nil {
		return userStats{}, fmt.Errorf("bot: list completions: %w", err)
	}
	var st userStats
	days := map[string]bool{}
	weekAgo := now.Add(-7 * 24 * time.Hour)
	for _, c := range cs {
		st.total++
		if c.At.After(weekAgo) {
			st.week++
		}
		if c.At.After(st.last) {
			st.last = c.At
		}
		days[c.At.In(loc).Format("2006-01-02")] = true
	}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02") }
	today := now.In(loc)
	start := today
	if !days[day(start)] {
		start = today.AddDate(0, 0, -1)
	}
	for d := start; days[day(d)]; d = d.AddDate(0, 0, -1) {
		st.streak++
	}
	// Longest streak over all recorded days.
	sorted := make([]string, 0, len(days))
	for d := range days {
		sorted = append(sorted, d)
	}
	sort.Strings(sorted)
	run := 0
	var prev time.Time
	for _, s := range sorted {
		d, _ := time.ParseInLocation("2006-01-02", s, loc)
		if !prev.IsZero() && prev.AddDate(0, 0, 1).Equal(d) {
			run++
		} else {
			run = 1
		}
		st.best = max(st.best, run)
		prev = d
	}
	return st, nil
}

func (b *Bot) statsCmd(ctx context.Context, req *Request) (Reply, error) {
	st, err := b.personalStats(ctx, req.Tenant, req.Message.User, req.Zone, req.Now)
	if err != nil {
		return Reply{}, err
	}
	var blocks []string
	if st.total == 0 {
		blocks = append(blocks, "No breaks recorded yet. Try `break`, then say `done` when you finish.")
	} else {
		blocks = append(blocks, fmt.Sprintf("You: %s done, %s in the last 7 days. Current streak %s, best %s. Last one %s.",
			plural(st.total, "break", "breaks"), plural(st.week, "break", "breaks"), plural(st.streak, "day", "days"), plural(st.best, "day", "days"), FormatTime(st.last, req.Now, req.Zone)))
	}
	if !req.DM && req.Channel != "" {
		cs, err := b.store.Completions(ctx, CompletionFilter{Tenant: req.Tenant, Channel: req.Channel, Kind: KindDone, Since: req.Now.Add(-7 * 24 * time.Hour)})
		if err != nil {
			return Reply{}, fmt.Errorf("bot: channel completions: %w", err)
		}
		people := map[UserID]int{}
		for _, c := range cs {
			people[c.User]++
		}
		if len(people) > 0 {
			blocks = append(blocks, fmt.Sprintf("This channel, last 7 days: %s by %s.", plural(len(cs), "break", "breaks"), plural(len(people), "person", "people")))
		}
	}
	return Reply{Title: "Stretch stats", Blocks: blocks, Visibility: Private}, nil
}
