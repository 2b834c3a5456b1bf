package memory

import (
	"context"
	"slices"

	"github.com/stretchbot/stretchbot/bot"
)

// SaveBreaks saves each record's user and rotation, in order, at once.
func (s *DB) SaveBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	if err := s.lock(ctx); err != nil {
		return errf("save breaks: %w", err)
	}
	defer s.mu.Unlock()
	for _, r := range rs {
		u := r.User
		u.LastBreak, u.AwayUntil = utc(u.LastBreak), utc(u.AwayUntil)
		u.LevelSince, u.LevelOffered = utc(u.LevelSince), utc(u.LevelOffered)
		// The skip count is CountSkip's alone.
		k := scoped{u.Tenant, string(u.ID)}
		u.Skipped = s.users[k].Skipped
		s.users[k] = u
		s.rotations[scoped{u.Tenant, r.Scope}] = slices.Clone(r.Used)
	}
	return nil
}
