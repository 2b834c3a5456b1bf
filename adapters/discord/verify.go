package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// channelCacheTTL is how long a channel's guild is trusted; a channel
	// never moves between guilds, but the bot can lose or gain access.
	channelCacheTTL = 5 * time.Minute
	// channelCacheMax bounds the cache.
	channelCacheMax = 4096
	verifyExample   = "schedule every weekday at 10:30"
)

var _ bot.ChannelVerifier = (*Adapter)(nil)

// errChannelNotVisible is the one answer for unknown channels, channels the
// bot cannot see and channels in another guild, so nothing about other
// servers leaks.
var errChannelNotVisible = &bot.Error{
	Code:    bot.ENOTFOUND,
	Message: "I can't see that channel from here. Invite me to it, or pick it with the channel option.",
	Example: verifyExample,
}

// channelInfo is a cached answer of GET /channels/{id}: the channel's guild,
// or visible=false when Discord said it is unknown or not ours to see.
type channelInfo struct {
	guild   string
	visible bool
}

// isSnowflake reports whether s can be a Discord id: decimal digits that
// fit in 64 bits.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	_, err := strconv.ParseUint(s, 10, 64)
	return err == nil
}

// VerifyChannel implements bot.ChannelVerifier: channel must be a snowflake
// (free text like "general" cannot be posted to), visible to the bot and in
// the tenant's guild. In a DM the tenant is the user's id, which no guild
// channel matches, so every other channel is refused. Unknown, hidden and
// foreign channels get the same *bot.Error; network and 5xx failures are
// plain errors.
func (a *Adapter) VerifyChannel(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID) error {
	id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(string(channel)), "<#"), ">")
	if !isSnowflake(id) {
		return bot.Invalid(verifyExample,
			"I can't post to a channel given by its name. Pick it with the channel option, or type # and choose it from the list so Discord inserts a mention.")
	}
	if a.cfg.Token == "" {
		return errors.New("discord: verify channel: no bot token is configured")
	}
	now := a.now()
	ci, ok := a.channels.Get(id, now)
	if !ok {
		var ch struct {
			GuildID string `json:"guild_id"`
		}
		err := a.rest.do(ctx, http.MethodGet, "/api/v10/channels/"+id, nil, &ch, true)
		var ae *apiError
		switch {
		case err == nil:
			ci = channelInfo{guild: ch.GuildID, visible: true}
		case errors.As(err, &ae) && (ae.Status == http.StatusNotFound || ae.Status == http.StatusForbidden ||
			ae.Code == 10003 || ae.Code == 50001):
			ci = channelInfo{visible: false}
		default:
			return fmt.Errorf("discord: verify channel %s: %w", id, err)
		}
		a.channels.Put(id, ci, channelCacheTTL, now)
	}
	if !ci.visible || ci.guild == "" || ci.guild != string(tenant) {
		return errChannelNotVisible
	}
	return nil
}
