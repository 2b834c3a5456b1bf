// Package testkit wires the real parts together for tests: the core over a
// fresh SQLite store, the real rule parser and the scheduler engine, all on
// one fake clock. It lives outside bot/ so bot/ stays free of drivers.
package testkit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// Kit is a harness with its engine and store.
type Kit struct {
	*bottest.Harness
	Engine *schedule.Engine
	DB     *sqlite.DB
	Path   string
}

// Option adjusts a Kit.
type Option func(*options)

type options struct {
	path        string
	minInterval time.Duration
	catchup     time.Duration
	start       time.Time
	owner       string
	botOpts     []bot.Option
}

// WithPath reuses a database file (to model a restart).
func WithPath(p string) Option { return func(o *options) { o.path = p } }

// WithMinInterval sets the parser's minimum repeat (default 1s).
func WithMinInterval(d time.Duration) Option { return func(o *options) { o.minInterval = d } }

// WithCatchup sets the engine's catch-up window (default 15m).
func WithCatchup(d time.Duration) Option { return func(o *options) { o.catchup = d } }

// WithStart sets the fake clock's start.
func WithStart(t time.Time) Option { return func(o *options) { o.start = t } }

// WithOwner names the engine instance.
func WithOwner(s string) Option { return func(o *options) { o.owner = s } }

// WithBotOptions passes options to bot.New.
func WithBotOptions(opts ...bot.Option) Option {
	return func(o *options) { o.botOpts = append(o.botOpts, opts...) }
}

// New builds a Kit; everything is closed when the test ends.
func New(tb testing.TB, opts ...Option) *Kit {
	tb.Helper()
	o := options{minInterval: time.Second, catchup: 15 * time.Minute, start: bottest.Start, owner: "test"}
	for _, f := range opts {
		f(&o)
	}
	if o.path == "" {
		o.path = filepath.Join(tb.TempDir(), "stretchbot.db")
	}
	db, err := sqlite.Open(context.Background(), o.path)
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	rules := when.Parser{MinInterval: o.minInterval}
	h := bottest.New(tb, db, bottest.WithStart(o.start), bottest.WithBotOptions(append([]bot.Option{bot.WithRules(rules), bot.WithMinInterval(o.minInterval)}, o.botOpts...)...))
	eng, err := schedule.NewEngine(db, h.Bot, rules, schedule.WithClock(h.Clock), schedule.WithCatchup(o.catchup), schedule.WithOwner(o.owner))
	if err != nil {
		tb.Fatalf("engine: %v", err)
	}
	h.Bot.SetWaker(eng)
	h.SetTicker(eng)
	return &Kit{Harness: h, Engine: eng, DB: db, Path: o.path}
}
