package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// answerAttempts caps the tries of one command answer.
	answerAttempts = 3
	// answerMaxWait caps the time one command answer spends waiting for
	// rate limits and between tries.
	answerMaxWait = 10 * time.Second
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
// with the bot. It makes one try under o.Tenant's rate limits and never
// waits more than a moment: a rate limit or a transient failure returns at
// once a *bot.DeliveryError whose RetryAfter says when to try again, for
// the scheduler to re-queue.
//
// A DM whose channel id is not known yet is posted to the user id: Slack
// delivers a bot's post to a user id in the bot's DM with that user and
// answers with the DM's id, which is remembered (and returned in Sent, so
// a later chat.update finds the message). Opening the DM first with
// conversations.open, a Tier 3 method paced at under a call a second per
// workspace, held a delivery worker for each new DM and queued a burst of
// personal reminders behind that pace.
//
// An attempt that may repeat an earlier one (o.Unsure) first looks for
// that one's post (findDelivery), and posts nothing while it cannot
// (cannotLook).
func (a *Adapter) Send(ctx context.Context, o bot.Outgoing) (bot.Sent, error) {
	ws, err := a.workspace(ctx, o.Tenant, "")
	if err != nil {
		// Not posted, and nothing looked at either.
		return bot.Sent{}, stillUnsure(notInstalled(err), o.Key != "" && o.Unsure)
	}
	channel, dmKey := string(o.Channel), ""
	if channel == "" {
		if o.User == "" {
			return bot.Sent{}, &bot.DeliveryError{Permanent: true, Reason: "the delivery has no channel or user", Err: errors.New("slack: send: empty destination")}
		}
		dmKey = string(ws.team) + "/" + string(o.User)
		if id, ok := a.dms.Get(dmKey, a.now()); ok {
			channel = id
		} else {
			channel = string(o.User)
		}
	}
	if o.Key != "" && o.Unsure {
		// An earlier attempt may have been taken: look for it before
		// posting again, and post nothing while it cannot be ruled out.
		sent, found, err := a.findDelivery(ctx, ws, o, channel, dmKey)
		if found {
			return sent, nil
		}
		if err != nil {
			return bot.Sent{}, a.cannotLook(string(ws.team), o, err)
		}
	}
	msg := render(o.Reply)
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if o.Key != "" {
		opts = append(opts, slack.MsgOptionMetadata(deliveryMetadata(o.Key)))
	}
	var ts, posted string
	err = a.call(ctx, deliverPolicy, string(ws.team), "chat.postMessage", channel, func(ctx context.Context) error {
		var err error
		posted, ts, err = ws.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
	var de *bot.DeliveryError
	if dmKey != "" && channel == string(o.User) && errors.As(err, &de) && de.Permanent && de.Err != nil && strings.Contains(de.Err.Error(), "channel_not_found") {
		// Posted to the user id: it is the user Slack did not find.
		de.Reason = "the user no longer exists or the bot cannot send them direct messages"
	}
	if err != nil {
		return bot.Sent{}, err
	}
	if posted != "" && posted != channel {
		channel = posted
		if dmKey != "" {
			a.dms.Put(dmKey, channel, dmTTL, a.now())
		}
	}
	a.uploadFiles(ctx, ws, channel, o.Reply.Files)
	return bot.Sent{ID: ts, Channel: bot.ChannelID(channel), At: a.now()}, nil
}

// stillUnsure marks a transient failure unsure when the earlier attempt
// that may have been taken is still unverified: this attempt's refusal
// (no token for the workspace, its look-up refused or held back) says
// nothing of that one, and the next attempt must look for it again.
// Answered sure, a second attempt whose look-up was rate limited left the
// next to post without looking.
func stillUnsure(err error, unverified bool) error {
	var de *bot.DeliveryError
	if unverified && errors.As(err, &de) && !de.Permanent {
		de.Unsure = true
	}
	return err
}

// uploadFiles shares files in channel, right under the message just
// posted, with Slack's external upload flow (files.getUploadURLExternal,
// the upload itself, files.completeUploadExternal). The message is already
// delivered, so a failed upload is logged and not retried: retrying the
// delivery would post the message twice.
func (a *Adapter) uploadFiles(ctx context.Context, ws *workspace, channel string, files []bot.File) {
	for _, f := range files {
		err := a.call(ctx, deliverPolicy, string(ws.team), "files.uploadV2", channel, func(ctx context.Context) error {
			_, err := ws.api.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader: bytes.NewReader(f.Data), FileSize: len(f.Data), Filename: f.Name, Title: f.Title,
				AltTxt: f.Title, Channel: channel,
			})
			return err
		})
		if err != nil {
			a.log.Warn("slack: could not upload a file with a delivery", "channel", channel, "file", f.Name, "err", err)
		}
	}
}

// dmTTL is how long a DM's id is reused; it never changes, the
// bound only keeps the cache fresh.
const dmTTL = 24 * time.Hour

// openDM returns the IM channel with user in ws's workspace (openIM). If
// conversations.open fails for a reason other than a permanent one, or
// its rate limit asks to wait, posting to the user id still works.
func (a *Adapter) openDM(ctx context.Context, p policy, ws *workspace, user string) (string, error) {
	id, err := a.openIM(ctx, p, ws, user)
	switch {
	case err == nil:
		return id, nil
	case bot.IsPermanent(err):
		return "", err
	case errors.Is(err, errThrottled):
		a.log.Debug("slack: conversations.open is rate limited; posting to the user id", "user", user)
	case errors.Is(err, errNoDM):
	default:
		a.log.Warn("slack: conversations.open failed; posting to the user id", "user", user, "err", err)
	}
	return user, nil
}

// errNoDM is a conversations.open answer without a channel id.
var errNoDM = errors.New("slack: conversations.open: no channel id")

// openIM returns the IM channel with user in ws's workspace: the one
// remembered from an earlier post, an event from it, or an opening, else
// asked with that workspace's token under policy p. The error is a
// *bot.DeliveryError.
func (a *Adapter) openIM(ctx context.Context, p policy, ws *workspace, user string) (string, error) {
	team := string(ws.team)
	key := team + "/" + user
	if id, ok := a.dms.Get(key, a.now()); ok {
		return id, nil
	}
	var id string
	err := a.call(ctx, p, team, "conversations.open", "", func(ctx context.Context) error {
		ch, _, _, err := ws.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
		if err == nil && ch != nil {
			id = ch.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", &bot.DeliveryError{Reason: "Slack did not name the direct message", Err: errNoDM}
	}
	a.dms.Put(key, id, dmTTL, a.now())
	return id, nil
}

// rememberDM keeps channel as user's DM with the bot in team, as an event
// from it told: a look-up for an earlier post there then needs no
// conversations.open (Tier 3), which an instance that never posted to the
// DM would otherwise call.
func (a *Adapter) rememberDM(team bot.TenantID, user, channel string) {
	if user == "" || !strings.HasPrefix(channel, "D") {
		return
	}
	a.dms.Put(string(team)+"/"+user, channel, dmTTL, a.now())
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
