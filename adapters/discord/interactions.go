package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

const (
	maxBody         = 1 << 20
	signatureWindow = 5 * time.Minute
	// maxLocalSignatures is how many interaction signatures this process
	// keeps in memory: the seen store keeps every one for the whole
	// window, and a Fixed answer, checked here alone, is harmless to
	// replay.
	maxLocalSignatures = 20000
	// interactionTTL is how long an interaction token stays usable.
	interactionTTL = 15 * time.Minute
)

// Mount registers POST /discord/interactions when a public key is set.
func (a *Adapter) Mount(mux *http.ServeMux, h bot.Handler) {
	if a.publicKey == nil {
		return
	}
	mux.Handle("POST /discord/interactions", a.interactionsHandler(h))
}

func (a *Adapter) interactionsHandler(h bot.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				a.log.Warn("discord: rejected interaction", "reason", "body too large", "limit", maxBody)
				http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
				return
			}
			a.log.Warn("discord: rejected interaction", "reason", "body unreadable", "err", err)
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if reason := a.verify(r.Header, body); reason != "" {
			// Only the reason: never the body, signature or timestamp value.
			a.log.Warn("discord: rejected interaction", "reason", reason)
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		// A Fixed answer needs only the command, not the whole interaction.
		answer, data, ok := a.quickAnswer(h, body)
		if ok {
			// A Fixed answer is the same for everybody and changes
			// nothing, so a replay could show no more than help does to
			// anyone: this process's memory of signatures is enough,
			// and the shared store is not written for it.
			if !a.replays.FirstLocal(replayKey(r.Header), a.now()) {
				a.log.Warn("discord: rejected interaction", "reason", "replayed signature")
				http.Error(w, "invalid request signature", http.StatusUnauthorized)
				return
			}
			hdr := w.Header()
			hdr.Set("Content-Type", "application/json")
			hdr.Set("Content-Length", strconv.Itoa(len(answer)))
			_, _ = w.Write(answer)
			return
		}
		in, err := decodeInteraction(body, data)
		if err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		// check records the signature against replays, durably in the
		// shared store, before anything is answered; it answers a refusal
		// itself. interact runs it first, or beside a command that only
		// reads.
		var check func() bool
		refused := false
		if in.Type != discordgo.InteractionPing {
			if invoker(&in) == "" {
				// Nobody to own what it would create, nor to answer.
				a.log.Warn("discord: rejected interaction", "reason", "no member or user")
				http.Error(w, "interaction without member or user", http.StatusBadRequest)
				return
			}
			key := replayKey(r.Header)
			check = func() bool {
				first, err := a.replays.First(r.Context(), key, a.now())
				switch {
				case err != nil:
					a.log.Error("discord: rejected interaction", "reason", "cannot check for replays", "err", err)
					http.Error(w, "service unavailable", http.StatusServiceUnavailable)
				case !first:
					a.log.Warn("discord: rejected interaction", "reason", "replayed signature")
					http.Error(w, "invalid request signature", http.StatusUnauthorized)
				}
				refused = err != nil || !first
				return !refused
			}
		}
		resp := &httpResponder{w: w}
		defer func() {
			if p := recover(); p != nil {
				a.log.Error("discord: interaction panicked", "panic", p)
				if !resp.done {
					http.Error(w, "internal error", http.StatusInternalServerError)
				}
			}
		}()
		a.interact(r.Context(), h, &in, resp, check)
		if !resp.done && !refused {
			http.Error(w, "unsupported interaction", http.StatusBadRequest)
		}
	})
}

// replayKey is what a signed interaction is remembered by against replays:
// its signature, after its timestamp. The signature covers the timestamp,
// so a replay carries both unchanged; led by the timestamp, the keys of
// interactions arriving together sort together, and the seen store writes
// them into the same few pages of its index instead of one page each
// anywhere in it. The signature is in lower case: its hex is read in
// either, and the same signature in upper case is the same request.
func replayKey(h http.Header) string {
	return "discord sig " + h.Get("X-Signature-Timestamp") + " " + strings.ToLower(h.Get("X-Signature-Ed25519"))
}

// verify checks X-Signature-Ed25519 over timestamp+body and that the
// timestamp is within 5 minutes of now, in either direction. It returns ""
// when the request is genuine, otherwise why it is not (for the logs).
func (a *Adapter) verify(hdr http.Header, body []byte) string {
	sigHex, ts := hdr.Get("X-Signature-Ed25519"), hdr.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return "missing signature headers"
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return "malformed signature"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "malformed timestamp"
	}
	d := a.now().Sub(time.Unix(sec, 0))
	if d > signatureWindow || d < -signatureWindow {
		return "timestamp outside the 5-minute window"
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(a.publicKey, msg, sig) {
		return "bad signature"
	}
	return ""
}

