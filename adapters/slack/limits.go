package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/adapters/internal/ratelimit"
	"github.com/stretchbot/stretchbot/bot"
)

// Slack's published rate limits, per workspace: tiers per Web API method,
// and about one chat.postMessage per second per channel with short bursts,
// under a workspace-wide posting limit whose size Slack does not publish.
var (
	tier3 = ratelimit.PerMinute(50)
	tier4 = ratelimit.PerMinute(100)
	// channelRate paces posts to one conversation.
	channelRate = ratelimit.Rate{Every: time.Second, Burst: 3}
)

// methodRates are the tiers of the methods the adapter calls. A method
// not listed is paced as Tier 3; chat.postMessage has no method rate (its
// limit is per channel, plus a workspace limit learned from 429s).
var methodRates = map[string]ratelimit.Rate{
	"chat.postMessage":   {},
	"chat.postEphemeral": tier4,
	"chat.update":        tier3,
	"conversations.open": tier3,
	"conversations.info": tier3,
	// conversations.history is Tier 3 for most apps; Slack allows a
	// commercially distributed app outside its Marketplace one call a
	// minute, a limit the 429's Retry-After then teaches.
	"conversations.history": tier3,
	"users.info":            tier4,
	"views.publish":         tier4,
}

// limitKeys are the buckets one call of method in team counts against:
// the (team, method) bucket, and for a post the (team, channel) pace.
// The first key is the method's, the last the one a 429 blocks.
func limitKeys(team, method, channel string) []ratelimit.Key {
	rate, ok := methodRates[method]
	if !ok {
		rate = tier3
	}
	keys := []ratelimit.Key{{Name: team + "/" + method, Rate: rate}}
	if isPost(method, channel) {
		keys = append(keys, ratelimit.Key{Name: team + "/" + method + "/" + channel, Rate: channelRate})
	}
	return keys
}

// isPost reports whether a call is a chat.postMessage to one channel,
// limited per channel under the workspace's posting limit.
func isPost(method, channel string) bool {
	return method == "chat.postMessage" && channel != ""
}

// newPostSpread decides when 429s to posts mean the workspace's posting
// limit rather than each its own channel's: when, among a workspace's
// latest 20 post answers within a second, refusals come from at least 3
// channels and make at least half; while fewer than 20 answers came in
// that second, when all of them are refusals. A workspace limit refuses
// nearly every post beyond it, so it is found within a few posts; a
// channel's pace, or Slack refusing some posts at random, leaves most
// answers around them successful (a sixth of the posts refused at random
// trips it about once in ten thousand answers at full speed) and blocks
// only those channels. Weighed by share alone, a few refusals at random
// among a burst's first answers passed for the workspace's limit, and the
// pace learned from the post or two taken beside them spaced every post
// held back up to a second apart.
func newPostSpread() *ratelimit.Spread {
	return ratelimit.NewSpread(time.Second, 20, 0.5, 3)
}

// policy says how long one Web API call may wait for the rate limits and
// how often it is tried.
type policy struct {
	// inline is the longest wait for a rate limit slept in place; a longer
	// one returns at once with a *bot.DeliveryError whose RetryAfter says
	// when the call could go.
	inline time.Duration
	// retries bounds the tries of transient failures.
	retries backoff.Budget
}

// inlineWait is the pacing a delivery may wait out in place: short enough
// not to hold a scheduler worker, long enough to save a round trip
// through the store.
const inlineWait = 250 * time.Millisecond

// deliverPolicy is for deliveries (Send): one try, no sleeping beyond the
// pacing; the scheduler re-queues the occurrence at RetryAfter.
var deliverPolicy = policy{inline: inlineWait, retries: backoff.Budget{Attempts: 1}}

// lookupPolicy is for look-ups made while answering a command (users.info,
// conversations.info): one try, and none at all when the limit asks to
// wait; the answer then goes without them.
var lookupPolicy = policy{inline: 500 * time.Millisecond, retries: backoff.Budget{Attempts: 1}}

