package store

import (
	"context"
	"fmt"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/dburl"
	"github.com/stretchbot/stretchbot/store/memory"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

var (
	_ Store = (*sqlite.DB)(nil)
	_ Store = (*postgres.DB)(nil)
	_ Store = (*memory.DB)(nil)

	// Every driver can also pause a tenant for the core.
	_ bot.TenantPauser = (*sqlite.DB)(nil)
	_ bot.TenantPauser = (*postgres.DB)(nil)
	_ bot.TenantPauser = (*memory.DB)(nil)
)

// Open opens the database a URL points to and applies pending migrations.
// It accepts exactly what dburl.Parse accepts (the forms are listed in
// dburl.Forms), so a URL that passed configuration opens here. Errors never
// contain the URL's password.
func Open(ctx context.Context, dsn string) (Store, error) {
	u, err := dburl.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	switch u.Driver {
	case dburl.SQLite:
		path := u.Path
		if u.InMemory {
			path = sqlite.Memory
		}
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return db, nil
	case dburl.Postgres:
		db, err := postgres.Open(ctx, u.DSN)
		if err != nil {
			return nil, err
		}
		return db, nil
	case dburl.Memory:
		return memory.New(), nil
	}
	return nil, fmt.Errorf("store: open %s: no %s store is built in", u, u.Driver)
}
