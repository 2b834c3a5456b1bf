package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/cache"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/secretbox"
)

// InstallStore keeps the app's installations, one per workspace (or
// organisation). Every store driver implements it; cmd/stretchbot passes
// the store to WithInstalls. Tokens reach it sealed, never in clear.
type InstallStore interface {
	// SaveInstallation inserts or replaces the installation of its
	// platform and tenant.
	SaveInstallation(ctx context.Context, in bot.Installation) error
	// Installation returns the installation for tenant, or bot.ErrNotFound.
	Installation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) (bot.Installation, error)
	// DeleteInstallation removes it; nil when there was none.
	DeleteInstallation(ctx context.Context, platform bot.Platform, tenant bot.TenantID) error
	// Installations lists every installation on platform.
	Installations(ctx context.Context, platform bot.Platform) ([]bot.Installation, error)
}

const (
	// workspaceTTL is how long a workspace's client is kept before the
	// store is asked again, so a reinstall or an uninstall handled by
	// another instance is noticed.
	workspaceTTL = 5 * time.Minute
	// maxWorkspaces bounds the cache of clients.
	maxWorkspaces = 10000
	// notInstalledRetry is when a delivery to a workspace without a token
	// is tried again; its schedules are paused as the app is removed, so
	// this only covers deliveries already under way.
	notInstalledRetry = 5 * time.Minute
)

// errNotInstalled means no token is known for the workspace.
var errNotInstalled = errors.New("slack: the app is not installed in this workspace")

// workspace is what calls for one Slack workspace use: a client holding
// that workspace's bot token, and the bot's user id there.
type workspace struct {
	team  bot.TenantID
	api   webAPI
	botID string // "" when it is learned with auth.test (single-token mode)
}

// client is ws's Web API client, or nil for no workspace.
func (ws *workspace) client() webAPI {
	if ws == nil {
		return nil
	}
	return ws.api
}

// installs is the adapter's view of the store of installations.
type installs struct {
	store InstallStore
	box   *secretbox.Box
	// clients caches a client per workspace; a miss asks the store.
	clients *cache.Cache[*workspace]
}

// tokenContext binds a sealed token to its tenant: a sealed value copied
// to another tenant's row does not open.
func tokenContext(tenant bot.TenantID) string { return "slack-bot-token:" + string(tenant) }

// seal encrypts the token of in, which must have its Tenant set.
func (is *installs) seal(in *bot.Installation, token string) error {
	sealed, err := is.box.Seal(token, tokenContext(in.Tenant))
	if err != nil {
		return fmt.Errorf("slack: seal token: %w", err)
	}
	in.SealedToken = sealed
	return nil
}

// forget drops the cached client of tenant.
func (is *installs) forget(tenant bot.TenantID, now time.Time) {
	is.clients.Put(string(tenant), nil, 0, now)
}

// newClient returns a Web API client holding token.
func (a *Adapter) newClient(token string) webAPI {
	return slack.New(token, slack.OptionAPIURL(a.cfg.APIURL), slack.OptionHTTPClient(a.http))
}

// workspace returns the client for team: in single-token mode always the
// one configured; with installations, the team's own token, else the
// token of the organisation it belongs to when that installed the app
// for all its workspaces, else the configured token if there is one.
func (a *Adapter) workspace(ctx context.Context, team bot.TenantID, enterprise string) (*workspace, error) {
	if a.installs == nil {
		return &workspace{team: team, api: a.api}, nil
	}
	now := a.now()
	if ws, ok := a.installs.clients.Get(string(team), now); ok && ws != nil {
		return ws, nil
	}
	ws, err := a.loadWorkspace(ctx, team, enterprise)
	switch {
	case err == nil:
		a.installs.clients.Put(string(team), ws, workspaceTTL, now)
		return ws, nil
	case errors.Is(err, errNotInstalled) && a.api != nil:
		// The workspace of STRETCHBOT_SLACK_BOT_TOKEN, next to OAuth ones.
		return &workspace{team: team, api: a.api}, nil
	}
	return nil, err
}

// enrichCached adds the profile hints to m as command's work does
// (workspace, then identity.enrich), from memory alone: false when either
// would have to read the store or ask Slack.
func (a *Adapter) enrichCached(m *bot.Message) bool {
	api := a.api
	if a.installs != nil {
		ws, ok := a.installs.clients.Get(string(m.Tenant), a.now())
		if !ok || ws == nil {
			return false
		}
		api = ws.api
	}
	return a.ids.enrichCached(api, m)
}

// loadWorkspace reads team's installation (or its organisation's) and
// opens its token.
func (a *Adapter) loadWorkspace(ctx context.Context, team bot.TenantID, enterprise string) (*workspace, error) {
	if team == "" {
		return nil, errNotInstalled
	}
	in, err := a.installs.store.Installation(ctx, bot.Slack, team)
	if bot.ErrorCode(err) == bot.ENOTFOUND && enterprise != "" && enterprise != string(team) {
		in, err = a.orgInstallation(ctx, team, enterprise)
	}
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND:
		return nil, errNotInstalled
	case err != nil:
		return nil, fmt.Errorf("slack: installation of %s: %w", team, err)
	}
	token, err := a.installs.box.Open(in.SealedToken, tokenContext(in.Tenant))
	if err != nil {
		// Which key sealed it is safe to say; the token is not.
		kid, _ := secretbox.SealedWith(in.SealedToken)
		return nil, fmt.Errorf("slack: open the token of %s (sealed with key %q): %w", team, kid, err)
	}
	return &workspace{team: team, api: a.newClient(token), botID: in.BotUserID}, nil
}

// orgInstallation serves a workspace of an organisation that installed the
// app for all its workspaces: the organisation's token is saved under the
// workspace too, so deliveries (which know only the workspace) find it,
// and the workspace's reminders paused by an earlier uninstall resume.
func (a *Adapter) orgInstallation(ctx context.Context, team bot.TenantID, enterprise string) (bot.Installation, error) {
	org, err := a.installs.store.Installation(ctx, bot.Slack, bot.TenantID(enterprise))
	if err != nil {
		return bot.Installation{}, err
	}
	if !org.OrgWide {
		return bot.Installation{}, bot.ErrNotFound
	}
	token, err := a.installs.box.Open(org.SealedToken, tokenContext(org.Tenant))
	if err != nil {
		return bot.Installation{}, fmt.Errorf("slack: open the token of %s: %w", enterprise, err)
	}
	in := org
	in.Tenant = team
	if err := a.installs.seal(&in, token); err != nil {
		return bot.Installation{}, err
	}
	if err := a.installs.store.SaveInstallation(ctx, in); err != nil {
		return bot.Installation{}, err
	}
	a.installed(ctx, team)
	return in, nil
}

// installed tells the core that team can be served again.
func (a *Adapter) installed(ctx context.Context, team bot.TenantID) {
	if l, ok := a.handler().(bot.InstallListener); ok {
		if err := l.Installed(ctx, bot.Slack, team); err != nil {
			a.log.Error("slack: resuming a workspace's reminders failed", "team", team, "err", err)
		}
	}
}

// notInstalled is the delivery error for a workspace without a token.
func notInstalled(err error) error {
	return &bot.DeliveryError{RetryAfter: notInstalledRetry, Reason: "stretchbot is not installed in this Slack workspace", Err: err}
}
