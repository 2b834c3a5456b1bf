package discord

import (
	"net/url"
	"strconv"
)

// The Discord permission bits the bot uses
// (https://discord.com/developers/docs/topics/permissions).
const (
	permViewChannel        int64 = 1 << 10 // see channels and their messages (gateway, channel checks)
	permSendMessages       int64 = 1 << 11 // replies and deliveries
	permEmbedLinks         int64 = 1 << 14 // routines are embeds
	permReadMessageHistory int64 = 1 << 16 // answers are replies to the message that asked; an unsure delivery looks for its earlier post
	permSendInThreads      int64 = 1 << 38 // mentions in threads are answered there
)

// Permissions is every permission the bot needs in a server, and nothing
// more: what the invite link asks for.
const Permissions = permViewChannel | permSendMessages | permEmbedLinks | permReadMessageHistory | permSendInThreads

// inviteScopes let the bot join a server and register its slash command.
var inviteScopes = []string{"bot", "applications.commands"}

// InviteURL is the OAuth2 link that adds the bot with application id appID
// to a server, with Permissions.
func InviteURL(appID string) string {
	q := url.Values{
		"client_id":   {appID},
		"scope":       {inviteScopes[0] + " " + inviteScopes[1]},
		"permissions": {strconv.FormatInt(Permissions, 10)},
	}
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}
