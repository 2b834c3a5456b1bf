package harness

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// Store kinds a benchmark can run on.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
	Memory   = "memory"
)

// Target is a database to seed and benchmark: a SQLite file, a PostgreSQL
// URL, or the in-process memory store (which only its own process sees).
type Target struct {
	Kind string
	DSN  string // SQLite: a file path; PostgreSQL: a URL
}

// URL is the target as STRETCHBOT_DATABASE_URL and store.Open take it.
func (t Target) URL() string {
	switch t.Kind {
	case SQLite:
		return "sqlite://" + t.DSN // an absolute path gives sqlite:///…
	case Postgres:
		return t.DSN
	}
	return "memory://"
}

// PostgresURL is the benchmark server: STRETCHBOT_TEST_POSTGRES_URL, else
// the local one the tests use.
func PostgresURL() string {
	if u := os.Getenv("STRETCHBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable&connect_timeout=3"
}

// NewSchema creates a uniquely named schema on the server at base and
// returns a URL whose connections use it, and a function that drops it.
func NewSchema(ctx context.Context, base string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "stretchbot_bench_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		return "", nil, err
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, base); err == nil {
			c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			c.Close(ctx)
		}
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// Creator is the one store method seeding the memory store needs.
type Creator interface {
	CreateReminder(ctx context.Context, r bot.Reminder) error
}

// SeedStore creates reminders row(0) … row(n-1) one by one through the
// store's API: fast enough for the memory store only.
func SeedStore(ctx context.Context, st Creator, n int, row func(i int) bot.Reminder) error {
	for i := range n {
		if err := st.CreateReminder(ctx, row(i)); err != nil {
			return err
		}
	}
	return nil
}

// Migrate creates the schema of a SQLite or PostgreSQL target through its
// store, as the bot would at start.
func Migrate(ctx context.Context, t Target) error {
	switch t.Kind {
	case SQLite:
		db, err := sqlite.Open(ctx, t.DSN)
		if err != nil {
			return err
		}
		return db.Close()
	case Postgres:
		db, err := postgres.Open(ctx, t.DSN)
		if err != nil {
			return err
		}
		return db.Close()
	}
	return fmt.Errorf("migrate: %s has no schema", t.Kind)
}

// OpenSQL opens a plain database/sql handle on a migrated SQLite or
// PostgreSQL target, for the statements outside the store's API.
func OpenSQL(t Target) (*sql.DB, error) {
	switch t.Kind {
	case SQLite:
		// sqlite.Open registered the driver.
		esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(t.DSN)
		return sql.Open("sqlite", "file:"+esc+"?_pragma=busy_timeout(10000)")
	case Postgres:
		return sql.Open("pgx", t.DSN)
	}
	return nil, fmt.Errorf("%s has no SQL", t.Kind)
}

// seedColumns are the reminder fields a benchmark sets; the others keep
// their defaults.
const seedColumns = "id, tenant, platform, kind, owner, channel, rule, zone, next_run, created_at"

// SeedSQL inserts reminders row(0) … row(n-1) into a migrated SQLite or
// PostgreSQL target with multi-row INSERTs, many per transaction: a
// million rows take seconds, not the minutes one CreateReminder each takes.
func SeedSQL(ctx context.Context, t Target, n int, row func(i int) bot.Reminder) error {
	db, err := OpenSQL(t)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	const perStmt, perTx = 500, 50_000
	cols := strings.Count(seedColumns, ",") + 1
	var sb strings.Builder
	args := make([]any, 0, perStmt*cols)
	for lo := 0; lo < n; lo += perTx {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for s := lo; s < min(lo+perTx, n); s += perStmt {
			e := min(s+perStmt, n)
			sb.Reset()
			args = args[:0]
			sb.WriteString("INSERT INTO reminders (" + seedColumns + ") VALUES ")
			for i := s; i < e; i++ {
				if i > s {
					sb.WriteByte(',')
				}
				sb.WriteByte('(')
				for c := range cols {
					if c > 0 {
						sb.WriteByte(',')
					}
					if t.Kind == Postgres {
						sb.WriteString("$" + strconv.Itoa(len(args)+c+1))
					} else {
						sb.WriteByte('?')
					}
				}
				sb.WriteByte(')')
				r := row(i)
				args = append(args, string(r.ID), string(r.Tenant), string(r.Platform), string(r.Kind), string(r.Owner),
					string(r.Channel), r.Rule, r.Zone, unixNano(r.NextRun), unixNano(r.CreatedAt))
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				tx.Rollback()
				return fmt.Errorf("seed: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	if t.Kind == SQLite {
		// The seed is not news to any process: the change log would
		// otherwise hold a row per seeded reminder until pruned, and the
		// prune would fall inside the measurement.
		db.ExecContext(ctx, `DELETE FROM reminder_changes`)
		// Start the measurement with a small WAL, as a long-running bot has.
		db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	} else {
		db.ExecContext(ctx, `ANALYZE reminders`)
	}
	return nil
}

// unixNano is how both SQL stores keep times: 0 for the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// ID is the reminder id of schedule i of a benchmark: a letter and seven
// digits, a valid id up to ten million schedules.
func ID(prefix byte, i int) bot.ReminderID {
	b := make([]byte, 0, 8)
	b = append(b, prefix)
	s := strconv.Itoa(i)
	for range 7 - len(s) {
		b = append(b, '0')
	}
	return bot.ReminderID(append(b, s...))
}

// Index is the schedule number in an ID, or -1.
func Index(id bot.ReminderID) int {
	if len(id) < 2 {
		return -1
	}
	i, err := strconv.Atoi(string(id[1:]))
	if err != nil {
		return -1
	}
	return i
}
