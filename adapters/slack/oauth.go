package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/secretbox"
)

const (
	// stateCookie carries the install's state from /slack/install to the
	// callback, signed, so the callback can tell the browser that started
	// the install.
	stateCookie = "stretchbot_slack_install"
	// stateTTL is how long an install may take, consent page included.
	stateTTL = 10 * time.Minute
	// callbackPath is where Slack sends the browser back.
	callbackPath = "/slack/oauth/callback"
)

// Why a callback's state was refused. Only logs tell them apart; the
// browser sees one page.
var (
	errStateMissing  = errors.New("no install cookie (another browser, or cookies blocked)")
	errStateForged   = errors.New("install cookie not signed by this bot")
	errStateExpired  = errors.New("install cookie expired")
	errStateMismatch = errors.New("state does not match the install cookie")
	errStateUsed     = errors.New("state already used")
	// errStateUnchecked is not the browser's fault: the seen store could
	// not say whether the state was used.
	errStateUnchecked = errors.New("cannot check whether the state was used")
)

// stateKey signs install cookies; it is derived from the secret key.
func (a *Adapter) stateKey() []byte { return a.installs.box.Derive("slack oauth state") }

// redirectURI is the callback URL Slack must send the browser to, or ""
// without a public URL (Slack then uses the app's only redirect URL).
func (a *Adapter) redirectURI() string {
	if a.cfg.PublicURL == "" {
		return ""
	}
	return a.cfg.PublicURL + callbackPath
}

// serveInstall starts an install: a fresh one-time state, bound to this
// browser by a signed cookie, and a redirect to Slack's authorize page.
func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		a.log.Error("slack: install state", "err", err)
		a.page(w, http.StatusInternalServerError, failedPage("Something went wrong on our side. Please try again."))
		return
	}
	state := base64.RawURLEncoding.EncodeToString(raw)
	expires := a.now().Add(stateTTL).Unix()
	http.SetCookie(w, a.cookie(r, state+"."+strconv.FormatInt(expires, 10)+"."+a.sign(state, expires), int(stateTTL/time.Second)))
	q := url.Values{"client_id": {a.cfg.ClientID}, "scope": {strings.Join(botScopes, ",")}, "state": {state}}
	if u := a.redirectURI(); u != "" {
		q.Set("redirect_uri", u)
	}
	a.log.Info("slack: install started")
	http.Redirect(w, r, a.cfg.OAuthURL+"?"+q.Encode(), http.StatusFound)
}

// sign is the cookie's MAC of state and its expiry.
func (a *Adapter) sign(state string, expires int64) string {
	m := hmac.New(sha256.New, a.stateKey())
	fmt.Fprintf(m, "%s.%d", state, expires)
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cookie is the install cookie with value, kept maxAge seconds (negative:
// deleted). Lax, because the callback is a top-level navigation from
// slack.com; Secure whenever the bot is reached over HTTPS.
func (a *Adapter) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: stateCookie, Value: value, Path: callbackPath, MaxAge: maxAge, HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(a.cfg.PublicURL, "https://"),
		SameSite: http.SameSiteLaxMode,
	}
}

// checkState accepts the callback's state only if this browser started
// that install, recently, and it was not used before, by any instance
// sharing the seen store (Slack also accepts each code once).
func (a *Adapter) checkState(r *http.Request, state string, now time.Time) error {
	c, err := r.Cookie(stateCookie)
	if err != nil || c.Value == "" {
		return errStateMissing
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return errStateForged
	}
	expires, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || !hmac.Equal([]byte(parts[2]), []byte(a.sign(parts[0], expires))) {
		return errStateForged
	}
	if now.Unix() > expires {
		return errStateExpired
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(parts[0])) != 1 {
		return errStateMismatch
	}
	first, err := a.oauthStates.First(r.Context(), "slack oauth state "+state, now)
	if err != nil {
		return fmt.Errorf("%w: %w", errStateUnchecked, err)
	}
	if !first {
		return errStateUsed
	}
	return nil
}

