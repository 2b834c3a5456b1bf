package slack

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
)

// Slack's chat.postMessage takes no idempotency key. Each delivery
// (bot.Outgoing with a Key) is posted with message metadata naming it, and
// an attempt that may repeat an earlier one (Outgoing.Unsure: its answer
// was lost, or the instance making it died unrecorded) first reads the
// conversation's messages since the run fell due for a post of the bot's
// with that metadata; found, it is the delivery, and nothing is posted.
//
// An attempt that cannot look (Slack rate limits the look-up, or fails,
// or the DM's id cannot be had yet) posts nothing either: it fails again
// unsure, to come back when the limit allows, because a post made blind
// is a second post whenever the earlier attempt was taken. Past
// unsureGiveUp it gives up on the run (see giveUp).

const (
	// deliveryEvent is the metadata event_type of a delivery.
	deliveryEvent = "stretchbot_delivery"
	// deliveryKeyField is the event_payload field holding the key's
	// unsure.Digest (metadata is readable by every app with history access
	// to the conversation, so not the key itself).
	deliveryKeyField = "key"
	// historySlack is how long before the occurrence's time the look-up
	// starts (see unsure.LookBack).
	historySlack = unsure.LookBack
	// historyLimit is the size of a page of history: the most a
	// commercially distributed app outside Slack's Marketplace may ask
	// for. The earlier post is mostly within the first page, read in one
	// call.
	historyLimit = 15
	// historyPages caps the pages one delivery's look-ups read, over all
	// its attempts: a channel that said more than historyPages ×
	// historyLimit messages since the run fell due is too busy to tell
	// cheaply. It is the Tier 3 burst the bot allows itself, so that an
	// app on Tier 3 reads them all at once; one limited to a call a
	// minute reads a page an attempt (see walk).
	historyPages = 5
	// unsureGiveUp is how long after the run fell due an attempt that
	// cannot look keeps coming back (see unsure.GiveUpAfter).
	unsureGiveUp = unsure.GiveUpAfter
	// walkTTL is how long the progress of an unfinished look-up is kept.
	walkTTL = unsureGiveUp + historySlack
)

// errTooBusy is a look-up that read historyPages pages without reaching
// the time the run fell due.
var errTooBusy = errors.New("slack: conversations.history: too many messages since the run fell due")

// deliveryMetadata is the message metadata a delivery of key is posted with.
func deliveryMetadata(key string) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: deliveryEvent, EventPayload: map[string]any{deliveryKeyField: unsure.Digest(key)}}
}

// findDelivery looks in channel's messages since o fell due for the
// bot's post of o.Key, for an attempt that may repeat one. Neither found
// nor an error: the look-up read everything since and the post is not
// there, so posting is safe. An error (a *bot.DeliveryError) means the
// look-up could not be made or finished (no history scope, not a member,
// rate limited, Slack failing, errTooBusy); what it read is kept for the
// next attempt (walk).
func (a *Adapter) findDelivery(ctx context.Context, ws *workspace, o bot.Outgoing, channel, dmKey string) (bot.Sent, bool, error) {
	team := string(ws.team)
	if dmKey != "" && channel == string(o.User) {
		// A DM's history needs its channel id; this instance has not
		// posted to it, nor heard from it, lately.
		id, err := a.openIM(ctx, lookupPolicy, ws, string(o.User))
		if err != nil {
			return bot.Sent{}, false, err
		}
		channel = id
	}
	from := ""
	if !o.Due.IsZero() {
		from = slackTS(o.Due.Add(-historySlack))
	}
	me, want := a.botUserID(ctx, ws), unsure.Digest(o.Key)
	key := team + "/" + channel + "/" + want
	w, _ := a.walks.Get(key, a.now())
	for _, g := range w.gaps(from) {
		params := &slack.GetConversationHistoryParameters{ChannelID: channel, Limit: historyLimit, Inclusive: true,
			IncludeAllMetadata: true, Oldest: g.lo, Latest: g.hi}
		top := g.hi
		for {
			if w.pages >= historyPages {
				a.walks.Put(key, w, walkTTL, a.now())
				return bot.Sent{}, false, &bot.DeliveryError{Reason: "the channel is too busy to look for an earlier post", Err: errTooBusy}
			}
			var res *slack.GetConversationHistoryResponse
			err := a.call(ctx, lookupPolicy, team, "conversations.history", channel, func(ctx context.Context) error {
				var err error
				res, err = ws.api.GetConversationHistoryContext(ctx, params)
				return err
			})
			if err == nil && res == nil {
				err = &bot.DeliveryError{Reason: "Slack answered nothing", Err: errors.New("slack: conversations.history: no answer")}
			}
			if err != nil {
				a.walks.Put(key, w, walkTTL, a.now())
				return bot.Sent{}, false, err
			}
			w.pages++
			oldest, newest := "", ""
			for _, m := range res.Messages {
				if m.Timestamp == "" {
					continue
				}
				if oldest == "" || m.Timestamp < oldest {
					oldest = m.Timestamp
				}
				newest = max(newest, m.Timestamp)
				if m.Metadata.EventType != deliveryEvent {
					continue
				}
				if got, _ := m.Metadata.EventPayload[deliveryKeyField].(string); got != want {
					continue
				}
				if (me != "" && m.User != me) || (me == "" && m.BotID == "") {
					continue // not the bot's own post
				}
				a.walks.Put(key, walk{}, 0, a.now())
				a.log.Info("slack: delivery already posted; not posting it again", "team", team, "channel", channel, "ts", m.Timestamp)
				return bot.Sent{ID: m.Timestamp, Channel: bot.ChannelID(channel), At: a.now()}, true, nil
			}
			if top == "" {
				// The gap up to now: what it held when read is read.
				top = newest
			}
			next := res.ResponseMetaData.NextCursor
			if !res.HasMore || next == "" {
				if g.hi != "" {
					w.add(g)
				}
				break
			}
			if oldest != "" && top != "" {
				w.add(span{oldest, top})
			}
			params.Cursor = next
		}
	}
	// Read to the end in this attempt: nothing is left to resume.
	a.walks.Put(key, walk{}, 0, a.now())
	return bot.Sent{}, false, nil
}

