// Package bottest is an in-process harness for the core: send text as a
// user, read structured replies and deliveries, and advance a fake clock.
// It imports no driver; callers pass the store (and, for scheduling, the rule
// parser and a Ticker that runs the scheduler once).
package bottest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// Start is the default fake time: a Monday morning in UTC.
var Start = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

// Adapter is a fake chat platform: it records everything sent to it.
type Adapter struct {
	Name bot.Platform

	mu   sync.Mutex
	sent []bot.Outgoing
	n    int
	// Fail, when set, decides the error for each Send (nil to accept).
	Fail func(bot.Outgoing) error
}

var _ bot.Adapter = (*Adapter)(nil)

// Platform returns a.Name (console if empty).
func (a *Adapter) Platform() bot.Platform {
	if a.Name == "" {
		return bot.Console
	}
	return a.Name
}

// Run waits for ctx; the harness pushes messages directly.
func (a *Adapter) Run(ctx context.Context, _ bot.Handler) error {
	<-ctx.Done()
	return nil
}

// Send records o, unless Fail says otherwise.
func (a *Adapter) Send(_ context.Context, o bot.Outgoing) (bot.Sent, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.Fail != nil {
		if err := a.Fail(o); err != nil {
			return bot.Sent{}, err
		}
	}
	a.n++
	a.sent = append(a.sent, o)
	return bot.Sent{ID: fmt.Sprintf("m%d", a.n), Channel: o.Channel}, nil
}

// Sent returns every message sent so far.
func (a *Adapter) Sent() []bot.Outgoing {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bot.Outgoing(nil), a.sent...)
}

// Ticker runs the scheduler once, synchronously (schedule.Engine.Tick).
type Ticker interface {
	Tick(ctx context.Context) error
}

// Harness drives a Bot in-process.
type Harness struct {
	TB      testing.TB
	Bot     *bot.Bot
	Clock   *Clock
	Adapter *Adapter
	Store   bot.Store
	// Defaults for Send.
	Tenant  bot.TenantID
	Channel bot.ChannelID
	User    bot.UserID

	ticker Ticker
}

// Option configures a Harness.
type Option func(*config)

type config struct {
	start   time.Time
	botOpts []bot.Option
}

// WithStart sets the fake clock's start.
func WithStart(t time.Time) Option { return func(c *config) { c.start = t } }

// WithBotOptions passes options to bot.New (after the harness's own).
func WithBotOptions(opts ...bot.Option) Option {
	return func(c *config) { c.botOpts = append(c.botOpts, opts...) }
}

// New builds a harness over store with a fake clock, a fixed seed and a
// console-platform fake adapter.
func New(tb testing.TB, store bot.Store, opts ...Option) *Harness {
	tb.Helper()
	cfg := config{start: Start}
	for _, o := range opts {
		o(&cfg)
	}
	clock := NewClock(cfg.start)
	bopts := append([]bot.Option{bot.WithClock(clock), bot.WithSeed(1)}, cfg.botOpts...)
	b, err := bot.New(store, bopts...)
	if err != nil {
		tb.Fatalf("bot.New: %v", err)
	}
	a := &Adapter{Name: bot.Console}
	b.AddSender(bot.Console, a)
	return &Harness{TB: tb, Bot: b, Clock: clock, Adapter: a, Store: store, Tenant: "console", Channel: "console", User: "console"}
}

// SetTicker attaches the scheduler so Advance runs it.
func (h *Harness) SetTicker(t Ticker) { h.ticker = t }

// Send sends text as the default user in the default channel.
func (h *Harness) Send(text string) bot.Reply {
	h.TB.Helper()
	return h.SendMsg(bot.Message{Text: text})
}

// SendAs sends text as user in channel of the default tenant.
func (h *Harness) SendAs(user bot.UserID, channel bot.ChannelID, text string) bot.Reply {
	h.TB.Helper()
	return h.SendMsg(bot.Message{User: user, Channel: channel, Text: text})
}

// SendMsg fills empty fields of m with the defaults and handles it.
func (h *Harness) SendMsg(m bot.Message) bot.Reply {
	h.TB.Helper()
	if m.Platform == "" {
		m.Platform = h.Adapter.Platform()
	}
	if m.Tenant == "" {
		m.Tenant = h.Tenant
	}
	if m.Channel == "" {
		m.Channel = h.Channel
	}
	if m.User == "" {
		m.User = h.User
	}
	return h.Bot.Handle(context.Background(), m)
}

// Advance moves the fake clock and runs the scheduler once.
func (h *Harness) Advance(d time.Duration) {
	h.TB.Helper()
	h.Clock.Advance(d)
	h.Tick()
}

// Tick runs the scheduler once at the current fake time.
func (h *Harness) Tick() {
	h.TB.Helper()
	if h.ticker == nil {
		return
	}
	if err := h.ticker.Tick(context.Background()); err != nil {
		h.TB.Fatalf("scheduler tick: %v", err)
	}
}

// Deliveries returns what the scheduler has sent.
func (h *Harness) Deliveries() []bot.Outgoing { return h.Adapter.Sent() }

// Text is a reply's plain text, for assertions.
func Text(r bot.Reply) string { return r.PlainText() }

// MustContain fails unless the reply's text contains every want
// (case-insensitive).
func MustContain(tb testing.TB, r bot.Reply, want ...string) {
	tb.Helper()
	text := strings.ToLower(r.PlainText())
	for _, w := range want {
		if !strings.Contains(text, strings.ToLower(w)) {
			tb.Errorf("reply does not contain %q:\n%s", w, r.PlainText())
		}
	}
}
