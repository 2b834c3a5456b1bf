package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Two reminders with the same time but different starts or ends do not do
// the same, so a new one is not called a copy of the other; the same rule
// with the same first run still is.
func TestSameReminderComparesStartAndEnd(t *testing.T) {
	start := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC) // Thursday
	for _, tt := range []struct {
		first, second string
		same          bool
	}{
		{"remind me every day at 9 from 1 january", "remind me every day at 9 starting monday", false},
		{"remind me every day at 9 starting monday", "remind me every day at 9", false},
		{"remind me every day at 9", "remind me every day at 9 from 1 january", false},
		{"remind me every day at 9 until 31 march", "remind me every day at 9 until 30 march", false},
		{"remind me every day at 9 from 1 january until 31 march", "remind me every day at 9 until 31 march", false},
		{"remind me every day at 9 starting monday", "remind me every day at 9 from 7 december", true},
		{"remind me every day at 9", "remind me daily at 9", true},
	} {
		k := testkit.New(t, testkit.WithStart(start))
		id := createdID(t, k.Send(tt.first))
		text := k.Send(tt.second).PlainText()
		if got := strings.Contains(text, "#"+id+" already does the same"); got != tt.same {
			t.Errorf("%q after %q: called the same = %v, want %v:\n%s", tt.second, tt.first, got, tt.same, text)
		}
	}
}
