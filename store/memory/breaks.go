package memory

import (
	"context"
	"slices"

	"github.com/stretchbot/stretchbot/bot"
)

// SaveBreaks saves each record's last break (its whole user, if new) and
// rotation, in order, at once.
func (s *DB) SaveBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	if err := s.lock(ctx); err != nil {
		return errf("save breaks: %w", err)
	}
	defer s.mu.Unlock()
	for _, r := range rs {
		u := r.User
		u.LastBreak, u.AwayUntil = utc(u.LastBreak), utc(u.AwayUntil)
		u.LevelSince, u.LevelOffered = utc(u.LevelSince), utc(u.LevelOffered)
		k := scoped{u.Tenant, string(u.ID)}
		if had, ok := s.users[k]; ok {
			// A stored user gets the last break only (see bot.BreakStore).
			had.LastBreak, had.LastBreakKey = u.LastBreak, u.LastBreakKey
			u = had
		} else {
			u.Skipped = 0 // the skip count is CountSkip's alone
		}
		s.users[k] = u
		s.rotations[scoped{u.Tenant, r.Scope}] = slices.Clone(r.Used)
	}
	return nil
}
