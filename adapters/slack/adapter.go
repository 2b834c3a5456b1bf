package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/adapters/internal/cache"
	"github.com/stretchbot/stretchbot/adapters/internal/options"
	"github.com/stretchbot/stretchbot/adapters/internal/ratelimit"
	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/adapters/internal/seen"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/secretbox"
)

// DefaultAPIURL is the Slack Web API base used when Config.APIURL is empty.
const DefaultAPIURL = "https://slack.com/api/"

// DefaultCommand is the slash command used when Config.Command is empty.
const DefaultCommand = "/stretch"

// DefaultOAuthURL is Slack's authorize page, used when Config.OAuthURL is
// empty.
const DefaultOAuthURL = "https://slack.com/oauth/v2/authorize"

// Config holds the Slack settings, mapped by cmd/stretchbot from the
// STRETCHBOT_SLACK_* environment variables.
type Config struct {
	// SigningSecret verifies HTTP requests from Slack; it enables the
	// /slack/* routes.
	SigningSecret string
	// BotToken (xoxb-…) authenticates every Web API call in single-token
	// mode. With OAuth each workspace's own token is used instead, and
	// BotToken, if set too, serves the workspace it belongs to.
	BotToken string
	// AppToken (xapp-…) enables Socket Mode, so no public URL is needed.
	AppToken string
	// APIURL is the Web API base, with or without a trailing slash.
	APIURL string
	// Command is the slash command name, "/stretch" by default.
	Command string
	// PublicURL is the externally reachable base URL of the HTTP server,
	// used only by Manifest (https://bot.example.com).
	PublicURL string
	// BotUserID is the bot's own user id; when empty it is learned with
	// auth.test on first use.
	BotUserID string
	// ClientID and ClientSecret enable the OAuth install (GET
	// /slack/install) for any number of workspaces; tokens are kept with
	// WithInstalls.
	ClientID     string
	ClientSecret string
	// OAuthURL is the authorize page (DefaultOAuthURL; tests use a fake).
	OAuthURL string
}

// oauth reports whether the OAuth install is configured.
func (c Config) oauth() bool { return c.ClientID != "" }

// withDefaults fills in defaults and normalises the API URL.
func (c Config) withDefaults() Config {
	if c.APIURL == "" {
		c.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(c.APIURL, "/") {
		// slack.OptionAPIURL concatenates method names directly.
		c.APIURL += "/"
	}
	if c.Command == "" {
		c.Command = DefaultCommand
	}
	if !strings.HasPrefix(c.Command, "/") {
		c.Command = "/" + c.Command
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.OAuthURL == "" {
		c.OAuthURL = DefaultOAuthURL
	}
	return c
}

// validate reports every problem with the configuration at once.
func (c Config) validate() error {
	var errs []error
	if c.BotToken == "" && !c.oauth() {
		errs = append(errs, errors.New("slack: STRETCHBOT_SLACK_BOT_TOKEN is required to post messages (or STRETCHBOT_SLACK_CLIENT_ID and _CLIENT_SECRET to install per workspace)"))
	}
	if c.oauth() && c.ClientSecret == "" {
		errs = append(errs, errors.New("slack: STRETCHBOT_SLACK_CLIENT_SECRET is required with STRETCHBOT_SLACK_CLIENT_ID"))
	}
	if u, err := url.Parse(c.OAuthURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("slack: STRETCHBOT_SLACK_OAUTH_URL %q is not an http(s) URL", c.OAuthURL))
	}
	if c.SigningSecret == "" && c.AppToken == "" {
		errs = append(errs, errors.New("slack: set STRETCHBOT_SLACK_SIGNING_SECRET (HTTP mode) or STRETCHBOT_SLACK_APP_TOKEN (Socket Mode)"))
	}
	if u, err := url.Parse(c.APIURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("slack: STRETCHBOT_SLACK_API_URL %q is not an http(s) URL", c.APIURL))
	}
	if strings.ContainsAny(c.Command, " \t\n") || len(c.Command) < 2 {
		errs = append(errs, fmt.Errorf("slack: STRETCHBOT_SLACK_COMMAND %q is not a slash command name", c.Command))
	}
	return errors.Join(errs...)
}

// webAPI is the part of *slack.Client the adapter uses; tests point a real
// client at a fake server, but the narrow interface keeps the surface small.
type webAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	UpdateMessageContext(ctx context.Context, channelID, timestamp string, options ...slack.MsgOption) (string, string, string, error)
	OpenConversationContext(ctx context.Context, params *slack.OpenConversationParameters) (*slack.Channel, bool, bool, error)
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
	GetConversationInfoContext(ctx context.Context, input *slack.GetConversationInfoInput) (*slack.Channel, error)
	GetConversationHistoryContext(ctx context.Context, params *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
	GetDNDInfoContext(ctx context.Context, user *string, options ...slack.ParamOption) (*slack.DNDStatus, error)
	UploadFileContext(ctx context.Context, params slack.UploadFileParameters) (*slack.FileSummary, error)
}

