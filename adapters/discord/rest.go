package discord

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/adapters/internal/ratelimit"
	"github.com/stretchbot/stretchbot/bot"
)

// Limits and retries of REST calls. discordgo's own client retries 429s
// forever with an uninterruptible time.Sleep, so deliveries and interaction
// follow-ups use this small net/http client instead.
const (
	// inlineWait is the pacing a delivery may wait out in place: short
	// enough not to hold a scheduler worker.
	inlineWait = 250 * time.Millisecond
	// answerAttempts and answerMaxWait bound the tries of one call made
	// while answering a user, and its waits for rate limits and between
	// tries.
	answerAttempts = 3
	answerMaxWait  = 10 * time.Second
	maxErrorBody   = 64 << 10
)

// Discord's rate limits known in advance. Per-route limits are learned
// from each answer's X-RateLimit-* headers.
var (
	// globalRate keeps every bot-token call under the global 50 requests
	// a second: at most 49 in any second.
	globalRate = ratelimit.Rate{Every: time.Second / 45, Burst: 5}
	// channelRate paces messages to one channel, about one a second, as
	// the route's own limit (5 per 5 s) allows.
	channelRate = ratelimit.Rate{Every: time.Second, Burst: 1}
)

// policy says how long one call may wait for rate limits and how often it
// is tried.
type policy struct {
	// inline is the longest rate-limit wait slept in place; a longer one
	// returns a *waitError at once, nothing sent.
	inline  time.Duration
	retries backoff.Budget
}

var (
	// deliverPolicy is for deliveries: one try, no sleeping beyond the
	// pacing; the scheduler re-queues the occurrence at RetryAfter.
	deliverPolicy = policy{inline: inlineWait, retries: backoff.Budget{Attempts: 1}}
	// answerPolicy is for answers to users (follow-ups, edits, replies by
	// DM) and registration: nobody re-queues them and no scheduler worker
	// waits for them, so they wait out rate limits and retry a little.
	answerPolicy = policy{inline: answerMaxWait, retries: backoff.Budget{Attempts: answerAttempts, MaxWait: answerMaxWait, Policy: backoff.Request}}
)

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

// unansweredError is a call that got no answer from Discord (the
// connection failed or broke, or its deadline passed): it may have been
// taken. A post that fails so is an unsure delivery (see Send).
type unansweredError struct{ err error }

func (e *unansweredError) Error() string { return e.err.Error() }
func (e *unansweredError) Unwrap() error { return e.err }

// waitError is a call that was not made because a rate limit asks to wait
// After first.
type waitError struct{ After time.Duration }

