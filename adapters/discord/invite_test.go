package discord

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestPermissionsAreExactlyWhatTheBotUses(t *testing.T) {
	// The same bits by discordgo's names, so a typo in a shift shows.
	want := int64(discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionEmbedLinks |
		discordgo.PermissionReadMessageHistory | discordgo.PermissionSendMessagesInThreads)
	if Permissions != want {
		t.Errorf("Permissions = %d, want %d", Permissions, want)
	}
	if Permissions != 274877991936 {
		t.Errorf("Permissions = %d, want 274877991936 as SETUP.md documents", Permissions)
	}
	for _, p := range []int64{discordgo.PermissionAdministrator, discordgo.PermissionManageMessages, discordgo.PermissionMentionEveryone, discordgo.PermissionManageChannels} {
		if Permissions&p != 0 {
			t.Errorf("Permissions includes %d, which the bot does not use", p)
		}
	}
}

func TestInviteURL(t *testing.T) {
	u, err := url.Parse(InviteURL("424242"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "https" || u.Host != "discord.com" || u.Path != "/oauth2/authorize" {
		t.Errorf("InviteURL = %s", u)
	}
	if q.Get("client_id") != "424242" || q.Get("permissions") != "274877991936" || strings.Fields(q.Get("scope"))[0] != "bot" ||
		strings.Fields(q.Get("scope"))[1] != "applications.commands" {
		t.Errorf("InviteURL query = %v", q)
	}
}
