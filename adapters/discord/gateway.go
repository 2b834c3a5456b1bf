package discord

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/stretchbot/stretchbot/adapters/internal/backoff"
	"github.com/stretchbot/stretchbot/bot"
)

// Run connects to the gateway (when a token is set and the gateway is
// enabled) and hands messages and interactions to h until ctx is done. A
// failing gateway is retried with backoff and never stops HTTP
// interactions or Send; one Discord closes for good (intents the
// application may not use) is left off. Run returns an error only when
// Discord refuses the token. Without the gateway Run just waits for ctx.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	if a.sess == nil || !a.cfg.Gateway {
		<-ctx.Done()
		return nil
	}
	removes := []func(){
		a.sess.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) {
			if r != nil && r.User != nil {
				a.setSelf(r.User.ID)
				a.log.Info("discord: gateway ready", "user", r.User.Username)
			}
		}),
		// The library reconnects and resumes by itself; say so, or a
		// dropped connection leaves no trace in the log.
		a.sess.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
			if ctx.Err() == nil {
				a.log.Info("discord: gateway disconnected; reconnecting")
			}
		}),
		a.sess.AddHandler(func(_ *discordgo.Session, _ *discordgo.Resumed) {
			a.log.Info("discord: gateway resumed")
		}),
		a.sess.AddHandler(func(_ *discordgo.Session, m *discordgo.MessageCreate) {
			a.onMessage(ctx, h, m)
		}),
		a.sess.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) {
			a.onInteraction(ctx, h, i)
		}),
	}
	defer func() {
		for _, rm := range removes {
			rm()
		}
	}()
	loop := backoff.Loop{
		Policy: backoff.Reconnect,
		Now:    a.now,
		Sleep:  a.sleep,
		OnRetry: func(err error, wait time.Duration) {
			a.log.Warn("discord: gateway connect failed; retrying", "err", scrub(err), "wait", wait)
		},
	}
	// A gateway that cannot connect is retried until ctx is done, while
	// HTTP interactions and Send keep working; only a refused token, which
	// nothing works without, ends Run with an error.
	err := loop.Forever(ctx, func(ctx context.Context) error {
		if err := a.sess.Open(); err != nil {
			return closedForGood(err)
		}
		// discordgo reconnects by itself from here (ShouldReconnectOnError).
		<-ctx.Done()
		if err := a.sess.Close(); err != nil {
			a.log.Warn("discord: gateway close", "err", err)
		}
		return nil
	})
	var off gatewayOff
	if errors.As(err, &off) {
		a.log.Error("discord: gateway off until restart; HTTP interactions and deliveries go on", "reason", off.reason)
		<-ctx.Done()
		return nil
	}
	return err
}

// gatewayOff is a close code after which connecting again cannot help,
// though the token is good.
type gatewayOff struct{ reason string }

func (g gatewayOff) Error() string { return "discord: gateway: " + g.reason }

// closedForGood marks the gateway's close codes that retrying cannot fix
// as fatal (backoff.Fatal); others are retried.
func closedForGood(err error) error {
	var ce *websocket.CloseError
	if !errors.As(err, &ce) {
		return err
	}
	switch ce.Code {
	case 4004:
		return backoff.Fatal(errors.New("discord: gateway: Discord refused the bot token (close 4004); check STRETCHBOT_DISCORD_TOKEN"))
	case 4014:
		return backoff.Fatal(gatewayOff{"the application may not use the Message Content intent (close 4014): switch on Message Content Intent under Bot, Privileged Gateway Intents, in the Developer Portal, then restart"})
	case 4010, 4011, 4012, 4013:
		return backoff.Fatal(gatewayOff{fmt.Sprintf("Discord closed the connection for good (close %d: %s)", ce.Code, ce.Text)})
	}
	return err
}

// onInteraction answers an interaction that came over the gateway, with the
// same code as HTTP interactions.
func (a *Adapter) onInteraction(ctx context.Context, h bot.Handler, i *discordgo.InteractionCreate) {
	if i == nil || i.Interaction == nil {
		return
	}
	if i.Type != discordgo.InteractionPing && invoker(i.Interaction) == "" {
		a.log.Warn("discord: ignored gateway interaction", "reason", "no member or user")
		return
	}
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord: gateway interaction panicked", "panic", p)
		}
	}()
	// As for HTTP interactions, a command that only reads runs beside the
	// check, which another instance's answer fails.
	check := func() bool { return a.firstDispatch(ctx, "interaction", i.ID) }
	a.interact(ctx, h, i.Interaction, gatewayResponder{s: a.sess, rest: a.rest, in: i.Interaction}, check)
}

