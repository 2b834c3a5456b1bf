package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// No foreign key ties occurrences to their reminder: a delete racing with
// a claim or a snooze of the same reminder must still leave no occurrence
// behind.
func TestDeleteRacesLeaveNoOccurrence(t *testing.T) {
	ctx := t.Context()
	db, conn := mustOpenWithConn(t)
	t0 := time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	for _, id := range []bot.ReminderID{"claimed", "snoozed"} {
		storetest.MustCreate(t, db, storetest.Reminder(id, "T1", bot.Personal, "U1", "C1", t0, t0))
	}
	occurrences := func(id bot.ReminderID) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM occurrences WHERE reminder = $1`, id).Scan(&n); err != nil {
			t.Fatalf("count occurrences: %v", err)
		}
		return n
	}
	// waitBlocked returns once another session waits for a lock that
	// conn's transaction holds.
	waitBlocked := func() {
		t.Helper()
		for range 500 {
			var n int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
				conn.PgConn().PID()).Scan(&n); err != nil {
				t.Fatalf("pg_locks: %v", err)
			}
			if n > 0 {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Fatal("no statement waited for the lock")
	}

	// A claim holds the reminder and inserts its run, as ClaimBatch does;
	// the delete waits for it and then removes the run too.
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM reminders WHERE id = 'claimed' FOR UPDATE`); err != nil {
		t.Fatalf("lock: %v", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO occurrences (reminder, tenant, at, kind, state) VALUES ('claimed', 'T1', $1, 'run', 'claimed')`,
		t0.UnixNano()); err != nil {
		t.Fatalf("insert: %v", err)
	}
	deleted := make(chan error, 1)
	go func() { deleted <- db.DeleteReminder(ctx, "T1", "claimed") }()
	waitBlocked()
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if err := <-deleted; err != nil {
		t.Fatalf("DeleteReminder: %v", err)
	}
	if n := occurrences("claimed"); n != 0 {
		t.Errorf("occurrences of the deleted reminder after a claim committed beside the delete = %d, want 0", n)
	}

	// A delete holds the reminder; the snooze waits for it, then finds
	// the reminder gone and adds nothing.
	tx, err = conn.Begin(ctx)
	if err != nil {
		t.Fatalf("begin: %v", err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM reminders WHERE id = 'snoozed'`); err != nil {
		t.Fatalf("delete: %v", err)
	}
	added := make(chan error, 1)
	go func() {
		added <- db.AddOccurrence(ctx, bot.Occurrence{Reminder: "snoozed", Tenant: "T1", At: t0, LeaseUntil: t0, Owner: "U1"})
	}()
	waitBlocked()
	if err := tx.Commit(ctx); err != nil {
		t.Fatalf("commit: %v", err)
	}
	if err := <-added; !errors.Is(err, bot.ErrNotFound) {
		t.Errorf("AddOccurrence(reminder deleted meanwhile) = %v, want ErrNotFound", err)
	}
	if n := occurrences("snoozed"); n != 0 {
		t.Errorf("occurrences of the deleted reminder after a snooze beside the delete = %d, want 0", n)
	}
}

// mustOpenWithConn opens the store on a fresh schema, with a plain
// connection beside it to look at its tables through.
func mustOpenWithConn(t *testing.T) (*postgres.DB, *pgx.Conn) {
	t.Helper()
	u := MustSchema(t)
	db := MustOpen(t, u)
	conn, err := pgx.Connect(t.Context(), u)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return db, conn
}
