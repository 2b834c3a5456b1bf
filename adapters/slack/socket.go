package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

// fatalAuth are apps.connections.open errors meaning the app token is bad.
var fatalAuth = map[string]bool{"invalid_auth": true, "not_authed": true, "token_revoked": true, "account_inactive": true, "not_allowed_token_type": true}

// runSocketMode holds a Socket Mode connection until ctx is done,
// reconnecting with backoff: socketmode.RunContext returns when a reconnect
// fails, and its documentation asks callers for this retry wrapper. It
// returns an error only when Slack rejects the app token.
func (a *Adapter) runSocketMode(ctx context.Context, h bot.Handler) error {
	loop := backoff.Loop{
		Policy: backoff.Reconnect,
		Now:    a.now,
		Sleep:  a.sleep,
		OnRetry: func(err error, wait time.Duration) {
			a.log.Warn("slack: socket mode disconnected; reconnecting", "err", err, "wait", wait)
		},
	}
	return loop.Forever(ctx, func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		smc := socketmode.New(a.client)
		done := make(chan struct{})
		go func() {
			defer close(done)
			a.consume(ctx, smc, h)
		}()
		err := smc.RunContext(ctx)
		cancel()
		<-done
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && fatalAuth[se.Err] {
			return backoff.Fatal(fmt.Errorf("slack: socket mode: the app token was rejected (%s); check STRETCHBOT_SLACK_APP_TOKEN", se.Err))
		}
		if err == nil {
			err = errors.New("socket mode connection ended")
		}
		return fmt.Errorf("slack: socket mode: %w", err)
	})
}

// consume reads the socket mode client's events until ctx is done.
func (a *Adapter) consume(ctx context.Context, smc *socketmode.Client, h bot.Handler) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt := <-smc.Events:
			a.logSocketEvent(evt)
			if evt.Request == nil || evt.Request.EnvelopeID == "" {
				continue
			}
			req := *evt.Request
			a.envelope(ctx, req, h, func(payload any) error {
				return smc.AckCtx(ctx, req.EnvelopeID, payload)
			})
		}
	}
}

// logSocketEvent logs how the connection is doing, with the reason when
// something went wrong. The connection's URL (its ticket) and the
// messages themselves (what people typed) are not logged.
func (a *Adapter) logSocketEvent(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		n := 0
		if c, ok := evt.Data.(*socketmode.ConnectedEvent); ok {
			n = c.ConnectionCount
		}
		if n == 0 {
			a.log.Info("slack: socket mode connected")
			return
		}
		a.log.Info("slack: socket mode connected again", "reconnects", n)
	case socketmode.EventTypeConnectionError:
		if c, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			a.log.Warn("slack: socket mode cannot connect; retrying", "attempt", c.Attempt, "wait", c.Backoff, "err", c.ErrorObj)
			return
		}
		a.log.Warn("slack: socket mode cannot connect; retrying")
	case socketmode.EventTypeIncomingError:
		var err error
		if c, ok := evt.Data.(*slack.IncomingEventError); ok {
			err = c.ErrorObj
		}
		if errors.Is(err, net.ErrClosed) {
			// The client closed it: Slack asked for a new connection.
			a.log.Debug("slack: socket mode connection closed for a new one")
			return
		}
		a.log.Warn("slack: socket mode connection lost; reconnecting", "err", err)
	case socketmode.EventTypeErrorBadMessage:
		var err error
		if c, ok := evt.Data.(*socketmode.ErrorBadMessage); ok {
			err = c.Cause
		}
		a.log.Warn("slack: socket mode message not understood; skipped", "err", err)
	case socketmode.EventTypeErrorWriteFailed:
		var err error
		if c, ok := evt.Data.(*socketmode.ErrorWriteFailed); ok {
			err = c.Cause
		}
		a.log.Warn("slack: socket mode ack not sent; Slack may send the envelope again", "err", err)
	}
}

