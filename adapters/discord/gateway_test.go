package discord

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/gorilla/websocket"
	"log/slog"
	"strconv"
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

// TestMentionAnswers checks where answers to messages go: public ones are
// a reply to the message (message_reference) in its channel or thread;
// private ones and refusals go to the asker's DM with a one-line pointer as
// the reply; in a DM everything is answered in the DM.
func TestMentionAnswers(t *testing.T) {
	private := bot.Reply{Blocks: []string{"your reminders: #k3f9"}, Visibility: bot.Private}
	refusal := bot.Reply{Blocks: []string{"I don't know the command"}, Visibility: bot.Private, Error: true}
	public := bot.Reply{Blocks: []string{"everyone stretch"}, Visibility: bot.Public}
	tests := []struct {
		name  string
		reply bot.Reply
		in    adaptertest.Incoming
		want  []string // channel|text-fragment|ref of each message posted, in order; ref "M1" when it replies to the message
	}{
		{"public is a reply in the channel", public, adaptertest.Incoming{Channel: "C1", User: "U1", Text: "break", Mention: true},
			[]string{"C1|everyone stretch|M1"}},
		{"public in a thread is a reply in the thread", public, adaptertest.Incoming{Channel: "C1", Thread: "T1", User: "U1", Text: "break", Mention: true},
			[]string{"T1|everyone stretch|M1"}},
		{"private goes by DM with a pointer", private, adaptertest.Incoming{Channel: "C1", User: "U1", Text: "list", Mention: true},
			[]string{"DM-U1|#k3f9|", "C1|" + dmPointer + "|M1"}},
		{"a refusal goes by DM with a pointer", refusal, adaptertest.Incoming{Channel: "C1", User: "U1", Text: "brake", Mention: true},
			[]string{"DM-U1|I don't know|", "C1|" + dmPointer + "|M1"}},
		{"a refusal that cannot be DMed is shown in the channel", refusal, adaptertest.Incoming{Channel: "C1", User: "GONEUSER", Text: "brake", Mention: true},
			[]string{"C1|I don't know|M1"}},
		{"a private answer that cannot be DMed is not shown", private, adaptertest.Incoming{Channel: "C1", User: "GONEUSER", Text: "list", Mention: true},
			[]string{"C1|could not DM you|M1"}},
		{"private in a DM stays in the DM", private, adaptertest.Incoming{Channel: "D1", User: "U1", Text: "list", DM: true},
			[]string{"D1|#k3f9|M1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hn := newHarness(t, &funcHandler{handle: func(bot.Message) bot.Reply { return tt.reply }}).(*harness)
			hn.Inject(context.Background(), t, tt.in)
			var got []string
			for _, r := range hn.fake.requests() {
				ch, ok := strings.CutPrefix(r.Path, "/api/v10/channels/")
				if r.Method != "POST" || !ok || !strings.HasSuffix(ch, "/messages") {
					continue
				}
				ref, _ := r.JSON()["message_reference"].(map[string]any)
				refID, _ := ref["message_id"].(string)
				got = append(got, strings.TrimSuffix(ch, "/messages")+"|"+string(r.Body)+"|"+refID)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("posted %d messages, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				parts := strings.SplitN(w, "|", 3)
				g := strings.SplitN(got[i], "|", 2)
				ref := got[i][strings.LastIndexByte(got[i], '|')+1:]
				if g[0] != parts[0] || !strings.Contains(g[1], parts[1]) || ref != parts[2] {
					t.Errorf("message %d = %s, want channel %s with %q, reference %q", i, got[i], parts[0], parts[1], parts[2])
				}
			}
		})
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
	openErr  error         // what a failing Open returns (default: gateway down)
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
		if f.openErr != nil {
			return f.openErr
		}
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
	if fs.opens != 4 || !fs.closed || fs.handlers != 5 || len(waits) != 3 {
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

// Every instance on the gateway with the same token gets every event:
// sharing a seen store, only one of them answers a mention or runs a
// command.
func TestGatewayEventsRunOnceAcrossInstances(t *testing.T) {
	db := &sharedSeen{keys: map[string]time.Time{}}
	h := &funcHandler{}
	var instances []*Adapter
	var fakes []*fakeDiscord
	for range 2 {
		fake := newFakeDiscord(t)
		a, err := New(Config{Token: "tok", AppID: "APP", APIURL: fake.srv.URL}, withSleep((&noSleep{}).sleep), WithSeenStore(db))
		if err != nil {
			t.Fatal(err)
		}
		a.setSelf(botID)
		t.Cleanup(a.wg.Wait)
		instances, fakes = append(instances, a), append(fakes, fake)
	}
	mention := &discordgo.MessageCreate{Message: &discordgo.Message{ID: "M7", ChannelID: "C1", GuildID: "G1", Content: "<@" + botID + "> break",
		Author: &discordgo.User{ID: "U1", Username: "u1"}, Mentions: []*discordgo.User{{ID: botID}}}}
	in := &discordgo.Interaction{ID: "I7", Token: "TOK", Type: discordgo.InteractionApplicationCommand, GuildID: "G1", ChannelID: "C1",
		Member: &discordgo.Member{User: &discordgo.User{ID: "U1"}},
		Data:   discordgo.ApplicationCommandInteractionData{Name: "stretch", Options: []*discordgo.ApplicationCommandInteractionDataOption{{Name: "stats", Type: discordgo.ApplicationCommandOptionSubCommand}}}}
	for _, a := range instances {
		a.onMessage(context.Background(), h, mention)
		a.onInteraction(context.Background(), h, &discordgo.InteractionCreate{Interaction: in})
		a.wg.Wait()
	}
	if n := h.calls(); n != 2 {
		t.Errorf("the handler ran %d times for one mention and one command, want 2", n)
	}
	replies, callbacks := 0, 0
	for _, f := range fakes {
		for _, r := range f.requests() {
			switch {
			case r.Path == "/api/v10/channels/C1/messages":
				replies++
			case strings.HasSuffix(r.Path, "/callback"):
				callbacks++
			}
		}
	}
	if replies != 1 || callbacks != 1 {
		t.Errorf("replies = %d, callbacks = %d; want one each", replies, callbacks)
	}
}

// The gateway is asked for the servers and their channels (GUILD_CREATE),
// which the state needs to name a channel, find a thread's parent and
// work out a member's permissions.
func TestGatewayIntentsIncludeGuilds(t *testing.T) {
	a, err := New(Config{Token: "tok", Gateway: true})
	if err != nil {
		t.Fatal(err)
	}
	want := discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages | discordgo.IntentsMessageContent
	if got := a.dsess.Identify.Intents; got&want != want {
		t.Errorf("intents = %b, want %b among them", got, want)
	}
}

// A mention's author is an admin by the roles the message carries: the
// state holds no members without the privileged members intent.
func TestMentionByAnAdminRole(t *testing.T) {
	h := &funcHandler{}
	hn := newHarness(t, h).(*harness)
	st := hn.a.dsess.State
	if err := st.GuildAdd(&discordgo.Guild{ID: "G1", OwnerID: "OWNER", Roles: []*discordgo.Role{
		{ID: "G1", Permissions: 0}, {ID: "RADMIN", Permissions: discordgo.PermissionAdministrator}}}); err != nil {
		t.Fatal(err)
	}
	if err := st.ChannelAdd(&discordgo.Channel{ID: "C1", GuildID: "G1", Name: "general"}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		roles []string
		admin bool
	}{{[]string{"RADMIN"}, true}, {nil, false}} {
		m := &discordgo.Message{ID: "M" + strings.Join(tt.roles, ""), ChannelID: "C1", GuildID: "G1", Content: "<@" + botID + "> list",
			Author: &discordgo.User{ID: "U1", Username: "u1"}, Mentions: []*discordgo.User{{ID: botID}},
			Member: &discordgo.Member{Roles: tt.roles}}
		hn.a.onMessage(context.Background(), h, &discordgo.MessageCreate{Message: m})
	}
	h.mu.Lock()
	msgs := h.msgs
	h.mu.Unlock()
	if len(msgs) != 2 || !msgs[0].Admin || msgs[1].Admin || msgs[0].ChannelName != "general" {
		t.Errorf("messages = %+v, want the first by an admin in #general, the second not", msgs)
	}
}

// Discord closes the gateway with a code when retrying cannot help: a
// refused token stops the program with the setting to fix, and intents
// the application may not use leave the gateway off with the switch to
// turn on, while HTTP interactions and deliveries go on.
func TestGatewayClosedForGood(t *testing.T) {
	for _, tt := range []struct {
		code    int
		fatal   bool
		wantLog string
	}{
		{4004, true, "STRETCHBOT_DISCORD_TOKEN"},
		{4014, false, "Message Content Intent"},
	} {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			var buf bytes.Buffer
			a, err := New(Config{Token: "tok", Gateway: true}, WithLogger(slog.New(slog.NewTextHandler(&buf, nil))))
			if err != nil {
				t.Fatal(err)
			}
			fs := &fakeSession{failures: 1 << 30, openErr: &websocket.CloseError{Code: tt.code, Text: "closed"}}
			a.sess = fs
			sleeps := 0
			a.sleep = func(ctx context.Context, d time.Duration) error { sleeps++; return ctx.Err() }
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			err = a.Run(ctx, &funcHandler{})
			if tt.fatal != (err != nil) || fs.opens != 1 || sleeps != 0 {
				t.Errorf("Run = %v after %d opens and %d waits", err, fs.opens, sleeps)
			}
			if got := fmt.Sprint(err) + buf.String(); !strings.Contains(got, tt.wantLog) {
				t.Errorf("neither the error nor the log names %q: %v\n%s", tt.wantLog, err, buf.String())
			}
		})
	}
}
