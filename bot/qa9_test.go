package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// On the day the clocks spring forward, a run set for a wall time the jump
// skips comes at the end of the gap; it still counts as inside the working
// hours that hold the time it was set for, so a night shift ending at 03:00
// keeps its 02:30 reminder, come at 03:00, instead of losing it.
func TestSpringForwardRunKeepsItsWorkingHours(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 27, 12, 0, 0, 0, berlin))) // Saturday
	k.Send("timezone Europe/Berlin")
	k.Send("hours 22:00-03:00 every day")
	r := k.Send("remind me every day at 02:30 to stretch")
	bottest.MustContain(t, r, "Next: Sun 28 Mar 03:00 CEST · Mon 29 Mar 02:30 CEST")
	bottest.MustContain(t, k.Send("list"), "next Sun 28 Mar 03:00 CEST")
	for range 16 {
		k.Advance(time.Hour)
	}
	got := 0
	for _, d := range k.Deliveries() {
		if strings.Contains(d.Reply.PlainText(), "stretch") {
			got++
		}
	}
	if got != 1 {
		t.Errorf("%d deliveries by Sun 28 Mar 04:00, want the one at 03:00", got)
	}

	// Only a run at the moment of the jump stands for the skipped times: a
	// run after the gap is checked at its own time.
	k.Send("hours 01:00-02:30 every day")
	bottest.MustContain(t, k.Send("remind me every day at 03:30"), "Next: none while your settings stand")
}

// A summary is named by how often it comes, not always "weekly": each one
// covers the last 7 days, and the reply says so.
func TestSummaryNamedByItsCadence(t *testing.T) {
	k := testkit.New(t) // Monday 30 Nov 09:00 UTC
	r := k.SendAs("U1", "C1", "summary every day at 16:00")
	id := createdID(t, r)
	bottest.MustContain(t, r, "Daily summary #"+id+" set", "the last 7 days")
	bottest.MustContain(t, k.SendAs("U1", "C1", "summary"), "The daily summary #"+id+" is posted here every day at 16:00")
	k.Advance(7 * time.Hour)
	ds := k.Deliveries()
	if len(ds) == 0 {
		t.Fatal("no summary delivered at 16:00")
	}
	if got := ds[len(ds)-1].Reply.Title; got != "Daily stretch summary #"+id {
		t.Errorf("title %q", got)
	}
	for in, want := range map[string]string{
		"summary every friday at 16:00":            "Weekly summary #",
		"summary every weekday at 16:00":           "Daily summary #",
		"summary on the first of every month at 9": "Summary #",
		"summary every mon,wed,fri at 9":           "Summary #",
	} {
		r := k.SendAs("U1", "C1", in)
		if !strings.HasPrefix(r.PlainText(), want) {
			t.Errorf("%q:\n%s\nwant it to start %q", in, r.PlainText(), want)
		}
	}
	r = k.SendAs("U1", "C1", "summary off")
	bottest.MustContain(t, r, "Summary #", "stopped")
	for _, in := range []string{"summary off", "summary"} {
		if text := k.SendAs("U1", "C1", in).PlainText(); strings.Contains(strings.ToLower(text), "weekly") {
			t.Errorf("%q without a summary speaks of a weekly one:\n%s", in, text)
		}
	}
}