// Adapter connects stretchbot to Slack over the Events API (HTTP) and/or
// Socket Mode, and delivers reminders with chat.postMessage: to the one
// workspace of the configured bot token, or, with OAuth, to every
// workspace that installed the app, each with its own token.
type Adapter struct {
	cfg    Config
	client *slack.Client // nil when built by newAdapter with a fake
	api    webAPI        // the configured bot token's; nil in OAuth-only mode
	http   *http.Client
	log    *slog.Logger
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error

	// installs holds the OAuth workspaces' tokens; nil in single-token
	// mode.
	installs *installs
	// h is the core, kept from Mount or Run for work the adapter starts
	// itself (refreshing a home page).
	h atomic.Pointer[bot.Handler]
	// oauthStates are install states already used: each works once, on
	// every instance sharing the seen store.
	oauthStates *seen.Guard
	// homes remembers whose home page was shown, so only those are
	// refreshed.
	homes *cache.Cache[bool]
	// stopped is set once Run is ending: no new background work starts.
	// stopMu orders setting it before wg.Wait against a check followed by
	// wg.Add, so no work is added while Run is waiting for the rest.
	stopped atomic.Bool
	stopMu  sync.Mutex

	// work runs request work in the background: a slash command answers
	// in the response within its budget, else through response_url.
	work respond.Worker
	// retries bounds the retries of one command answer's Web API call.
	retries backoff.Budget
	// limits holds Slack's rate limits per workspace, method and channel.
	limits *ratelimit.Limiter
	// posts tells a workspace's posting limit from one channel's 429s.
	posts *ratelimit.Spread

	ids    *identity
	events *seen.Guard // event ids already handled (Slack retries)
	// replays remembers verified signatures of commands and interactions.
	replays *seen.Guard
	// rendered holds the encoded slash command answers of Fixed replies.
	rendered respond.Rendered
	// lookups holds the team/reason pairs of failed look-ups for an
	// earlier post that were logged at Info (see findDelivery).
	lookups sync.Map
	// dms remembers DM channel ids by team/user: opened, posted to, or
	// told by an event from the DM.
	dms *cache.Cache[string]
	// walks holds unfinished look-ups for an earlier post (see walk).
	walks *cache.Cache[walk]
	// channels caches VerifyChannel answers.
	channels *cache.Cache[error]
	// dnd caches people's do-not-disturb windows (InDND).
	dnd *cache.Cache[dndState]
	// socketAnswers keeps the slash command answers acked over Socket
	// Mode by envelope id, for Slack's retry of an envelope whose ack was
	// lost.
	socketAnswers *cache.Cache[any]

	// wg tracks work done after an HTTP request was acknowledged, so tests
	// (and a graceful shutdown) can wait for it.
	wg sync.WaitGroup
}

var (
	_ bot.Adapter     = (*Adapter)(nil)
	_ bot.HTTPMounter = (*Adapter)(nil)
)

// Option configures an Adapter. A nil argument to any With* option keeps
// its default, as if the option were not given.
type Option func(*settings) error

// settings is what the options set; New builds the adapter from it.
type settings struct {
	options.Common
	installStore InstallStore
	box          *secretbox.Box
}

// common makes a shared option one of this adapter's.
func common(o options.Option) Option {
	return func(s *settings) error { o(&s.Common); return nil }
}

// WithNow sets the clock used for signature windows, caches and pacing
// (default time.Now).
func WithNow(now func() time.Time) Option { return common(options.Now(now)) }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return common(options.Logger(l)) }

// WithHTTPClient sets the HTTP client for Web API and response_url calls
// (default: one that gives up after 15 seconds).
func WithHTTPClient(c *http.Client) Option { return common(options.HTTPClient(c)) }

// WithInstalls keeps the workspaces' installations in st, their bot tokens
// sealed with box. The OAuth install (Config.ClientID) needs it.
func WithInstalls(st InstallStore, box *secretbox.Box) Option {
	return func(s *settings) error {
		if st == nil || box == nil {
			return errors.New("slack: installations need a store and STRETCHBOT_SECRET_KEY")
		}
		s.installStore, s.box = st, box
		return nil
	}
}

// SeenStore remembers request signatures and event ids in the database
// every instance shares; every stretchbot store implements it.
type SeenStore = seen.Store

// WithSeenStore makes the replay and duplicate-event checks span every
// instance sharing st (default: this process only). While st cannot
// answer, requests are refused with 503 rather than risk running twice.
func WithSeenStore(st SeenStore) Option { return common(options.Seen(st)) }

