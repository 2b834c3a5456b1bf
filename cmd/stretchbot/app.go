package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/stretchbot/stretchbot/adapters/console"
	"github.com/stretchbot/stretchbot/adapters/discord"
	"github.com/stretchbot/stretchbot/adapters/slack"
	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/calendar"
	"github.com/stretchbot/stretchbot/chart"
	"github.com/stretchbot/stretchbot/config"
	"github.com/stretchbot/stretchbot/internal/dburl"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/prommetrics"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/memory"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// The core is the scheduler's deliverer, including the optional notice of
// reminders missed while nothing ran, and hears about Slack installs. Every
// store driver keeps Slack installations.
var (
	_ schedule.Deliverer    = (*bot.Bot)(nil)
	_ schedule.MissNotifier = (*bot.Bot)(nil)
	_ schedule.FollowUp     = (*bot.Bot)(nil)
	_ bot.InstallListener   = (*bot.Bot)(nil)
	_ bot.HomeBuilder       = (*bot.Bot)(nil)

	_ slack.InstallStore = (*sqlite.DB)(nil)
	_ slack.InstallStore = (*postgres.DB)(nil)
	_ slack.InstallStore = (*memory.DB)(nil)
)

// Every store remembers seen request signatures and event ids for the
// adapters (one interface serves both), so every instance on one database
// refuses a replay.
var (
	_ slack.SeenStore   = (*sqlite.DB)(nil)
	_ slack.SeenStore   = (*postgres.DB)(nil)
	_ slack.SeenStore   = (*memory.DB)(nil)
	_ discord.SeenStore = slack.SeenStore(nil)
)

// Every store deletes its old closed occurrences, so the binary prunes
// whichever it opens.
var (
	_ schedule.OccurrencePruner = (*sqlite.DB)(nil)
	_ schedule.OccurrencePruner = (*postgres.DB)(nil)
	_ schedule.OccurrencePruner = (*memory.DB)(nil)
)

// Main is the whole program: it opens the store, wires the core, the
// scheduler, the adapters and the HTTP server, and runs them together until
// the context ends or the console reaches EOF. Tests boot it in-process.
type Main struct {
	Config config.Config
	// Console forces the console adapter alone (`stretchbot console`).
	Console bool
	Stdin   io.Reader
	Stdout  io.Writer
	Logger  *slog.Logger
	// Clock replaces the wall clock (tests).
	Clock bot.Clock
	// Interactive overrides terminal detection for the console (tests).
	Interactive *bool

	Store  store.Store
	Bot    *bot.Bot
	Engine *schedule.Engine
	// Pruner deletes old closed occurrences; nil when the store cannot.
	Pruner   *schedule.Pruner
	Registry *prometheus.Registry

	adapters []bot.Adapter
	listener net.Listener
	// returner gives memory back once requests stop; nil without the
	// HTTP server.
	returner *memoryReturner
	server   *http.Server
	// unready is set while /readyz fails, so that its log says when the
	// store stopped answering, not every probe that found it so.
	unready atomic.Bool
}

// errStartup marks failures that are the operator's configuration (such as
// an unreachable database): the process exits 2.
type startupError struct{ setting, problem string }

func (e *startupError) Error() string { return e.setting + ": " + e.problem }

