package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/stretchbot/stretchbot/bot"
)

var _ bot.TenantPauser = (*DB)(nil)

// installationColumns are the installations columns, in scanInstallation's
// order.
const installationColumns = `platform, tenant, enterprise, org_wide, team_name, bot_user_id, scopes, installer, sealed_token, installed_at`

func scanInstallation(row scanner) (bot.Installation, error) {
	var in bot.Installation
	var at int64
	err := row.Scan(&in.Platform, &in.Tenant, &in.Enterprise, &in.OrgWide, &in.TeamName, &in.BotUserID, &in.Scopes,
		&in.Installer, &in.SealedToken, &at)
	in.InstalledAt = fromNanos(at)
	return in, err
}

// SaveInstallation inserts the installation or replaces the one of the
// same platform and tenant (installing again updates the token).
func (s *DB) SaveInstallation(ctx context.Context, in bot.Installation) error {
	_, err := s.exec(ctx, `INSERT INTO installations (`+installationColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, tenant) DO UPDATE SET enterprise = excluded.enterprise, org_wide = excluded.org_wide,
		team_name = excluded.team_name, bot_user_id = excluded.bot_user_id, scopes = excluded.scopes,
		installer = excluded.installer, sealed_token = excluded.sealed_token, installed_at = excluded.installed_at`,
		in.Platform, in.Tenant, in.Enterprise, in.OrgWide, in.TeamName, in.BotUserID, in.Scopes, in.Installer,
		in.SealedToken, nanos(in.InstalledAt))
	if err != nil {
		return s.errf("save installation: %w", err)
	}
	return nil
}

// Installation returns the installation for tenant on platform, or
// bot.ErrNotFound.
func (s *DB) Installation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (bot.Installation, error) {
	in, err := scanInstallation(s.queryRow(ctx, `SELECT `+installationColumns+` FROM installations WHERE platform = ? AND tenant = ?`, platform, tenant))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return bot.Installation{}, s.errf("installation %s: %w", tenant, bot.ErrNotFound)
	case err != nil:
		return bot.Installation{}, s.errf("installation %s: %w", tenant, err)
	}
	return in, nil
}

// DeleteInstallation removes the installation, if there is one.
func (s *DB) DeleteInstallation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) error {
	if _, err := s.exec(ctx, `DELETE FROM installations WHERE platform = ? AND tenant = ?`, platform, tenant); err != nil {
		return s.errf("delete installation %s: %w", tenant, err)
	}
	return nil
}

// Installations lists every installation on platform, by tenant.
func (s *DB) Installations(ctx context.Context, platform bot.Platform) ([]bot.Installation, error) {
	out, err := query(ctx, s, `SELECT `+installationColumns+` FROM installations WHERE platform = ? ORDER BY tenant`,
		[]any{platform}, scanInstallation)
	if err != nil {
		return nil, s.errf("installations: %w", err)
	}
	return out, nil
}

// PauseTenant pauses every unpaused reminder of tenant on platform and
// marks it as paused by the tenant.
func (s *DB) PauseTenant(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (int, error) {
	n, err := s.exec(ctx, `UPDATE reminders SET paused = ?, tenant_paused = ? WHERE tenant = ? AND platform = ? AND paused = ?`,
		true, true, tenant, platform, false)
	if err != nil {
		return 0, s.errf("pause tenant %s: %w", tenant, err)
	}
	return int(n), nil
}

// TenantPaused lists the reminders PauseTenant marked that are still
// paused, by creation time.
func (s *DB) TenantPaused(ctx context.Context, platform bot.Platform, tenant bot.TenantID) ([]bot.Reminder, error) {
	rs, err := query(ctx, s, `SELECT `+ReminderRead+` FROM `+s.from+`
		WHERE r.tenant = ? AND r.platform = ? AND r.tenant_paused = ? AND r.paused = ? ORDER BY r.created_at, r.id`,
		[]any{tenant, platform, true, true}, scanReminder)
	if err != nil {
		return nil, s.errf("tenant paused %s: %w", tenant, err)
	}
	return rs, nil
}

// ResumeTenant unpauses the marked reminders and clears every mark of the
// tenant, in one transaction.
func (s *DB) ResumeTenant(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx tx) error {
		var err error
		n, err = tx.exec(ctx, `UPDATE reminders SET paused = ?, tenant_paused = ?
			WHERE tenant = ? AND platform = ? AND tenant_paused = ? AND paused = ?`, false, false, tenant, platform, true, true)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE reminders SET tenant_paused = ? WHERE tenant = ? AND platform = ? AND tenant_paused = ?`,
			false, tenant, platform, true)
		return err
	})
	if err != nil {
		return 0, s.errf("resume tenant %s: %w", tenant, err)
	}
	return int(n), nil
}
