package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// sendAttempts caps tries per delivery; the scheduler retries later.
	sendAttempts = 3
	// maxRetryWait caps the total time one Send spends waiting on 429s.
	maxRetryWait = 30 * time.Second
	// authRetryAfter is how long the scheduler should wait after Slack
	// rejected the token: an operator has to fix the configuration.
	authRetryAfter = 5 * time.Minute
)

// permanentReasons maps Slack error codes that no retry can fix for this
// destination to words shown to the schedule's creator.
var permanentReasons = map[string]string{
	"channel_not_found":        "the channel no longer exists or the bot cannot see it",
	"not_in_channel":           "the bot is not a member of the channel; invite it with /invite @stretchbot",
	"is_archived":              "the channel was archived",
	"account_inactive":         "the Slack account or workspace was deactivated",
	"user_not_found":           "the user no longer exists",
	"user_disabled":            "the user's account was deactivated",
	"cannot_dm_bot":            "the recipient is a bot and cannot get direct messages",
	"restricted_action":        "the workspace does not allow the bot to post there",
	"team_access_not_granted":  "the bot has no access to that workspace",
	"channel_type_not_allowed": "the bot cannot post to that kind of conversation",
	"user_not_visible":         "the bot cannot see that user",
}

// authErrors mean the bot token itself is bad. That is a configuration
// problem shared by every schedule, not a property of one destination, so
// it is reported as transient: pausing every schedule would outlive the
// fix, whereas retrying resumes deliveries as soon as the token is fixed.
var authErrors = map[string]bool{
	"invalid_auth": true, "not_authed": true, "token_revoked": true, "token_expired": true, "missing_scope": true,
}

// retryableCodes are ok:false answers worth retrying at once.
var retryableCodes = map[string]bool{
	"internal_error": true, "fatal_error": true, "service_unavailable": true, "request_timeout": true, "ratelimited": true,
}

// Send delivers o: to o.Channel, or, with only o.User set, to the user's DM
// (opened with conversations.open). It paces posts to about one per second
// per channel, honours Retry-After, retries transient failures a few times
// and returns *bot.DeliveryError when it gives up.
func (a *Adapter) Send(ctx context.Context, o bot.Outgoing) (bot.Sent, error) {
	ws, err := a.workspace(ctx, o.Tenant, "")
	if err != nil {
		return bot.Sent{}, notInstalled(err)
	}
	channel := string(o.Channel)
	if channel == "" {
		if o.User == "" {
			return bot.Sent{}, &bot.DeliveryError{Permanent: true, Reason: "the delivery has no channel or user", Err: errors.New("slack: send: empty destination")}
		}
		channel, err = a.openDM(ctx, ws.api, string(o.User))
		if err != nil {
			return bot.Sent{}, err
		}
	}
	msg := render(o.Reply)
	var ts string
	err = a.retry(ctx, "chat.postMessage", channel, func(ctx context.Context) error {
		var err error
		_, ts, err = ws.api.PostMessageContext(ctx, channel, slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...))
		return err
	})
	if err != nil {
		return bot.Sent{}, err
	}
	return bot.Sent{ID: ts, Channel: bot.ChannelID(channel), At: a.now()}, nil
}

// openDM returns the IM channel with user, asking with the user's
// workspace's api. If conversations.open fails for a reason other than a
// permanent one, posting to the user id still works.
func (a *Adapter) openDM(ctx context.Context, api webAPI, user string) (string, error) {
	var id string
	err := a.retry(ctx, "conversations.open", "", func(ctx context.Context) error {
		ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
		if err == nil && ch != nil {
			id = ch.ID
		}
		return err
	})
	if err != nil {
		if bot.IsPermanent(err) {
			return "", err
		}
		a.log.Warn("slack: conversations.open failed; posting to the user id", "user", user, "err", err)
		return user, nil
	}
	if id == "" {
		id = user
	}
	return id, nil
}

// retry runs call within a.retries (sendAttempts tries, maxRetryWait of
// waiting). A non-empty channel is paced. The result is nil or a
// *bot.DeliveryError.
func (a *Adapter) retry(ctx context.Context, op, channel string, call func(context.Context) error) error {
	var retryAfter time.Duration
	var last error
	tries := a.retries.Start()
	for attempt := 1; ; attempt++ {
		if channel != "" {
			if err := a.sleep(ctx, a.pacer.Reserve(channel, a.now())); err != nil {
				return &bot.DeliveryError{Reason: "the delivery was interrupted", Err: fmt.Errorf("slack: %s: %w", op, err)}
			}
		}
		err := call(ctx)
		if err == nil {
			return nil
		}
		last = err
		hint, retryable, derr := classify(op, err)
		if derr != nil {
			return derr
		}
		if !retryable {
			break
		}
		wait, ok := tries.Next(hint)
		if wait > 0 && (hint > 0 || !ok) {
			// Slack's hint, or the wait that did not fit the budget, tells
			// the scheduler when to try again.
			retryAfter = wait
		}
		if !ok {
			break
		}
		a.log.Info("slack: retrying", "op", op, "channel", channel, "attempt", attempt, "wait", wait, "err", err)
		if err := a.sleep(ctx, wait); err != nil {
			break
		}
	}
	if ctx.Err() != nil && last == nil {
		last = ctx.Err()
	}
	var rl *slack.RateLimitedError
	if errors.As(last, &rl) && rl.RetryAfter > retryAfter {
		retryAfter = rl.RetryAfter
	}
	return &bot.DeliveryError{RetryAfter: retryAfter, Reason: transientReason(last), Err: fmt.Errorf("slack: %s: %w", op, last)}
}

// classify sorts an API error: permanent (derr set), retryable now with an
// optional minimum wait, or transient but not worth retrying at once.
func classify(op string, err error) (wait time.Duration, retryable bool, derr *bot.DeliveryError) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		w := rl.RetryAfter
		if w <= 0 {
			w = time.Second
		}
		return w, true, nil
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) {
		if sc.Code == http.StatusTooManyRequests {
			return time.Second, true, nil
		}
		return 0, sc.Code >= 500, nil
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		if reason, ok := permanentReasons[se.Err]; ok {
			return 0, false, &bot.DeliveryError{Permanent: true, Reason: reason, Err: fmt.Errorf("slack: %s: %w", op, err)}
		}
		if authErrors[se.Err] {
			return 0, false, &bot.DeliveryError{RetryAfter: authRetryAfter, Reason: "Slack rejected the bot token (" + se.Err + "); the operator must fix STRETCHBOT_SLACK_BOT_TOKEN or the app's scopes", Err: fmt.Errorf("slack: %s: %w", op, err)}
		}
		return 0, retryableCodes[se.Err], nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return 0, false, nil
	}
	// Network errors and anything unexpected: worth another try.
	return 0, true, nil
}

func transientReason(err error) string {
	var rl *slack.RateLimitedError
	var sc slack.StatusCodeError
	var se slack.SlackErrorResponse
	switch {
	case errors.As(err, &rl):
		return "Slack is rate limiting the bot"
	case errors.As(err, &sc):
		return "Slack answered " + sc.Status
	case errors.As(err, &se):
		return "Slack answered " + se.Err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "the delivery was interrupted"
	default:
		return "Slack could not be reached"
	}
}
