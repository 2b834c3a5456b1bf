package schedule_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// Two processes share one SQLite file, each a bot whose `list` keeps its
// rows. What one creates, pauses or cancels reaches the other's list
// through the store's change log, which the other's engine hears and
// passes on (WithChangeListener): the fake clock does not move, so no
// expiry can have done it.
func TestChangeListenerKeepsAnotherProcessListRight(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	path := filepath.Join(t.TempDir(), "shared.db")
	rules := bot.WithRules(when.Parser{MinInterval: time.Second})
	a := bottest.New(t, openDBAt(t, path), bottest.WithBotOptions(rules, bot.WithListCache(time.Hour)))
	b := bottest.New(t, openDBAt(t, path), bottest.WithBotOptions(rules, bot.WithListCache(time.Hour), bot.WithClock(a.Clock)))
	heard := make(chan struct{}, 100)
	eng, err := schedule.NewEngine(a.Store.(schedule.Store), a.Bot, when.Parser{MinInterval: time.Second}, schedule.WithClock(a.Clock),
		schedule.WithChangeListener(func(ids ...bot.ReminderID) {
			a.Bot.RemindersChanged(ids...)
			heard <- struct{}{}
		}))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- eng.Run(ctx) }()
	defer func() { cancel(); <-done }()
	<-heard // once when it starts listening

	shows := func(what string, cond func(list string) bool) {
		t.Helper()
		waitFor(t, what, func() bool { return cond(bottest.Text(a.Send("list"))) })
	}
	shows("an empty list", func(l string) bool { return strings.Contains(l, "no reminders") })
	b.Send("remind me every day at 10:30 to stretch")
	shows("the reminder created by the other process", func(l string) bool { return strings.Contains(l, "10:30") })
	rs, err := b.Store.Reminders(ctx, bot.ReminderFilter{Tenant: b.Tenant, Owner: b.User})
	if err != nil || len(rs) != 1 {
		t.Fatalf("reminders = %v, %v", rs, err)
	}
	b.Send("pause #" + string(rs[0].ID))
	shows("the pause by the other process", func(l string) bool { return strings.Contains(l, "PAUSED") })
	b.Send("cancel #" + string(rs[0].ID))
	shows("the cancel by the other process", func(l string) bool { return strings.Contains(l, "no reminders") })
}