// walk is what the look-ups for one delivery in one conversation read so
// far, when one could not finish (a page a minute, for an app Slack
// limits so): the next attempt reads only the rest. Spans are message
// timestamps read through, both ends included. The messages after the
// newest span are read again at every attempt, so that a post made
// meanwhile (by another instance that took the run over) is seen; older
// ones cannot change, as posts land at the time Slack takes them.
type walk struct {
	read  []span // sorted, disjoint
	pages int
}

type span struct{ lo, hi string }

// gaps are the ranges from from to now not read yet, oldest first; the
// last one's hi is empty: now. Each includes its ends, which are read
// twice rather than skipped.
func (w walk) gaps(from string) []span {
	var out []span
	lo := from
	for _, s := range w.read {
		if s.hi <= lo {
			continue
		}
		if s.lo > lo {
			out = append(out, span{lo, s.lo})
		}
		lo = s.hi
	}
	return append(out, span{lo, ""})
}

// add records s as read.
func (w *walk) add(s span) {
	read := append(slices.Clone(w.read), s)
	slices.SortFunc(read, func(x, y span) int { return strings.Compare(x.lo, y.lo) })
	out := read[:1]
	for _, r := range read[1:] {
		if last := &out[len(out)-1]; r.lo <= last.hi {
			last.hi = max(last.hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	w.read = out
}

// cannotLook is the outcome of an attempt that may repeat one and could
// not look for it (err, from findDelivery): nothing is posted. Slack
// refusing for good, or a post that would be refused as well, is a sure
// failure. The bot not being a member of the channel is one: the post
// may well go (chat:write.public), but the history stays closed to it
// until someone invites it, so retrying would only delay the same end.
// Anything else comes back unsure, at the rate limit's time or the
// scheduler's backoff, until unsureGiveUp.
func (a *Adapter) cannotLook(team string, o bot.Outgoing, err error) error {
	reason := lookupReason(err)
	var de *bot.DeliveryError
	if errors.As(err, &de) && de.Permanent {
		if reason == "not_in_channel" {
			de.Reason = "the bot is not a member of the channel, so it could not check whether an earlier attempt was posted; invite it with /invite @stretchbot"
		}
		a.log.Warn("slack: could not look for an earlier post of a delivery; not posting it", "team", team, "reason", reason, "err", err)
		return err
	}
	if errors.Is(err, errTooBusy) || (!o.Due.IsZero() && a.now().Sub(o.Due) >= unsureGiveUp) {
		return a.giveUp(team, o, reason, err)
	}
	a.lookupFailed(team, reason, err)
	if de == nil {
		err = &bot.DeliveryError{Reason: "the bot could not look for an earlier post", Err: err}
	}
	return stillUnsure(err, true)
}

// giveUp ends a delivery that may have been posted and cannot be looked
// for: logged as an error, and the run passed over (bot.DeliveryError
// GiveUp: not retried, its schedule going on, nobody paused). Posting with
// a note ("this may be a repeat") was the other way: it shows everyone a
// second post whenever the first was taken, which is the common case of a
// lost answer, while giving up shows none when the first was not; and a
// break a quarter of an hour late, or one that cannot be checked at all,
// is worth less than either. Pausing the schedule, as a permanent failure
// does, would stop its later runs for a lost answer that says nothing
// about them.
func (a *Adapter) giveUp(team string, o bot.Outgoing, reason string, err error) error {
	a.log.Error("slack: gave up on a delivery that may have been posted: could not look for it", "team", team,
		"due", o.Due, "reason", reason, "err", err)
	return &bot.DeliveryError{GiveUp: true,
		Reason: "Slack's answer to an earlier attempt was lost, and the bot could not check whether it was posted (" + reason + "), so it did not post it again",
		Err:    fmt.Errorf("slack: gave up on an unsure delivery: %w", err)}
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
	if errors.Is(err, errTooBusy) {
		return "too many messages since"
	}
	return "failed"
}

// lookupFailed logs a look-up that could not be made; the attempt comes
// back later, once per workspace and reason at Info, then at Debug.
func (a *Adapter) lookupFailed(team, reason string, err error) {
	msg := "slack: could not look for an earlier post of a delivery; trying again later"
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
