package bot_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

func TestZZScratchFallBack(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 11, 6, 12, 0, 0, 0, ny))) // Sat; fall back Sun 7 Nov 02:00→01:00
	show := func(in string) { fmt.Printf("> %s\n%s\n\n", in, k.Send(in).PlainText()) }
	for _, in := range []string{"timezone new york", "remind me every day at 1:30 to a", "remind me every 30 minutes between 0:00 and 3:00 to b", "remind me every hour to c", "quiet 01:00-02:00", "list", "schedule every day at 1:30 in #general", "pause all until sunday 1:45am", "list"} {
		show(in)
	}
	for i := 0; i < 36; i++ {
		k.Advance(30 * time.Minute)
	}
	for _, d := range k.Deliveries() {
		fmt.Printf("DELIVERY %s: %.60q\n", k.Clock.Now().In(ny).Format(time.RFC3339), d.Reply.PlainText())
	}
	show("list")
	show("stats")
	show("snooze")
	show("done")
	show("done")
	show("stats")
}
