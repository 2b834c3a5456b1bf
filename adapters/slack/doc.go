// Package slack connects stretchbot to Slack.
//
// Commands arrive three ways, all reaching the same bot.Handler: the slash
// command (/stretch by default), mentions of the bot in channels, and direct
// messages. Over HTTP (Mount) every request is checked against the signing
// secret before anything runs; with an app token, Run holds a Socket Mode
// connection instead, so no public URL is needed. Replies are Block Kit
// (render.go) with a plain-text fallback; buttons come back as
// bot.ActionEvent and update the clicked message in place. Mentions and
// DMs are answered with chat.postMessage; a private answer to a mention in a
// channel is an ephemeral message to the asker there (chat.postEphemeral),
// or a DM when Slack refuses that.
//
// VerifyChannel (bot.ChannelVerifier) checks with conversations.info that a
// channel named in a schedule belongs to the workspace and is postable.
//
// Send delivers reminders with chat.postMessage, one try each under the
// workspace's rate limits (limits.go: Slack's per-method tiers, about one
// post a second per channel, and a 429's Retry-After held for every call of
// that method in that workspace, or for a post for that channel, and for
// the workspace's posts when 429s come from many channels at once). A DM
// not known yet is posted to the user id, and the DM id Slack answers with
// is remembered. Failures are permanent (channel gone, bot
// removed) or transient *bot.DeliveryError whose RetryAfter tells the
// scheduler when to try again; nothing is slept beyond a moment of pacing.
//
// One workspace or many: with Config.BotToken every call uses that token.
// With Config.ClientID the OAuth install (GET /slack/install and its
// callback, oauth.go) stores each workspace's bot token in an InstallStore,
// sealed with internal/secretbox, and every call for a workspace — reply,
// lookup, button, home page or delivery — uses that workspace's token
// (workspace.go) and counts against that workspace's rate limits.
// app_uninstalled and tokens_revoked delete the token and tell the core
// (bot.InstallListener) to pause the workspace's reminders; a new install
// resumes them. Reseal re-encrypts the stored tokens with a new key.
//
// The Home tab shows the core's bot.Home for the user (home.go), published
// with views.publish when opened and again when the core calls RefreshHome.
//
// Manifest produces the Slack app manifest; SETUP.md explains the set-up.
package slack
