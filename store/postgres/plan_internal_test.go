package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/store/internal/sqlstore"
)

// planStore opens the store on a schema of its own, with a plain
// connection beside it to seed tables and read plans through.
func planStore(t *testing.T) (*DB, *pgx.Conn) {
	t.Helper()
	u := pgtest.Schema(t)
	db, err := Open(t.Context(), u)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return db, conn
}

// The batched claims and records look each listed row up by key even
// while occurrences has no statistics yet (a fresh table, or one grown
// since it was last analyzed): the generic plan a prepared statement
// keeps must not scan the table for every batch.
func TestBatchQueryPlans(t *testing.T) {
	ctx := t.Context()
	db, conn := planStore(t)
	// Thousands of claimed runs and their reminders, never analyzed.
	for _, q := range []string{
		`INSERT INTO reminders (id, tenant, kind, owner, channel, next_run)
			SELECT 'r' || i, 't', 'personal', 'u' || i, 'c', 1 FROM generate_series(1, 20000) i`,
		`INSERT INTO occurrences (reminder, tenant, at, kind, state, owner, lease_until)
			SELECT 'r' || i, 't', 1, 'run', 'claimed', 'i1', 2 FROM generate_series(1, 20000) i`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	for _, n := range []int{1, 256} {
		for _, q := range db.BatchQueries(n) {
			plan := genericPlan(t, conn, rebind(q))
			if strings.Contains(plan, "Seq Scan on occurrences") || strings.Contains(plan, "Seq Scan on reminders") ||
				strings.Contains(plan, "Hash") || strings.Contains(plan, "Merge") {
				t.Errorf("plan for %d rows of %.60s…:\n%s\nwant each row looked up by key", n, q, plan)
			}
		}
	}
}

// Pruning walks reminders by key and seeks each one's old occurrences by
// the primary key, with or without statistics, reading none of their
// recent ones and never the whole table.
func TestPruneQueryPlans(t *testing.T) {
	ctx := t.Context()
	_, conn := planStore(t) // the store migrates the schema
	for _, q := range []string{
		`INSERT INTO reminders (id, tenant, kind, owner, channel, next_run)
			SELECT 'r' || i, 't', 'personal', 'u' || i, 'c', 1 FROM generate_series(1, 2000) i`,
		`INSERT INTO occurrences (reminder, tenant, at, kind, state, owner, lease_until)
			SELECT 'r' || i, 't', j, 'run', 'delivered', 'i1', 2 FROM generate_series(1, 2000) i, generate_series(1, 50) j`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("seed: %v", err)
		}
	}
	for _, analyzed := range []bool{false, true} {
		if analyzed {
			if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		window, del := genericPlan(t, conn, rebind(sqlstore.PruneQueries()[0])), genericPlan(t, conn, rebind(sqlstore.PruneQueries()[1]))
		if !strings.Contains(window, "Index Only Scan using reminders_pkey") || strings.Contains(window, "Seq Scan") {
			t.Errorf("plan of the prune window (analyzed %v):\n%s\nwant the reminders' primary key", analyzed, window)
		}
		if !strings.Contains(del, "Index Cond: ((reminder = r.id) AND (at < $3))") || strings.Contains(del, "Seq Scan") ||
			strings.Contains(del, "Hash Join") || strings.Contains(del, "Merge Join") || strings.Contains(del, "Hash Semi Join") {
			t.Errorf("plan of the prune delete (analyzed %v):\n%s\nwant each reminder's old occurrences sought by key", analyzed, del)
		}
		if kept := genericPlan(t, conn, rebind(sqlstore.PruneQueries()[2])); !strings.Contains(kept, "kept_deliveries_at") ||
			strings.Contains(kept, "Seq Scan") {
			t.Errorf("plan of the kept runs' prune (analyzed %v):\n%s\nwant the oldest found by their index on at", analyzed, kept)
		}
	}
}

// genericPlan is the plan PostgreSQL keeps for q once prepared, in a
// transaction set up as the store's batches are.
func genericPlan(t *testing.T, conn *pgx.Conn, q string) string {
	t.Helper()
	ctx := t.Context()
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(context.Background())
	for _, s := range []string{dialect.BatchPlans, `SET LOCAL plan_cache_mode = force_generic_plan`, `PREPARE batch AS ` + q} {
		if _, err := tx.Exec(ctx, s); err != nil {
			t.Fatalf("%.60s…: %v", s, err)
		}
	}
	nulls := strings.TrimSuffix(strings.Repeat("NULL, ", strings.Count(q, "$")), ", ")
	rows, err := tx.Query(ctx, `EXPLAIN EXECUTE batch(`+nulls+`)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// A prepared statement outlives its transaction.
	if _, err := tx.Exec(ctx, `DEALLOCATE batch`); err != nil {
		t.Fatal(err)
	}
	return plan.String()
}

// rebind numbers q's ? placeholders as PostgreSQL's $1…$n.
func rebind(q string) string {
	var b strings.Builder
	n := 0
	for _, part := range strings.SplitAfter(q, "?") {
		if p, ok := strings.CutSuffix(part, "?"); ok {
			n++
			fmt.Fprintf(&b, "%s$%d", p, n)
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}