// serveCallback finishes an install: it checks the state, exchanges the
// code for the workspace's bot token with oauth.v2.access, keeps the
// token sealed, resumes what an earlier uninstall paused and says how to
// start. Anything refused stores nothing.
func (a *Adapter) serveCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// The state is single-use whatever happens next.
	http.SetCookie(w, a.cookie(r, "", -1))
	if reason := q.Get("error"); reason != "" {
		a.log.Info("slack: install cancelled in Slack", "reason", oneWord(reason))
		a.page(w, http.StatusOK, pageData{Title: "Installation cancelled",
			Paragraphs: []string{"stretchbot was not installed. You can start again whenever you like."}, Link: a.installLink("Add stretchbot to Slack")})
		return
	}
	switch err := a.checkState(r, q.Get("state"), a.now()); {
	case errors.Is(err, errStateUnchecked):
		a.log.Error("slack: install refused", "reason", err.Error())
		a.page(w, http.StatusServiceUnavailable, pageData{Title: "stretchbot was not installed",
			Paragraphs: []string{"Something went wrong on our side. Nothing was installed; please try again in a moment."},
			Link:       a.installLink("Start the installation again")})
		return
	case err != nil:
		a.log.Warn("slack: install refused", "reason", err.Error())
		a.page(w, http.StatusForbidden, pageData{Title: "This install link cannot be used",
			Paragraphs: []string{"It has expired, was already used, or was opened in a different browser from the one that started the installation. Nothing was installed.",
				"Please start again from the beginning, in one browser."},
			Link: a.installLink("Start the installation again")})
		return
	}
	code := q.Get("code")
	if code == "" {
		a.page(w, http.StatusBadRequest, failedPage("Slack sent no authorization code. Nothing was installed."))
		return
	}
	ctx := r.Context()
	resp, err := slack.GetOAuthV2ResponseContext(ctx, a.http, a.cfg.ClientID, a.cfg.ClientSecret, code, a.redirectURI(), slack.OAuthOptionAPIURL(a.cfg.APIURL))
	if err != nil {
		a.log.Error("slack: oauth.v2.access failed", "err", err)
		a.page(w, http.StatusBadGateway, failedPage("Slack did not confirm the installation ("+oneWord(slackError(err))+"). Nothing was installed."))
		return
	}
	in, token, err := installationOf(resp, a.now())
	if err != nil {
		a.log.Error("slack: unusable oauth.v2.access answer", "err", err)
		a.page(w, http.StatusBadGateway, failedPage("Slack's answer had no bot token. Nothing was installed."))
		return
	}
	if err := a.install(ctx, in, token); err != nil {
		a.log.Error("slack: saving an installation failed", "team", in.Tenant, "err", err)
		a.page(w, http.StatusInternalServerError, failedPage("The installation could not be saved. Please try again."))
		return
	}
	a.log.Info("slack: installed", "team", in.Tenant, "enterprise", in.Enterprise, "org_wide", in.OrgWide)
	where := in.TeamName
	if where == "" {
		where = "your workspace"
	}
	a.page(w, http.StatusOK, pageData{Title: "stretchbot is installed",
		Paragraphs: []string{"stretchbot is now part of " + where + ".",
			"To start, type " + a.cfg.Command + " help in any channel, or " + a.cfg.Command + " break for a stretch break right now. Your own page with your reminders is under Apps → stretchbot → Home."},
		Link: &link{URL: "https://slack.com/app_redirect?" + url.Values{"app": {resp.AppID}, "team": {resp.Team.ID}}.Encode(), Text: "Open Slack"}})
}

// installationOf reads the installation from an oauth.v2.access answer.
func installationOf(resp *slack.OAuthV2Response, now time.Time) (bot.Installation, string, error) {
	if resp.TokenType != "bot" || !strings.HasPrefix(resp.AccessToken, "xoxb-") {
		return bot.Installation{}, "", fmt.Errorf("token type %q is not a bot token", resp.TokenType)
	}
	in := bot.Installation{
		Platform: bot.Slack, Tenant: bot.TenantID(resp.Team.ID), Enterprise: resp.Enterprise.ID, TeamName: resp.Team.Name,
		BotUserID: resp.BotUserID, Scopes: resp.Scope, Installer: bot.UserID(resp.AuthedUser.ID), InstalledAt: now,
	}
	if resp.IsEnterpriseInstall {
		in.Tenant, in.OrgWide, in.TeamName = bot.TenantID(resp.Enterprise.ID), true, resp.Enterprise.Name
	}
	if in.Tenant == "" {
		return bot.Installation{}, "", errors.New("no team or enterprise id")
	}
	return in, resp.AccessToken, nil
}

// install keeps in with token sealed, replacing an earlier installation,
// and resumes the workspace's reminders an uninstall paused. An
// organisation's workspaces copied its old token; they are dropped and
// copy the new one on first use.
func (a *Adapter) install(ctx context.Context, in bot.Installation, token string) error {
	if err := a.installs.seal(&in, token); err != nil {
		return err
	}
	if err := a.installs.store.SaveInstallation(ctx, in); err != nil {
		return err
	}
	now := a.now()
	a.installs.forget(in.Tenant, now)
	if in.OrgWide {
		copies, err := a.orgCopies(ctx, in.Enterprise)
		if err != nil {
			return err
		}
		for _, c := range copies {
			if err := a.installs.store.DeleteInstallation(ctx, bot.Slack, c.Tenant); err != nil {
				return err
			}
			a.installs.forget(c.Tenant, now)
		}
	}
	a.installed(ctx, in.Tenant)
	return nil
}

// orgCopies are the workspaces holding a copy of an organisation's token.
func (a *Adapter) orgCopies(ctx context.Context, enterprise string) ([]bot.Installation, error) {
	all, err := a.installs.store.Installations(ctx, bot.Slack)
	if err != nil {
		return nil, err
	}
	var out []bot.Installation
	for _, in := range all {
		if in.OrgWide && in.Enterprise == enterprise && string(in.Tenant) != enterprise {
			out = append(out, in)
		}
	}
	return out, nil
}

