package storetest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
)

// CachesAcrossInstances checks what two Bots on one database (two
// instances, a and b handles on it) keep in memory: a caller's settings
// and the rows `list` shows. Both keep them for an hour of a clock that
// never moves, so b sees a's changes only by dropping what it keeps when
// the store reports them (Bot.UsersChanged, Bot.RemindersChanged), or by
// reading the store where it must (the last break). b must be a
// bot.UserChangeNotifier and a schedule.ChangeNotifier.
func CachesAcrossInstances(t *testing.T, a, b store.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	opts := bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Minute}),
		bot.WithUserCache(time.Hour), bot.WithListCache(time.Hour))
	ha, hb := bottest.New(t, a, opts), bottest.New(t, b, opts)

	// b hears the store as cmd/stretchbot wires it, and the test hears
	// that it did.
	un, ok := b.(bot.UserChangeNotifier)
	if !ok {
		t.Fatalf("%T reports no user changes", b)
	}
	cn, ok := b.(schedule.ChangeNotifier)
	if !ok {
		t.Fatalf("%T reports no reminder changes", b)
	}
	heard := make(chan struct{}, 4096)
	go un.NotifyUserChanges(ctx, func(us ...bot.UserRef) {
		hb.Bot.UsersChanged(us...)
		heard <- struct{}{}
	})
	go cn.NotifyChanges(ctx, func(ids ...bot.ReminderID) {
		hb.Bot.RemindersChanged(ids...)
		heard <- struct{}{}
	})
	for range 2 { // both listen
		<-heard
	}
	// until waits for b to answer cmd with want: its first answer may be
	// from memory, and each report from the store may change it.
	until := func(what, cmd, want string) {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			got := bottest.Text(hb.SendAs("U1", "C1", cmd))
			if strings.Contains(strings.ToLower(got), strings.ToLower(want)) {
				return
			}
			select {
			case <-heard:
			case <-deadline:
				t.Fatalf("%s: b still answers %q with:\n%s\nwant %q", what, cmd, got, want)
			}
		}
	}
	on := func(h *bottest.Harness, cmd string, want ...string) string {
		t.Helper()
		r := h.SendAs("U1", "C1", cmd)
		bottest.MustContain(t, r, want...)
		return bottest.Text(r)
	}

	// Settings.
	on(ha, "timezone Europe/Berlin", "Europe/Berlin")
	until("a's zone", "timezone", "Europe/Berlin")
	on(hb, "timezone", "Europe/Berlin") // kept in memory now
	on(ha, "timezone Asia/Tokyo", "Asia/Tokyo")
	until("a's new zone", "timezone", "Asia/Tokyo")

	// The last break, which stores do not report: done on b reads it
	// from the store and credits the break a gave, once. (With what b
	// keeps, it would count a break of its caller's own again, in the
	// same minute: already counted.)
	on(hb, "done", "Nice work")
	on(ha, "break")
	until("a's break", "done", "Nice work")
	on(ha, "done", "already counted")

	// Time away and quiet periods.
	on(hb, "away")
	on(ha, "away for 2 weeks")
	until("a's time away", "away", "away until")
	on(ha, "quiet 12:00-13:00")
	until("a's quiet period", "quiet", "12:00")

	// Rows of list.
	on(hb, "list", "no reminders")
	created := on(ha, "remind me every day at 10:30 to stretch", "#")
	id := regexp.MustCompile(`#[a-z0-9]+`).FindString(created)
	until("a's new reminder", "list", id)
	on(ha, "pause "+id, "Paused")
	until("a's pause", "list", "paused")
	on(ha, "cancel "+id)
	until("a's cancelling a paused reminder", "list", "no reminders")
}
