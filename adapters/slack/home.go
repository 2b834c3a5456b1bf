package slack

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/bot"
)

const (
	// homeTTL is how long after a user last opened their home page it is
	// still refreshed when something on it changes; opening it again
	// always publishes it anew.
	homeTTL = 7 * 24 * time.Hour
	// maxHomes bounds the users whose home pages are kept fresh.
	maxHomes = 50000
	// maxViewBlocks is Slack's limit for a home view.
	maxViewBlocks = 100
)

var _ bot.HomeRefresher = (*Adapter)(nil)

// homeKey names a user's home page.
func homeKey(team bot.TenantID, user bot.UserID) string { return string(team) + "/" + string(user) }

// homeOpened publishes the home page of a user who opened the app's Home
// tab (the event also comes for the Messages tab, which needs nothing).
func (a *Adapter) homeOpened(ctx context.Context, route string, env eventEnvelope, h bot.Handler) {
	// The event's channel is the user's DM with the bot, on either tab.
	a.rememberDM(env.team(), env.Event.User, env.Event.Channel)
	if env.Event.Tab != "home" || env.Event.User == "" {
		return
	}
	team, user := env.team(), bot.UserID(env.Event.User)
	a.logRequest(ctx, route+" app_home_opened", team, user, "")
	ws, err := a.workspace(ctx, team, env.EnterpriseID)
	if err != nil {
		a.log.Warn("slack: home opened in a workspace without a token", "team", team, "err", err)
		return
	}
	a.homes.Put(homeKey(team, user), true, homeTTL, a.now())
	a.publishHome(ctx, ws, h, user)
}

// RefreshHome republishes user's home page in the background, if they
// have opened it lately (others see a fresh one when they open it).
func (a *Adapter) RefreshHome(ctx context.Context, team bot.TenantID, user bot.UserID) {
	if _, ok := a.homes.Get(homeKey(team, user), a.now()); !ok || a.stopped.Load() {
		// After Run ended, a last delivery's refresh would outlive the
		// store it reads.
		return
	}
	h := a.handler()
	if h == nil {
		return
	}
	a.goBackground(ctx, func(ctx context.Context) {
		ws, err := a.workspace(ctx, team, "")
		if err != nil {
			a.log.Warn("slack: cannot refresh a home page", "team", team, "err", err)
			return
		}
		a.publishHome(ctx, ws, h, user)
	})
}

// publishHome asks the core for user's home and publishes it with
// views.publish.
func (a *Adapter) publishHome(ctx context.Context, ws *workspace, h bot.Handler, user bot.UserID) {
	hb, ok := h.(bot.HomeBuilder)
	if !ok {
		return
	}
	m := bot.Message{Platform: bot.Slack, Tenant: ws.team, User: user}
	a.ids.enrich(ctx, ws.api, &m)
	home, err := hb.Home(ctx, m)
	if err != nil {
		a.log.Error("slack: building a home page failed", "team", ws.team, "user", user, "err", err)
		return
	}
	err = a.call(ctx, a.answerPolicy(), string(ws.team), "views.publish", "", func(ctx context.Context) error {
		_, err := ws.api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: string(user), View: renderHome(home)})
		return err
	})
	if err != nil {
		a.log.Error("slack: publishing a home page failed", "team", ws.team, "user", user, "err", err)
	}
}

// homeAnswer answers a button pressed on the home page: there is no
// message to update and no channel, so a private answer goes to the
// user's direct messages with the bot. ws is nil when the workspace has
// no token.
func (a *Adapter) homeAnswer(ctx context.Context, ws *workspace, e bot.ActionEvent, res bot.ActionResult) {
	if res.Ephemeral == nil {
		return
	}
	if ws == nil {
		a.log.Warn("slack: cannot answer a home button without a token", "team", e.Tenant)
		return
	}
	a.replyByDM(ctx, ws, e.User, render(*res.Ephemeral))
}

// renderHome turns a core home page into a Home tab view: a header, each
// section as a bold heading over its lines, the buttons, and the note.
func renderHome(h bot.Home) slack.HomeTabViewRequest {
	var blocks []slack.Block
	if t := strings.TrimSpace(h.Title); t != "" {
		blocks = append(blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, cut(t, maxHeaderLen), false, false)))
	}
	if len(h.Actions) > 0 {
		blocks = append(blocks, buttons(h.Actions))
	}
	for _, s := range h.Sections {
		text := "*" + escape(s.Heading) + "*"
		if len(s.Lines) > 0 {
			text += "\n" + escape(strings.Join(s.Lines, "\n"))
		}
		blocks = append(blocks, slack.NewDividerBlock(), section(text))
	}
	if n := strings.TrimSpace(h.Note); n != "" {
		blocks = append(blocks, slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, cut(escape(n), maxContextLen), false, false)))
	}
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}
