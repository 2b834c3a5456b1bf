// Package pgtest gives each test its own schema on the PostgreSQL test
// server. It is apart from testkit so that tests which need no database
// driver do not link one.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// BaseURL is the test server: STRETCHBOT_TEST_POSTGRES_URL, else the
// local one every development machine and CI runs.
func BaseURL() string {
	if u := os.Getenv("STRETCHBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// Schema creates a uniquely named schema, dropped when tb ends, and
// returns a URL whose connections use it. When Postgres is unreachable the
// test is skipped, or fails if $CI is set.
func Schema(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, BaseURL())
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("postgres unreachable: %v", err)
		}
		tb.Skipf("postgres unreachable (set STRETCHBOT_TEST_POSTGRES_URL): %v", err)
	}
	defer conn.Close(ctx)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "stretchbot_test_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(ctx, BaseURL())
		if err != nil {
			tb.Errorf("drop schema: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(BaseURL())
	if err != nil {
		tb.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
