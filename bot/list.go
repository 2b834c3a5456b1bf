package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

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
	rule, _, err := b.rule(r)
	if err == nil {
		desc = describeRule(rule, req.Now)
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
	if e, ok := rule.(EndingRule); ok && err == nil {
		parts = append(parts, runsLeft(rule, e.End(), req))
	}
	return strings.Join(parts, " · ")
}

// runsLeft says what is left of a rule that ends: "3 runs left, the last
// Mon 7 Dec 09:00 CET", or its end when many runs are left.
func runsLeft(rule Rule, end time.Time, req *Request) string {
	const most = 100
	var last time.Time
	n := 0
	for t := rule.Next(req.Now); !t.IsZero() && n < most; t = rule.Next(t) {
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
