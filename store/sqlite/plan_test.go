package sqlite

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/store/internal/sqlstore"
)

// TestQueryPlans checks that the engine's hot queries use their indexes
// rather than scanning tables.
func TestQueryPlans(t *testing.T) {
	db, err := Open(t.Context(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct{ query, want string }{
		{`SELECT ` + sqlstore.ReminderRead + ` FROM ` + sqlstore.ReminderFrom + ` WHERE r.next_run > 0 AND paused = 0 AND r.next_run <= 5 ORDER BY r.next_run, r.id LIMIT 10`, "reminders_due"},
		{`SELECT ` + sqlstore.ReminderRead + ` FROM ` + sqlstore.ReminderFrom + ` WHERE r.next_run > 0 AND paused = 0 AND r.next_run <= 5 ORDER BY r.next_run, r.id LIMIT 10`, "SEARCH l USING PRIMARY KEY (reminder=? AND at=? AND kind=?)"},
		{`SELECT ` + sqlstore.ReminderRead + ` FROM ` + sqlstore.ReminderFrom + ` WHERE r.id = 'x'`, "SEARCH l USING PRIMARY KEY (reminder=? AND at=? AND kind=?)"},
		{`SELECT ` + sqlstore.OccurrenceColumns + ` FROM occurrences WHERE state IN ('pending', 'claimed') AND lease_until <= 5 ORDER BY lease_until, reminder, at, kind LIMIT 10`, "occurrences_open"},
		{`SELECT count(DISTINCT user_id) FROM completions WHERE tenant = 'a' AND key = 'b' AND kind = 'c'`, "sqlite_autoindex_completions_1 (tenant=? AND key=? AND kind=?)"},
		{`SELECT ` + sqlstore.ReminderRead + ` FROM ` + sqlstore.ReminderFrom + ` WHERE r.tenant = 'T' AND r.kind = 'personal' AND r.owner = 'U' AND r.next_run <> 0`, "reminders_owner (tenant=? AND owner=? AND kind=?)"},
		{`SELECT ` + sqlstore.ReminderRead + ` FROM ` + sqlstore.ReminderFrom + ` WHERE r.tenant = 'T' AND r.kind = 'channel' AND r.channel = 'C'`, "reminders_channel (tenant=? AND channel=? AND kind=?)"},
		{`SELECT ` + sqlstore.CompletionColumns + ` FROM completions WHERE tenant = 'T' AND user_id = 'U' AND at >= 5 ORDER BY at, id`, "completions_user_at (tenant=? AND user_id=? AND at>?)"},
		{`SELECT key FROM seen WHERE key > 'a' ORDER BY key LIMIT 1 OFFSET 255`, "SEARCH seen USING PRIMARY KEY (key>?)"},
		{`DELETE FROM seen WHERE key > 'a' AND key <= 'b' AND expires_at <= 5`, "SEARCH seen USING PRIMARY KEY (key>? AND key<?)"},
		{`DELETE FROM seen WHERE key > 'a' AND expires_at <= 5`, "SEARCH seen USING PRIMARY KEY (key>?)"},
		{`SELECT reminder, tenant, at, kind, state, owner, lease_until FROM occurrences WHERE tenant = 'T' AND kind = 'snooze' AND state IN ('pending', 'claimed') ORDER BY at, reminder`, "occurrences_snoozes (tenant=?)"},
	} {
		plan := explain(t, db, tt.query)
		if !strings.Contains(plan, tt.want) || strings.Contains(plan, "SCAN") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("plan for %s:\n%s\nwant an index search with %s and no sort", tt.query, plan, tt.want)
		}
	}
}

// TestBatchQueryPlans checks that the multi-row statements of batched
// claims and records walk their list and look each row up by key: a plan
// that scans reminders or occurrences instead costs the whole table for
// every batch.
func TestBatchQueryPlans(t *testing.T) {
	db, err := Open(t.Context(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range []int{1, 256} {
		for _, q := range db.BatchQueries(n) {
			args := make([]any, strings.Count(q, "?"))
			plan := explain(t, db, q, args...)
			if strings.Contains(plan, "SCAN reminders") || strings.Contains(plan, "SCAN occurrences") || strings.Contains(plan, "SCAN kept_deliveries") ||
				strings.Contains(plan, "SCAN r\n") || strings.Contains(plan, "SCAN l\n") || !strings.Contains(plan, "PRIMARY KEY") {
				t.Errorf("plan for %d rows of %.60s…:\n%s\nwant each row looked up by primary key", n, q, plan)
			}
		}
	}
}

// TestPruneQueryPlans checks that pruning walks reminders by key and seeks
// each one's old occurrences by the primary key, reading no occurrence of
// theirs at or after the cut.
func TestPruneQueryPlans(t *testing.T) {
	db, err := Open(t.Context(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, want := range [][]string{
		{"SEARCH reminders USING PRIMARY KEY (id>?)"},
		{"SEARCH r USING PRIMARY KEY (id>? AND id<?)", "SEARCH o USING PRIMARY KEY (reminder=? AND at<?)",
			"SEARCH occurrences USING PRIMARY KEY (reminder=? AND at=? AND kind=?)"},
		{"SEARCH kept_deliveries USING COVERING INDEX kept_deliveries_at (at<?)",
			"SEARCH kept_deliveries USING PRIMARY KEY (reminder=? AND at=?)"},
	} {
		q := sqlstore.PruneQueries()[i]
		args := make([]any, strings.Count(q, "?"))
		plan := explain(t, db, q, args...)
		for _, w := range want {
			if !strings.Contains(plan, w) || strings.Contains(plan, "SCAN reminders") || strings.Contains(plan, "SCAN occurrences") || strings.Contains(plan, "SCAN kept_deliveries") ||
				strings.Contains(plan, "SCAN o\n") || strings.Contains(plan, "SCAN r\n") || strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("plan for %.60s…:\n%s\nwant %s and no scan", q, plan, w)
			}
		}
	}
}

// explain returns SQLite's query plan for q, a line per step.
func explain(t *testing.T, db *DB, q string, args ...any) string {
	t.Helper()
	rows, err := db.db.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan += detail + "\n"
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}
