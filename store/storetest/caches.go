package storetest

import (
	"context"
	"regexp"
	"slices"
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
// reading the store where it must (the last break); and the rotation its
// caller's breaks draw from, which b must read again once a wrote it, lest
// its next break give a's exercises again and write them out of the
// rotation. b must be a bot.UserChangeNotifier, a
// bot.RotationChangeNotifier and a schedule.ChangeNotifier.
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
	rn, ok := b.(bot.RotationChangeNotifier)
	if !ok {
		t.Fatalf("%T reports no rotation changes", b)
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
	// rotations hears the scopes of the rotations reported.
	rotations := make(chan string, 4096)
	go rn.NotifyRotationChanges(ctx, func(rs ...bot.RotationRef) {
		hb.Bot.RotationsChanged(rs...)
		heard <- struct{}{}
		for _, r := range rs {
			rotations <- r.Scope
		}
	})
	for range 3 { // all listen
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

	// The rotation: b keeps it after its break; a's break adds to it in
	// the store. A write to another rotation after a's, heard by b, comes
	// after a's: b has dropped its copy, and its next break keeps what a's
	// gave in the rotation.
	rotation := func() []string {
		t.Helper()
		used, err := a.Rotation(ctx, ha.Tenant, "user:U1")
		if err != nil {
			t.Fatal(err)
		}
		return used
	}
	on(hb, "break", "break")
	on(ha, "break", "break")
	afterA := rotation()
	if err := a.SaveRotation(ctx, ha.Tenant, "user:marker", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.After(5 * time.Second); ; {
		select {
		case scope := <-rotations:
			if scope != "user:marker" {
				continue
			}
		case <-deadline:
			t.Fatal("b heard no rotation written after a's break")
		}
		break
	}
	on(hb, "break", "break")
	after := rotation()
	for _, id := range afterA {
		if !slices.Contains(after, id) {
			t.Fatalf("b's break wrote %q out of the rotation: before it %v, after %v", id, afterA, after)
		}
	}

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
