package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A snooze still to come shows in `list`: on a repeating reminder beside
// its next run, and on a one-off that has already arrived, which would
// otherwise have left the list. Once the snooze arrives, the one-off goes.
func TestListShowsSnoozes(t *testing.T) {
	k := testkit.New(t)
	daily := createdID(t, k.Send("remind me every day at 10:00 to stretch"))
	once := createdID(t, k.Send("remind me in 90 minutes to walk"))
	for range 95 { // 10:00 the daily one, 10:30 the one-off
		k.Advance(time.Minute)
	}
	bottest.MustContain(t, k.Send("list"), "#"+daily)
	if r := k.Send("list"); strings.Contains(bottest.Text(r), "#"+once) {
		t.Fatalf("a one-off that arrived is still listed:\n%s", bottest.Text(r))
	}
	bottest.MustContain(t, k.Send("snooze #"+once+" 20 min"), "Snoozed #"+once)
	bottest.MustContain(t, k.Send("snooze #"+daily+" 1 hour"), "Snoozed #"+daily)
	r := k.Send("list")
	bottest.MustContain(t, r, "#"+once, "“walk” · snoozed, comes again Mon 30 Nov 10:55 UTC", "#"+daily, "snoozed, comes again Mon 30 Nov 11:35 UTC")
	if text := bottest.Text(r); strings.Index(text, "#"+daily) > strings.Index(text, "#"+once) {
		t.Errorf("list not in creation order:\n%s", text)
	}
	// Nobody else's list shows them.
	if r := k.SendAs("someone-else", "", "list"); strings.Contains(bottest.Text(r), "#"+once) {
		t.Errorf("another user's list shows the snoozed one-off:\n%s", bottest.Text(r))
	}
	for range 25 { // the one-off's snooze arrives at 10:55
		k.Advance(time.Minute)
	}
	r = k.Send("list")
	if text := bottest.Text(r); strings.Contains(text, "#"+once) {
		t.Errorf("the one-off is still listed after its snooze arrived:\n%s", text)
	}
	bottest.MustContain(t, r, "#"+daily, "snoozed, comes again Mon 30 Nov 11:35 UTC")
}
