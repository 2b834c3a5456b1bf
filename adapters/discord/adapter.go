package discord

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/adapters/internal/cache"
	"github.com/stretchbot/stretchbot/adapters/internal/options"
	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/adapters/internal/seen"
	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
)

// DefaultAPIURL is the origin of Discord's REST API.
const DefaultAPIURL = "https://discord.com"

// Config holds the Discord settings; cmd/stretchbot maps them from the
// STRETCHBOT_DISCORD_* environment variables.
type Config struct {
	// PublicKey is the application's hex Ed25519 public key; it enables
	// POST /discord/interactions.
	PublicKey string
	// Token is the bot token (without the "Bot " prefix), used for REST and
	// the gateway.
	Token string
	// AppID is the application id (command registration).
	AppID string
	// APIURL is the origin for every REST call, path kept
	// (https://discord.com by default; tests use a local fake).
	APIURL string
	// Gateway connects to the gateway when Token is set. The caller sets the
	// default (true when Token is set).
	Gateway bool
	// GuildID, when set, registers commands to that guild only (instant
	// updates, for testing) instead of globally.
	GuildID string
}

// Option customises an Adapter. A nil argument to any With* option keeps
// its default, as if the option were not given.
type Option func(*settings) error

// settings is what the options set; New builds the adapter from it.
type settings struct {
	options.Common
	sleep func(context.Context, time.Duration) error
}

// common makes a shared option one of this adapter's.
func common(o options.Option) Option {
	return func(s *settings) error { o(&s.Common); return nil }
}

// WithNow sets the clock used for the signature window and pacing
// (default time.Now).
func WithNow(now func() time.Time) Option { return common(options.Now(now)) }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return common(options.Logger(l)) }

// WithHTTPClient sets the HTTP client for REST calls (default: one that
// gives up after 30 seconds); its transport is wrapped so that every
// request goes to Config.APIURL.
func WithHTTPClient(c *http.Client) Option { return common(options.HTTPClient(c)) }

// SeenStore remembers interaction signatures in the database every
// instance shares; every stretchbot store implements it.
type SeenStore = seen.Store

// WithSeenStore makes the replay check span every instance sharing st
// (default: this process only). While st cannot answer, interactions are
// refused with 503 rather than risk running twice.
func WithSeenStore(st SeenStore) Option { return common(options.Seen(st)) }

// withSleep replaces the ctx-aware sleep used for Retry-After, backoff and
// pacing (tests make it instant).
func withSleep(f func(context.Context, time.Duration) error) Option {
	return func(s *settings) error {
		if f != nil {
			s.sleep = f
		}
		return nil
	}
}

