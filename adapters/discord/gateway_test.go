package discord

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/bot"
)

const botID = "BOT1"

func TestGatewayReplyGoesThroughAPIURL(t *testing.T) {
	hn := newHarness(t, &adaptertest.Recorder{}).(*harness)
	hn.Inject(context.Background(), t, adaptertest.Incoming{Channel: "C1", User: "U1", Text: "help", Mention: true})
	r := hn.fake.waitFor(t, "reply", func(r request) bool { return r.Path == "/api/v10/channels/C1/messages" })
	if r.Header.Get("Authorization") != "Bot tok" {
		t.Errorf("authorization = %q", r.Header.Get("Authorization"))
	}
	ref, _ := r.JSON()["message_reference"].(map[string]any)
	if ref["message_id"] != "M1" {
		t.Errorf("reply has no message reference: %s", r.Body)
	}
}

func TestGatewayPrivateReplyGoesByDM(t *testing.T) {
	h := &funcHandler{handle: func(bot.Message) bot.Reply {
		return bot.Reply{Blocks: []string{"your reminders: #k3f9"}, Visibility: bot.Private}
	}}
	hn := newHarness(t, h).(*harness)
	hn.Inject(context.Background(), t, adaptertest.Incoming{Channel: "C1", User: "U1", Text: "list", Mention: true})
	var dm, channel string
	for _, p := range hn.Posted() {
		switch p.Channel {
		case "DM-U1":
			dm = p.Text
		case "C1":
			channel = p.Text
		}
	}
	if !strings.Contains(dm, "#k3f9") || strings.Contains(channel, "#k3f9") || !strings.Contains(channel, "direct message") {
		t.Errorf("dm %q channel %q", dm, channel)
	}
}

func TestGatewayInteraction(t *testing.T) {
	hn := newHarness(t, nil).(*harness)
	h := &funcHandler{}
	in := &discordgo.Interaction{ID: "I1", Token: "TOK", Type: discordgo.InteractionApplicationCommand, GuildID: "G1", ChannelID: "C1",
		Member: &discordgo.Member{User: &discordgo.User{ID: "U1"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: "stretch", Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "stats", Type: discordgo.ApplicationCommandOptionSubCommand}}}}
	hn.a.onInteraction(context.Background(), h, &discordgo.InteractionCreate{Interaction: in})
	r := hn.fake.waitFor(t, "interaction callback", func(r request) bool { return r.Path == "/api/v10/interactions/I1/TOK/callback" })
	if j := r.JSON(); j["type"] != float64(4) || !strings.Contains(string(r.Body), "echo: stats") {
		t.Errorf("callback = %s", r.Body)
	}
}

// fakeSession fails Open a number of times, then succeeds.
type fakeSession struct {
	mu       sync.Mutex
	failures int
	opens    int
	opened   chan struct{} // closed by the first successful Open
	closed   bool
	handlers int
}

func (f *fakeSession) AddHandler(interface{}) func() {
	f.mu.Lock()
	f.handlers++
	f.mu.Unlock()
	return func() {}
}

func (f *fakeSession) Open() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opens++
	if f.opens <= f.failures {
		return errors.New("gateway down")
	}
	if f.opened != nil {
		close(f.opened)
	}
	return nil
}

func (f *fakeSession) Close() error { f.mu.Lock(); f.closed = true; f.mu.Unlock(); return nil }

func (f *fakeSession) ChannelMessageSendComplex(string, *discordgo.MessageSend, ...discordgo.RequestOption) (*discordgo.Message, error) {
	return &discordgo.Message{}, nil
}

func (f *fakeSession) InteractionRespond(*discordgo.Interaction, *discordgo.InteractionResponse, ...discordgo.RequestOption) error {
	return nil
}

func TestRunRetriesOpen(t *testing.T) {
	fake := newFakeDiscord(t)
	opened := make(chan struct{})
	var waits []time.Duration
	a, err := New(Config{Token: "tok", APIURL: fake.srv.URL, Gateway: true})
	if err != nil {
		t.Fatal(err)
	}
	fs := &fakeSession{failures: 3, opened: opened}
	a.sess = fs
	a.sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- a.Run(ctx, &funcHandler{}) }()
	<-opened
	// Deliveries work whatever the gateway does.
	if _, err := a.Send(context.Background(), bot.Outgoing{Channel: "C1", Reply: bot.Reply{Blocks: []string{"x"}}}); err != nil {
		t.Errorf("Send while the gateway is down: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if fs.opens != 4 || !fs.closed || fs.handlers != 3 || len(waits) != 3 {
		t.Errorf("opens %d closed %v handlers %d waits %v", fs.opens, fs.closed, fs.handlers, waits)
	}
}

func TestRunGivesUpOnlyWithContext(t *testing.T) {
	a, err := New(Config{Token: "tok", Gateway: true})
	if err != nil {
		t.Fatal(err)
	}
	a.sess = &fakeSession{failures: 1 << 30}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	a.sleep = func(ctx context.Context, d time.Duration) error {
		if n++; n == 5 {
			cancel()
		}
		return ctx.Err()
	}
	if err := a.Run(ctx, &funcHandler{}); err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
}

func TestRunWithoutGatewayWaits(t *testing.T) {
	a, err := New(Config{Token: "tok", Gateway: false})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Run(ctx, &funcHandler{}); err != nil {
		t.Errorf("Run = %v", err)
	}
}