// answerPolicy bounds command answers (replies to mentions and DMs, button
// results): nobody re-queues them, and no scheduler worker waits for them,
// so they wait out a rate limit and retry a little.
func (a *Adapter) answerPolicy() policy {
	return policy{inline: answerMaxWait, retries: a.retries}
}

// errThrottled marks a call that was not made because a rate limit asked
// to wait first.
var errThrottled = errors.New("not sent: waiting for Slack's rate limit")

// call makes one Web API call of method for team under the workspace's
// rate limits and policy p. channel, for chat.postMessage, selects the
// channel's pace. The result is nil or a *bot.DeliveryError.
//
// A 429 blocks a bucket for every caller until its Retry-After: the
// (team, method) bucket for most methods, as Slack's tiers are per method
// and workspace; for a post, the (team, channel) bucket, as Slack limits
// posts per channel, and the whole workspace's posts only when 429s come
// from many channels at once (newPostSpread). Blocking the workspace on
// any post's 429 let one busy channel, or a few refused at random, stall
// the posts of every channel.
func (a *Adapter) call(ctx context.Context, p policy, team, method, channel string, fn func(context.Context) error) error {
	keys := limitKeys(team, method, channel)
	post := isPost(method, channel)
	tries := p.retries.Start()
	for {
		wait, ok := a.limits.Take(a.now(), p.inline, keys...)
		if !ok {
			return &bot.DeliveryError{RetryAfter: wait, Reason: "Slack is rate limiting the bot",
				Err: fmt.Errorf("slack: %s: %w", method, errThrottled)}
		}
		if err := a.sleep(ctx, wait); err != nil {
			return &bot.DeliveryError{Reason: "the delivery was interrupted", Err: fmt.Errorf("slack: %s: %w", method, err)}
		}
		sent := a.now()
		err := fn(ctx)
		limited := err != nil && isRateLimited(err)
		if post && (err == nil || limited || answered(err)) {
			// Only posts Slack took tell the pace it takes; a 500 or an
			// error about the post is an answer, not a refusal.
			answer := ratelimit.Taken
			if limited {
				answer = ratelimit.Refused
			} else if err != nil {
				answer = ratelimit.Failed
			}
			if shared, every := a.posts.Record(team, channel, answer, sent, a.now()); shared {
				// Deliveries held back come back one at the pace
				// Slack took, not all at the block's end; the pace
				// speeds up while Slack takes it (ratelimit.pace).
				hint, _, _ := classify(method, err)
				a.log.Info("slack: posts refused in many channels; pausing the workspace's posts", "team", team, "wait", hint, "pace", every)
				a.limits.BlockSpaced(keys[0].Name, a.now().Add(hint), every)
			}
		}
		if err == nil {
			return nil
		}
		hint, retryable, derr := classify(method, err)
		if derr != nil {
			return derr
		}
		if limited {
			a.limits.Block(keys[len(keys)-1].Name, a.now().Add(hint))
		}
		if retryable {
			wait, ok := tries.Next(hint)
			if ok {
				a.log.Info("slack: retrying", "op", method, "channel", channel, "wait", wait, "err", err)
				// After a 429 the limiter holds the next try back.
				if !limited {
					if err := a.sleep(ctx, wait); err != nil {
						return &bot.DeliveryError{Reason: "the delivery was interrupted", Err: fmt.Errorf("slack: %s: %w", method, err)}
					}
				}
				continue
			}
		}
		// A post that went out and got no answer may have been taken:
		// the next attempt looks for it first (see Send).
		return &bot.DeliveryError{RetryAfter: hint, Reason: transientReason(err), Err: fmt.Errorf("slack: %s: %w", method, err),
			Unsure: post && !limited && !answered(err)}
	}
}

// answered reports whether err is an answer from Slack about the call
// (an HTTP status or an ok:false), not a failure to reach it.
func answered(err error) bool {
	var sc slack.StatusCodeError
	var se slack.SlackErrorResponse
	return errors.As(err, &sc) || errors.As(err, &se)
}

// isRateLimited reports whether err is Slack's 429.
func isRateLimited(err error) bool {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	return errors.As(err, &rl) || errors.As(err, &sc) && sc.Code == 429
}
