package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/bot"
)

// Retry policy for REST calls. discordgo's own client retries 429s forever
// with an uninterruptible time.Sleep, so deliveries and interaction
// follow-ups use this small net/http client instead: the total is bounded.
const (
	maxAttempts   = 3
	maxRetryWait  = 30 * time.Second // longest total sleep inside one call
	channelPacing = time.Second      // ≈1 message per second per channel
	maxErrorBody  = 64 << 10
)

// retries bounds one REST call; without a Retry-After hint it waits
// 0.5–0.75 s, then 1–1.5 s.
var retries = backoff.Budget{Attempts: maxAttempts, MaxWait: maxRetryWait, Policy: backoff.Request}

// apiError is a non-2xx answer from Discord.
type apiError struct {
	Status     int
	Code       int    // Discord JSON error code, 0 if none
	Message    string // Discord's message, for logs
	RetryAfter time.Duration
	Global     bool
}

func (e *apiError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("HTTP %d, code %d: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
}

// permanentReasons are the Discord error codes that retrying cannot fix,
// with the plain words shown to the schedule's creator.
var permanentReasons = map[int]string{
	10003: "the channel no longer exists",
	10013: "the user no longer exists",
	50001: "the bot no longer has access to the channel",
	50007: "the user does not accept direct messages from the bot",
	50013: "the bot is missing the permission to post there",
}

// rest is a minimal Discord REST client with bounded retries, global and
// per-channel pacing and error classification.
type rest struct {
	base   string // origin, e.g. https://discord.com
	token  string
	client *http.Client
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error

	pacer *backoff.Pacer // per-channel posting slots

	mu          sync.Mutex
	globalUntil time.Time
	dms         map[string]string // user id → DM channel id
}

func newREST(base, token string, client *http.Client, now func() time.Time, sleep func(context.Context, time.Duration) error) *rest {
	return &rest{
		base: strings.TrimRight(base, "/"), token: token, client: client, now: now, sleep: sleep,
		pacer: backoff.NewPacer(channelPacing), dms: map[string]string{},
	}
}

// do sends one JSON request to path (e.g. /api/v10/channels/1/messages),
// retrying 429s (sleeping Retry-After) and transient failures (5xx, network)
// at most maxAttempts times and maxRetryWait in total. auth adds the bot
// token; webhook calls authenticate with their token in the path instead.
func (c *rest) do(ctx context.Context, method, path string, body, out any, auth bool) error {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	tries := retries.Start()
	for {
		if err := c.waitGlobal(ctx); err != nil {
			return err
		}
		retry, hint, err := c.once(ctx, method, path, payload, out, auth)
		if err == nil {
			return nil
		}
		if !retry {
			return err
		}
		wait, ok := tries.Next(hint)
		if !ok {
			return err
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

// once makes one attempt. retry reports whether another attempt may help,
// wait how long Discord asked us to wait first.
func (c *rest) once(ctx context.Context, method, path string, payload []byte, out any, auth bool) (retry bool, wait time.Duration, err error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return false, 0, fmt.Errorf("request: %w", err)
	}
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.Header.Set("Authorization", "Bot "+c.token)
	}
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/stretchbot/stretchbot, 1)")
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return false, 0, ctx.Err()
		}
		return true, 0, fmt.Errorf("%s %s: %w", method, redact(path), scrub(err))
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out != nil && len(data) > 0 {
			if err := json.Unmarshal(data, out); err != nil {
				return false, 0, fmt.Errorf("%s %s: decode: %w", method, redact(path), err)
			}
		}
		return false, 0, nil
	}
	ae := parseAPIError(resp, data)
	if ae.Status == http.StatusTooManyRequests {
		if ae.Global {
			c.mu.Lock()
			if until := c.now().Add(ae.RetryAfter); until.After(c.globalUntil) {
				c.globalUntil = until
			}
			c.mu.Unlock()
		}
		return true, ae.RetryAfter, ae // 0 (no hint) falls back to backoff
	}
	return ae.Status >= 500, 0, ae
}

