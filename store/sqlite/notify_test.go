package sqlite_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store/sqlite"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// Two handles on one file stand for two processes: each has its own
// connections, and SQLite tells a connection only of other connections'
// commits.
func TestNotifyChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetest.NotifyChanges(t, MustOpen(t, path), MustOpen(t, path))
}

// A run moved earlier is work due sooner; moved later (a claim, a skip)
// it is not.
func TestNotifyRunMovedEarlier(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, b := MustOpen(t, path), MustOpen(t, path)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan []bot.ReminderID, 16)
	go a.NotifyChanges(ctx, func(ids ...bot.ReminderID) { got <- ids })
	wait := func(what string, want bool) {
		t.Helper()
		limit := 5 * time.Second
		if !want {
			limit = 300 * time.Millisecond
		}
		select {
		case ids := <-got:
			if !want {
				t.Errorf("%s notified %v", what, ids)
			}
		case <-time.After(limit):
			if want {
				t.Fatalf("no notification %s", what)
			}
		}
	}
	wait("when listening starts", true)
	t0 := storetest.T0
	storetest.MustCreate(t, b, storetest.Reminder("e1", "T1", bot.Personal, "U1", "C1", t0, t0.Add(time.Hour)))
	wait("for a new reminder", true)
	if err := b.AdvanceReminder(ctx, "e1", t0.Add(time.Hour), t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	wait("a run moved later", false)
	if err := b.AdvanceReminder(ctx, "e1", t0.Add(2*time.Hour), t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wait("for a run moved earlier", true)
	if err := b.AdvanceReminder(ctx, "e1", t0.Add(time.Minute), time.Time{}); err != nil {
		t.Fatal(err)
	}
	wait("a reminder finished", false)
	if err := b.AdvanceReminder(ctx, "e1", time.Time{}, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wait("for a finished reminder given a run", true)
}

// Another process's pause reaches a listener in this one.
func TestNotifyChangesFromAnotherProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	db := MustOpen(t, path)
	storetest.MustCreate(t, db, storetest.Reminder("x1", "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	got := make(chan []bot.ReminderID, 16)
	done := make(chan error, 1)
	go func() { done <- db.NotifyChanges(ctx, func(ids ...bot.ReminderID) { got <- ids }) }()
	<-got // listening

	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperPauser$")
	cmd.Env = append(os.Environ(), "STRETCHBOT_PAUSER_DB="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pauser: %v\n%s", err, out)
	}
	select {
	case ids := <-got:
		if len(ids) != 1 || ids[0] != "x1" {
			t.Errorf("notified %v, want x1", ids)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the other process's pause was not heard")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("NotifyChanges after cancel = %v", err)
	}
}

// TestHelperPauser is the child process of TestNotifyChangesFromAnotherProcess.
func TestHelperPauser(t *testing.T) {
	path := os.Getenv("STRETCHBOT_PAUSER_DB")
	if path == "" {
		t.Skip("only run by TestNotifyChangesFromAnotherProcess")
	}
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetPaused(t.Context(), "T1", "x1", true, time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// An in-memory database has no other process to hear: NotifyChanges says
// so once and waits for its end.
func TestNotifyChangesInMemory(t *testing.T) {
	db := MustOpen(t, sqlite.Memory)
	ctx, cancel := context.WithCancel(t.Context())
	n := 0
	done := make(chan error, 1)
	go func() { done <- db.NotifyChanges(ctx, func(...bot.ReminderID) { n++ }) }()
	cancel()
	if err := <-done; err != nil || n != 1 {
		t.Errorf("NotifyChanges = %v after %d calls, want nil after 1", err, n)
	}
}

// Every change `list` shows is logged, also those that stop no run.
func TestNotifyListChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetest.NotifyListChanges(t, MustOpen(t, path), MustOpen(t, path))
}

// Users written by one handle are heard by the other.
func TestNotifyUserChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetest.NotifyUserChanges(t, MustOpen(t, path), MustOpen(t, path))
}

// Two Bots on one file keep callers' settings and lists in memory, and
// see each other's changes when the file's logs report them.
func TestCachesAcrossProcesses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetest.CachesAcrossInstances(t, MustOpen(t, path), MustOpen(t, path))
}

// Rotations written by one handle are heard by the other.
func TestNotifyRotationChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	storetest.NotifyRotationChanges(t, MustOpen(t, path), MustOpen(t, path))
}
