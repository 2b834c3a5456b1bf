package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

var _ bot.TeamStore = (*DB)(nil)

// ChannelSettings returns the channel's settings, or zero ones.
func (s *DB) ChannelSettings(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID) (bot.ChannelSettings, error) {
	set := bot.ChannelSettings{Tenant: tenant, Channel: channel}
	var summary string
	err := s.queryRow(ctx, `SELECT holidays, summary FROM channel_settings WHERE tenant = ? AND channel = ?`, tenant, channel).
		Scan(&set.Holidays, &summary)
	if errors.Is(err, sql.ErrNoRows) {
		return set, nil
	}
	if err != nil {
		return bot.ChannelSettings{}, s.errf("channel settings: %w", err)
	}
	set.Summary = bot.ReminderID(summary)
	return set, nil
}

// SaveChannelSettings inserts or replaces set.
func (s *DB) SaveChannelSettings(ctx context.Context, set bot.ChannelSettings) error {
	_, err := s.exec(ctx, `INSERT INTO channel_settings (tenant, channel, holidays, summary) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant, channel) DO UPDATE SET holidays = excluded.holidays, summary = excluded.summary`,
		set.Tenant, set.Channel, set.Holidays, set.Summary)
	if err != nil {
		return s.errf("save channel settings: %w", err)
	}
	return nil
}

// AddTeamRun records r once per (Reminder, At).
func (s *DB) AddTeamRun(ctx context.Context, r bot.TeamRun) error {
	_, err := s.exec(ctx, `INSERT INTO team_runs (reminder, at, tenant, channel, skipped) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (reminder, at) DO NOTHING`, r.Reminder, nanos(r.At), r.Tenant, r.Channel, r.Skipped)
	if err != nil {
		return s.errf("add team run: %w", err)
	}
	return nil
}

// TeamRuns lists the channel's runs at or after since, oldest first.
func (s *DB) TeamRuns(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID, since time.Time) ([]bot.TeamRun, error) {
	runs, err := query(ctx, s, `SELECT reminder, at, skipped FROM team_runs WHERE tenant = ? AND channel = ? AND at >= ? ORDER BY at, reminder`,
		[]any{tenant, channel, nanos(since)}, func(row scanner) (bot.TeamRun, error) {
			r := bot.TeamRun{Tenant: tenant, Channel: channel}
			var id string
			var at int64
			err := row.Scan(&id, &at, &r.Skipped)
			r.Reminder, r.At = bot.ReminderID(id), fromNanos(at)
			return r, err
		})
	if err != nil {
		return nil, s.errf("team runs: %w", err)
	}
	return runs, nil
}

// SetPublic records or forgets u's consent to be named.
func (s *DB) SetPublic(ctx context.Context, u bot.PublicUser, public bool) error {
	var err error
	if public {
		_, err = s.exec(ctx, `INSERT INTO public_users (tenant, user_id, name) VALUES (?, ?, ?)
			ON CONFLICT (tenant, user_id) DO UPDATE SET name = excluded.name`, u.Tenant, u.User, u.Name)
	} else {
		_, err = s.exec(ctx, `DELETE FROM public_users WHERE tenant = ? AND user_id = ?`, u.Tenant, u.User)
	}
	if err != nil {
		return s.errf("set public: %w", err)
	}
	return nil
}

// PublicUsers lists who in tenant may be named, by user id.
func (s *DB) PublicUsers(ctx context.Context, tenant bot.TenantID) ([]bot.PublicUser, error) {
	us, err := query(ctx, s, `SELECT user_id, name FROM public_users WHERE tenant = ? ORDER BY user_id`,
		[]any{tenant}, func(row scanner) (bot.PublicUser, error) {
			u := bot.PublicUser{Tenant: tenant}
			var id string
			err := row.Scan(&id, &u.Name)
			u.User = bot.UserID(id)
			return u, err
		})
	if err != nil {
		return nil, s.errf("public users: %w", err)
	}
	return us, nil
}