func parseAPIError(resp *http.Response, data []byte) *apiError {
	var body struct {
		Code       int     `json:"code"`
		Message    string  `json:"message"`
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	_ = json.Unmarshal(data, &body)
	ae := &apiError{Status: resp.StatusCode, Code: body.Code, Message: body.Message, Global: body.Global}
	if ae.Message == "" {
		ae.Message = http.StatusText(resp.StatusCode)
	}
	if resp.Header.Get("X-RateLimit-Global") == "true" {
		ae.Global = true
	}
	ae.RetryAfter = time.Duration(body.RetryAfter * float64(time.Second))
	if s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil {
		ae.RetryAfter = max(ae.RetryAfter, time.Duration(s*float64(time.Second)))
	}
	return ae
}

// waitGlobal honours a global rate limit seen by any request.
func (c *rest) waitGlobal(ctx context.Context) error {
	c.mu.Lock()
	d := c.globalUntil.Sub(c.now())
	c.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if d > maxRetryWait {
		return &apiError{Status: http.StatusTooManyRequests, Message: "global rate limit", RetryAfter: d, Global: true}
	}
	return c.sleep(ctx, d)
}

// postedMessage is the part of Discord's message object we read back.
type postedMessage struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Timestamp string `json:"timestamp"`
}

// post creates a message in channel (paced per channel).
func (c *rest) post(ctx context.Context, channel string, m message) (postedMessage, error) {
	if err := c.sleep(ctx, c.pacer.Reserve(channel, c.now())); err != nil {
		return postedMessage{}, err
	}
	m.Flags &^= discordgo.MessageFlagsEphemeral // only interactions can be ephemeral
	var pm postedMessage
	err := c.do(ctx, http.MethodPost, "/api/v10/channels/"+channel+"/messages", m, &pm, true)
	if pm.ChannelID == "" {
		pm.ChannelID = channel
	}
	return pm, err
}

// dmChannel opens (or reuses) the DM channel with user.
func (c *rest) dmChannel(ctx context.Context, user string) (string, error) {
	c.mu.Lock()
	id, ok := c.dms[user]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	var ch struct {
		ID string `json:"id"`
	}
	if err := c.do(ctx, http.MethodPost, "/api/v10/users/@me/channels", map[string]string{"recipient_id": user}, &ch, true); err != nil {
		return "", err
	}
	if ch.ID == "" {
		return "", errors.New("open DM: empty channel id")
	}
	c.mu.Lock()
	c.dms[user] = ch.ID
	c.mu.Unlock()
	return ch.ID, nil
}

// editOriginal replaces the original interaction response (after a deferral).
func (c *rest) editOriginal(ctx context.Context, appID, token string, m message) error {
	m.Flags = 0 // flags cannot be changed by an edit
	return c.do(ctx, http.MethodPatch, "/api/v10/webhooks/"+appID+"/"+token+"/messages/@original", m, nil, false)
}

// followup posts an extra message to an interaction (ephemeral if m says so).
func (c *rest) followup(ctx context.Context, appID, token string, m message) error {
	return c.do(ctx, http.MethodPost, "/api/v10/webhooks/"+appID+"/"+token, m, nil, false)
}

// redact hides interaction tokens (webhook paths) from errors and logs.
func redact(path string) string {
	if strings.HasPrefix(path, "/api/v10/webhooks/") {
		return "/api/v10/webhooks/…"
	}
	return path
}

// deliveryError classifies a REST failure for the scheduler.
func deliveryError(err error) error {
	if err == nil {
		return nil
	}
	var de *bot.DeliveryError
	if errors.As(err, &de) {
		return err
	}
	var ae *apiError
	if errors.As(err, &ae) {
		if reason, ok := permanentReasons[ae.Code]; ok {
			return &bot.DeliveryError{Permanent: true, Reason: reason, Err: err}
		}
		switch ae.Status {
		case http.StatusForbidden:
			return &bot.DeliveryError{Permanent: true, Reason: "Discord refused the bot access", Err: err}
		case http.StatusNotFound:
			return &bot.DeliveryError{Permanent: true, Reason: "Discord does not know that channel or user", Err: err}
		case http.StatusTooManyRequests:
			return &bot.DeliveryError{RetryAfter: ae.RetryAfter, Reason: "Discord is rate limiting the bot", Err: err}
		case http.StatusUnauthorized:
			return &bot.DeliveryError{Reason: "Discord rejected the bot token", Err: err}
		}
		return &bot.DeliveryError{Reason: "Discord answered with an error", Err: err}
	}
	return &bot.DeliveryError{Reason: "Discord could not be reached", Err: err}
}
