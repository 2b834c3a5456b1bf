package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// readByHand opens a feed on db, with no poller, and starts a reader of
// log on it.
func readByHand[T comparable](t *testing.T, db *DB, log changeLog[T]) (*feed, *reader[T]) {
	t.Helper()
	f, err := openFeed(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.close)
	r, err := newReader(t.Context(), f, log)
	if err != nil {
		t.Fatal(err)
	}
	return f, r
}

// pollByHand is one turn of the poller and of r's listener.
func pollByHand[T comparable](ctx context.Context, f *feed, r *reader[T], changed func(...T)) error {
	woken, err := f.poll(ctx)
	if err != nil || !woken {
		return err
	}
	return r.read(ctx, changed)
}

// The feed, polled by hand: it reads the log only after another
// connection committed, in batches, naming each reminder once; pruning
// keeps what is recent, and even once the log is empty a new change
// gets a sequence number past every one read (AUTOINCREMENT).
func TestChangeFeed(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	log := func(id string, at int64) {
		t.Helper()
		if _, err := db.db.ExecContext(ctx, `INSERT INTO reminder_changes (reminder, at) VALUES (?, ?)`, id, at); err != nil {
			t.Fatal(err)
		}
	}
	log("before", 0) // logged before the reader starts: not heard
	f, r := readByHand(t, db, reminderLog)
	var calls [][]bot.ReminderID
	poll := func() {
		t.Helper()
		calls = nil
		if err := pollByHand(ctx, f, r, func(ids ...bot.ReminderID) { calls = append(calls, ids) }); err != nil {
			t.Fatal(err)
		}
	}
	poll()
	if calls != nil {
		t.Fatalf("nothing committed, yet poll called %v", calls)
	}

	now := time.Now().Unix()
	for i := range changeBatch + 10 {
		// Each of r0…r4 twice, the second time in the second batch; an
		// hour old.
		log(fmt.Sprintf("r%d", i%(changeBatch+5)), now-3600)
	}
	log("r1", now)
	log("", now)
	poll()
	if len(calls) != 2 || len(calls[0]) != changeBatch || len(calls[1]) != 10 || calls[1][0] != "r1000" {
		t.Fatalf("poll of %d changes called with %d batches, want 2 (%d and 10 reminders)", changeBatch+12, len(calls), changeBatch)
	}
	poll()
	if calls != nil {
		t.Fatalf("poll read again what it had read: %v", calls)
	}
	log("", now)
	poll()
	if len(calls) != 1 || len(calls[0]) != 0 {
		t.Errorf("work due sooner: called %v, want once with no reminder", calls)
	}

	// Between polls the feed holds no read snapshot, which would keep
	// checkpoints from emptying the WAL. The store's own checkpointer may
	// be copying the WAL at that moment, which makes this one busy too,
	// but only for that moment: a snapshot the feed held would keep it
	// busy every time.
	var busy, frames, done int
	for range 50 {
		if err := db.db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if busy != 0 {
		t.Errorf("checkpoint beside an idle feed: busy %d 50 times in a row", busy)
	}

	if err := f.prune(ctx, reminderLog.logTable, time.Unix(now-60, 0)); err != nil {
		t.Fatal(err)
	}
	var n int
	db.db.QueryRowContext(ctx, `SELECT count(*) FROM reminder_changes`).Scan(&n)
	if n != 3 {
		t.Errorf("%d changes after pruning those over a minute old, want the 3 recent", n)
	}
	if err := f.prune(ctx, reminderLog.logTable, time.Unix(now+1, 0)); err != nil {
		t.Fatal(err)
	}
	log("last", now)
	poll()
	if len(calls) != 1 || !slices.Equal(calls[0], []bot.ReminderID{"last"}) {
		t.Errorf("after the log was emptied: called %v, want [last]", calls)
	}
}

// The user log numbers its changes from the largest one left: pruning
// keeps the last, so a change logged after it is still read.
func TestUserFeedPruneKeepsItsPlace(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "feed.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	save := func(id bot.UserID, zone string) {
		t.Helper()
		if err := db.SaveUser(ctx, bot.User{Tenant: "T1", ID: id, Zone: zone}); err != nil {
			t.Fatal(err)
		}
	}
	save("U1", "")
	f, r := readByHand(t, db, userLog)
	var heard []bot.UserRef
	poll := func() {
		t.Helper()
		heard = nil
		if err := pollByHand(ctx, f, r, func(us ...bot.UserRef) { heard = append(heard, us...) }); err != nil {
			t.Fatal(err)
		}
	}
	save("U2", "")
	save("U2", "Asia/Tokyo")
	poll()
	if !slices.Equal(heard, []bot.UserRef{{Tenant: "T1", ID: "U2"}}) {
		t.Fatalf("heard %v, want U2 once", heard)
	}
	if err := f.prune(ctx, userLog.logTable, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	db.db.QueryRowContext(ctx, `SELECT count(*) FROM user_changes`).Scan(&n)
	if n != 1 {
		t.Errorf("%d changes left after pruning them all, want the last", n)
	}
	save("U3", "")
	poll()
	if !slices.Equal(heard, []bot.UserRef{{Tenant: "T1", ID: "U3"}}) {
		t.Errorf("after pruning: heard %v, want U3", heard)
	}
}

// BenchmarkChangeFeedIdlePoll is what a listener costs every pollEvery
// while no other connection commits: one PRAGMA.
func BenchmarkChangeFeedIdlePoll(b *testing.B) {
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), "feed.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	f, err := openFeed(b.Context(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer f.close()
	for b.Loop() {
		if changed, err := f.poll(b.Context()); err != nil || changed {
			b.Fatal(changed, err)
		}
	}
}
