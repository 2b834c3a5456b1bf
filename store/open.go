package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/stretchbot/stretchbot/store/memory"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

var (
	_ Store = (*sqlite.DB)(nil)
	_ Store = (*postgres.DB)(nil)
	_ Store = (*memory.DB)(nil)
)

// Forms lists the database URLs Open accepts, for error and help messages.
const Forms = "sqlite://relative/path.db, sqlite:///absolute/path.db, sqlite::memory:, postgres://user@host/db (any libpq URL), or memory://"

// Open opens the database dsn points to and applies pending migrations:
//
//	sqlite://relative/path.db    a file relative to the working directory
//	sqlite:///absolute/path.db   an absolute path
//	sqlite::memory:              a private in-memory database (tests)
//	postgres://… postgresql://…  PostgreSQL, any libpq URL
//	memory://                    in this process only; nothing persists (demos, benchmarks)
//
// Errors never contain the URL's password.
func Open(ctx context.Context, dsn string) (Store, error) {
	scheme, rest, ok := strings.Cut(dsn, ":")
	switch {
	case !ok:
	case strings.EqualFold(scheme, "sqlite"):
		path, err := sqlitePath(rest)
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w", Redact(dsn), err)
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return db, nil
	case strings.EqualFold(scheme, "postgres"), strings.EqualFold(scheme, "postgresql"):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return db, nil
	case strings.EqualFold(scheme, "memory") && rest == "//":
		return memory.New(), nil
	}
	return nil, fmt.Errorf("store: open %q: unknown database URL; use %s", Redact(dsn), Forms)
}

// sqlitePath extracts the file path from what follows "sqlite:".
func sqlitePath(rest string) (string, error) {
	switch rest {
	case ":memory:", "//:memory:":
		return sqlite.Memory, nil
	}
	p, ok := strings.CutPrefix(rest, "//")
	if !ok || p == "" {
		return "", errors.New("want sqlite://relative/path.db or sqlite:///absolute/path.db")
	}
	// A query string is not part of the path; SQLite options are fixed.
	p, _, _ = strings.Cut(p, "?")
	if p == "" || p == "/" {
		return "", errors.New("missing file path")
	}
	return p, nil
}

// Redact returns url with any password replaced by "xxxxx", for logs and
// errors. Strings that do not parse as URLs are reduced to their scheme.
func Redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		scheme, _, _ := strings.Cut(s, ":")
		return scheme + ":…"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