// session is the part of *discordgo.Session the adapter uses.
type session interface {
	AddHandler(handler interface{}) func()
	Open() error
	Close() error
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionRespond(interaction *discordgo.Interaction, resp *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
}

// Adapter is the Discord platform adapter: HTTP interactions, the gateway
// and REST deliveries.
type Adapter struct {
	cfg       Config
	publicKey ed25519.PublicKey // nil: interactions route disabled
	// replays remembers verified interaction signatures: Discord never
	// sends the same signed interaction twice.
	replays *seen.Guard
	// dispatches remembers the gateway's messages and interactions
	// handled: every instance connected with the token gets each one.
	dispatches *seen.Guard
	// rendered holds the encoded responses of Fixed replies.
	rendered   respond.Rendered
	log        *slog.Logger
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error
	httpClient *http.Client
	rest       *rest
	sess       session            // nil without Token
	dsess      *discordgo.Session // the same session, for state look-ups
	// work runs interaction work in the background: an interaction is
	// answered in the response within its budget, else deferred.
	work     respond.Worker
	channels *cache.Cache[channelInfo] // VerifyChannel look-ups
	// walks holds the places of unfinished look-ups for an earlier post
	// (see walk).
	walks *cache.Cache[walk]

	mu     sync.Mutex
	selfID string

	wg sync.WaitGroup // background interaction work
}

var (
	_ bot.Adapter     = (*Adapter)(nil)
	_ bot.HTTPMounter = (*Adapter)(nil)
)

// New validates cfg and builds the adapter. It does no network I/O.
func New(cfg Config, opts ...Option) (*Adapter, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("discord: APIURL %q is not an http(s) URL", cfg.APIURL)
	}
	cfg.Token = strings.TrimPrefix(strings.TrimSpace(cfg.Token), "Bot ")
	if cfg.PublicKey == "" && cfg.Token == "" {
		return nil, errors.New("discord: set the public key (STRETCHBOT_DISCORD_PUBLIC_KEY) or the bot token (STRETCHBOT_DISCORD_TOKEN)")
	}
	s := settings{Common: options.Defaults(30 * time.Second), sleep: backoff.Sleep}
	if err := options.Apply(&s, opts); err != nil {
		return nil, err
	}
	a := &Adapter{
		cfg:        cfg,
		log:        s.Logger,
		now:        s.Now,
		sleep:      s.sleep,
		httpClient: s.HTTPClient,
		channels:   cache.New[channelInfo](channelCacheMax),
		walks:      cache.New[walk](walksMax),
	}
	// Discord wants the first response within 3 s; keep some for the
	// network. Its interaction token lasts interactionTTL.
	a.work = respond.Worker{Name: "discord", Log: a.log, Budget: 2 * time.Second, Limit: interactionTTL, WG: &a.wg}
	if cfg.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(cfg.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, errors.New("discord: the public key (STRETCHBOT_DISCORD_PUBLIC_KEY) must be 64 hex characters")
		}
		a.publicKey = ed25519.PublicKey(k)
		// The latest signatures only; see maxLocalSignatures.
		a.replays = seen.NewGuard(2*signatureWindow, maxLocalSignatures, s.Seen)
	}
	a.dispatches = seen.NewGuard(dispatchTTL, maxDispatches, s.Seen)
	client := *a.httpClient
	client.Transport = &rewriteTransport{base: u, next: a.httpClient.Transport}
	a.httpClient = &client
	a.rest = newREST(cfg.APIURL, cfg.Token, &client, a.now, a.sleep)
	if cfg.Token != "" {
		routeLibraryLog(a.log)
		s, err := discordgo.New("Bot " + cfg.Token)
		if err != nil {
			return nil, fmt.Errorf("discord: session: %w", err)
		}
		s.Client = &client
		// Guilds brings each server's channels and roles into the state
		// (GUILD_CREATE): a channel's name, a thread's parent and a
		// member's permissions are read there.
		s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent
		s.ShouldReconnectOnError = true
		// discordgo retries 429s forever with a plain sleep; keep replies
		// bounded (they are best effort) and let its bucket limiter pace.
		s.ShouldRetryOnRateLimit = false
		s.MaxRestRetries = 2
		s.State.TrackThreads = true
		a.sess, a.dsess = s, s
	}
	return a, nil
}

// Platform returns bot.Discord.
func (a *Adapter) Platform() bot.Platform { return bot.Discord }

func (a *Adapter) self() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.selfID
}

func (a *Adapter) setSelf(id string) {
	a.mu.Lock()
	a.selfID = id
	a.mu.Unlock()
}

// Send delivers o: to o.Channel, or by DM to o.User. It makes one try
// under Discord's rate limits and never waits more than a moment: a rate
// limit or a transient failure returns at once a *bot.DeliveryError whose
// RetryAfter says when to try again, for the scheduler to re-queue;
// permanent ones are marked so. A post that got no answer may have been
// taken, and is reported unsure.
//
// An attempt that may repeat an earlier one (o.Unsure) past nonceTrust
// first looks for that one's post (findDelivery), and posts nothing while
// it cannot (cannotLook).
func (a *Adapter) Send(ctx context.Context, o bot.Outgoing) (bot.Sent, error) {
	mayRepeat := o.Key != "" && o.Unsure
	if a.cfg.Token == "" {
		return bot.Sent{}, stillUnsure(&bot.DeliveryError{Reason: "no Discord bot token is configured", Err: errors.New("discord: send: no token")}, mayRepeat)
	}
	channel := string(o.Channel)
	if channel == "" {
		if o.User == "" {
			return bot.Sent{}, &bot.DeliveryError{Permanent: true, Reason: "the delivery has no channel or user", Err: errors.New("discord: send: no target")}
		}
		id, err := a.rest.dmChannel(ctx, deliverPolicy, string(o.User))
		if err != nil {
			return bot.Sent{}, stillUnsure(fmt.Errorf("discord: open DM: %w", deliveryError(err)), mayRepeat)
		}
		channel = id
	}
	m := render(o.Reply)
	if o.Key != "" {
		m.Nonce, m.EnforceNonce = nonceOf(o.Key), true
		mark := unsure.Digest(o.Key)
		plain := m
		how := markDelivery(&m, mark)
		if mayRepeat && (o.Due.IsZero() || a.now().Sub(o.Due) >= nonceTrust) {
			// Past the nonce's window: look for the earlier post, and
			// post nothing while it cannot be ruled out.
			sent, found, err := a.findDelivery(ctx, o, channel, isDelivery(plain, mark, how))
			if found {
				return sent, nil
			}
			if err != nil {
				return bot.Sent{}, a.cannotLook(o, channel, err)
			}
			mayRepeat = false // looked: the earlier attempt was not taken
		}
	}
	var pm postedMessage
	var err error
	if len(o.Reply.Files) > 0 {
		pm, err = a.rest.postFiles(ctx, deliverPolicy, channel, m, o.Reply.Files)
	} else {
		pm, err = a.rest.post(ctx, deliverPolicy, channel, m)
	}
	if err != nil {
		var ue *unansweredError
		return bot.Sent{}, stillUnsure(fmt.Errorf("discord: send: %w", deliveryError(err)), mayRepeat || errors.As(err, &ue))
	}
	at, perr := time.Parse(time.RFC3339, pm.Timestamp)
	if perr != nil {
		at = a.now()
	}
	return bot.Sent{ID: pm.ID, Channel: bot.ChannelID(pm.ChannelID), At: at}, nil
}

