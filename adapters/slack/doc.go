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
// channel goes to the user's DM, with a short notice in the channel.
//
// VerifyChannel (bot.ChannelVerifier) checks with conversations.info that a
// channel named in a schedule belongs to the workspace and is postable.
//
// Send delivers reminders with chat.postMessage, one try each under the
// workspace's rate limits (limits.go: Slack's per-method tiers, about one
// post a second per channel, and a 429's Retry-After held for every call of
// that method in that workspace). Failures are permanent (channel gone, bot
// removed) or transient *bot.DeliveryError whose RetryAfter tells the
// scheduler when to try again; nothing is slept beyond a moment of pacing.
//
// Manifest produces the Slack app manifest; SETUP.md explains the set-up.
package slack
