// Package postgres is the shared store for several stretchbot instances:
// PostgreSQL through database/sql and github.com/jackc/pgx/v5/stdlib. The
// queries are store/internal/sqlstore's, shared with store/sqlite.
//
// Every time is stored as BIGINT unix nanoseconds in UTC, and the zero
// time.Time as 0, exactly as in store/sqlite: times round-trip exactly and
// compare-and-set on NextRun matches what was read back. (TIMESTAMPTZ keeps
// only microseconds.)
//
// Claims are safe across processes: the conditional UPDATE of the
// reminder's next_run takes its row lock, so a racing claim waits, then sees
// the new value and matches nothing; the occurrence insert is ON CONFLICT DO
// NOTHING; both run in one transaction that rolls back if either loses.
package postgres

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store/internal/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DefaultMaxConns is the pool size unless the URL sets pool_max_conns.
const DefaultMaxConns = 8

// dialect is PostgreSQL's SQL: $n placeholders, real booleans.
//
// BatchPlans turns hash joins, merge joins and sequential scans off for
// the transactions of batched claims and records. A prepared statement
// keeps the generic plan made at its sixth run, and made while
// occurrences has no statistics yet (a fresh table, or a burst's claims
// since the last analyze) it hash joined a record's list with every
// claimed run: each batch read the whole table, half the server's CPU in
// a burst of 100 000. Their lists can only be walked by key now.
var dialect = sqlstore.Dialect{Name: "postgres", Numbered: true, NotPaused: "NOT paused", Lateral: true,
	SkipLocked: " FOR UPDATE OF r SKIP LOCKED", KeyShare: " FOR KEY SHARE",
	BatchPlans: `SELECT set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true),
		set_config('enable_seqscan', 'off', true)`,
	// A run handed back with its reminder changed keeps its claim, with
	// a lease ending at its time, which no trigger reports (a run whose
	// next_run goes back notifies through 0007's). Notifications alike
	// within a transaction are delivered once.
	DueSooner: "SELECT pg_notify('" + notifyChannel + "', current_schema())"}

// core is unexported so that embedding it adds its methods, not a field, to
// DB's API.
type core = sqlstore.DB

// DB is a stretchbot store in a PostgreSQL database. It is safe for
// concurrent use. Its query methods are sqlstore's; writes need no lock here
// because row locks and ON CONFLICT arbitrate between instances.
type DB struct {
	*core
	// cfg opens the connection Notify listens on.
	cfg *pgx.ConnConfig
}

// Open connects to the database at url (any libpq URL or keyword/value
// string; pool_max_conns=N sizes the pool) and applies pending migrations.
// Errors never contain the password.
func Open(ctx context.Context, url string) (*DB, error) {
	max := DefaultMaxConns
	cfg, err := pgx.ParseConfig(stripPoolParams(url, &max))
	if err != nil {
		// pgconn's ParseConfigError already redacts the password.
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	sdb := stdlib.OpenDB(*cfg)
	sdb.SetMaxOpenConns(max)
	sdb.SetMaxIdleConns(max)
	db := &DB{core: sqlstore.New(sdb, dialect, nil), cfg: cfg}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// stripPoolParams removes pool_max_conns from a URL's query (pgx would send
// it to the server as a run-time parameter) and stores its value in max.
func stripPoolParams(url string, max *int) string {
	base, query, ok := strings.Cut(url, "?")
	if !ok {
		return url
	}
	var keep []string
	for _, kv := range strings.Split(query, "&") {
		if v, ok := strings.CutPrefix(kv, "pool_max_conns="); ok {
			if n, err := strconv.Atoi(v); err == nil && n > 0 {
				*max = n
			}
			continue
		}
		keep = append(keep, kv)
	}
	if len(keep) == 0 {
		return base
	}
	return base + "?" + strings.Join(keep, "&")
}

// migrationLock is the pg_advisory_xact_lock key that serializes migrations
// of instances starting together.
var migrationLock = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("stretchbot schema_migrations"))
	return int64(h.Sum64())
}()

// Migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction under an advisory lock, so
// several instances may start at once. It is idempotent.
func (s *DB) Migrate(ctx context.Context) error {
	return s.core.Migrate(ctx, sqlstore.Migrations{
		FS: migrations,
		Setup: []string{
			"SELECT pg_advisory_xact_lock(" + strconv.FormatInt(migrationLock, 10) + ")",
			`CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
		},
		Record: `INSERT INTO schema_migrations (version, applied_at) VALUES (?, to_timestamp(CAST(? AS BIGINT) / 1e9))`,
	})
}

var (
	_ schedule.Notifier          = (*DB)(nil)
	_ schedule.ChangeNotifier    = (*DB)(nil)
	_ schedule.ParallelWriter    = (*DB)(nil)
	_ schedule.DueCounter        = (*DB)(nil)
	_ bot.UserChangeNotifier     = (*DB)(nil)
	_ bot.RotationChangeNotifier = (*DB)(nil)
)

// ParallelWrites lets the engine record a burst's deliveries in up to
// three transactions at once: the server writes them on several cores,
// and the pool keeps connections for claims and requests.
func (s *DB) ParallelWrites() int { return 3 }

// notifyChannel is where the triggers of migrations 0007 and 0012 announce
// work due sooner than the instances knew, and reminders paused or deleted.
const notifyChannel = "stretchbot_due"

// Notify listens, on a connection of its own, for changes that make work
// due sooner (a reminder created or resumed, a run moved earlier, a
// snooze) or that may stop a run already claimed (a reminder paused or
// deleted), from any instance, and calls changed for each, and once when
// it starts listening, for whatever happened before. It returns nil when
// ctx ends and an error when the connection fails.
func (s *DB) Notify(ctx context.Context, changed func()) error {
	return s.NotifyChanges(ctx, func(...bot.ReminderID) { changed() })
}

// NotifyChanges is Notify, also naming the reminder paused or deleted.
func (s *DB) NotifyChanges(ctx context.Context, changed func(ids ...bot.ReminderID)) error {
	return s.listen(ctx, notifyChannel, func() { changed() }, func(schema, payload string) {
		if id, ok := changeOf(payload, schema); ok {
			if id == "" {
				changed()
			} else {
				changed(id)
			}
		}
	})
}

// userChannel is where the triggers of migration 0018 announce the users
// written.
const userChannel = "stretchbot_users"

// NotifyUserChanges calls changed with each user any instance writes
// (this one's own writes included), and once when it starts listening,
// for whatever happened before, on a connection of its own. It returns
// nil when ctx ends and an error when the connection fails.
func (s *DB) NotifyUserChanges(ctx context.Context, changed func(users ...bot.UserRef)) error {
	return s.listen(ctx, userChannel, func() { changed() }, func(schema, payload string) {
		if u, ok := userOf(payload, schema); ok {
			changed(u)
		}
	})
}

// rotationChannel is where the triggers of migration 0023 announce the
// rotations written.
const rotationChannel = "stretchbot_rotations"

// NotifyRotationChanges calls changed with each rotation any instance
// writes (this one's own writes included), and once when it starts
// listening, for whatever happened before, on a connection of its own. It
// returns nil when ctx ends and an error when the connection fails.
func (s *DB) NotifyRotationChanges(ctx context.Context, changed func(rotations ...bot.RotationRef)) error {
	return s.listen(ctx, rotationChannel, func() { changed() }, func(schema, payload string) {
		if r, ok := rotationOf(payload, schema); ok {
			changed(r)
		}
	})
}

// rotationOf reads a rotation change's payload: a JSON array of the
// schema, the tenant, the scope and, unless it was too long, the rotation
// as written (the JSON text of its ids). ok is false for another
// schema's, or a payload it cannot read.
func rotationOf(payload, schema string) (r bot.RotationRef, ok bool) {
	var parts []string
	if err := json.Unmarshal([]byte(payload), &parts); err != nil || len(parts) < 3 || len(parts) > 4 || parts[0] != schema {
		return bot.RotationRef{}, false
	}
	r = bot.RotationRef{Tenant: bot.TenantID(parts[1]), Scope: parts[2]}
	if len(parts) == 4 {
		r.Told = json.Unmarshal([]byte(parts[3]), &r.Used) == nil
	}
	return r, true
}

// listen calls started once listening on channel, on a connection of its
// own, then heard with each notification's payload and the connection's
// schema, until ctx ends (nil) or the connection fails.
func (s *DB) listen(ctx context.Context, channel string, started func(), heard func(schema, payload string)) error {
	conn, err := pgx.ConnectConfig(ctx, s.cfg)
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var schema string
	if err := conn.QueryRow(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	started()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("postgres: listen: %w", err)
		}
		heard(schema, n.Payload)
	}
}

// changeOf reads a notification's payload: the schema alone (work due
// sooner), or the schema, a space and a reminder's id. ok is false for
// another schema's.
func changeOf(payload, schema string) (id bot.ReminderID, ok bool) {
	if payload == schema {
		return "", true
	}
	rest, found := strings.CutPrefix(payload, schema+" ")
	if !found || rest == "" {
		return "", false
	}
	return bot.ReminderID(rest), true
}

// userOf reads a user change's payload, a JSON array of the schema, the
// tenant and the user's id. ok is false for another schema's, or a
// payload it cannot read.
func userOf(payload, schema string) (u bot.UserRef, ok bool) {
	var parts []string
	if err := json.Unmarshal([]byte(payload), &parts); err != nil || len(parts) != 3 || parts[0] != schema {
		return bot.UserRef{}, false
	}
	return bot.UserRef{Tenant: bot.TenantID(parts[1]), ID: bot.UserID(parts[2])}, true
}
