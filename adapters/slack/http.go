package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

// workTimeout bounds work done after Slack was answered.
const workTimeout = 2 * time.Minute

// responsePayload is the JSON of a slash command answer and of a
// response_url post.
type responsePayload struct {
	ResponseType    string `json:"response_type,omitempty"`
	Text            string `json:"text"`
	Blocks          any    `json:"blocks,omitempty"`
	ReplaceOriginal *bool  `json:"replace_original,omitempty"`
}

func payloadFor(r bot.Reply) responsePayload {
	m := render(r)
	rt := "ephemeral"
	if r.Visibility == bot.Public {
		rt = "in_channel"
	}
	return responsePayload{ResponseType: rt, Text: m.Text, Blocks: m.Blocks}
}

// serveCommand answers a slash command within Slack's 3 seconds: in the
// response body when the core is quick, else later through response_url.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
	if v, _ := url.ParseQuery(string(body)); v.Get("ssl_check") == "1" {
		// Slack probing the certificate; nothing to run.
		w.WriteHeader(http.StatusOK)
		return
	}
	cmd, err := parseSlashForm(body)
	if err != nil {
		a.log.Warn("slack: bad slash command", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	reply, ok := a.command(context.WithoutCancel(r.Context()), cmd, h)
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		// The answer will go to response_url; an empty 200 shows nothing.
		w.WriteHeader(http.StatusOK)
		return
	}
	_ = json.NewEncoder(w).Encode(payloadFor(reply))
}

// command runs the core for a slash command with the slash budget. When the
// core is slower it returns false and posts the reply to response_url once
// it is ready. ctx must not be cancelled when the request ends.
func (a *Adapter) command(ctx context.Context, cmd slashCommand, h bot.Handler) (bot.Reply, bool) {
	done := make(chan bot.Reply, 1)
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		wctx, cancel := context.WithTimeout(ctx, workTimeout)
		defer cancel()
		m := cmd.message()
		a.ids.enrich(wctx, &m)
		done <- a.handle(wctx, h, m)
	}()
	t := time.NewTimer(a.slashBudget)
	defer t.Stop()
	select {
	case reply := <-done:
		return reply, true
	case <-t.C:
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		reply := <-done
		wctx, cancel := context.WithTimeout(ctx, workTimeout)
		defer cancel()
		if err := a.respond(wctx, cmd.ResponseURL, payloadFor(reply)); err != nil {
			a.log.Error("slack: late slash command answer failed", "err", err)
		}
	}()
	return bot.Reply{}, false
}