// Open builds every part. Nothing runs until Run.
func (m *Main) Open(ctx context.Context) error {
	cfg := m.Config
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	if m.Clock == nil {
		m.Clock = bot.SystemClock{}
	}
	log := m.Logger

	openCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	st, err := store.Open(openCtx, cfg.DatabaseURL)
	if err != nil {
		return &startupError{"STRETCHBOT_DATABASE_URL", fmt.Sprintf("cannot open %s: %v", dburl.Redact(cfg.DatabaseURL), oneLine(err))}
	}
	m.Store = st

	rules := when.Parser{MinInterval: cfg.MinInterval, DefaultTime: cfg.DefaultTime}
	b, err := bot.New(st, bot.WithRules(rules), bot.WithZone(cfg.Location()), bot.WithLogger(log),
		bot.WithMinInterval(cfg.MinInterval), bot.WithClock(m.Clock),
		bot.WithHolidays(calendar.Registry{}), bot.WithCharter(chart.Drawer{}), bot.WithUserCache(userCacheTTL(cfg.DatabaseURL)),
		bot.WithListCache(listCacheTTL))
	if err != nil {
		return err
	}
	m.Bot = b

	m.Registry = prometheus.NewRegistry()
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if err := m.openAdapters(); err != nil {
		return err
	}
	platforms := make([]bot.Platform, 0, len(m.adapters))
	for _, a := range m.adapters {
		b.AddSender(a.Platform(), a)
		platforms = append(platforms, a.Platform())
	}
	metrics := prommetrics.New(m.Registry)
	eng, err := schedule.NewEngine(st, b, rules, schedule.WithClock(m.Clock), schedule.WithLogger(log),
		schedule.WithCatchup(cfg.CatchupWindow), schedule.WithLease(cfg.Lease), schedule.WithMetrics(metrics),
		schedule.WithPlatforms(platforms...), schedule.WithChangeListener(b.RemindersChanged))
	if err != nil {
		return err
	}
	m.Engine = eng
	b.SetWaker(eng)
	if p, ok := st.(schedule.OccurrencePruner); ok {
		m.Pruner = schedule.NewPruner(p, schedule.PruneWithClock(m.Clock), schedule.PruneWithLogger(log), schedule.PruneWithMetrics(metrics))
	}

	if cfg.HTTPAddr != "" && !m.Console {
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return &startupError{"STRETCHBOT_HTTP_ADDR", fmt.Sprintf("cannot listen on %s: %v", cfg.HTTPAddr, err)}
		}
		m.listener = ln
		// Memory a burst of requests needed goes back to the OS once
		// they stop: the adapters' and the core's expired entries, the
		// store's connections and caches (last: closing them leaves
		// garbage on the heap), then the heap's surplus.
		m.returner = newMemoryReturner(m.Clock)
		parts := []any{b}
		for _, a := range m.adapters {
			parts = append(parts, a)
		}
		for _, p := range append(parts, st) {
			if r, ok := p.(memoryReleaser); ok {
				m.returner.releasers = append(m.returner.releasers, r)
			}
		}
		m.server = &http.Server{Handler: m.returner.wrap(m.routes()), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	}
	return nil
}

func (m *Main) openAdapters() error {
	cfg := m.Config
	useConsole := m.Console || (!cfg.SlackEnabled() && !cfg.DiscordEnabled())
	if useConsole {
		var opts []console.Option
		if m.Interactive != nil {
			opts = append(opts, console.WithInteractive(*m.Interactive))
		}
		opts = append(opts, console.WithNow(m.Clock.Now), console.WithFileDir(fileDir(cfg.DatabaseURL)))
		m.adapters = append(m.adapters, console.New(m.Stdin, m.Stdout, opts...))
		return nil
	}
	// While the store cannot say whether a request was seen, the adapters
	// refuse it (503) rather than risk running it twice.
	seen, _ := m.Store.(slack.SeenStore)
	if cfg.SlackEnabled() {
		opts := []slack.Option{slack.WithLogger(m.Logger), slack.WithNow(m.Clock.Now), slack.WithSeenStore(seen)}
		if cfg.Slack.OAuth() {
			box, err := cfg.SecretBox()
			if err != nil {
				return err
			}
			is, ok := m.Store.(slack.InstallStore)
			if !ok {
				return fmt.Errorf("the %T store cannot keep Slack installations", m.Store)
			}
			opts = append(opts, slack.WithInstalls(is, box))
		}
		a, err := slack.New(slackConfig(cfg), opts...)
		if err != nil {
			return &startupError{"STRETCHBOT_SLACK_*", oneLine(err)}
		}
		m.adapters = append(m.adapters, a)
	}
	if cfg.DiscordEnabled() {
		a, err := discord.New(discordConfig(cfg), discord.WithLogger(m.Logger), discord.WithNow(m.Clock.Now), discord.WithSeenStore(seen))
		if err != nil {
			return &startupError{"STRETCHBOT_DISCORD_*", oneLine(err)}
		}
		m.adapters = append(m.adapters, a)
	}
	return nil
}

func slackConfig(cfg config.Config) slack.Config {
	return slack.Config{
		SigningSecret: cfg.Slack.SigningSecret.Reveal(),
		BotToken:      cfg.Slack.BotToken.Reveal(),
		AppToken:      cfg.Slack.AppToken.Reveal(),
		APIURL:        cfg.Slack.APIURL,
		Command:       cfg.Slack.Command,
		PublicURL:     cfg.PublicURL,
		ClientID:      cfg.Slack.ClientID,
		ClientSecret:  cfg.Slack.ClientSecret.Reveal(),
		OAuthURL:      cfg.Slack.OAuthURL,
	}
}

func discordConfig(cfg config.Config) discord.Config {
	return discord.Config{
		PublicKey: cfg.Discord.PublicKey,
		Token:     cfg.Discord.Token.Reveal(),
		AppID:     cfg.Discord.AppID,
		APIURL:    cfg.Discord.APIURL,
		Gateway:   cfg.DiscordGateway(),
		GuildID:   cfg.Discord.GuildID,
	}
}

