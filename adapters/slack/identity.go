package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/cache"
	"github.com/stretchbot/stretchbot/bot"
)

const (
	// userTTL is how long users.info answers are trusted; admin status and
	// zones change rarely.
	userTTL = time.Hour
	// userFailTTL stops a failing users.info from being asked on every
	// command.
	userFailTTL = time.Minute
	// userLookupTimeout bounds a users.info a command waits for. It is
	// well beyond the slash command's budget on purpose: a command whose
	// work outlasts that budget is answered through response_url, a moment
	// later, while a command answered without the profile's zone would set
	// a new user's reminders in the bot's default zone.
	userLookupTimeout = 5 * time.Second
	// maxUsers bounds the cache.
	maxUsers = 50000
)

// userInfo is what the adapter learns about a user from users.info.
type userInfo struct {
	zone  string
	admin bool
	name  string
}

// identity knows who the bot is in single-token mode and caches
// users.info per (team, user) in every mode.
type identity struct {
	// api is the configured bot token's client, for auth.test; nil in
	// OAuth-only mode, where each installation names its bot user.
	api webAPI
	now func() time.Time
	log *slog.Logger
	// limit runs a look-up of method in team under the rate limits; nil
	// calls at once.
	limit func(ctx context.Context, team, method string, fn func(context.Context) error) error

	mu    sync.Mutex
	bot   string
	users *cache.Cache[userInfo]
}

func newIdentity(botID string, now func() time.Time, log *slog.Logger) *identity {
	return &identity{bot: botID, now: now, log: log, users: cache.New[userInfo](maxUsers)}
}

// botID returns the bot's user id, asking auth.test once when it was not
// configured.
func (id *identity) botID(ctx context.Context) (string, error) {
	id.mu.Lock()
	b := id.bot
	id.mu.Unlock()
	if b != "" {
		return b, nil
	}
	res, err := id.api.AuthTestContext(ctx)
	if err != nil {
		return "", fmt.Errorf("slack: auth.test: %w", err)
	}
	id.mu.Lock()
	defer id.mu.Unlock()
	id.bot = res.UserID
	return id.bot, nil
}

// knownBotID returns the bot id if known, learning it if possible; failures
// are logged and give "" (messages are then filtered by bot_id only).
func (id *identity) knownBotID(ctx context.Context) string {
	if id.api == nil {
		return id.bot
	}
	b, err := id.botID(ctx)
	if err != nil {
		id.log.Warn("slack: cannot learn the bot user id", "err", err)
	}
	return b
}

// enrich fills in Admin, ZoneHint and a missing UserName from users.info,
// asked with api (the user's workspace's client; nil when there is none).
// A failure only leaves them empty: it must never block a command.
func (id *identity) enrich(ctx context.Context, api webAPI, m *bot.Message) {
	if m.User == "" || api == nil {
		return
	}
	key := string(m.Tenant) + "/" + string(m.User)
	now := id.now()
	u, ok := id.users.Get(key, now)
	if !ok {
		var ttl time.Duration
		u, ttl = id.lookup(ctx, api, string(m.Tenant), string(m.User))
		if ttl > 0 {
			id.users.Put(key, u, ttl, now)
		}
	}
	m.Admin = u.admin
	m.ZoneHint = u.zone
	m.ZoneUnread = u.zone == ""
	if m.UserName == "" {
		m.UserName = u.name
	}
}

// enrichCached is enrich from memory alone: false, with m unchanged, when
// the user's profile would have to be asked for.
func (id *identity) enrichCached(api webAPI, m *bot.Message) bool {
	if m.User == "" || api == nil {
		return true // enrich adds nothing
	}
	u, ok := id.users.Get(string(m.Tenant)+"/"+string(m.User), id.now())
	if !ok {
		return false
	}
	m.Admin = u.admin
	m.ZoneHint = u.zone
	m.ZoneUnread = u.zone == ""
	if m.UserName == "" {
		m.UserName = u.name
	}
	return true
}

// lookup asks users.info in team with api and says how long to trust the
// answer: 0 when the rate limit asked to wait and nothing was asked.
func (id *identity) lookup(ctx context.Context, api webAPI, team, user string) (userInfo, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, userLookupTimeout)
	defer cancel()
	var u *slack.User
	get := func(ctx context.Context) error {
		var err error
		u, err = api.GetUserInfoContext(ctx, user)
		return err
	}
	var err error
	if id.limit != nil {
		err = id.limit(ctx, team, "users.info", get)
	} else {
		err = get(ctx)
	}
	if errors.Is(err, errThrottled) {
		return userInfo{}, 0
	}
	if err != nil {
		id.log.Warn("slack: users.info failed; continuing without zone and admin hints", "user", user, "err", err)
		return userInfo{}, userFailTTL
	}
	return userInfo{zone: u.TZ, admin: u.IsAdmin || u.IsOwner, name: u.Name}, userTTL
}

// botUserID is the bot's user id in ws's workspace: the installation's,
// or, for the configured token, the configured or learned one.
func (a *Adapter) botUserID(ctx context.Context, ws *workspace) string {
	if ws.botID != "" || ws.api == nil || ws.api != a.api {
		return ws.botID
	}
	return a.ids.knownBotID(ctx)
}