// envelope handles one Socket Mode request. Every envelope is acknowledged
// before work starts, except that a slash command waits up to the slash
// budget so a quick answer can ride on the ack. Nothing here waits for the
// store: the envelopes after this one are read meanwhile.
func (a *Adapter) envelope(ctx context.Context, req socketmode.Request, h bot.Handler, ack func(payload any) error) {
	logAck := func(err error) {
		if err != nil {
			a.log.Warn("slack: socket mode ack failed", "type", req.Type, "err", err)
		}
	}
	switch req.Type {
	case socketmode.RequestTypeSlashCommands:
		cmd, err := parseSlashJSON(req.Payload)
		if err != nil {
			logAck(ack(nil))
			a.log.Warn("slack: bad slash command", "err", err)
			return
		}
		// Answer in the background so other envelopes are not held up for
		// the slash budget; command falls back to response_url when slow.
		a.work.Go(ctx, func(ctx context.Context) {
			now := func(reply bot.Reply) {
				p := payloadFor(reply)
				a.socketAnswers.Put(req.EnvelopeID, p, envelopeTTL, a.now())
				logAck(ack(p))
			}
			// A Fixed answer (help) needs no race against the budget,
			// and, the same for everybody and changing nothing, no
			// once-only check: a repeat gets it again, also while the
			// database is away.
			if reply, ok := respond.Quick(h, cmd.message()); ok {
				now(reply)
				return
			}
			if !a.firstEnvelope(ctx, req, logAck, ack) {
				return
			}
			a.command(ctx, "socket slash_commands", cmd, h, now, func() { logAck(ack(nil)) }, nil)
		})
	case socketmode.RequestTypeEventsAPI:
		logAck(ack(nil))
		env, err := parseEvent(req.Payload)
		if err != nil {
			a.log.Warn("slack: bad event", "err", err)
			return
		}
		a.work.Go(ctx, func(ctx context.Context) { a.dispatchEvent(ctx, "socket events_api", env, h) })
	case socketmode.RequestTypeInteractive:
		logAck(ack(nil))
		in, err := parseInteraction(req.Payload)
		if err != nil {
			a.log.Warn("slack: bad interaction", "err", err)
			return
		}
		a.work.Go(ctx, func(ctx context.Context) {
			// Acked already: a repeat needs no second ack.
			if a.firstEnvelope(ctx, req, logAck, func(any) error { return nil }) {
				a.dispatchInteraction("socket interactive", in, h)
			}
		})
	default:
		logAck(ack(nil))
	}
}

// envelopeTTL is how long a slash command's answer is kept for Slack's
// retry of its envelope, and maxSocketAnswers how many are kept.
const (
	envelopeTTL      = 2 * time.Minute
	maxSocketAnswers = 1000
)

// firstEnvelope reports whether no instance has handled the slash command
// or button press in req before. Slack sends an envelope again, with the
// same id, when its ack did not arrive in time; unlike a signed HTTP
// request, nothing else tells a retry from a new press, and running a
// command twice could set two reminders. A repeat is acked again, with the
// answer the first ack carried when this instance still has it. While the
// seen store cannot tell, nothing runs, and a slash command is not acked,
// so that Slack sends it again (a button press, acked at once, is dropped
// and can be pressed again).
func (a *Adapter) firstEnvelope(ctx context.Context, req socketmode.Request, logAck func(error), ack func(payload any) error) bool {
	now := a.now()
	first, err := a.events.First(ctx, "slack envelope "+req.EnvelopeID, now)
	if err != nil {
		a.log.Error("slack: cannot check the envelope id; left for Slack to send again", "type", req.Type, "err", err)
		return false
	}
	if first {
		return true
	}
	a.log.Info("slack: envelope sent again; it ran once", "type", req.Type, "retry", req.RetryAttempt, "reason", req.RetryReason)
	if p, ok := a.socketAnswers.Get(req.EnvelopeID, now); ok {
		logAck(ack(p))
	} else {
		logAck(ack(nil))
	}
	return false
}