// responder sends the initial response to an interaction: over HTTP as the
// response body, over the gateway with the callback endpoint.
// r is a *discordgo.InteractionResponse or, where discordgo's types
// cannot say what Discord needs (an empty choices list, a partial message
// update), our own JSON value of the same shape.
type responder interface {
	respond(r any) error
}

type httpResponder struct {
	w    http.ResponseWriter
	done bool
}

func (h *httpResponder) respond(r any) error {
	if h.done {
		return errors.New("already responded")
	}
	h.done = true
	// Encoded whole, with its length, the answer leaves in one write when
	// the handler returns (which it does at once after responding): a
	// flush here would send it chunked, in two writes.
	// The buffer is pooled: written, it serves the next answer.
	buf, err := respond.EncodeJSON(r)
	defer respond.Release(buf)
	if err != nil {
		http.Error(h.w, "internal error", http.StatusInternalServerError)
		return err
	}
	hdr := h.w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err = h.w.Write(buf.Bytes())
	return err
}

type gatewayResponder struct {
	s    session
	rest *rest
	in   *discordgo.Interaction
}

func (g gatewayResponder) respond(r any) error {
	if ir, ok := r.(*discordgo.InteractionResponse); ok {
		return g.s.InteractionRespond(g.in, ir)
	}
	// Our own payloads go to the same callback endpoint, authenticated by
	// the interaction token in the path. Discord wants the answer within
	// 3 s, so there is no point in trying longer.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return g.rest.do(ctx, http.MethodPost,
		"/api/v10/interactions/"+g.in.ID+"/"+g.in.Token+"/callback", r, nil, false)
}

// response wraps a rendered message as interaction response data.
func response(t discordgo.InteractionResponseType, m message) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{Type: t, Data: &discordgo.InteractionResponseData{
		Content: m.Content, Embeds: m.Embeds, Components: m.Components, Flags: m.Flags, AllowedMentions: m.AllowedMentions,
	}}
}

