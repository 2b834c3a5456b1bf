package testkit

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/routines"
)

// Largest is one reply a renderer must fit within its platform's limits.
type Largest struct {
	Name  string // what was asked, e.g. "break 60 min gym" or "list 7"
	Reply bot.Reply
}

// LargestNote is the longest note a reminder can have.
var LargestNote = strings.Repeat("Stand, breathe & roll the *shoulders*; look away from the screen_. ", 5)[:300]

// ListReminders is how many reminders LargestReplies lists.
const ListReminders = 200

// longRules are the longest kinds of rule a list line describes, some in
// another zone than the caller's.
var longRules = []string{
	"every 2 hours between 9:00 and 17:00 on weekdays",
	"every mon,wed,fri at 11am and 15:30",
	`cron "CRON_TZ=America/Argentina/ComodRivadavia */30 9-17 * * 1-5"`,
	"every weekday at 10:30 and 15:00",
	"every 45 minutes",
}

// LargestReplies drives a kit as the user of m (Platform, Tenant, Channel,
// ChannelName and User set; the longest channel name the platform allows)
// and returns the largest replies of each kind the core writes: a
// 60-minute break at every place and the shorter breaks shown in full,
// every page of `list` with ListReminders reminders carrying the longest
// note and `list all`, the longest note as created and as delivered, a delivered
// 60-minute team break, the library, help and every exercise.
func LargestReplies(tb testing.TB, m bot.Message) []Largest {
	tb.Helper()
	k := New(tb)
	k.Bot.AddSender(m.Platform, k.Adapter)
	var out []Largest
	send := func(text string) bot.Reply {
		tb.Helper()
		msg := m
		msg.Text = text
		r := k.SendMsg(msg)
		if r.Error {
			tb.Fatalf("%s: %s", text, r.PlainText())
		}
		return r
	}
	keep := func(text string) {
		tb.Helper()
		out = append(out, Largest{Name: text, Reply: send(text)})
	}

	send("timezone Europe/Berlin")
	for _, p := range routines.Places {
		keep("break 60 min " + string(p))
		keep("break 20 min " + string(p))
	}
	keep("break")
	keep("break 10 min floor")
	keep("exercises")
	for _, c := range routines.Categories {
		keep("exercises " + string(c))
	}
	for _, e := range routines.Default().All() {
		keep("exercise " + e.ID)
	}
	keep("help")
	for _, c := range bot.Commands() {
		keep("help " + c.Name)
	}

	// Deliveries: the longest note, and a 60-minute team break (the kit
	// starts at 10:00 in Berlin).
	keep("remind me every day at 10:01 to " + LargestNote)
	keep("schedule every day at 10:01 60 min gym")
	k.Advance(time.Minute)
	if len(k.Deliveries()) != 2 {
		tb.Fatalf("%d deliveries, want 2", len(k.Deliveries()))
	}
	for _, o := range k.Deliveries() {
		out = append(out, Largest{Name: "delivery: " + o.Reply.Title, Reply: o.Reply})
	}

	for i := 2; i < ListReminders; i++ {
		rule := longRules[i%len(longRules)]
		if i%4 == 0 {
			send("schedule " + rule + " 60 min floor")
		} else {
			send("remind me " + rule + " to " + LargestNote)
		}
	}
	send("pause all for 3 hours")
	for page := 1; page <= (ListReminders+bot.ListPage-1)/bot.ListPage; page++ {
		keep(fmt.Sprintf("list %d", page))
	}
	keep("list all") // bot.ListAllCap lines in one reply
	return out
}