// routes is the HTTP surface: health, readiness, metrics and every
// adapter's webhooks.
func (m *Main) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := m.Store.Ping(ctx); err != nil {
			if !m.unready.Swap(true) {
				m.Logger.Warn("readiness check failed", "err", err)
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "store unavailable\n")
			return
		}
		if m.Engine != nil && !m.Engine.Healthy() {
			// The store answers a ping but the scheduler's last query
			// failed: it is backing off and delivers nothing meanwhile.
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "scheduler backing off after store errors\n")
			return
		}
		if m.unready.Swap(false) {
			m.Logger.Info("readiness check passes again")
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	for _, a := range m.adapters {
		if hm, ok := a.(bot.HTTPMounter); ok {
			hm.Mount(mux, m.Bot)
		}
	}
	return mux
}

// Addr is the HTTP server's listen address ("" when off).
func (m *Main) Addr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// Run runs every part until ctx is done or the console reaches EOF, then
// stops them all, waiting for work in flight. It returns the first real
// failure.
func (m *Main) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, len(m.adapters)+3)
	start := func(name string, f func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := f(ctx)
			if err != nil && ctx.Err() == nil {
				// Adapters name themselves in their errors already.
				if !strings.HasPrefix(err.Error(), name+": ") {
					err = fmt.Errorf("%s: %w", name, err)
				}
				errc <- err
			}
			// The console ending (EOF) ends the program; other parts
			// stopping on their own is a failure reported above.
			if name == "console" || err != nil {
				cancel()
			}
		}()
	}
	if m.server != nil {
		start("http", func(ctx context.Context) error {
			go func() {
				<-ctx.Done()
				sctx, c := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				defer c()
				m.server.Shutdown(sctx)
			}()
			m.Logger.Info("http server listening", "addr", m.Addr())
			if err := m.server.Serve(m.listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
	}
	// The scheduler stops after the adapters (so deliveries in flight can
	// still be sent), so it gets its own context.
	engCtx, engCancel := context.WithCancel(context.WithoutCancel(ctx))
	engDone := make(chan error, 1)
	go func() { engDone <- m.Engine.Run(engCtx) }()
	// Other instances' changes to users and rotations drop them from the
	// core's cache.
	start("user changes", m.Bot.FollowUserChanges)
	start("rotation changes", m.Bot.FollowRotationChanges)
	for _, a := range m.adapters {
		start(string(a.Platform()), func(ctx context.Context) error { return a.Run(ctx, m.Bot) })
	}
	if m.Pruner != nil {
		start("pruner", m.Pruner.Run)
	}
	<-ctx.Done()
	wg.Wait()
	engCancel()
	if err := <-engDone; err != nil {
		errc <- fmt.Errorf("scheduler: %w", err)
	}
	close(errc)
	return <-errc
}

// Close releases the store.
func (m *Main) Close() error {
	if m.listener != nil && m.server == nil {
		m.listener.Close()
	}
	if m.Store != nil {
		return m.Store.Close()
	}
	return nil
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// userCacheTTL is how long the core may keep a caller's settings in memory.
// Its own changes update the cache at once, and another instance's
// changes to a user's settings drop the user when the store reports them
// (Bot.FollowUserChanges: at once on PostgreSQL, within a tenth of a
// second on a SQLite file), as do its changes to a rotation of exercises
// (Bot.FollowRotationChanges); the last break, not reported, is read from
// the store where it matters. The ttl bounds what no store reports (a
// count of runs passed over) and what goes
// unheard while the report's connection is down (once it is back,
// everything is read again). PostgreSQL is the store for several
// instances, whose requests for one user may land on any of them, so
// there it is shorter.
func userCacheTTL(databaseURL string) time.Duration {
	if u, err := dburl.Parse(databaseURL); err == nil && u.Driver == dburl.Postgres {
		return time.Minute
	}
	return 10 * time.Minute
}

// listCacheTTL is how long the core may keep the rows `list` shows. Its
// own changes, and those the store reports from any instance sharing it
// (at once on PostgreSQL, within a tenth of a second on a SQLite file),
// drop them at once; the ttl bounds the few changes no store reports
// (another instance skipping a run).
const listCacheTTL = 5 * time.Second

// fileDir is where the console writes attached files: next to the SQLite
// database file, or the temporary folder for other stores.
func fileDir(databaseURL string) string {
	u, err := dburl.Parse(databaseURL)
	if err != nil || u.Driver != dburl.SQLite || u.InMemory {
		return os.TempDir()
	}
	return filepath.Dir(u.Path)
}
