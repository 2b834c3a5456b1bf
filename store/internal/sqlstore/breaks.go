package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

// breakRows is the most rows one statement of SaveBreaks writes. Each
// row count's text is prepared once per pooled connection, so the counts
// stay few; a larger batch takes several statements.
const breakRows = 8

// SaveBreaks saves each record's last break (its whole user, if new) and
// rotation, in order, in one transaction: concurrent breaks share one
// commit. The batch is written as one multi-row statement for the users
// and one for the rotations rather than two statements per record: a
// user's row is written once, whole from its first record (as the first
// would insert it) with the last break of its last one (as every later
// record would update it), and a rotation once, from the last record
// that names it.
func (s *DB) SaveBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	if len(rs) == 0 {
		return nil
	}
	if err := s.recordBreaks(ctx, rs); err != nil {
		return s.errf("save breaks: %w", err)
	}
	return nil
}

// breaksIn writes rs within tx (see SaveBreaks).
func (s *DB) breaksIn(ctx context.Context, tx tx, rs []bot.BreakRecord) error {
	// Rows are written in user order (keeping the given order for one
	// user), so that two instances writing overlapping batches lock them
	// in the same order (PostgreSQL would otherwise see a deadlock).
	order := make([]int, len(rs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareUsers(rs[a].User, rs[b].User) })
	// users[k] is a user's first and last record; one user's records
	// are neighbours in order.
	type span struct{ first, last int }
	users := make([]span, 0, len(rs))
	for _, i := range order {
		if n := len(users); n > 0 && compareUsers(rs[users[n-1].first].User, rs[i].User) == 0 {
			users[n-1].last = i
			continue
		}
		users = append(users, span{i, i})
	}
	// The last record in that order for each rotation, the rotations in
	// scope order.
	rots := make([]int, 0, len(rs))
	for k := len(order) - 1; k >= 0; k-- {
		i := order[k]
		if !slices.ContainsFunc(rots, func(j int) bool { return sameRotation(rs[i], rs[j]) }) {
			rots = append(rots, i)
		}
	}
	slices.SortFunc(rots, func(a, b int) int {
		return cmp.Or(strings.Compare(string(rs[a].User.Tenant), string(rs[b].User.Tenant)), strings.Compare(rs[a].Scope, rs[b].Scope))
	})
	raws := make([]any, 0, 3*min(len(rots), breakRows))
	// SaveUser's insert for a new user; a stored one gets its last
	// break only (see bot.BreakStore). Then SaveRotation.
	for part := range slices.Chunk(users, breakRows) {
		args := make([]any, 0, 12*len(part))
		for _, p := range part {
			u, last := rs[p.first].User, rs[p.last].User
			args = append(args, u.Tenant, u.ID, u.Zone, nanos(last.LastBreak), last.LastBreakKey, u.Hours, u.Quiet,
				nanos(u.AwayUntil), u.Level, nanos(u.LevelSince), nanos(u.LevelOffered), u.Prefer)
		}
		if _, err := tx.exec(ctx, s.batchQuery(breakUsersStmt, len(part)), args...); err != nil {
			return err
		}
	}
	for part := range slices.Chunk(rots, breakRows) {
		args := raws[:0]
		for _, i := range part {
			used := rs[i].Used
			if used == nil {
				used = []string{}
			}
			raw, err := json.Marshal(used)
			if err != nil {
				return err
			}
			args = append(args, rs[i].User.Tenant, rs[i].Scope, string(raw))
		}
		if _, err := tx.exec(ctx, s.batchQuery(breakRotationsStmt, len(part)), args...); err != nil {
			return err
		}
	}
	return nil
}

// compareUsers orders users by tenant, then id.
func compareUsers(a, b bot.User) int {
	return cmp.Or(strings.Compare(string(a.Tenant), string(b.Tenant)), strings.Compare(string(a.ID), string(b.ID)))
}

// sameRotation reports whether two records save the same rotation.
func sameRotation(a, b bot.BreakRecord) bool {
	return a.User.Tenant == b.User.Tenant && a.Scope == b.Scope
}

// breakUsersQuery saves n users: a new one whole (as SaveUser inserts
// it), a stored one's last break only (see bot.BreakStore).
func breakUsersQuery(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO users (tenant, id, zone, last_break, last_break_key, hours, quiet, away_until, level, level_since, level_offered, prefer)
		VALUES `)
	rows(&b, n, 12)
	b.WriteString(`
		ON CONFLICT (tenant, id) DO UPDATE SET last_break = excluded.last_break, last_break_key = excluded.last_break_key`)
	return b.String()
}

// breakRotationsQuery saves n rotations, as SaveRotation does.
func breakRotationsQuery(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO rotations (tenant, scope, used) VALUES `)
	rows(&b, n, 3)
	b.WriteString(`
		ON CONFLICT (tenant, scope) DO UPDATE SET used = excluded.used`)
	return b.String()
}

// rows writes n rows of cols placeholders each, for an INSERT's VALUES:
// there the database types each from its column.
func rows(b *strings.Builder, n, cols int) {
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
}
