package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Done pressed on a team break's post, then `done` typed a moment later,
// is one break, not two: the typed word means the break just counted. A
// `done` long after it is a break of its own.
func TestDoneTypedAfterTheTeamPostsButton(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.SendAs("lead", "console", "schedule every day at 11"))
	k.Advance(2 * time.Hour) // Monday 11:00
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("deliveries = %d", len(got))
	}
	var value string
	for _, a := range got[0].Reply.Actions {
		if a.ID == bot.ActionDone {
			value = a.Value
		}
	}
	m := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "member"}
	if r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: m, ID: bot.ActionDone, Value: value}); r.Ephemeral != nil && r.Ephemeral.Error {
		t.Fatalf("Done: %s", r.Ephemeral.PlainText())
	}
	k.Advance(3 * time.Minute)
	bottest.MustContain(t, k.SendAs("member", "console", "done"), "already counted", "1 break")
	k.Advance(2 * time.Hour)
	bottest.MustContain(t, k.SendAs("member", "console", "done"), "Nice work", "2 breaks")
}
