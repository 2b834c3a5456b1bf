// Package store names what a database behind stretchbot must do and opens
// the one a URL points to. Drivers live in sub-packages (sqlite, postgres,
// memory); store/storetest is the conformance suite every driver runs.
package store

import (
	"context"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
)

// Store is a complete database: what the command handlers and the scheduler
// engine need, plus life-cycle.
type Store interface {
	bot.Store
	bot.SkipCounter
	schedule.Store
	// Migrate applies pending migrations; Open already does.
	Migrate(ctx context.Context) error
	// Ping reports whether the database answers (for /readyz).
	Ping(ctx context.Context) error
	Close() error
}
