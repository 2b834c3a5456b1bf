package bot

import (
	"context"
	"fmt"
	"time"
)

// Installation is the app installed in one tenant, as a platform's OAuth
// flow reported it (Slack's oauth.v2.access). The core does not use it;
// adapters keep it in a store through their own small interface.
type Installation struct {
	Platform Platform
	// Tenant is what the installation serves: a workspace (team id), or,
	// for an organisation-wide install, the organisation's id.
	Tenant TenantID
	// Enterprise is the organisation (Slack Enterprise Grid "E…") the
	// tenant belongs to; empty outside one.
	Enterprise string
	// OrgWide marks a token granted for a whole organisation: it serves
	// every workspace in Enterprise.
	OrgWide   bool
	TeamName  string
	BotUserID string
	// Scopes are the granted bot scopes, comma-separated as the platform
	// lists them.
	Scopes    string
	Installer UserID
	// SealedToken is the bot token encrypted by the adapter before it
	// reaches a store (internal/secretbox); stores keep it as opaque text
	// and never see the token itself.
	SealedToken string
	InstalledAt time.Time
}

// InstallListener is an optional Handler capability for platforms where
// the app is installed per tenant: the adapter reports an uninstall (or
// revoked tokens) and a new install, and the core pauses the tenant's
// reminders while the app is gone, then resumes exactly those.
type InstallListener interface {
	// Uninstalled pauses every active reminder of tenant on p. Calling it
	// again changes nothing.
	Uninstalled(ctx context.Context, p Platform, tenant TenantID) error
	// Installed resumes the reminders Uninstalled paused, leaving alone
	// those their users had paused themselves.
	Installed(ctx context.Context, p Platform, tenant TenantID) error
}

var _ InstallListener = (*Bot)(nil)

// TenantPauser is the store capability behind InstallListener. The mark
// it keeps is what tells a pause by uninstall from a user's own pause.
type TenantPauser interface {
	// PauseTenant pauses every reminder of tenant on platform that is not
	// paused, marking them as paused by the tenant; it returns how many.
	PauseTenant(ctx context.Context, platform Platform, tenant TenantID) (int, error)
	// TenantPaused lists the reminders PauseTenant marked that are still
	// paused, by creation time.
	TenantPaused(ctx context.Context, platform Platform, tenant TenantID) ([]Reminder, error)
	// ResumeTenant unpauses the reminders PauseTenant marked and clears
	// every mark of the tenant; it returns how many it unpaused.
	ResumeTenant(ctx context.Context, platform Platform, tenant TenantID) (int, error)
}

// tenantPauser returns the store as a TenantPauser.
func (b *Bot) tenantPauser() (TenantPauser, error) {
	tp, ok := b.store.(TenantPauser)
	if !ok {
		return nil, fmt.Errorf("bot: the store cannot pause a tenant's reminders")
	}
	return tp, nil
}

// Uninstalled pauses the tenant's active reminders; see InstallListener.
func (b *Bot) Uninstalled(ctx context.Context, p Platform, tenant TenantID) error {
	defer b.RemindersChanged() // also after a failure half-way
	tp, err := b.tenantPauser()
	if err != nil {
		return err
	}
	n, err := tp.PauseTenant(ctx, p, tenant)
	if err != nil {
		return fmt.Errorf("bot: pause tenant: %w", err)
	}
	b.log.Info("app uninstalled: reminders paused", "platform", p, "tenant", tenant, "paused", n)
	// Named, so that a run of theirs already claimed for the coming second
	// is held back too; unnamed, the engine would only wake.
	var ids []ReminderID
	if n > 0 {
		rs, err := tp.TenantPaused(ctx, p, tenant)
		if err != nil {
			b.log.Warn("could not list the reminders the uninstall paused; a run due within the second may still go out", "tenant", tenant, "err", err)
		}
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
	}
	b.wake(ids...)
	return nil
}

// Installed resumes what Uninstalled paused. A repeating reminder starts
// again from its next run after now rather than catching up on the runs
// missed while the app was gone; a one-shot whose time passed is left to
// the scheduler's catch-up rule (delivered late within the window, else
// its owner is told it was missed).
func (b *Bot) Installed(ctx context.Context, p Platform, tenant TenantID) error {
	defer b.RemindersChanged() // also after a failure half-way
	tp, err := b.tenantPauser()
	if err != nil {
		return err
	}
	rs, err := tp.TenantPaused(ctx, p, tenant)
	if err != nil {
		return fmt.Errorf("bot: paused reminders of tenant: %w", err)
	}
	now := b.clock.Now()
	for _, r := range rs {
		rule, _, err := b.rule(r)
		if err != nil || !rule.Repeats() || r.NextRun.IsZero() || !r.NextRun.Before(now) {
			continue
		}
		// Still paused, so the scheduler cannot race this.
		if err := b.store.AdvanceReminder(ctx, r.ID, r.NextRun, rule.Next(now)); err != nil && ErrorCode(err) != ECONFLICT {
			return fmt.Errorf("bot: resume #%s: %w", r.ID, err)
		}
	}
	n, err := tp.ResumeTenant(ctx, p, tenant)
	if err != nil {
		return fmt.Errorf("bot: resume tenant: %w", err)
	}
	if n > 0 {
		b.log.Info("app installed again: reminders resumed", "platform", p, "tenant", tenant, "resumed", n)
	}
	b.wake()
	return nil
}
