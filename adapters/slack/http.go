package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
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
// A Fixed answer (help) is written at once from its cached bytes.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request, body []byte, h bot.Handler) {
	cmd, sslCheck, err := parseSlashForm(body)
	if sslCheck {
		// Slack probing the certificate; nothing to run.
		w.WriteHeader(http.StatusOK)
		return
	}
	if err != nil {
		a.log.Warn("slack: bad slash command", "err", err)
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	if reply, ok := respond.Quick(h, cmd.message()); ok {
		// A Fixed answer is the same for everybody and changes nothing, so
		// a replay could show no more than help does to anyone: this
		// process's memory of signatures is enough, and the shared store
		// is not written for it.
		if !a.replays.FirstLocal(replayKey(r.Header), a.now()) {
			a.log.Warn("slack: rejected request", "path", r.URL.Path, "reason", "replayed signature")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		a.logRequest(r.Context(), r.URL.Path, bot.TenantID(cmd.TeamID), bot.UserID(cmd.UserID), cmd.Text)
		a.writeReply(w, reply)
		return
	}
	// The answer waits for the replay record, durable in the shared store,
	// so that every instance refuses a replay. A command that only reads
	// may run meanwhile: a replay's work changes nothing, and its answer
	// is never sent.
	check := func() bool { return a.fresh(w, r) }
	if !respond.Pure(h, cmd.message()) {
		if !check() {
			return
		}
		check = nil
	}
	a.command(r.Context(), r.URL.Path, cmd, h,
		func(reply bot.Reply) { a.writeReply(w, reply) },
		// The answer will go to response_url; an empty 200 shows nothing.
		func() { w.WriteHeader(http.StatusOK) }, check)
}

// writeReply writes reply as a slash command's JSON answer. A Fixed reply
// is rendered and encoded once; its bytes go out as they are.
func (a *Adapter) writeReply(w http.ResponseWriter, reply bot.Reply) {
	if reply.Fixed == "" {
		// Rendered for this request alone: encoded into a pooled buffer,
		// which the next answer reuses once this one is written.
		buf, err := respond.EncodeJSON(payloadFor(reply))
		if err != nil {
			// Only strings and slices of them: this cannot happen.
			a.log.Error("slack: encode answer", "err", err)
			buf.Reset()
			buf.WriteByte('\n')
		}
		a.writeBody(w, buf.Bytes())
		respond.Release(buf)
		return
	}
	body := a.rendered.Bytes(reply, func(reply bot.Reply) []byte {
		b, err := json.Marshal(payloadFor(reply))
		if err != nil {
			// Only strings and slices of them: this cannot happen.
			a.log.Error("slack: encode answer", "err", err)
		}
		return append(b, '\n')
	})
	a.writeBody(w, body)
}

// writeBody writes a slash command's JSON answer.
func (a *Adapter) writeBody(w http.ResponseWriter, body []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// command runs the core for a slash command. A reply ready within the
// slash budget goes to now, to be sent as the answer; otherwise ack
// acknowledges the command and the reply is posted to response_url once it
// is ready. Callers answer Fixed replies before (respond.Quick). check, if
// not nil, is the request's replay check, run beside the work (see
// respond.Race.Check).
func (a *Adapter) command(ctx context.Context, route string, cmd slashCommand, h bot.Handler, now func(bot.Reply), ack func(), check func() bool) {
	respond.Answer(ctx, a.work, respond.Race[bot.Reply]{
		// A list the core holds in memory, for a caller whose profile
		// hints are cached, is answered here, without the background.
		Quick: func() (bot.Reply, bool) {
			m := cmd.message()
			if !a.enrichCached(&m) {
				return bot.Reply{}, false
			}
			reply, ok := respond.Ready(h, m)
			if ok {
				a.logRequest(ctx, route, m.Tenant, m.User, m.Text)
			}
			return reply, ok
		},
		Work: func(ctx context.Context) bot.Reply {
			m := cmd.message()
			// The answer needs no token (it is the response, or goes to
			// response_url); only the profile hints do.
			if ws, err := a.workspace(ctx, m.Tenant, cmd.EnterpriseID); err == nil {
				a.ids.enrich(ctx, ws.api, &m)
			} else {
				a.log.Warn("slack: no token for the workspace; answering without profile hints", "team", m.Tenant, "err", err)
			}
			a.logRequest(ctx, route, m.Tenant, m.User, m.Text)
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
		Check:    check,
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

// event answers one app_mention or IM message where it was asked, in the
// workspace's own name. Public replies go to the conversation, in the
// mention's thread when it was made in one; private ones (a list, stats, a
// refusal) to a mention in a channel are an ephemeral message to the asker
// there, in the same thread. The app's own events (uninstall, home) are
// handled apart.
func (a *Adapter) event(ctx context.Context, route string, env eventEnvelope, h bot.Handler) {
	switch env.Event.Type {
	case "app_uninstalled", "tokens_revoked":
		a.uninstalled(ctx, route, env, h)
		return
	case "app_home_opened":
		a.homeOpened(ctx, route, env, h)
		return
	}
	// Most events are ignored; tell before looking up the workspace.
	if _, ok := eventMessage(env, ""); !ok {
		return
	}
	ws, err := a.workspace(ctx, env.team(), env.EnterpriseID)
	if err != nil {
		a.log.Warn("slack: event from a workspace without a token", "team", env.team(), "err", err)
		return
	}
	m, ok := eventMessage(env, a.botUserID(ctx, ws))
	if !ok {
		return
	}
	if m.DM {
		a.rememberDM(ws.team, string(m.User), string(m.Channel))
	}
	a.ids.enrich(ctx, ws.api, &m)
	a.logRequest(ctx, route+" "+env.Event.Type, m.Tenant, m.User, m.Text)
	reply := a.work.Handle(ctx, h, m)
	msg := render(reply)
	if reply.Visibility == bot.Private && !m.DM {
		a.replyPrivately(ctx, ws, m, msg)
		return
	}
	if err := a.post(ctx, ws, string(m.Channel), m.Thread, msg); err != nil {
		a.log.Error("slack: reply failed", "channel", m.Channel, "err", err)
	}
}

// replyPrivately shows a private answer to a channel mention to the asker
// only, as an ephemeral message in the channel (and thread). If Slack
// refuses it, the answer goes to the user's DM instead.
func (a *Adapter) replyPrivately(ctx context.Context, ws *workspace, m bot.Message, msg message) {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if m.Thread != "" {
		opts = append(opts, slack.MsgOptionTS(m.Thread))
	}
	err := a.call(ctx, a.answerPolicy(), string(ws.team), "chat.postEphemeral", "", func(ctx context.Context) error {
		_, err := ws.api.PostEphemeralContext(ctx, string(m.Channel), string(m.User), opts...)
		return err
	})
	if err == nil {
		return
	}
	a.log.Warn("slack: ephemeral answer failed; answering by DM", "channel", m.Channel, "user", m.User, "err", err)
	a.replyByDM(ctx, ws, m.User, msg)
}

// replyByDM posts msg in user's DM with the bot, in ws's workspace.
func (a *Adapter) replyByDM(ctx context.Context, ws *workspace, user bot.UserID, msg message) {
	dm, err := a.openDM(ctx, a.answerPolicy(), ws, string(user))
	if err == nil {
		err = a.post(ctx, ws, dm, "", msg)
	}
	if err != nil {
		a.log.Error("slack: reply by DM failed", "team", ws.team, "user", user, "err", err)
	}
}

// post answers in channel of ws's workspace with chat.postMessage, with
// that workspace's token and under its rate limits, in thread when set.
func (a *Adapter) post(ctx context.Context, ws *workspace, channel, thread string, msg message) error {
	opts := []slack.MsgOption{slack.MsgOptionText(msg.Text, false), slack.MsgOptionBlocks(msg.Blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return a.call(ctx, a.answerPolicy(), string(ws.team), "chat.postMessage", channel, func(ctx context.Context) error {
		_, _, err := ws.api.PostMessageContext(ctx, channel, opts...)
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
		// Answers through response_url need no token; the rest do.
		ws, err := a.workspace(ctx, in.team(), in.enterprise())
		if err != nil {
			a.log.Warn("slack: button pressed in a workspace without a token", "team", in.team(), "err", err)
		}
		for _, e := range events {
			a.ids.enrich(ctx, ws.client(), &e.Message)
			a.logRequest(ctx, route, e.Tenant, e.User, string(e.ID))
			res := a.work.HandleAction(ctx, h, e)
			if in.fromHome() {
				a.homeAnswer(ctx, ws, e, res)
				continue
			}
			a.action(ctx, ws, in, res)
		}
	})
}

// action applies an ActionResult: Update replaces the clicked message,
// Status rewrites its status line, Ephemeral answers the presser privately.
// ws is nil when the workspace has no token: then only what goes through
// response_url is answered.
func (a *Adapter) action(ctx context.Context, ws *workspace, in interaction, res bot.ActionResult) {
	yes, no := true, false
	switch {
	case res.Update != nil:
		p := payloadFor(*res.Update)
		p.ResponseType, p.ReplaceOriginal = "", &yes
		a.replace(ctx, ws, in, p)
	case res.Status != "" && in.Message != nil:
		p := responsePayload{Text: in.Message.Text, Blocks: withStatus(in.Message.Blocks, res.Status), ReplaceOriginal: &yes}
		a.replace(ctx, ws, in, p)
	}
	if res.Ephemeral != nil {
		p := payloadFor(*res.Ephemeral)
		p.ResponseType, p.ReplaceOriginal = "ephemeral", &no
		var err error
		switch {
		case in.ResponseURL != "":
			err = a.respond(ctx, in.ResponseURL, p)
		case ws != nil:
			m := render(*res.Ephemeral)
			err = a.call(ctx, a.answerPolicy(), string(ws.team), "chat.postEphemeral", "", func(ctx context.Context) error {
				_, err := ws.api.PostEphemeralContext(ctx, in.channel(), in.User.ID, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
				return err
			})
		default:
			err = errNotInstalled
		}
		if err != nil {
			a.log.Error("slack: ephemeral answer to a button failed", "err", err)
		}
	}
}

// replace updates the clicked message through response_url, or chat.update
// when there is none.
func (a *Adapter) replace(ctx context.Context, ws *workspace, in interaction, p responsePayload) {
	var err error
	switch {
	case in.ResponseURL != "":
		err = a.respond(ctx, in.ResponseURL, p)
	case ws == nil:
		err = errNotInstalled
	default:
		opts := []slack.MsgOption{slack.MsgOptionText(p.Text, false)}
		if blocks, ok := p.Blocks.([]slack.Block); ok {
			opts = append(opts, slack.MsgOptionBlocks(blocks...))
		} else if raw, ok := p.Blocks.([]json.RawMessage); ok {
			var bs slack.Blocks
			if b, e := json.Marshal(raw); e == nil && json.Unmarshal(b, &bs) == nil {
				opts = append(opts, slack.MsgOptionBlocks(bs.BlockSet...))
			}
		}
		err = a.call(ctx, a.answerPolicy(), string(ws.team), "chat.update", "", func(ctx context.Context) error {
			_, _, _, err := ws.api.UpdateMessageContext(ctx, in.channel(), in.messageTS(), opts...)
			return err
		})
	}
	if err != nil {
		a.log.Error("slack: updating the clicked message failed", "err", err)
	}
}
