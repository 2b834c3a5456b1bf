package slack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/stretchbot/stretchbot/bot"
)

// errFatal marks an error that reconnecting cannot fix.
var errFatal = errors.New("fatal")

// fatalAuth are apps.connections.open errors meaning the app token is bad.
var fatalAuth = map[string]bool{"invalid_auth": true, "not_authed": true, "token_revoked": true, "account_inactive": true, "not_allowed_token_type": true}

// backoffPolicy shapes the waits between reconnects.
type backoffPolicy struct {
	min, max time.Duration
	// healthy: a run that lasted this long resets the backoff.
	healthy time.Duration
}

var reconnectPolicy = backoffPolicy{min: time.Second, max: 2 * time.Minute, healthy: time.Minute}

// runForever calls run until ctx is done, waiting with exponential backoff
// and full jitter between failed runs. An error wrapping errFatal stops it.
// It returns nil when ctx is done. This is the retry wrapper that
// socketmode.RunContext's documentation asks callers to write.
func runForever(ctx context.Context, p backoffPolicy, now func() time.Time, sleep func(context.Context, time.Duration) error, log func(err error, wait time.Duration), run func(context.Context) error) error {
	d := p.min
	for {
		start := now()
		err := run(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errFatal) {
			return err
		}
		if now().Sub(start) >= p.healthy {
			d = p.min
		}
		wait := d/2 + rand.N(d/2+1)
		log(err, wait)
		if sleep(ctx, wait) != nil {
			return nil
		}
		d = min(2*d, p.max)
	}
}

// runSocketMode holds a Socket Mode connection until ctx is done.
func (a *Adapter) runSocketMode(ctx context.Context, h bot.Handler) error {
	return runForever(ctx, reconnectPolicy, a.now, a.sleep,
		func(err error, wait time.Duration) {
			a.log.Warn("slack: socket mode disconnected; reconnecting", "err", err, "wait", wait)
		},
		func(ctx context.Context) error {
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
				return fmt.Errorf("slack: socket mode: the app token was rejected (%s): %w", se.Err, errFatal)
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
			switch evt.Type {
			case socketmode.EventTypeConnected:
				a.log.Info("slack: socket mode connected")
			case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorBadMessage:
				a.log.Warn("slack: socket mode trouble", "type", evt.Type)
			}
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

// envelope handles one Socket Mode request. Every envelope is acknowledged
// before work starts, except that a slash command waits up to the slash
// budget so a quick answer can ride on the ack.
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
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			reply, ok := a.command(context.WithoutCancel(ctx), cmd, h)
			if !ok {
				logAck(ack(nil))
				return
			}
			logAck(ack(payloadFor(reply)))
		}()
	case socketmode.RequestTypeEventsAPI:
		logAck(ack(nil))
		env, err := parseEvent(req.Payload)
		if err != nil {
			a.log.Warn("slack: bad event", "err", err)
			return
		}
		a.dispatchEvent(env, h)
	case socketmode.RequestTypeInteractive:
		logAck(ack(nil))
		in, err := parseInteraction(req.Payload)
		if err != nil {
			a.log.Warn("slack: bad interaction", "err", err)
			return
		}
		a.dispatchInteraction(in, h)
	default:
		logAck(ack(nil))
	}
}