func (e *waitError) Error() string {
	return fmt.Sprintf("not sent: Discord's rate limit asks to wait %v", e.After)
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

// rest is a minimal Discord REST client with rate limits per bucket and
// global, bounded retries and error classification.
type rest struct {
	base   string // origin, e.g. https://discord.com
	token  string
	client *http.Client
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error

	limits *ratelimit.Limiter

	mu      sync.Mutex
	buckets map[string]string // route → X-RateLimit-Bucket hash, once learned
	dms     map[string]string // user id → DM channel id
}

func newREST(base, token string, client *http.Client, now func() time.Time, sleep func(context.Context, time.Duration) error) *rest {
	return &rest{
		base: strings.TrimRight(base, "/"), token: token, client: client, now: now, sleep: sleep,
		limits: ratelimit.New(), buckets: map[string]string{}, dms: map[string]string{},
	}
}

// globalKey is the bucket of the global limit.
const globalKey = "global"

// routeOf names the rate-limit route of a call, "POST /channels/{id}/messages",
// and its major parameter (the channel, guild, or webhook id and token):
// Discord keeps one bucket per route and major parameter.
func routeOf(method, path string) (route, major string) {
	path, _, _ = strings.Cut(path, "?") // the query names no route
	segs := strings.Split(strings.Trim(strings.TrimPrefix(path, "/api/v10"), "/"), "/")
	tmpl := make([]string, len(segs))
	for i, s := range segs {
		tmpl[i] = s
		switch {
		case i > 1 && (segs[i-2] == "webhooks" || segs[i-2] == "interactions"):
			tmpl[i] = "{token}"
		case i > 0 && idFollows[segs[i-1]] && !strings.HasPrefix(s, "@"):
			tmpl[i] = "{id}"
		}
	}
	if len(segs) > 1 {
		switch segs[0] {
		case "channels", "guilds":
			major = segs[1]
		case "webhooks", "interactions":
			major = strings.Join(segs[1:min(3, len(segs))], "/")
		}
	}
	return method + " /" + strings.Join(tmpl, "/"), major
}

// idFollows lists the path segments followed by an id.
var idFollows = map[string]bool{
	"channels": true, "guilds": true, "webhooks": true, "interactions": true, "users": true,
	"messages": true, "applications": true, "commands": true, "members": true, "roles": true,
}

// bucketKey is the limiter's name for route's bucket at major: by the
// bucket hash Discord told, else by the route until it does.
func (c *rest) bucketKey(route, major string) string {
	c.mu.Lock()
	hash := c.buckets[route]
	c.mu.Unlock()
	if hash == "" {
		hash = route
	}
	return "bucket " + hash + " " + major
}

// keys are the buckets a call counts against: the route's, the global
// limit for bot-token calls (interaction callbacks and webhooks are
// outside it), and a channel's message pace.
func (c *rest) keys(route, major string, auth bool) []ratelimit.Key {
	keys := []ratelimit.Key{{Name: c.bucketKey(route, major)}}
	if auth {
		keys = append(keys, ratelimit.Key{Name: globalKey, Rate: globalRate})
	}
	if route == "POST /channels/{id}/messages" {
		keys = append(keys, ratelimit.Key{Name: "post " + major, Rate: channelRate})
	}
	return keys
}

// do sends one JSON request to path (e.g. /api/v10/channels/1/messages)
// under answerPolicy. auth adds the bot token; webhook calls authenticate
// with their token in the path instead.
func (c *rest) do(ctx context.Context, method, path string, body, out any, auth bool) error {
	return c.call(ctx, answerPolicy, method, path, body, out, auth)
}

// call sends one JSON request to path under the rate limits and policy p:
// it waits for the limits at most p.inline (else returns a *waitError
// without sending), and retries 429s and transient failures (5xx, network)
// within p.retries. Every answer teaches the limiter its bucket's state; a
// 429 blocks its bucket, or everything under the global limit, until its
// Retry-After.
func (c *rest) call(ctx context.Context, p policy, method, path string, body, out any, auth bool) error {
	var payload []byte
	ctype := "application/json"
	if mp, ok := body.(multipartBody); ok {
		payload, ctype = mp.data, mp.contentType
	} else if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encode: %w", err)
		}
	}
	route, major := routeOf(method, path)
	tries := p.retries.Start()
	for {
		wait, ok := c.limits.Take(c.now(), p.inline, c.keys(route, major, auth)...)
		if !ok {
			return &waitError{After: wait}
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
		retry, hint, err := c.once(ctx, method, path, payload, ctype, out, auth, route, major)
		if err == nil {
			return nil
		}
		if !retry {
			return err
		}
		wait, ok = tries.Next(hint)
		if !ok {
			return err
		}
		var ae *apiError
		if errors.As(err, &ae) && ae.Status == http.StatusTooManyRequests && hint > 0 {
			continue // the limiter holds the next try back
		}
		if serr := c.sleep(ctx, wait); serr != nil {
			return errors.Join(err, serr)
		}
	}
}

// once makes one attempt. retry reports whether another attempt may help,
// wait how long Discord asked us to wait first.
func (c *rest) once(ctx context.Context, method, path string, payload []byte, ctype string, out any, auth bool, route, major string) (retry bool, wait time.Duration, err error) {
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return false, 0, fmt.Errorf("request: %w", err)
	}
	if payload != nil {
		req.Header.Set("Content-Type", ctype)
	}
	if auth {
		req.Header.Set("Authorization", "Bot "+c.token)
	}
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/stretchbot/stretchbot, 1)")
	resp, err := c.client.Do(req)
	if err != nil {
		// The request may have reached Discord: a lost answer, not a
		// refusal.
		if ctx.Err() != nil {
			return false, 0, &unansweredError{ctx.Err()}
		}
		return true, 0, &unansweredError{fmt.Errorf("%s %s: %w", method, redact(path), scrub(err))}
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	c.learn(route, major, resp.Header)
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
		key := c.bucketKey(route, major)
		if ae.Global {
			key = globalKey
		}
		if ae.RetryAfter > 0 {
			c.limits.Block(key, c.now().Add(ae.RetryAfter))
		}
		return true, ae.RetryAfter, ae // 0 (no hint) falls back to backoff
	}
	return ae.Status >= 500, 0, ae
}