// handle calls the core, turning a panic into an apology.
func (a *Adapter) handle(ctx context.Context, h bot.Handler, m bot.Message) (reply bot.Reply) {
	defer func() {
		if v := recover(); v != nil {
			a.log.Error("slack: panic in handler", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			reply = bot.Reply{Blocks: []string{"Sorry, that went wrong on our side and has been logged. Please try again."}, Visibility: bot.Private, Error: true}
		}
	}()
	return h.Handle(ctx, m)
}

// handleAction calls the core for a button press, surviving a panic.
func (a *Adapter) handleAction(ctx context.Context, h bot.Handler, e bot.ActionEvent) (res bot.ActionResult) {
	defer func() {
		if v := recover(); v != nil {
			a.log.Error("slack: panic in action handler", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			res = bot.ActionResult{Ephemeral: &bot.Reply{Blocks: []string{"Sorry, that went wrong on our side and has been logged. Please try again."}, Visibility: bot.Private, Error: true}}
		}
	}()
	return h.HandleAction(ctx, e)
}

// respond posts a payload to a response_url.
func (a *Adapter) respond(ctx context.Context, responseURL string, p responsePayload) error {
	u, err := url.Parse(responseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("slack: response_url: invalid URL")
	}
	body, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		return fmt.Errorf("slack: response_url: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("slack: response_url: status %s", resp.Status)
	}
	return nil
}

// serveEvent acknowledges an Events API request at once and handles the
// event in the background (Slack retries after 3 s).
func (a *Adapter) serveEvent(w http.ResponseWriter, _ *http.Request, body []byte, h bot.Handler) {
	env, err := parseEvent(body)
	if err != nil {
		a.log.Warn("slack: bad event", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if env.Type == "url_verification" {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"challenge": env.Challenge})
		return
	}
	w.WriteHeader(http.StatusOK)
	a.dispatchEvent(env, h)
}

// dispatchEvent de-duplicates env and handles it asynchronously.
func (a *Adapter) dispatchEvent(env eventEnvelope, h bot.Handler) {
	if env.Type != "event_callback" || !a.events.First(env.EventID, a.now()) {
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer a.recoverWork("event")
		ctx, cancel := context.WithTimeout(context.Background(), workTimeout)
		defer cancel()
		a.event(ctx, env, h)
	}()
}

func (a *Adapter) recoverWork(op string) {
	if v := recover(); v != nil {
		a.log.Error("slack: panic", "op", op, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
}

// event answers one app_mention or IM message with chat.postMessage, in
// its thread; private replies in channels go to the user as ephemeral.
func (a *Adapter) event(ctx context.Context, env eventEnvelope, h bot.Handler) {
	m, ok := eventMessage(env, a.ids.knownBotID(ctx))
	if !ok {
		return
	}
	a.ids.enrich(ctx, &m)
	reply := a.handle(ctx, h, m)
	msg := render(reply)
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if m.Thread != "" {
		opts = append(opts, slack.MsgOptionTS(m.Thread))
	}
	var err error
	if reply.Visibility == bot.Private && !m.DM {
		err = a.retry(ctx, "chat.postEphemeral", "", func(ctx context.Context) error {
			_, err := a.api.PostEphemeralContext(ctx, string(m.Channel), string(m.User), opts...)
			return err
		})
	} else {
		err = a.retry(ctx, "chat.postMessage", "", func(ctx context.Context) error {
			_, _, err := a.api.PostMessageContext(ctx, string(m.Channel), opts...)
			return err
		})
	}
	if err != nil {
		a.log.Error("slack: reply failed", "channel", m.Channel, "err", err)
	}
}

// serveInteraction acknowledges a button press and answers it in the
// background.
func (a *Adapter) serveInteraction(w http.ResponseWriter, _ *http.Request, body []byte, h bot.Handler) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	in, err := parseInteraction([]byte(form.Get("payload")))
	if err != nil {
		a.log.Warn("slack: bad interaction", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	a.dispatchInteraction(in, h)
}

func (a *Adapter) dispatchInteraction(in interaction, h bot.Handler) {
	events := in.actionEvents()
	if len(events) == 0 {
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer a.recoverWork("interaction")
		ctx, cancel := context.WithTimeout(context.Background(), workTimeout)
		defer cancel()
		for _, e := range events {
			a.ids.enrich(ctx, &e.Message)
			a.action(ctx, in, a.handleAction(ctx, h, e))
		}
	}()
}

// action applies an ActionResult: Update replaces the clicked message,
// Status rewrites its status line, Ephemeral answers the presser privately.
func (a *Adapter) action(ctx context.Context, in interaction, res bot.ActionResult) {
	yes, no := true, false
	switch {
	case res.Update != nil:
		p := payloadFor(*res.Update)
		p.ResponseType, p.ReplaceOriginal = "", &yes
		a.replace(ctx, in, p)
	case res.Status != "" && in.Message != nil:
		p := responsePayload{Text: in.Message.Text, Blocks: withStatus(in.Message.Blocks, res.Status), ReplaceOriginal: &yes}
		a.replace(ctx, in, p)
	}
	if res.Ephemeral != nil {
		p := payloadFor(*res.Ephemeral)
		p.ResponseType, p.ReplaceOriginal = "ephemeral", &no
		var err error
		if in.ResponseURL != "" {
			err = a.respond(ctx, in.ResponseURL, p)
		} else {
			m := render(*res.Ephemeral)
			_, err = a.api.PostEphemeralContext(ctx, in.channel(), in.User.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
		}
		if err != nil {
			a.log.Error("slack: ephemeral answer to a button failed", "err", err)
		}
	}
}

// replace updates the clicked message through response_url, or chat.update
// when there is none.
func (a *Adapter) replace(ctx context.Context, in interaction, p responsePayload) {
	var err error
	if in.ResponseURL != "" {
		err = a.respond(ctx, in.ResponseURL, p)
	} else {
		opts := []slack.MsgOption{slack.MsgOptionText(p.Text, false)}
		if blocks, ok := p.Blocks.([]slack.Block); ok {
			opts = append(opts, slack.MsgOptionBlocks(blocks...))
		} else if raw, ok := p.Blocks.([]json.RawMessage); ok {
			var bs slack.Blocks
			if b, e := json.Marshal(raw); e == nil && json.Unmarshal(b, &bs) == nil {
				opts = append(opts, slack.MsgOptionBlocks(bs.BlockSet...))
			}
		}
		_, _, _, err = a.api.UpdateMessageContext(ctx, in.channel(), in.messageTS(), opts...)
	}
	if err != nil {
		a.log.Error("slack: updating the clicked message failed", "err", err)
	}
}
