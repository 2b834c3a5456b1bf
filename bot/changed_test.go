package bot_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// changeRecorder is a scheduler that hears which reminders changed.
type changeRecorder struct {
	mu    sync.Mutex
	ids   []bot.ReminderID
	woken int
}

func (c *changeRecorder) Wake() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.woken++
}

func (c *changeRecorder) Changed(ids ...bot.ReminderID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ids = append(c.ids, ids...)
}

func (c *changeRecorder) take() []bot.ReminderID {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := c.ids
	c.ids = nil
	return ids
}

// A pause, a cancel or the skip that removes a reminder names it to the
// scheduler, which may hold back a run it already claimed.
func TestChangesThatStopRunsNameTheirReminders(t *testing.T) {
	k := testkit.New(t)
	w := &changeRecorder{}
	k.Bot.SetWaker(w)
	id := func(text string) bot.ReminderID {
		t.Helper()
		return bot.ReminderID(createdID(t, k.Send(text)))
	}
	a := id("remind me every 1 hour")
	b := id("remind me every 2 hours")
	c := id("remind me in 3 hours")
	w.take()
	for _, tt := range []struct {
		cmd  string
		want []bot.ReminderID
	}{
		{"pause #" + string(a), []bot.ReminderID{a}},
		{"pause #" + string(b) + " for 2 hours", []bot.ReminderID{b}},
		{"cancel #" + string(a), []bot.ReminderID{a}},
		{"skip #" + string(c), []bot.ReminderID{c}},
	} {
		if r := k.Send(tt.cmd); r.Error {
			t.Fatalf("%s: %s", tt.cmd, r.PlainText())
		}
		if got := w.take(); !slices.Equal(got, tt.want) {
			t.Errorf("%s: scheduler told of %v, want %v", tt.cmd, got, tt.want)
		}
	}
}

// An uninstall names every reminder it paused, not those paused already.
func TestUninstallNamesThePausedReminders(t *testing.T) {
	k := testkit.New(t)
	w := &changeRecorder{}
	k.Bot.SetWaker(w)
	a := bot.ReminderID(createdID(t, k.Send("remind me every 1 hour")))
	b := bot.ReminderID(createdID(t, k.Send("schedule every 2 hours")))
	held := bot.ReminderID(createdID(t, k.Send("remind me every 3 hours")))
	k.Send("pause #" + string(held))
	w.take()
	if err := k.Bot.Uninstalled(t.Context(), bot.Console, k.Tenant); err != nil {
		t.Fatal(err)
	}
	got := w.take()
	slices.Sort(got)
	want := []bot.ReminderID{a, b}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("scheduler told of %v, want %v", got, want)
	}
}
