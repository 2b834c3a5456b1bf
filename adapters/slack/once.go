package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

// Slack's chat.postMessage takes no idempotency key. Each delivery
// (bot.Outgoing with a Key) is posted with message metadata naming it, and
// an attempt that may repeat an earlier one (Outgoing.Unsure: its answer
// was lost, or the instance making it died unrecorded) first reads the
// conversation's latest messages for a post of the bot's with that
// metadata; found, it is the delivery, and nothing is posted.

const (
	// deliveryEvent is the metadata event_type of a delivery.
	deliveryEvent = "stretchbot_delivery"
	// deliveryKeyField is the event_payload field holding keyDigest.
	deliveryKeyField = "key"
	// historySlack is how long before the occurrence's time the look-up
	// starts: runs are claimed and posted up to a few seconds early, and
	// clocks differ.
	historySlack = 2 * time.Minute
	// historyLimit caps the messages read: the most a commercially
	// distributed app outside Slack's Marketplace may ask for.
	historyLimit = 15
)

// keyDigest is the metadata value naming a delivery's key: a digest, not
// the key itself, because metadata is readable by every app with history
// access to the conversation, and the key names a reminder and its time,
// which are the bot's own business. 16 hex digits keep two deliveries in
// one conversation's last few messages from ever sharing one.
func keyDigest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// deliveryMetadata is the message metadata a delivery of key is posted with.
func deliveryMetadata(key string) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: deliveryEvent, EventPayload: map[string]any{deliveryKeyField: keyDigest(key)}}
}

// findDelivery looks in channel's latest messages for the bot's post of
// o.Key, for an attempt that may repeat one. found false means post: not
// found (looked true), or the look-up could not be made (no history
// scope, not a member, rate limited, Slack failing; looked false); that is
// logged, once per workspace and reason at Info, then at Debug.
func (a *Adapter) findDelivery(ctx context.Context, ws *workspace, o bot.Outgoing, channel, dmKey string) (sent bot.Sent, found, looked bool) {
	team := string(ws.team)
	if dmKey != "" && channel == string(o.User) {
		// A DM's history needs its channel id; this instance has not
		// posted to it yet.
		id, err := a.openDM(ctx, lookupPolicy, ws, string(o.User))
		if err != nil || id == string(o.User) {
			a.lookupFailed(team, "no DM channel", err)
			return bot.Sent{}, false, false
		}
		channel = id
	}
	params := &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: historyLimit, Inclusive: true, IncludeAllMetadata: true}
	if !o.Due.IsZero() {
		params.Oldest = slackTS(o.Due.Add(-historySlack))
	}
	var msgs []slack.Message
	err := a.call(ctx, lookupPolicy, team, "conversations.history", channel, func(ctx context.Context) error {
		res, err := ws.api.GetConversationHistoryContext(ctx, params)
		if err == nil && res != nil {
			msgs = res.Messages
		}
		return err
	})
	if err != nil {
		a.lookupFailed(team, lookupReason(err), err)
		return bot.Sent{}, false, false
	}
	me, want := a.botUserID(ctx, ws), keyDigest(o.Key)
	for _, m := range msgs {
		if m.Metadata.EventType != deliveryEvent || m.Timestamp == "" {
			continue
		}
		if got, _ := m.Metadata.EventPayload[deliveryKeyField].(string); got != want {
			continue
		}
		if (me != "" && m.User != me) || (me == "" && m.BotID == "") {
			continue // not the bot's own post
		}
		a.log.Info("slack: delivery already posted; not posting it again", "team", team, "channel", channel, "ts", m.Timestamp)
		return bot.Sent{ID: m.Timestamp, Channel: bot.ChannelID(channel), At: a.now()}, true, true
	}
	return bot.Sent{}, false, true
}

// lookupReason is the short reason a look-up failed, for the log: Slack's
// error code when it gave one.
func lookupReason(err error) string {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return se.Err
	}
	if isRateLimited(err) || errors.Is(err, errThrottled) {
		return "rate limited"
	}
	return "failed"
}

// lookupFailed logs a look-up that could not be made and posting goes on.
func (a *Adapter) lookupFailed(team, reason string, err error) {
	msg := "slack: could not look for an earlier post of a delivery; posting it"
	if _, seen := a.lookups.LoadOrStore(team+"/"+reason, true); seen {
		a.log.Debug(msg, "team", team, "reason", reason, "err", err)
		return
	}
	a.log.Info(msg+" (channels:history, groups:history, mpim:history and im:history let it look)", "team", team, "reason", reason, "err", err)
}

// slackTS is t as a Slack timestamp ("1700000000.000000").
func slackTS(t time.Time) string {
	return strconv.FormatInt(t.Unix(), 10) + ".000000"
}
