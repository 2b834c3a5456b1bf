package testkit

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
)

// RequestCore is the core as the binary serves requests with it, logging
// nowhere, over the store at dsn (a SQLite file in tb's temporary
// directory when dsn is empty), which it also returns: what the adapters'
// request benchmarks mount their handlers on. The store is closed when tb
// ends.
func RequestCore(tb testing.TB, dsn string) (*bot.Bot, store.Store) {
	tb.Helper()
	if dsn == "" {
		dsn = "sqlite://" + filepath.Join(tb.TempDir(), "bench.db")
	}
	st, err := store.Open(tb.Context(), dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	core, err := bot.New(st, bot.WithRules(when.Parser{MinInterval: 10 * time.Minute}),
		bot.WithLogger(Quiet()), bot.WithUserCache(10*time.Minute), bot.WithListCache(time.Minute))
	if err != nil {
		tb.Fatal(err)
	}
	return core, st
}

// Quiet is a logger that writes nowhere.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
