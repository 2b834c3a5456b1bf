package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
)

// failingQueries is a store that answers pings but fails the scheduler's
// queries.
type failingQueries struct{ store.Store }

func (failingQueries) DueReminders(context.Context, time.Time, int) ([]bot.Reminder, error) {
	return nil, errors.New("disk I/O error")
}

func TestReadyzIsUnavailableWhileTheSchedulerBacksOff(t *testing.T) {
	cfg := config.Default()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	clock := bottest.NewClock(bottest.Start)
	no := false
	m := &Main{Config: cfg, Clock: clock, Interactive: &no}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ready := func() int {
		rec := httptest.NewRecorder()
		m.routes().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		return rec.Code
	}
	if got := ready(); got != http.StatusOK {
		t.Fatalf("/readyz = %d before any failure, want 200", got)
	}
	eng, err := schedule.NewEngine(failingQueries{m.Store}, m.Bot, when.Parser{}, schedule.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	m.Engine = eng
	if err := eng.Tick(context.Background()); err == nil {
		t.Fatal("Tick over a failing store succeeded")
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz = %d while the scheduler backs off, want 503", got)
	}
}

// unreachable is a store that does not answer pings.
type unreachable struct{ store.Store }

func (unreachable) Ping(context.Context) error { return errors.New("connection refused") }

// A probe every few seconds through an outage logs its start and its end,
// not every probe.
func TestReadyzLogsTheChangeNotEveryProbe(t *testing.T) {
	cfg := config.Default()
	cfg.DatabaseURL = "sqlite://" + filepath.Join(t.TempDir(), "r.db")
	var log syncBuffer
	no := false
	m := &Main{Config: cfg, Clock: bottest.NewClock(bottest.Start), Interactive: &no, Logger: slog.New(slog.NewTextHandler(&log, nil))}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	healthy := m.Store
	probe := func(want int) {
		t.Helper()
		rec := httptest.NewRecorder()
		m.routes().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		if rec.Code != want {
			t.Fatalf("/readyz = %d, want %d", rec.Code, want)
		}
	}
	m.Store = unreachable{healthy}
	for range 10 {
		probe(http.StatusServiceUnavailable)
	}
	m.Store = healthy
	probe(http.StatusOK)
	probe(http.StatusOK)
	if got := strings.Count(log.String(), "\n"); got != 2 {
		t.Errorf("%d log lines for 10 failed probes and 2 good ones, want 2 (failing, passing again):\n%s", got, log.String())
	}
}