// interact handles one interaction, from HTTP or the gateway.
func (a *Adapter) interact(ctx context.Context, h bot.Handler, in *discordgo.Interaction, rs responder, check func() bool) {
	if in.Type != discordgo.InteractionApplicationCommand && check != nil && !check() {
		return
	}
	switch in.Type {
	case discordgo.InteractionPing:
		a.respond(rs, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
	case discordgo.InteractionApplicationCommand:
		a.command(ctx, h, in, rs, check)
	case discordgo.InteractionMessageComponent:
		a.component(ctx, h, in, rs)
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(in, rs)
	}
}

func (a *Adapter) respond(rs responder, r any) {
	if err := rs.respond(r); err != nil {
		a.log.Warn("discord: interaction response failed", "err", scrub(err))
	}
}

// scrub drops the URL from HTTP client errors: interaction URLs carry the
// interaction token, which must not reach the logs.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

func (a *Adapter) command(ctx context.Context, h bot.Handler, in *discordgo.Interaction, rs responder, check func() bool) {
	data, _ := in.Data.(discordgo.ApplicationCommandInteractionData)
	msg := interactionMessage(in)
	name, opts, err := subcommand(data)
	if err == nil {
		msg.Text, err = commandText(name, opts)
	}
	if err != nil {
		if check == nil || check() {
			a.respond(rs, response(discordgo.InteractionResponseChannelMessageWithSource, render(errorReply(err))))
		}
		return
	}
	if check != nil && !respond.Pure(h, msg) {
		if !check() {
			return
		}
		check = nil
	}
	ephemeral := !publicSubcommands[name]
	respond.Answer(ctx, a.work, respond.Race[bot.Reply]{
		// A Fixed answer, or a list the core holds in memory, is
		// answered here, without the background.
		Quick: func() (bot.Reply, bool) {
			if r, ok := respond.Quick(h, msg); ok {
				return r, true
			}
			return respond.Ready(h, msg)
		},
		Work: func(ctx context.Context) bot.Reply { return a.work.Handle(ctx, h, msg) },
		Now: func(r bot.Reply) {
			a.respond(rs, response(discordgo.InteractionResponseChannelMessageWithSource, render(r)))
		},
		// Deferred (type 5): the answer replaces it through the webhook.
		Ack:      func() { a.respond(rs, deferral(ephemeral)) },
		Later:    func(ctx context.Context, r bot.Reply) { a.finishDeferred(ctx, in, r, ephemeral) },
		Fallback: respond.Apology(),
		Check:    check,
	})
}

// commandPeek is what quickAnswer reads of an interaction: decoding the
// whole of it (discordgo decodes it twice over) costs more than the rest of
// a help answer, the signature check aside.
type commandPeek struct {
	Type   discordgo.InteractionType `json:"type"`
	Member *struct {
		User *struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"member"`
	User *struct {
		ID string `json:"id"`
	} `json:"user"`
	Data json.RawMessage `json:"data"`
}

// quickAnswer is the encoded response to an application command whose
// answer the core gives at once (a Fixed reply, such as help): rendered
// once, then the same bytes every time. ok is false for anything else,
// including an interaction the full path must refuse.
//
// data is the command's data when quickAnswer decoded it, so that the full
// path need not decode it again (decodeInteraction); nil otherwise.
func (a *Adapter) quickAnswer(h bot.Handler, body []byte) (answer []byte, data *discordgo.ApplicationCommandInteractionData, ok bool) {
	var p commandPeek
	if json.Unmarshal(body, &p) != nil || p.Type != discordgo.InteractionApplicationCommand {
		return nil, nil, false
	}
	var user string
	switch {
	case p.Member != nil && p.Member.User != nil:
		user = p.Member.User.ID
	case p.User != nil:
		user = p.User.ID
	}
	if user == "" {
		return nil, nil, false
	}
	data = new(discordgo.ApplicationCommandInteractionData)
	if json.Unmarshal(p.Data, data) != nil {
		return nil, nil, false
	}
	name, opts, err := subcommand(*data)
	if err != nil {
		return nil, data, false
	}
	// A Fixed answer does not depend on who asked or where, so the
	// message carries only what the core reads to recognise one.
	msg := bot.Message{Platform: bot.Discord, User: bot.UserID(user)}
	if msg.Text, err = commandText(name, opts); err != nil {
		return nil, data, false
	}
	reply, ok := respond.Quick(h, msg)
	if !ok || reply.Fixed == "" {
		return nil, data, false
	}
	return a.rendered.Bytes(reply, func(r bot.Reply) []byte {
		b, err := json.Marshal(response(discordgo.InteractionResponseChannelMessageWithSource, render(r)))
		if err != nil {
			// Only strings and slices of them: this cannot happen.
			a.log.Error("discord: encode answer", "err", err)
		}
		return append(b, '\n')
	}), nil, true
}

// interactionFields is discordgo.Interaction without its UnmarshalJSON,
// which decodes the whole body and then its data apart.
type interactionFields discordgo.Interaction

// decodeInteraction decodes an interaction's body as discordgo does. data,
// when not nil, is the body's application command data, decoded already
// (quickAnswer): then the body is decoded without it, and data goes in its
// place, rather than decoding the same bytes again.
func decodeInteraction(body []byte, data *discordgo.ApplicationCommandInteractionData) (discordgo.Interaction, error) {
	var in discordgo.Interaction
	if data == nil {
		err := json.Unmarshal(body, &in)
		return in, err
	}
	var raw struct {
		interactionFields
		Data struct{} `json:"data"` // skipped: data is its decoding
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return in, err
	}
	in = discordgo.Interaction(raw.interactionFields)
	if in.Type != discordgo.InteractionApplicationCommand {
		// Not what quickAnswer read; cannot be, but decode it all.
		err := json.Unmarshal(body, &in)
		return in, err
	}
	in.Data = *data
	return in, nil
}

func errorReply(err error) bot.Reply {
	r := bot.Reply{Blocks: []string{bot.ErrorMessage(err)}, Error: true, Visibility: bot.Private}
	if ex := bot.ErrorExample(err); ex != "" {
		r.Blocks = append(r.Blocks, "Example: "+ex)
	}
	return r
}

// deferral is the type 5 response that promises an answer later.
func deferral(ephemeral bool) *discordgo.InteractionResponse {
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: flags},
	}
}

// finishDeferred edits the deferred response. A private reply behind a
// public deferral is sent as an ephemeral follow-up so it never leaks.
func (a *Adapter) finishDeferred(ctx context.Context, in *discordgo.Interaction, r bot.Reply, ephemeral bool) {
	app := a.appID(in)
	m := render(r)
	var err error
	if !ephemeral && r.Visibility == bot.Private {
		err = a.rest.editOriginal(ctx, app, in.Token, message{Content: "Answer sent privately.", AllowedMentions: noPings})
		if err == nil {
			err = a.rest.followup(ctx, app, in.Token, m)
		}
	} else {
		err = a.rest.editOriginal(ctx, app, in.Token, m)
	}
	if err != nil {
		a.log.Warn("discord: finishing deferred interaction failed", "err", err)
	}
}

func (a *Adapter) appID(in *discordgo.Interaction) string {
	if in.AppID != "" {
		return in.AppID
	}
	return a.cfg.AppID
}

func (a *Adapter) component(ctx context.Context, h bot.Handler, in *discordgo.Interaction, rs responder) {
	data, _ := in.Data.(discordgo.MessageComponentInteractionData)
	id, value, ok := componentAction(data)
	if !ok {
		a.respond(rs, response(discordgo.InteractionResponseChannelMessageWithSource,
			render(bot.Reply{Blocks: []string{"That button is no longer supported."}, Visibility: bot.Private, Error: true})))
		return
	}
	ev := bot.ActionEvent{Message: interactionMessage(in), ID: id, Value: value}
	if in.Message != nil {
		ev.MessageRef = in.Message.ID
	}
	respond.Answer(ctx, a.work, respond.Race[bot.ActionResult]{
		Work: func(ctx context.Context) bot.ActionResult { return a.work.HandleAction(ctx, h, ev) },
		Now:  func(res bot.ActionResult) { a.answerAction(ctx, in, rs, res) },
		// Acknowledge now (type 6) and edit the message when the core answers.
		Ack: func() {
			a.respond(rs, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
		},
		Later:    func(ctx context.Context, res bot.ActionResult) { a.finishAction(ctx, in, res) },
		Fallback: respond.ActionApology(),
	})
}

// finishAction applies a button's result after a deferred update: edits
// the clicked message, then answers the presser privately.
func (a *Adapter) finishAction(ctx context.Context, in *discordgo.Interaction, res bot.ActionResult) {
	switch {
	case res.Update != nil:
		if err := a.rest.editOriginal(ctx, a.appID(in), in.Token, render(*res.Update)); err != nil {
			a.log.Warn("discord: deferred update failed", "err", err)
		}
	case res.Status != "":
		path := "/api/v10/webhooks/" + a.appID(in) + "/" + in.Token + "/messages/@original"
		if err := a.rest.do(ctx, http.MethodPatch, path, withStatus(in.Message, res.Status), nil, false); err != nil {
			a.log.Warn("discord: deferred status update failed", "err", err)
		}
	}
	a.ephemeralFollowup(ctx, in, res.Ephemeral)
}

// answerAction sends the initial response to a button press: type 7 to
// replace the message or to set its status line (plus an ephemeral
// follow-up), type 4 ephemeral when there is only a private answer, type 6
// to leave the message unchanged.
func (a *Adapter) answerAction(ctx context.Context, in *discordgo.Interaction, rs responder, res bot.ActionResult) {
	switch {
	case res.Update != nil || res.Status != "":
		if res.Update != nil {
			up := render(*res.Update)
			up.Flags = 0 // an update keeps the message's visibility
			a.respond(rs, response(discordgo.InteractionResponseUpdateMessage, up))
		} else {
			a.respond(rs, statusResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: withStatus(in.Message, res.Status)})
		}
		if res.Ephemeral != nil {
			a.work.Go(ctx, func(ctx context.Context) { a.ephemeralFollowup(ctx, in, res.Ephemeral) })
		}
	case res.Ephemeral != nil:
		eph := render(*res.Ephemeral)
		eph.Flags = discordgo.MessageFlagsEphemeral
		a.respond(rs, response(discordgo.InteractionResponseChannelMessageWithSource, eph))
	default:
		a.respond(rs, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate})
	}
}

// ephemeralFollowup posts r privately to the presser (nothing if r is nil).
func (a *Adapter) ephemeralFollowup(ctx context.Context, in *discordgo.Interaction, r *bot.Reply) {
	if r == nil {
		return
	}
	m := render(*r)
	m.Flags = discordgo.MessageFlagsEphemeral
	if err := a.rest.followup(ctx, a.appID(in), in.Token, m); err != nil {
		a.log.Warn("discord: ephemeral follow-up failed", "err", err)
	}
}

func (a *Adapter) autocomplete(in *discordgo.Interaction, rs responder) {
	data, _ := in.Data.(discordgo.ApplicationCommandInteractionData)
	var out []*discordgo.ApplicationCommandOptionChoice
	if sub, name, value := focusedOption(data); completesZone(sub, name) {
		for _, z := range matchZones(value, 25) {
			out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: z, Value: z})
		}
	}
	if out == nil {
		out = []*discordgo.ApplicationCommandOptionChoice{}
	}
	a.respond(rs, autocompleteResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult, Data: autocompleteData{Choices: out}})
}

// autocompleteResponse is our own type 8 payload: discordgo tags choices
// omitempty, but Discord needs "choices": [] when nothing matches, or the
// client shows "Loading options failed".
type autocompleteResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data autocompleteData                  `json:"data"`
}

type autocompleteData struct {
	Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}