// dispatchTTL is how long a gateway message or interaction id is
// remembered (Discord sends each once to every connected instance, within
// moments), and maxDispatches how many this process keeps.
const (
	dispatchTTL   = 10 * time.Minute
	maxDispatches = 10000
)

// firstDispatch reports whether no instance sharing the seen store has
// handled the gateway's message or interaction id: every instance
// connected with the bot's token gets every event, and each would answer
// a mention or run a command. While the store cannot tell, the event is
// dropped rather than risk running twice (the gateway does not send it
// again).
func (a *Adapter) firstDispatch(ctx context.Context, kind, id string) bool {
	first, err := a.dispatches.First(ctx, "discord "+kind+" "+id, a.now())
	if err != nil {
		a.log.Error("discord: cannot check the gateway event id; event dropped", "kind", kind, "err", err)
		return false
	}
	return first
}

// dmPointer is the reply in the channel when the answer went by DM.
const dmPointer = "I sent you the answer by DM."

// onMessage handles a gateway message: commands to the bot are passed to h
// and answered as a reply to the message, in the same channel (a thread is
// a channel). Messages cannot be ephemeral, so a private answer (a list,
// stats, a refusal) to a message in a server goes to the asker's DM, with a
// one-line pointer as the reply.
func (a *Adapter) onMessage(ctx context.Context, h bot.Handler, m *discordgo.MessageCreate) {
	if m == nil || m.Message == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("discord: message handling panicked", "panic", p)
		}
	}()
	msg, ok := gatewayMessage(m.Message, a.self(), a.threadParent(m.ChannelID))
	if !ok || !a.firstDispatch(ctx, "message", m.ID) {
		return
	}
	a.enrich(&msg, m.Message)
	reply := a.work.Handle(ctx, h, msg)
	out := render(reply)
	if reply.Visibility == bot.Private && !msg.DM {
		switch {
		case a.sendPrivate(ctx, string(msg.User), out):
			out = message{Content: dmPointer, AllowedMentions: noPings}
		case reply.Error:
			// A refusal only repeats what was typed in the channel:
			// better shown there than lost.
		default:
			out = message{Content: "I could not DM you the answer; please use /stretch, whose answers only you can see.", AllowedMentions: noPings}
		}
	}
	send := &discordgo.MessageSend{
		Content: out.Content, Embeds: out.Embeds, Components: out.Components, AllowedMentions: out.AllowedMentions,
		Reference: m.SoftReference(),
	}
	if _, err := a.sess.ChannelMessageSendComplex(m.ChannelID, send, discordgo.WithContext(ctx)); err != nil {
		a.log.Warn("discord: reply failed", "channel", m.ChannelID, "err", scrub(err))
	}
}

func (a *Adapter) sendPrivate(ctx context.Context, user string, m message) bool {
	ch, err := a.rest.dmChannel(ctx, answerPolicy, user)
	if err == nil {
		_, err = a.rest.post(ctx, answerPolicy, ch, m)
	}
	if err != nil {
		a.log.Warn("discord: private reply by DM failed", "err", err)
		return false
	}
	return true
}

// threadParent returns the parent channel when channelID is a thread the
// session's state knows, else "".
func (a *Adapter) threadParent(channelID string) string {
	if a.dsess == nil || a.dsess.State == nil {
		return ""
	}
	c, err := a.dsess.State.Channel(channelID)
	if err != nil || c == nil || !c.IsThread() {
		return ""
	}
	return c.ParentID
}

// enrich adds what only the gateway state knows: the channel name and the
// author's permissions (messages carry roles, not permissions).
func (a *Adapter) enrich(msg *bot.Message, m *discordgo.Message) {
	if a.dsess == nil || a.dsess.State == nil || msg.DM {
		return
	}
	defer func() {
		if p := recover(); p != nil { // state look-ups are best effort
			a.log.Warn("discord: state look-up panicked", "panic", p)
		}
	}()
	if c, err := a.dsess.State.Channel(m.ChannelID); err == nil && c != nil {
		msg.ChannelName = c.Name
	}
	if !msg.Admin {
		// The message carries its author's roles; the state has the
		// guild's roles and the channel's overwrites, but members only
		// with the privileged members intent.
		p, err := a.dsess.State.MessagePermissions(m)
		if err != nil {
			p, err = a.dsess.State.UserChannelPermissions(m.Author.ID, m.ChannelID)
		}
		if err == nil {
			msg.Admin = p&(permAdministrator|permManageGuild) != 0
		}
	}
}
