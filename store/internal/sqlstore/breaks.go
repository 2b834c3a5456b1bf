package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

// SaveBreaks saves each record's last break (its whole user, if new) and
// rotation, in order, in one transaction: concurrent breaks share one
// commit.
func (s *DB) SaveBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	raws := make([]string, len(rs))
	for i, r := range rs {
		used := r.Used
		if used == nil {
			used = []string{}
		}
		raw, err := json.Marshal(used)
		if err != nil {
			return s.errf("save breaks: %w", err)
		}
		raws[i] = string(raw)
	}
	// Rows are written in user order (keeping the given order for one
	// user), so that two instances writing overlapping batches lock them
	// in the same order (PostgreSQL would otherwise see a deadlock).
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ua, ub := rs[a].User, rs[b].User
		return cmp.Or(strings.Compare(string(ua.Tenant), string(ub.Tenant)), strings.Compare(string(ua.ID), string(ub.ID)))
	})
	err := s.tx(ctx, func(tx tx) error {
		for _, i := range order {
			r := rs[i]
			u := r.User
			// SaveUser's insert for a new user; a stored one gets its
			// last break only (see bot.BreakStore). Then SaveRotation.
			if _, err := tx.exec(ctx, `INSERT INTO users (tenant, id, zone, last_break, last_break_key, hours, quiet, away_until, level, level_since, level_offered, prefer)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, id) DO UPDATE SET last_break = excluded.last_break, last_break_key = excluded.last_break_key`,
				u.Tenant, u.ID, u.Zone, nanos(u.LastBreak), u.LastBreakKey, u.Hours, u.Quiet, nanos(u.AwayUntil), u.Level,
				nanos(u.LevelSince), nanos(u.LevelOffered), u.Prefer); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO rotations (tenant, scope, used) VALUES (?, ?, ?)
		ON CONFLICT (tenant, scope) DO UPDATE SET used = excluded.used`, u.Tenant, r.Scope, raws[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return s.errf("save breaks: %w", err)
	}
	return nil
}
