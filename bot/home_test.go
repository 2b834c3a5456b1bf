package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// homeText flattens a home page for assertions.
func homeText(h bot.Home) string {
	var b strings.Builder
	b.WriteString(h.Title + "\n")
	for _, s := range h.Sections {
		b.WriteString("## " + s.Heading + "\n" + strings.Join(s.Lines, "\n") + "\n")
	}
	for _, a := range h.Actions {
		b.WriteString("[" + string(a.ID) + "] ")
	}
	return b.String()
}

func home(t *testing.T, k *testkit.Kit, user bot.UserID) bot.Home {
	t.Helper()
	h, err := k.Bot.Home(context.Background(), bot.Message{Platform: bot.Console, Tenant: k.Tenant, User: user})
	if err != nil {
		t.Fatalf("Home: %v", err)
	}
	return h
}

func TestHomeShowsWhatTheUserSetUp(t *testing.T) {
	k := testkit.New(t)
	empty := homeText(home(t, k, "console"))
	for _, want := range []string{"Your next reminders", "None yet", "Team breaks you created", "No breaks recorded yet", "Time zone: UTC", "[home_break]", "[home_list]"} {
		if !strings.Contains(empty, want) {
			t.Errorf("empty home lacks %q:\n%s", want, empty)
		}
	}
	if strings.Contains(empty, "home_pause") {
		t.Errorf("empty home offers to pause nothing:\n%s", empty)
	}

	k.Send("timezone Europe/Berlin")
	mine := createdID(t, k.Send("remind me every day at 10:30 to stretch"))
	team := createdID(t, k.Send("schedule every weekday at 15:00"))
	k.SendAs("someone-else", "console", "remind me every day at 11:00")
	k.Send("done")
	got := homeText(home(t, k, "console"))
	for _, want := range []string{"#" + mine, "every day at 10:30", "“stretch”", "#" + team, "every weekday at 15:00",
		"1 break done", "Streak 1 day", "Europe/Berlin", "from your setting", "[home_pause]"} {
		if !strings.Contains(got, want) {
			t.Errorf("home lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "11:00") {
		t.Errorf("home shows another user's reminder:\n%s", got)
	}
	personal := strings.Index(got, "#"+mine)
	teamAt := strings.Index(got, "#"+team)
	if !(personal < strings.Index(got, "Team breaks") && teamAt > strings.Index(got, "Team breaks")) {
		t.Errorf("reminders in the wrong sections:\n%s", got)
	}
}

func TestHomeButtonsRunTheirCommands(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("remind me every day at 10:30"))
	press := func(a bot.ActionID) bot.Reply {
		t.Helper()
		res := k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: k.Tenant, User: "console"}, ID: a})
		if res.Ephemeral == nil || res.Update != nil {
			t.Fatalf("%s: result %+v, want a private answer only", a, res)
		}
		return *res.Ephemeral
	}
	bottest.MustContain(t, press(bot.ActionHomeList), "#"+id)
	bottest.MustContain(t, press(bot.ActionHomeBreak), "stretch break", "stop any exercise")
	bottest.MustContain(t, press(bot.ActionHomePause), "paused #"+id)
	h := homeText(home(t, k, "console"))
	if !strings.Contains(h, "paused") || !strings.Contains(h, "[home_resume]") || strings.Contains(h, "[home_pause]") {
		t.Errorf("home after pausing everything:\n%s", h)
	}
	bottest.MustContain(t, press(bot.ActionHomeResume), "resumed #"+id)
}

// refreshes is a console sender that records home refreshes.
type refreshes struct {
	*bottest.Adapter
	mu    sync.Mutex
	users []string
}

func (r *refreshes) RefreshHome(_ context.Context, tenant bot.TenantID, user bot.UserID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.users = append(r.users, string(tenant)+"/"+string(user))
}

func (r *refreshes) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.users
	r.users = nil
	return out
}

func TestHomeIsRefreshedWhenWhatItShowsChanges(t *testing.T) {
	k := testkit.New(t)
	r := &refreshes{Adapter: k.Adapter}
	k.Bot.AddSender(bot.Console, r)

	// A bare mention and a near miss answer without running a command.
	for _, read := range []string{"help", "list", "stats", "exercises", "break", "flarp", "cancel #nope", "", "brake", "remind me"} {
		k.Send(read)
		if got := r.take(); len(got) != 0 {
			t.Errorf("%q refreshed the home: %v", read, got)
		}
	}
	id := createdID(t, k.Send("remind me in 2 seconds"))
	for _, change := range []string{"timezone Asia/Tokyo", "done"} {
		k.Send(change)
	}
	if got := r.take(); len(got) != 3 || got[0] != "console/console" {
		t.Errorf("refreshes after remind, timezone, done = %v, want 3 for console/console", got)
	}
	k.Advance(2 * time.Second)
	if n := len(deliveriesOf(k, id)); n != 1 {
		t.Fatalf("delivered %d times, want 1", n)
	}
	if got := r.take(); len(got) != 1 {
		t.Errorf("refreshes after a delivery = %v, want one for its owner", got)
	}
}

func TestUninstallPausesTheTenantAndReinstallResumesExactlyThose(t *testing.T) {
	k := testkit.New(t)
	ctx := context.Background()
	mine := createdID(t, k.Send("remind me every 2 seconds"))
	team := createdID(t, k.Send("schedule every 2 seconds"))
	held := createdID(t, k.Send("remind me every 3 seconds"))
	k.Send("pause #" + held)
	k.Advance(2 * time.Second)
	if len(deliveriesOf(k, mine)) != 1 || len(deliveriesOf(k, team)) != 1 {
		t.Fatalf("before uninstall: %d and %d deliveries, want 1 each", len(deliveriesOf(k, mine)), len(deliveriesOf(k, team)))
	}

	if err := k.Bot.Uninstalled(ctx, bot.Console, k.Tenant); err != nil {
		t.Fatal(err)
	}
	if err := k.Bot.Uninstalled(ctx, bot.Console, k.Tenant); err != nil {
		t.Fatalf("a second uninstall event: %v", err)
	}
	for range 10 {
		k.Advance(2 * time.Second)
	}
	if len(deliveriesOf(k, mine)) != 1 || len(deliveriesOf(k, team)) != 1 {
		t.Fatalf("delivered while uninstalled")
	}
	bottest.MustContain(t, k.Send("list"), "#"+mine+" · every 2 seconds · personal · PAUSED")

	if err := k.Bot.Installed(ctx, bot.Console, k.Tenant); err != nil {
		t.Fatal(err)
	}
	list := k.Send("list").PlainText()
	if strings.Contains(list, "#"+mine+" · every 2 seconds · personal · PAUSED") || !strings.Contains(list, "#"+held+" · every 3 seconds · personal · PAUSED") {
		t.Errorf("after reinstall, want #%s resumed and #%s still paused by its user:\n%s", mine, held, list)
	}
	k.Advance(2 * time.Second)
	for _, id := range []string{mine, team} {
		got := deliveriesOf(k, id)
		if len(got) != 2 {
			t.Fatalf("#%s after reinstall: %d deliveries, want 2 (no catch-up burst)", id, len(got))
		}
		if strings.Contains(got[1].Reply.PlainText(), "Late") {
			t.Errorf("#%s: first delivery after reinstall is marked late", id)
		}
	}
	if n := len(deliveriesOf(k, held)); n != 0 {
		t.Errorf("the user's own pause was lifted: %d deliveries", n)
	}
}
