package discord

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/bot"
)

// harness drives the adapter's gateway message handler directly with
// MessageCreate events; Posted is what the fake REST API received. Threads
// are channels in Discord: a message in thread T of channel C arrives with
// channel id T, the adapter replies to T, and Posted reports it as
// {Channel: C, Thread: T} using the fake's thread → parent map.
type harness struct {
	a    *Adapter
	fake *fakeDiscord
	h    bot.Handler
}

func newHarness(t *testing.T, h bot.Handler) adaptertest.Harness {
	t.Helper()
	fake := newFakeDiscord(t)
	sl := &noSleep{}
	a, err := New(Config{Token: "tok", AppID: "APP", APIURL: fake.srv.URL}, withSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	a.setSelf(botID)
	if err := a.dsess.State.GuildAdd(&discordgo.Guild{ID: "G1"}); err != nil {
		t.Fatal(err)
	}
	return &harness{a: a, fake: fake, h: h}
}

func (hn *harness) Adapter() bot.Adapter { return hn.a }

func (hn *harness) GoneChannel() string { return "GONE" }

func (hn *harness) Inject(ctx context.Context, t *testing.T, in adaptertest.Incoming) {
	t.Helper()
	m := &discordgo.Message{ID: "M1", ChannelID: in.Channel, GuildID: "G1", Content: in.Text,
		Author: &discordgo.User{ID: in.User, Username: strings.ToLower(in.User), Bot: in.FromBot}}
	if in.DM {
		m.GuildID = ""
	}
	if in.FromSelf {
		m.Author = &discordgo.User{ID: botID, Username: "stretchbot", Bot: true}
	}
	if in.Mention {
		m.Content = "<@" + botID + "> " + in.Text
		m.Mentions = []*discordgo.User{{ID: botID}}
	}
	if in.Thread != "" {
		m.ChannelID = in.Thread
		hn.fake.mu.Lock()
		hn.fake.threads[in.Thread] = in.Channel
		hn.fake.mu.Unlock()
		if err := hn.a.dsess.State.ChannelAdd(&discordgo.Channel{ID: in.Thread, GuildID: "G1", ParentID: in.Channel,
			Type: discordgo.ChannelTypeGuildPublicThread}); err != nil {
			t.Fatal(err)
		}
	}
	hn.a.onMessage(ctx, hn.h, &discordgo.MessageCreate{Message: m})
}

func (hn *harness) Posted() []adaptertest.Posted {
	var out []adaptertest.Posted
	for i, r := range hn.fake.requests() {
		ch, ok := strings.CutPrefix(r.Path, "/api/v10/channels/")
		if r.Method != http.MethodPost || !ok || !strings.HasSuffix(ch, "/messages") {
			continue
		}
		ch = strings.TrimSuffix(ch, "/messages")
		p := adaptertest.Posted{Channel: ch, ID: strconv.Itoa(i)}
		hn.fake.mu.Lock()
		if parent, ok := hn.fake.threads[ch]; ok {
			p.Channel, p.Thread = parent, ch
		}
		hn.fake.mu.Unlock()
		var msg struct {
			Content string                    `json:"content"`
			Embeds  []*discordgo.MessageEmbed `json:"embeds"`
		}
		if err := json.Unmarshal(r.Body, &msg); err == nil {
			p.Text = plainText(message{Content: msg.Content, Embeds: msg.Embeds})
		}
		out = append(out, p)
	}
	return out
}

func TestConformance(t *testing.T) {
	adaptertest.RunConformanceTests(t, newHarness)
}
