package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A team break's post carries Done, Join, Snooze and Skip for everyone in
// the channel. Done and Join count anyone who presses them there; Snooze
// and Skip delay or drop the break for the whole channel, so they are for
// its creator and admins, as the typed commands are, and anyone else is
// told privately why and what they can do instead. A press from another
// channel or tenant can only be forged and changes nothing.
func TestTeamBreakButtonsByWhoPresses(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 minutes"))
	k.Advance(10 * time.Minute)
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("deliveries = %d", len(got))
	}
	buttons := map[bot.ActionID]bot.Action{}
	for _, a := range got[0].Reply.Actions {
		buttons[a.ID] = a
	}
	here := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "member"}
	admin := here
	admin.User, admin.Admin = "boss", true
	elsewhere := here
	elsewhere.Channel = "random"
	otherTenant := here
	otherTenant.Tenant = "T2"
	press := func(m bot.Message, id bot.ActionID) bot.ActionResult {
		t.Helper()
		a, ok := buttons[id]
		if !ok {
			t.Fatalf("no %s button: %+v", id, got[0].Reply.Actions)
		}
		r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: m, ID: id, Value: a.Value})
		if r.Ephemeral == nil {
			t.Fatalf("%s by %s: no private answer", id, m.User)
		}
		if r.Ephemeral.Visibility != bot.Private {
			t.Errorf("%s by %s answered in public: %q", id, m.User, r.Ephemeral.PlainText())
		}
		return r
	}
	refused := func(r bot.ActionResult, want ...string) {
		t.Helper()
		text := r.Ephemeral.PlainText()
		if !r.Ephemeral.Error || r.Status != "" {
			t.Errorf("not refused: %q (status %q)", text, r.Status)
		}
		if lines := strings.Split(text, "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "Try: ") {
			t.Errorf("refusal is not one reason and an example: %q", text)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("refusal %q lacks %q", text, w)
			}
		}
	}

	for _, b := range []bot.ActionID{bot.ActionDone, bot.ActionJoin} {
		if r := press(here, b); r.Ephemeral.Error || r.Status == "" {
			t.Errorf("%s by a member: %q", b, r.Ephemeral.PlainText())
		}
		refused(press(elsewhere, b), "no record of that break")
		refused(press(otherTenant, b), "no record of that break")
	}
	refused(press(here, bot.ActionSnooze), "or an admin can snooze it for the whole channel", "Try: remind me in 10 minutes")
	refused(press(here, bot.ActionSkip), "or an admin can skip it for the whole channel")
	// Typed, the same words.
	typed := here
	typed.Text = "snooze #" + id
	if got, want := k.SendMsg(typed).PlainText(), press(here, bot.ActionSnooze).Ephemeral.PlainText(); got != want {
		t.Errorf("typed snooze = %q, button = %q", got, want)
	}
	for _, m := range []bot.Message{elsewhere, otherTenant} {
		refused(press(m, bot.ActionSnooze), "There is no reminder #"+id)
		refused(press(m, bot.ActionSkip), "There is no reminder #"+id)
	}
	if r := press(admin, bot.ActionSnooze); r.Ephemeral.Error || !strings.Contains(r.Ephemeral.PlainText(), "Snoozed #"+id) {
		t.Errorf("admin's snooze: %q", r.Ephemeral.PlainText())
	}
	if r := press(admin, bot.ActionSkip); r.Ephemeral.Error || !strings.Contains(r.Ephemeral.PlainText(), "Skipped #"+id) {
		t.Errorf("admin's skip: %q", r.Ephemeral.PlainText())
	}
}
