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