// uninstalled handles app_uninstalled and tokens_revoked: the workspace's
// token (an organisation's, and its copies) is deleted and its reminders
// paused until the app is installed again. An installation newer than
// the event (a reinstall that revoked the old token) is kept. With only a
// configured token there is nothing stored to delete.
func (a *Adapter) uninstalled(ctx context.Context, route string, env eventEnvelope, h bot.Handler) {
	if env.Event.Type == "tokens_revoked" && len(env.Event.Tokens.Bot) == 0 {
		return // only user tokens, which the bot never holds
	}
	a.logRequest(ctx, route+" "+env.Event.Type, env.team(), "", "")
	if a.installs == nil {
		a.log.Warn("slack: the app was removed from the workspace of STRETCHBOT_SLACK_BOT_TOKEN; deliveries will fail until it is reinstalled and the token updated", "team", env.team(), "event", env.Event.Type)
		return
	}
	tenants := []bot.TenantID{env.team()}
	if env.orgWide() {
		enterprise := env.EnterpriseID
		if enterprise == "" {
			enterprise = env.Authorizations[0].EnterpriseID
		}
		copies, err := a.orgCopies(ctx, enterprise)
		if err != nil {
			a.log.Error("slack: uninstall: listing installations failed", "err", err)
			return
		}
		tenants = []bot.TenantID{bot.TenantID(enterprise)}
		for _, c := range copies {
			tenants = append(tenants, c.Tenant)
		}
	}
	at := time.Unix(env.EventTime, 0)
	l, _ := h.(bot.InstallListener)
	for _, t := range tenants {
		in, err := a.installs.store.Installation(ctx, bot.Slack, t)
		if err == nil && env.EventTime > 0 && in.InstalledAt.After(at) {
			a.log.Info("slack: keeping an installation newer than its revocation", "team", t, "event", env.Event.Type)
			continue
		}
		if err := a.installs.store.DeleteInstallation(ctx, bot.Slack, t); err != nil {
			a.log.Error("slack: uninstall: deleting the token failed", "team", t, "err", err)
			continue
		}
		a.installs.forget(t, a.now())
		if l != nil {
			if err := l.Uninstalled(ctx, bot.Slack, t); err != nil {
				a.log.Error("slack: uninstall: pausing the workspace's reminders failed", "team", t, "err", err)
			}
		}
		a.log.Info("slack: uninstalled; token deleted and reminders paused", "team", t, "event", env.Event.Type)
	}
}

// Reseal re-encrypts every stored Slack token with box's current key, so
// the previous key can be retired (`stretchbot rotate-key`). It returns
// how many it re-encrypted; tokens already under the current key are left
// alone. A token that cannot be opened is reported and the rest carry on.
func Reseal(ctx context.Context, st InstallStore, box *secretbox.Box) (int, error) {
	all, err := st.Installations(ctx, bot.Slack)
	if err != nil {
		return 0, fmt.Errorf("slack: reseal: %w", err)
	}
	is := installs{store: st, box: box}
	n := 0
	var errs []error
	for _, in := range all {
		if kid, err := secretbox.SealedWith(in.SealedToken); err == nil && kid == box.KeyID() {
			continue
		}
		token, err := box.Open(in.SealedToken, tokenContext(in.Tenant))
		if err != nil {
			kid, _ := secretbox.SealedWith(in.SealedToken)
			errs = append(errs, fmt.Errorf("slack: reseal %s (sealed with key %q): %w", in.Tenant, kid, err))
			continue
		}
		if err := is.seal(&in, token); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := st.SaveInstallation(ctx, in); err != nil {
			errs = append(errs, fmt.Errorf("slack: reseal %s: %w", in.Tenant, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// slackError is Slack's error code in err, or a generic word.
func slackError(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	return "no answer"
}

// oneWord keeps an outside error code short and harmless for logs and
// pages.
func oneWord(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(s) > 40 {
		s = s[:40]
	}
	return s
}

// pageData is one small HTML page for a person in a browser.
type pageData struct {
	Title      string
	Paragraphs []string
	Link       *link
}

type link struct{ URL, Text string }

func failedPage(why string) pageData {
	return pageData{Title: "stretchbot was not installed", Paragraphs: []string{why}}
}

// installLink points back at the start of the install.
func (a *Adapter) installLink(text string) *link {
	return &link{URL: a.cfg.PublicURL + "/slack/install", Text: text}
}

// pageTemplate escapes everything it is given.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · stretchbot</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1d1c1d}h1{font-size:1.4em}</style>
</head><body><h1>{{.Title}}</h1>
{{range .Paragraphs}}<p>{{.}}</p>
{{end}}{{with .Link}}<p><a href="{{.URL}}">{{.Text}}</a></p>
{{end}}</body></html>
`))

// page writes p with headers that keep it out of caches and frames and
// keep the callback's code out of Referer headers.
func (a *Adapter) page(w http.ResponseWriter, status int, p pageData) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	w.WriteHeader(status)
	if err := pageTemplate.Execute(w, p); err != nil {
		a.log.Warn("slack: writing a page failed", "err", err)
	}
}
