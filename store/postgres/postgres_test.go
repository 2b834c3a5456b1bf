package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/store"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// MustSchema is a fresh schema on the test server (see pgtest).
var MustSchema = pgtest.Schema

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
	a, b := MustOpen(t, u), MustOpen(t, u)
	storetest.RaceClaim(t, a, b)
	storetest.RaceSeen(t, a, b)
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
