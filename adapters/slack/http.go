package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
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
	w.Header().Set("Content-Type", "application/json")
	a.command(r.Context(), r.URL.Path, cmd, h,
		func(reply bot.Reply) { _ = json.NewEncoder(w).Encode(payloadFor(reply)) },
		// The answer will go to response_url; an empty 200 shows nothing.
		func() { w.WriteHeader(http.StatusOK) })
}

// command runs the core for a slash command. A reply ready within the
// slash budget goes to now, to be sent as the answer; otherwise ack
// acknowledges the command and the reply is posted to response_url once it
// is ready.
func (a *Adapter) command(ctx context.Context, route string, cmd slashCommand, h bot.Handler, now func(bot.Reply), ack func()) {
	respond.Answer(ctx, a.work, respond.Race[bot.Reply]{
		Work: func(ctx context.Context) bot.Reply {
			m := cmd.message()
			a.ids.enrich(ctx, &m)
			a.logRequest(ctx, route, m.Tenant, m.User, commandWord(m.Text))
			return a.work.Handle(ctx, h, m)
		},
		Now: now,
		Ack: ack,
		Later: func(ctx context.Context, reply bot.Reply) {
			if err := a.respond(ctx, cmd.ResponseURL, payloadFor(reply)); err != nil {
				a.log.Error("slack: late slash command answer failed", "err", err)
			}
		},
		Fallback: respond.Apology(),
	})
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
// event in the background (Slack retries after 3 s). An event id handled
// before, by any instance, is acknowledged and dropped; while the seen
// store cannot tell, the answer is 503, so Slack sends the event again.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
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
	first, err := a.firstEvent(r.Context(), env)
	if err != nil {
		a.log.Error("slack: cannot check the event id; Slack will send it again", "err", err)
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
	if first {
		a.work.Go(context.Background(), func(ctx context.Context) { a.event(ctx, "/slack/events", env, h) })
	}
}

// dispatchEvent de-duplicates a Socket Mode event, already acknowledged,
// and handles it asynchronously. While the seen store cannot tell whether
// another instance handled it, it is dropped: never answered twice.
func (a *Adapter) dispatchEvent(ctx context.Context, route string, env eventEnvelope, h bot.Handler) {
	first, err := a.firstEvent(ctx, env)
	if err != nil {
		a.log.Error("slack: cannot check the event id; event dropped", "event", env.EventID, "err", err)
		return
	}
	if first {
		a.work.Go(context.Background(), func(ctx context.Context) { a.event(ctx, route, env, h) })
	}
}

// firstEvent reports whether env is an event callback no instance has
// handled before.
func (a *Adapter) firstEvent(ctx context.Context, env eventEnvelope) (bool, error) {
	if env.Type != "event_callback" {
		return false, nil
	}
	if env.EventID == "" {
		return true, nil
	}
	return a.events.First(ctx, "slack event "+env.TeamID+" "+env.EventID, a.now())
}

// event answers one app_mention or IM message where it was asked. Public
// replies go to the conversation, in the mention's thread when it was made
// in one; private ones (a list, stats, a refusal) to a mention in a
// channel are an ephemeral message to the asker there, in the same thread.
func (a *Adapter) event(ctx context.Context, route string, env eventEnvelope, h bot.Handler) {
	m, ok := eventMessage(env, a.ids.knownBotID(ctx))
	if !ok {
		return
	}
	a.ids.enrich(ctx, &m)
	a.logRequest(ctx, route+" "+env.Event.Type, m.Tenant, m.User, commandWord(m.Text))
	reply := a.work.Handle(ctx, h, m)
	msg := render(reply)
	if reply.Visibility == bot.Private && !m.DM {
		a.replyPrivately(ctx, m, msg)
		return
	}
	if err := a.post(ctx, string(m.Tenant), string(m.Channel), m.Thread, msg); err != nil {
		a.log.Error("slack: reply failed", "channel", m.Channel, "err", err)
	}
}

// replyPrivately shows a private answer to a channel mention to the asker
// only, as an ephemeral message in the channel (and thread). If Slack
// refuses it, the answer goes to the user's DM instead.
func (a *Adapter) replyPrivately(ctx context.Context, m bot.Message, msg message) {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if m.Thread != "" {
		opts = append(opts, slack.MsgOptionTS(m.Thread))
	}
	team := string(m.Tenant)
	err := a.call(ctx, a.answerPolicy(), team, "chat.postEphemeral", "", func(ctx context.Context) error {
		_, err := a.api.PostEphemeralContext(ctx, string(m.Channel), string(m.User), opts...)
		return err
	})
	if err == nil {
		return
	}
	a.log.Warn("slack: ephemeral answer failed; answering by DM", "channel", m.Channel, "user", m.User, "err", err)
	dm, err := a.openDM(ctx, a.answerPolicy(), team, string(m.User))
	if err == nil {
		err = a.post(ctx, team, dm, "", msg)
	}
	if err != nil {
		a.log.Error("slack: reply failed", "channel", m.Channel, "user", m.User, "err", err)
	}
}

// post answers in channel of team with chat.postMessage, in thread when
// set.
func (a *Adapter) post(ctx context.Context, team, channel, thread string, msg message) error {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return a.call(ctx, a.answerPolicy(), team, "chat.postMessage", channel, func(ctx context.Context) error {
		_, _, err := a.api.PostMessageContext(ctx, channel, opts...)
		return err
	})
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
	a.dispatchInteraction("/slack/interactions", in, h)
}

func (a *Adapter) dispatchInteraction(route string, in interaction, h bot.Handler) {
	events := in.actionEvents()
	if len(events) == 0 {
		return
	}
	a.work.Go(context.Background(), func(ctx context.Context) {
		for _, e := range events {
			a.ids.enrich(ctx, &e.Message)
			a.logRequest(ctx, route, e.Tenant, e.User, commandWord(string(e.ID)))
			a.action(ctx, in, a.work.HandleAction(ctx, h, e))
		}
	})
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
			err = a.call(ctx, a.answerPolicy(), in.team(), "chat.postEphemeral", "", func(ctx context.Context) error {
				_, err := a.api.PostEphemeralContext(ctx, in.channel(), in.User.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
				return err
			})
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
		err = a.call(ctx, a.answerPolicy(), in.team(), "chat.update", "", func(ctx context.Context) error {
			_, _, _, err := a.api.UpdateMessageContext(ctx, in.channel(), in.messageTS(), opts...)
			return err
		})
	}
	if err != nil {
		a.log.Error("slack: updating the clicked message failed", "err", err)
	}
}
