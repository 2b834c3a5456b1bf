// Package testkit wires the real parts together for tests: the core over an
// in-memory store, the real rule parser and the scheduler engine, all on one
// fake clock. It lives outside bot/ so bot/ stays free of drivers. Two kits
// on one store are two processes sharing a database: a restart, or two
// instances.
package testkit

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/calendar"
	"github.com/stretchbot/stretchbot/chart"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// Kit is a harness with its engine and store.
type Kit struct {
	*bottest.Harness
	Engine *schedule.Engine
	DB     *memory.DB
}

// Option adjusts a Kit.
type Option func(*options)

type options struct {
	db          *memory.DB
	minInterval time.Duration
	catchup     time.Duration
	start       time.Time
	owner       string
	botOpts     []bot.Option
}

// WithStore runs the kit on another kit's store, to model a restart or a
// second instance. The kit that made the store closes it.
func WithStore(db *memory.DB) Option { return func(o *options) { o.db = db } }

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
	db := o.db
	if db == nil {
		db = memory.New()
		tb.Cleanup(func() { db.Close() })
	}
	rules := when.Parser{MinInterval: o.minInterval}
	h := bottest.New(tb, db, bottest.WithStart(o.start), bottest.WithBotOptions(append([]bot.Option{bot.WithRules(rules), bot.WithMinInterval(o.minInterval),
		bot.WithHolidays(calendar.Registry{}), bot.WithCharter(chart.Drawer{})}, o.botOpts...)...))
	eng, err := schedule.NewEngine(db, h.Bot, rules, schedule.WithClock(h.Clock), schedule.WithCatchup(o.catchup), schedule.WithOwner(o.owner))
	if err != nil {
		tb.Fatalf("engine: %v", err)
	}
	h.Bot.SetWaker(eng)
	h.SetTicker(eng)
	return &Kit{Harness: h, Engine: eng, DB: db}
}
