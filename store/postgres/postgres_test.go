package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// baseURL is the test server; STRETCHBOT_TEST_POSTGRES_URL overrides it.
func baseURL() string {
	if u := os.Getenv("STRETCHBOT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// MustSchema creates a uniquely named schema, dropped when tb ends, and
// returns a URL whose connections use it. It skips the test when Postgres
// is unreachable, unless $CI is set.
func MustSchema(tb testing.TB) string {
	tb.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, baseURL())
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
		c, err := pgx.Connect(ctx, baseURL())
		if err != nil {
			tb.Errorf("drop schema: %v", err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(baseURL())
	if err != nil {
		tb.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpen opens the store at url, closed when tb ends.
func MustOpen(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	storetest.RunConformanceTests(t, func(t *testing.T) store.Store { return MustOpen(t, MustSchema(t)) })
}

// Two pools on one schema behave like two instances.
func TestClaimRaceTwoInstances(t *testing.T) {
	u := MustSchema(t)
	storetest.RaceClaim(t, MustOpen(t, u), MustOpen(t, u))
}

// Instances starting together migrate once, without errors.
func TestConcurrentMigrate(t *testing.T) {
	u := MustSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := postgres.Open(t.Context(), u)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("Open: %v", err)
	}
}

func TestOpenErrorHidesPassword(t *testing.T) {
	_, err := postgres.Open(t.Context(), "postgres://bob:hunter2@127.0.0.1:1/nope?sslmode=disable&connect_timeout=1")
	if err == nil {
		t.Fatal("Open(bad port) succeeded")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error leaks the password: %v", err)
	}
}
