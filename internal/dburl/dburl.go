// Package dburl is the one reader of database URLs: Parse turns one into the
// driver that opens it and what that driver needs, refusing anything the
// store cannot open, and Redact makes any string safe to print. config
// validates STRETCHBOT_DATABASE_URL with Parse and store.Open opens what
// Parse returns, so the two always accept the same URLs. Standard library
// only, so config can use it without linking a database driver.
package dburl

import (
	"fmt"
	"net/url"
	"strings"
)

// Driver names the kind of store a URL selects.
type Driver string

// The drivers a URL can select.
const (
	SQLite   Driver = "sqlite"
	Postgres Driver = "postgres"
	Memory   Driver = "memory"
)

// Forms lists the accepted URLs, for error and help messages.
const Forms = "sqlite://relative/path.db, sqlite:///absolute/path.db, sqlite::memory:, postgres://user@host/db (any libpq URL) or memory://"

// URL is a parsed database URL. Its String method is redacted.
type URL struct {
	// Driver is the store to open.
	Driver Driver
	// Path is the SQLite database file, relative to the working directory
	// unless it starts with "/". It is empty for an in-memory database.
	Path string
	// InMemory is set for sqlite::memory:, a private database that
	// disappears when closed.
	InMemory bool
	// DSN is the connection URL for PostgreSQL, with the scheme in lower
	// case as libpq and pgx require.
	DSN string

	raw string
}

// String returns the URL as given, redacted.
func (u URL) String() string { return Redact(u.raw) }

// Parse reads a database URL:
//
//	sqlite://relative/path.db    a file relative to the working directory
//	sqlite:///absolute/path.db   an absolute path
//	sqlite::memory:              a private in-memory SQLite database
//	postgres://… postgresql://…  PostgreSQL, any libpq URL
//	memory://                    the in-process store; nothing persists
//
// Schemes are case-insensitive. A query string after a SQLite path is
// ignored: SQLite's options are fixed by the store. Errors say what is
// wrong with an example that works, and never contain the password.
func Parse(s string) (URL, error) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || !validScheme(scheme) {
		return URL{}, fmt.Errorf("%s is not a database URL; use %s", quote(s), Forms)
	}
	u := URL{raw: s}
	switch strings.ToLower(scheme) {
	case "sqlite":
		u.Driver = SQLite
		if rest == ":memory:" || rest == "//:memory:" {
			u.InMemory = true
			return u, nil
		}
		p, ok := strings.CutPrefix(rest, "//")
		if !ok || p == "" {
			return URL{}, fmt.Errorf("%s: want sqlite://relative/path.db or sqlite:///absolute/path.db", quote(s))
		}
		p, _, _ = strings.Cut(p, "?")
		if p == "" || p == "/" {
			return URL{}, fmt.Errorf("%s: missing file path; use sqlite://relative/path.db or sqlite:///absolute/path.db", quote(s))
		}
		u.Path = p
		return u, nil
	case "postgres", "postgresql":
		u.Driver = Postgres
		pu, err := url.Parse(s)
		if err != nil || pu.Opaque != "" || !strings.HasPrefix(rest, "//") {
			// The parser's message would quote the URL, password and all.
			return URL{}, fmt.Errorf("%s is not a valid PostgreSQL URL (check that special characters in the password are percent-encoded); use postgres://user:password@host:5432/db", quote(s))
		}
		u.DSN = strings.ToLower(scheme) + ":" + rest
		return u, nil
	case "memory":
		u.Driver = Memory
		if rest != "//" {
			return URL{}, fmt.Errorf("%s: the in-memory store takes no name or options; use memory://", quote(s))
		}
		return u, nil
	}
	return URL{}, fmt.Errorf("%s is not a supported database URL; use %s", quote(s), Forms)
}

// quote shows s redacted in double quotes, for error messages.
func quote(s string) string { return `"` + Redact(s) + `"` }

// validScheme reports whether s has the syntax of a URL scheme: a letter,
// then letters, digits, "+", "-" or ".".
func validScheme(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i, c := range s {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}