// learn records what an answer's X-RateLimit-* headers say of its bucket:
// the bucket's hash for the route, and the calls remaining until reset.
func (c *rest) learn(route, major string, h http.Header) {
	if hash := h.Get("X-RateLimit-Bucket"); hash != "" {
		c.mu.Lock()
		c.buckets[route] = hash
		c.mu.Unlock()
	}
	remaining, err1 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	after, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
	if err1 != nil || err2 != nil {
		return
	}
	now := c.now()
	c.limits.Observe(c.bucketKey(route, major), remaining, now.Add(time.Duration(after*float64(time.Second))), now)
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

// postedMessage is the part of Discord's message object we read back.
type postedMessage struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Timestamp string `json:"timestamp"`
}

// post creates a message in channel under policy p.
func (c *rest) post(ctx context.Context, p policy, channel string, m message) (postedMessage, error) {
	m.Flags &^= discordgo.MessageFlagsEphemeral // only interactions can be ephemeral
	var pm postedMessage
	err := c.call(ctx, p, http.MethodPost, "/api/v10/channels/"+channel+"/messages", m, &pm, true)
	if pm.ChannelID == "" {
		pm.ChannelID = channel
	}
	return pm, err
}

// multipartBody is a request body already encoded as multipart/form-data
// (a message with attachments); call sends it as it is.
type multipartBody struct {
	contentType string
	data        []byte
}

// attachment is a file entry of a message's payload_json.
type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

// postFiles posts m to channel with files attached: multipart/form-data
// with the message as payload_json and each file as files[n], which the
// message's attachments list by the same n.
func (c *rest) postFiles(ctx context.Context, p policy, channel string, m message, files []bot.File) (postedMessage, error) {
	m.Flags &^= discordgo.MessageFlagsEphemeral
	atts := make([]attachment, len(files))
	for i, f := range files {
		atts[i] = attachment{ID: i, Filename: f.Name, Description: f.Title}
	}
	payload, err := json.Marshal(struct {
		message
		Attachments []attachment `json:"attachments"`
	}{m, atts})
	if err != nil {
		return postedMessage{}, fmt.Errorf("encode: %w", err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	pw, err := w.CreatePart(h)
	if err == nil {
		_, err = pw.Write(payload)
	}
	for i, f := range files {
		if err != nil {
			break
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files[%d]"; filename=%q`, i, f.Name))
		h.Set("Content-Type", cmp.Or(f.Type, "application/octet-stream"))
		var fw io.Writer
		if fw, err = w.CreatePart(h); err == nil {
			_, err = fw.Write(f.Data)
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return postedMessage{}, fmt.Errorf("encode files: %w", err)
	}
	var pm postedMessage
	err = c.call(ctx, p, http.MethodPost, "/api/v10/channels/"+channel+"/messages",
		multipartBody{contentType: w.FormDataContentType(), data: buf.Bytes()}, &pm, true)
	if pm.ChannelID == "" {
		pm.ChannelID = channel
	}
	return pm, err
}

// listedMessage is the part of a message object a look-up for an earlier
// delivery reads.
type listedMessage struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Timestamp string `json:"timestamp"`
	Author    struct {
		ID string `json:"id"`
	} `json:"author"`
	Content    string            `json:"content"`
	Embeds     []listedEmbed     `json:"embeds"`
	Components []listedComponent `json:"components"`
}

// listedEmbed is the text of a listed message's embed.
type listedEmbed struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Footer      struct {
		Text string `json:"text"`
	} `json:"footer"`
}

// listedComponent is a component of a listed message, with its children
// (an action row's buttons and menus).
type listedComponent struct {
	CustomID   string            `json:"custom_id"`
	Components []listedComponent `json:"components"`
}

// messagesAfter lists up to limit of channel's messages with ids above
// after, under policy p. Discord returns the oldest limit of them, newest
// first, and none at all when the bot lacks Read Message History there.
func (c *rest) messagesAfter(ctx context.Context, p policy, channel, after string, limit int) ([]listedMessage, error) {
	var out []listedMessage
	path := "/api/v10/channels/" + channel + "/messages?after=" + after + "&limit=" + strconv.Itoa(limit)
	err := c.call(ctx, p, http.MethodGet, path, nil, &out, true)
	return out, err
}

// dmChannel opens (or reuses) the DM channel with user under policy p.
func (c *rest) dmChannel(ctx context.Context, p policy, user string) (string, error) {
	c.mu.Lock()
	id, ok := c.dms[user]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	var ch struct {
		ID string `json:"id"`
	}
	if err := c.call(ctx, p, http.MethodPost, "/api/v10/users/@me/channels", map[string]string{"recipient_id": user}, &ch, true); err != nil {
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
	var we *waitError
	if errors.As(err, &we) {
		return &bot.DeliveryError{RetryAfter: we.After, Reason: "Discord is rate limiting the bot", Err: err}
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