// stillUnsure marks a transient failure unsure when the post may have
// been taken: it went out unanswered, or an earlier attempt that may have
// been taken is still unverified (this attempt's refusal says nothing of
// that one, and the next must not post as if it did).
func stillUnsure(err error, unsure bool) error {
	var de *bot.DeliveryError
	if unsure && errors.As(err, &de) && !de.Permanent && !de.GiveUp {
		de.Unsure = true
	}
	return err
}

// nonceOf is the message nonce for a delivery's key: Discord takes up to
// 25 characters and, with enforce_nonce, answers a second post with the
// same nonce from the same bot within a few minutes with the first
// message. A retry whose first attempt reached Discord but whose answer
// was lost then creates no second message.
func nonceOf(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:12]) // 24 characters
}

// Register bulk-overwrites the application commands with the `stretch`
// command, globally or in cfg.GuildID.
func Register(ctx context.Context, cfg Config, opts ...Option) error {
	a, err := New(cfg, opts...)
	if err != nil {
		return err
	}
	return a.Register(ctx)
}

// Register bulk-overwrites the application commands (PUT
// /applications/{app}/commands, or the guild's when GuildID is set).
func (a *Adapter) Register(ctx context.Context) error {
	var missing []string
	if a.cfg.AppID == "" {
		missing = append(missing, "the application id (STRETCHBOT_DISCORD_APP_ID)")
	}
	if a.cfg.Token == "" {
		missing = append(missing, "the bot token (STRETCHBOT_DISCORD_TOKEN)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("discord: register: set %s", strings.Join(missing, " and "))
	}
	path := "/api/v10/applications/" + a.cfg.AppID + "/commands"
	if a.cfg.GuildID != "" {
		path = "/api/v10/applications/" + a.cfg.AppID + "/guilds/" + a.cfg.GuildID + "/commands"
	}
	if err := a.rest.do(ctx, http.MethodPut, path, Commands(), nil, true); err != nil {
		return fmt.Errorf("discord: register: %w", err)
	}
	return nil
}

// rewriteTransport sends every request to the configured origin, keeping
// the path: discordgo's endpoints are package globals pointing at
// discord.com, and it speaks API v9, which is moved to v10 like our own calls.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r2 := r.Clone(r.Context())
	r2.URL.Scheme = t.base.Scheme
	r2.URL.Host = t.base.Host
	if rest, ok := strings.CutPrefix(r2.URL.Path, "/api/v9/"); ok {
		r2.URL.Path = "/api/v10/" + rest
		r2.URL.RawPath = ""
	}
	// An APIURL with a path (a proxy prefix) is prepended once.
	if p := strings.TrimRight(t.base.Path, "/"); p != "" && !strings.HasPrefix(r2.URL.Path, p+"/") {
		r2.URL.Path = p + r2.URL.Path
		r2.URL.RawPath = ""
	}
	r2.Host = t.base.Host
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(r2)
}

// libraryLog is the logger of the latest adapter with a session: the
// Discord library's own messages (a gateway it cannot reach, a dropped
// connection) have one logger for the whole process.
var (
	libraryLog     atomic.Pointer[slog.Logger]
	libraryLogOnce sync.Once
)

// routeLibraryLog sends the Discord library's messages to log as records of
// their own, instead of bare lines on the standard logger, which break a
// JSON log. Its errors are ones the gateway retries, so they are warnings.
func routeLibraryLog(log *slog.Logger) {
	libraryLog.Store(log)
	libraryLogOnce.Do(func() {
		discordgo.Logger = func(level, _ int, format string, args ...any) {
			l := libraryLog.Load()
			if l == nil {
				return
			}
			lv := slog.LevelDebug
			if level <= discordgo.LogWarning {
				lv = slog.LevelWarn
			}
			l.Log(context.Background(), lv, "discord: library", "detail", fmt.Sprintf(format, args...))
		}
	})
}
