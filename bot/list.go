package bot

import (
	"context"
	"fmt"
	"strings"
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
