package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

var _ bot.TenantPauser = (*DB)(nil)

// installKey identifies an installation.
type installKey struct {
	platform bot.Platform
	tenant   bot.TenantID
}

// SaveInstallation inserts the installation or replaces the one of the
// same platform and tenant.
func (s *DB) SaveInstallation(ctx context.Context, in bot.Installation) error {
	if err := s.lock(ctx); err != nil {
		return errf("save installation: %w", err)
	}
	defer s.mu.Unlock()
	in.InstalledAt = utc(in.InstalledAt)
	s.installations[installKey{in.Platform, in.Tenant}] = in
	return nil
}

// Installation returns the installation for tenant on platform, or
// bot.ErrNotFound.
func (s *DB) Installation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (bot.Installation, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.Installation{}, errf("installation: %w", err)
	}
	defer s.mu.RUnlock()
	in, ok := s.installations[installKey{platform, tenant}]
	if !ok {
		return bot.Installation{}, errf("installation %s: %w", tenant, bot.ErrNotFound)
	}
	return in, nil
}

// DeleteInstallation removes the installation, if there is one.
func (s *DB) DeleteInstallation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) error {
	if err := s.lock(ctx); err != nil {
		return errf("delete installation: %w", err)
	}
	defer s.mu.Unlock()
	delete(s.installations, installKey{platform, tenant})
	return nil
}

// Installations lists every installation on platform, by tenant.
func (s *DB) Installations(ctx context.Context, platform bot.Platform) ([]bot.Installation, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("installations: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.Installation
	for k, in := range s.installations {
		if k.platform == platform {
			out = append(out, in)
		}
	}
	slices.SortFunc(out, func(a, b bot.Installation) int { return strings.Compare(string(a.Tenant), string(b.Tenant)) })
	return out, nil
}

// tenantReminders returns the slots of the tenant's reminders on
// platform. It scans every reminder: installs and uninstalls are rare.
func (t *tables) tenantReminders(platform bot.Platform, tenant bot.TenantID) []int32 {
	p, ok := t.syms.lookup(string(platform))
	tn, ok2 := t.syms.lookup(string(tenant))
	if !ok || !ok2 {
		return nil
	}
	var out []int32
	for i := range t.recs.len() {
		if r := t.recs.at(i); r.live && r.tenant == tn && r.platform == p {
			out = append(out, i)
		}
	}
	return out
}

// PauseTenant pauses every unpaused reminder of tenant on platform and
// marks it as paused by the tenant.
func (s *DB) PauseTenant(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (int, error) {
	if err := s.lock(ctx); err != nil {
		return 0, errf("pause tenant: %w", err)
	}
	defer s.mu.Unlock()
	n := 0
	for _, i := range s.tenantReminders(platform, tenant) {
		if !s.recs.at(i).paused {
			s.update(i, func(r *rec) { r.paused, r.tenantPaused = true, true })
			n++
		}
	}
	return n, nil
}

// TenantPaused lists the reminders PauseTenant marked that are still
// paused, by creation time.
func (s *DB) TenantPaused(ctx context.Context, platform bot.Platform, tenant bot.TenantID) ([]bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("tenant paused: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.Reminder
	for _, i := range s.tenantReminders(platform, tenant) {
		if r := s.recs.at(i); r.tenantPaused && r.paused {
			out = append(out, s.reminder(r))
		}
	}
	sortByCreation(out)
	return out, nil
}

// ResumeTenant unpauses the marked reminders and clears every mark of the
// tenant.
func (s *DB) ResumeTenant(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (int, error) {
	if err := s.lock(ctx); err != nil {
		return 0, errf("resume tenant: %w", err)
	}
	defer s.mu.Unlock()
	n := 0
	for _, i := range s.tenantReminders(platform, tenant) {
		if r := s.recs.at(i); r.tenantPaused && r.paused {
			s.update(i, func(r *rec) { r.paused = false })
			n++
		}
		s.recs.at(i).tenantPaused = false
	}
	return n, nil
}