// New validates cfg and builds an adapter. It does no network I/O.
func New(cfg Config, opts ...Option) (*Adapter, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	a := &Adapter{cfg: cfg}
	if err := a.init(opts); err != nil {
		return nil, err
	}
	slackOpts := []slack.Option{slack.OptionAPIURL(cfg.APIURL), slack.OptionHTTPClient(a.http)}
	if cfg.AppToken != "" {
		slackOpts = append(slackOpts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	// Socket Mode needs the client for the app token even without a bot
	// token.
	a.client = slack.New(cfg.BotToken, slackOpts...)
	if cfg.BotToken != "" {
		a.api = a.client
		a.ids.api = a.api
	}
	return a, nil
}

func (a *Adapter) init(opts []Option) error {
	s := settings{Common: options.Defaults(15 * time.Second)}
	if err := options.Apply(&s, opts); err != nil {
		return err
	}
	if s.installStore != nil {
		a.installs = &installs{store: s.installStore, box: s.box, clients: cache.New[*workspace](maxWorkspaces)}
	} else if a.cfg.oauth() {
		return errors.New("slack: the OAuth install needs a store for tokens and STRETCHBOT_SECRET_KEY")
	}
	a.http, a.log, a.now = s.HTTPClient, s.Logger, s.Now
	a.sleep = backoff.Sleep
	// Slack allows 3 s for a slash command's answer; keep some for the
	// network.
	a.work = respond.Worker{Name: "slack", Log: a.log, Budget: 2500 * time.Millisecond, Limit: workTimeout, WG: &a.wg}
	a.retries = backoff.Budget{Attempts: answerAttempts, MaxWait: answerMaxWait, Policy: backoff.Request}
	a.limits = ratelimit.New()
	a.posts = newPostSpread()
	a.ids = newIdentity(a.cfg.BotUserID, func() time.Time { return a.now() }, a.log)
	a.ids.limit = func(ctx context.Context, team, method string, fn func(context.Context) error) error {
		return a.call(ctx, lookupPolicy, team, method, "", fn)
	}
	a.events = seen.NewGuard(10*time.Minute, 10000, s.Seen)
	// This process remembers the latest signatures only: the seen store
	// remembers them all for the window, and a Fixed answer, checked here
	// alone, is harmless to replay. A hundred thousand had cost some
	// 10 MB under load.
	a.replays = seen.NewGuard(2*signatureWindow, maxLocalSignatures, s.Seen)
	a.channels = cache.New[error](maxChannels)
	a.dms = cache.New[string](maxUsers)
	a.walks = cache.New[walk](maxUsers)
	a.dnd = newDNDCache()
	a.socketAnswers = cache.New[any](maxSocketAnswers)
	a.oauthStates = seen.NewGuard(stateTTL, 100000, s.Seen)
	a.homes = cache.New[bool](maxHomes)
	return nil
}

// handler returns the core as Mount or Run received it (nil before).
// stop refuses new background work started through goBackground and
// waits for the work in flight.
func (a *Adapter) stop() {
	a.stopMu.Lock()
	a.stopped.Store(true)
	a.stopMu.Unlock()
	a.wg.Wait()
}

// goBackground runs f like a.work.Go unless Run has ended, when f would
// outlive what it uses.
func (a *Adapter) goBackground(ctx context.Context, f func(ctx context.Context)) {
	a.stopMu.Lock()
	defer a.stopMu.Unlock()
	if a.stopped.Load() {
		return
	}
	a.work.Go(ctx, f)
}

func (a *Adapter) handler() bot.Handler {
	if h := a.h.Load(); h != nil {
		return *h
	}
	return nil
}

// Platform reports bot.Slack.
func (a *Adapter) Platform() bot.Platform { return bot.Slack }

// Mount registers POST /slack/commands, /slack/interactions and
// /slack/events. Without a signing secret nothing is mounted: requests could
// not be verified.
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	a.h.Store(&h)
	if a.cfg.oauth() {
		// Browsers, not Slack, call these: no signature to check.
		mux.HandleFunc("GET /slack/install", a.serveInstall)
		mux.HandleFunc("GET /slack/oauth/callback", a.serveCallback)
	}
	if a.cfg.SigningSecret == "" {
		// Configuration requires an app token then: Socket Mode brings
		// the commands, events and buttons, and needs no routes.
		a.log.Info("slack: commands, events and buttons come over Socket Mode; the /slack/ routes need STRETCHBOT_SLACK_SIGNING_SECRET")
		return
	}
	// Slack never resends a slash command or a button press, so the same
	// signed request twice is a replay: refused even inside the window.
	// serveCommand checks for replays itself: a Fixed answer needs only
	// this process's memory of signatures.
	mux.Handle("POST /slack/commands", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.serveCommand(w, r, body, h)
	}))
	mux.Handle("POST /slack/interactions", a.verified(a.once(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.serveInteraction(w, r, body, h)
	})))
	mux.Handle("POST /slack/events", a.verified(func(w http.ResponseWriter, r *http.Request, body []byte) {
		a.serveEvent(w, r, body, h)
	}))
}

// Run holds the Socket Mode connection when an app token is configured,
// reconnecting with backoff until ctx is done. Without one it waits for ctx.
// It returns an error only when Slack rejects the app token.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	a.h.Store(&h)
	if a.cfg.AppToken == "" || a.client == nil {
		<-ctx.Done()
		a.stop()
		return nil
	}
	// Learn the bot's id up front so its own messages are recognised.
	if a.api != nil {
		if _, err := a.ids.botID(ctx); err != nil {
			a.log.Warn("slack: auth.test failed; will retry on first event", "err", err)
		}
	}
	err := a.runSocketMode(ctx, h)
	a.stop()
	return err
}
