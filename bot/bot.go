package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/internal/groupcommit"
	"github.com/stretchbot/stretchbot/routines"
)

// Sender posts messages the bot starts itself. Every Adapter is one.
type Sender interface {
	Send(ctx context.Context, o Outgoing) (Sent, error)
}

// Bot is the platform-neutral core: it routes commands, builds routines,
// manages reminders in the store and renders deliveries. It is safe for
// concurrent use.
type Bot struct {
	store       Store
	deliveries  DeliveryLog // nil if the store has none
	rules       RuleParser
	lib         *routines.Library // nil: routines.Default(), parsed on first use
	clock       Clock
	log         *slog.Logger
	zone        *time.Location
	minInterval time.Duration
	holidays    Holidays // nil: no holiday calendars
	charter     Charter  // nil: summaries without a chart

	mu      sync.Mutex // guards rng, senders, waker
	rng     *rand.Rand
	senders map[Platform]Sender
	waker   Waker

	commands []*Command
	index    map[string]*Command
	// users caches callers' settings; nil when off (WithUserCache).
	users *userCache
	// rotations caches exercise rotations; nil when off (WithUserCache).
	rotations *rotationCache
	// lists caches the rows `list` reads; nil when off (WithListCache).
	lists *listCache
	// loaded keeps the rules loaded from reminders (see rule).
	loadedMu sync.RWMutex
	loaded   map[loadedKey]loadedRule
	// breaks groups concurrent breaks' writes; nil when the store cannot
	// (see BreakStore).
	breaks *groupcommit.Batcher[BreakRecord, struct{}]
	// helpReplies are the help pages, built once (see buildHelp).
	helpReplies map[string]Reply
	runWarnings runWarnings
}

// Option configures a Bot.
type Option func(*Bot) error

// WithClock sets the time source (default SystemClock).
func WithClock(c Clock) Option {
	return func(b *Bot) error {
		if c == nil {
			return errors.New("bot: nil clock")
		}
		b.clock = c
		return nil
	}
}

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(b *Bot) error {
		if l != nil {
			b.log = l
		}
		return nil
	}
}

// WithRules sets the <when> parser; without it the scheduling commands
// answer that scheduling is unavailable.
func WithRules(p RuleParser) Option {
	return func(b *Bot) error { b.rules = p; return nil }
}

// WithZone sets the zone for users who have not chosen one (default UTC).
func WithZone(loc *time.Location) Option {
	return func(b *Bot) error {
		if loc == nil {
			return errors.New("bot: nil zone")
		}
		b.zone = loc
		return nil
	}
}

// WithMinInterval tells the core the shortest allowed repeat, used for
// snooze bounds and messages (the rule parser enforces it for rules).
func WithMinInterval(d time.Duration) Option {
	return func(b *Bot) error { b.minInterval = d; return nil }
}

// WithSeed makes routine choices deterministic (tests).
func WithSeed(seed uint64) Option {
	return func(b *Bot) error { b.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)); return nil }
}

// WithLibrary replaces the exercise library (default routines.Default()).
func WithLibrary(l *routines.Library) Option {
	return func(b *Bot) error { b.lib = l; return nil }
}

// library is the exercise library. The default one is parsed by the first
// routine, exercise or suggestion asked for, not by New: a bot at rest
// builds no routine and need not hold the library.
func (b *Bot) library() *routines.Library {
	if b.lib != nil {
		return b.lib
	}
	return routines.Default()
}

// New returns a Bot over store.
func New(store Store, opts ...Option) (*Bot, error) {
	if store == nil {
		return nil, errors.New("bot: nil store")
	}
	b := &Bot{
		store:       store,
		clock:       SystemClock{},
		log:         slog.Default(),
		zone:        time.UTC,
		minInterval: 10 * time.Minute,
		senders:     map[Platform]Sender{},
	}
	var errs []error
	for _, o := range opts {
		if err := o(b); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	b.deliveries, _ = store.(DeliveryLog)
	b.breaks = newBreakBatcher(store, b.users, b.rotations, b.clock)
	if b.rng == nil {
		b.rng = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	b.commands = make([]*Command, len(commandTable))
	b.index = map[string]*Command{}
	for i := range commandTable {
		c := &commandTable[i]
		b.commands[i] = c
		for _, w := range append([]string{c.Name}, c.Aliases...) {
			if _, dup := b.index[w]; dup {
				return nil, fmt.Errorf("bot: command word %q registered twice", w)
			}
			b.index[w] = c
		}
	}
	b.helpReplies = buildHelp(b.commands)
	return b, nil
}

// AddSender routes deliveries for platform p to s. Call it before the
// scheduler starts.
func (b *Bot) AddSender(p Platform, s Sender) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.senders[p] = s
}

// SetWaker registers the scheduler to be told about reminder changes.
func (b *Bot) SetWaker(w Waker) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.waker = w
}

// wake tells the scheduler that reminders changed: ids, when the change
// should stop their runs already under way (a pause, a cancel).
func (b *Bot) wake(ids ...ReminderID) {
	b.RemindersChanged()
	b.mu.Lock()
	w := b.waker
	b.mu.Unlock()
	if cw, ok := w.(ChangeWaker); ok && len(ids) > 0 {
		cw.Changed(ids...)
	} else if w != nil {
		w.Wake()
	}
}

func (b *Bot) sender(p Platform) Sender {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.senders[p]
}

// seed draws a seed for one routine so concurrent builds stay independent.
func (b *Bot) seed() uint64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rng.Uint64()
}

// recoverTo turns a panic into a logged error; used by every entry point so
// one bad input never stops the bot.
func (b *Bot) recoverTo(err *error, op string) {
	if r := recover(); r != nil {
		b.log.Error("panic recovered", "op", op, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		*err = &Error{Code: EINTERNAL, Message: "Sorry, that went wrong on our side and has been logged. Please try again.", Err: fmt.Errorf("panic: %v", r)}
	}
}
