// Package discord connects stretchbot to Discord.
//
// Three paths reach the core:
//
//   - HTTP interactions (POST /discord/interactions): Ed25519-verified slash
//     commands (/stretch <subcommand>), button presses and time-zone
//     autocomplete. Slow answers are deferred (type 5) and finished through
//     the interaction webhook.
//   - The gateway (optional, needs the bot token and the privileged Message
//     Content intent): messages that mention the bot, and DMs, are commands;
//     interactions arriving over the gateway share the HTTP code.
//   - REST deliveries (Send): reminders posted to channels or DMs, one try
//     each under Discord's rate limits (learned per bucket from the
//     X-RateLimit-* headers, the global limit, a per-channel pace), failures
//     classified for the scheduler, which retries at their RetryAfter.
//
// The `stretch` command's schema is generated from the core's command table
// (bot.Commands): a subcommand per command, an option per parameter, typed
// by the parameter's kind, and the core's Command.Text turns the options
// back into the text command every platform shares.
//
// Every REST request, including discordgo's, goes to Config.APIURL with the
// path kept, so tests run against a local fake of Discord.
package discord
