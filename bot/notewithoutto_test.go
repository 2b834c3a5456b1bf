package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// What a reminder is for, said after its time without "to" and starting
// with a break word ("stretch my neck"), is offered with "to" put back,
// not dropped for a stock break.
func TestNoteAfterBreakWordsWithoutTo(t *testing.T) {
	k := testkit.New(t)
	refusedWith(t, k, "remind me every day at 3pm stretch my neck", "put `to` before it", "remind me every day at 3pm to stretch my neck")
	refusedWith(t, k, "remind me in 10 min stretch legs", "put `to` before it", "remind me in 10 min to stretch legs")
	// A slip in a break word is still mended.
	refusedWith(t, k, "remind me every day at 3pm 5 min flor", "did you mean floor", "remind me every day at 3pm 5 min floor")
}

// A repeating reminder said with a later day as a one-off's is offered
// with that day as its start, not with the day dropped.
func TestRepeatSaidWithALaterDay(t *testing.T) {
	k := testkit.New(t)
	refusedWith(t, k, "remind me every hour tomorrow", "put `starting` before it", "remind me every hour starting tomorrow")
	refusedWith(t, k, "remind me every hour tomorrow between 9 and 17", "put `starting` before it", "remind me every hour starting tomorrow between 9 and 17")
	refusedWith(t, k, "remind me every 2 hours next tuesday to drink", "put `starting` before it", "remind me every 2 hours starting next tuesday to drink")
}

func TestTeamBreakSaidWithALaterDay(t *testing.T) {
	k := testkit.New(t)
	refusedWith(t, k, "schedule every hour tomorrow in #general", "put `starting` before it", "schedule every hour starting tomorrow in #general")
	refusedWith(t, k, "schedule every 2 hours next monday between 9 and 17", "put `starting` before it", "schedule every 2 hours starting next monday between 9 and 17")
}
