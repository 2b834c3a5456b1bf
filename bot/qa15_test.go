package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A reminder set "in 20 minutes" says it comes in 20 minutes, also when
// the request arrives part-way through a second (as every real one does):
// the run is kept to the whole second, and the countdown counts from the
// same second, not from the instant the words were read.
func TestRelativeReminderCountdownIsTheOneAskedFor(t *testing.T) {
	start := time.Date(2026, 11, 30, 9, 0, 0, 900_000_000, time.UTC)
	k := testkit.New(t, testkit.WithStart(start), testkit.WithMinInterval(time.Second))
	for in, want := range map[string]string{
		"remind me in 20 minutes": "(in 20 min)",
		"remind me in 3 seconds":  "(in 3 s)",
		"remind me in 2h":         "(in 2 h)",
		"remind me in 90 seconds": "(in 1 min 30 s)",
	} {
		if r := k.Send(in); r.Error || !strings.Contains(r.PlainText(), want) {
			t.Errorf("%q, want %q:\n%s", in, want, r.PlainText())
		}
	}
}
