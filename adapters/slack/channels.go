package slack

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// channelOKTTL is how long a verified channel is trusted.
	channelOKTTL = 5 * time.Minute
	// channelBadTTL is short: the usual fix is to invite the bot and try
	// again at once.
	channelBadTTL = 15 * time.Second
	// channelLookupTimeout keeps conversations.info inside the slash
	// command's budget.
	channelLookupTimeout = 2 * time.Second
	// maxChannels bounds the cache.
	maxChannels = 10000
)

// conversationID is the shape of a Slack conversation id: public (C),
// private (G, or C on newer workspaces) and direct (D).
var conversationID = regexp.MustCompile(`^[CGD][A-Z0-9]{2,}$`)

// errChannelName answers a reference that is a name, not a Slack link. A
// fresh value each time: callers may wrap or annotate it.
func errChannelName() error {
	return bot.Invalid("schedule every weekday at 10:30 in #general",
		"I need a channel link, not a channel name. Type # and pick the channel from the list so Slack links it.")
}

// errChannelNotFound is the one answer for unknown, foreign and invisible
// channels, so nothing leaks about other workspaces.
func errChannelNotFound() error {
	return &bot.Error{
		Code:    bot.ENOTFOUND,
		Message: "I can't see that channel from here. Invite me to it first (/invite @stretchbot), then try again.",
		Example: "schedule every weekday at 10:30",
	}
}

var _ bot.ChannelVerifier = (*Adapter)(nil)

// VerifyChannel reports whether a team schedule may post to channel for
// tenant. A name rather than a conversation id is EINVALID (Slack only
// links a channel the user picked after typing #). An id is looked up with
// conversations.info: unknown, in another workspace, or private without
// the bot is ENOTFOUND, with one message for all three. A public channel is
// fine even when the bot is not a member: chat:write.public posts there.
// Slack failures are returned as plain errors; answers are cached briefly.
func (a *Adapter) VerifyChannel(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID) error {
	id := channelRefID(string(channel))
	if !conversationID.MatchString(id) {
		return errChannelName()
	}
	key := string(tenant) + "/" + id
	now := a.now()
	if err, found := a.channels.Get(key, now); found {
		if err != nil {
			return errChannelNotFound()
		}
		return nil
	}
	err := a.checkChannel(ctx, tenant, id)
	var be *bot.Error
	if err == nil || errors.As(err, &be) {
		// Refusals expire fast: the usual fix is to invite the bot.
		ttl := channelOKTTL
		if err != nil {
			ttl = channelBadTTL
		}
		a.channels.Put(key, err, ttl, now)
	}
	return err
}

// checkChannel asks Slack about the conversation id.
func (a *Adapter) checkChannel(ctx context.Context, tenant bot.TenantID, id string) error {
	ctx, cancel := context.WithTimeout(ctx, channelLookupTimeout)
	defer cancel()
	ws, err := a.workspace(ctx, tenant, "")
	if err != nil {
		return err
	}
	var ch *slack.Channel
	err = a.call(ctx, lookupPolicy, string(ws.team), "conversations.info", "", func(ctx context.Context) error {
		var err error
		ch, err = ws.api.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: id})
		return err
	})
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "channel_not_found" || se.Err == "team_access_not_granted") {
			return errChannelNotFound()
		}
		return fmt.Errorf("slack: conversations.info: %w", err)
	}
	if ch == nil {
		return errors.New("slack: conversations.info: no channel in the answer")
	}
	if !inTenant(ch, tenant) {
		return errChannelNotFound()
	}
	public := ch.IsChannel && !ch.IsPrivate && !ch.IsGroup && !ch.IsIM && !ch.IsMpIM
	// The bot only sees IMs it is part of; is_member is not set for them.
	if !public && !ch.IsMember && !ch.IsIM {
		return errChannelNotFound()
	}
	return nil
}

// inTenant reports whether the conversation belongs to (or is shared with)
// tenant. When Slack names no team at all, the bot token's own workspace is
// the only one it can see, so the channel is accepted.
func inTenant(ch *slack.Channel, tenant bot.TenantID) bool {
	teams := append([]string{ch.ContextTeamID}, ch.SharedTeamIDs...)
	seen := false
	for _, t := range teams {
		if t == "" {
			continue
		}
		seen = true
		if t == string(tenant) {
			return true
		}
	}
	return !seen
}

// channelRefID extracts the id from the forms the core may pass on:
// "C123", "#C123", "<#C123>" and "<#C123|name>". Anything else is returned
// trimmed of a leading '#', for the caller to reject.
func channelRefID(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<#") && strings.HasSuffix(s, ">") {
		s = s[2 : len(s)-1]
		if i := strings.IndexByte(s, '|'); i >= 0 {
			s = s[:i]
		}
		return s
	}
	return strings.TrimPrefix(s, "#")
}
