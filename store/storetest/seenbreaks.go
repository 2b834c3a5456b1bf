package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// testSeenAndBreaks: replay records and break records written at the same
// time (a store may put them in one commit) keep their meaning: every key
// is new to exactly one of the calls that record it, and every break is
// saved.
func testSeenAndBreaks(t *testing.T, s store.Store) {
	ctx := t.Context()
	sb, ok := s.(SeenBatchStore)
	if !ok {
		t.Fatalf("%T has no FirstSeenAll", s)
	}
	bs, ok := s.(bot.BreakStore)
	if !ok {
		t.Fatalf("%T has no SaveBreaks", s)
	}
	ss := mustSeenStore(t, s)
	const workers, rounds = 8, 20
	var fresh [rounds]atomic.Int32
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				// Every worker records round r's key: one of them may be
				// first. Half of them alone, half in a batch.
				key := fmt.Sprintf("sig %d", r)
				now := T0.Add(time.Duration(r) * time.Millisecond)
				var first bool
				var err error
				if w%2 == 0 {
					first, err = ss.FirstSeen(ctx, key, now, now.Add(time.Hour))
				} else {
					var got []bool
					got, err = sb.FirstSeenAll(ctx, []string{fmt.Sprintf("sig w%d r%d", w, r), key}, now, now.Add(time.Hour))
					if err == nil && !got[0] {
						t.Errorf("worker %d round %d: its own key was not new", w, r)
					}
					first = err == nil && got[1]
				}
				if err != nil {
					t.Errorf("worker %d round %d: %v", w, r, err)
					return
				}
				if first {
					fresh[r].Add(1)
				}
				u := bot.User{Tenant: "T1", ID: bot.UserID(fmt.Sprintf("U%d", w)), LastBreak: now, LastBreakKey: fmt.Sprintf("break:%d:%d", w, r)}
				if err := bs.SaveBreaks(ctx, []bot.BreakRecord{{User: u, Scope: "user:" + string(u.ID), Used: []string{key}}}); err != nil {
					t.Errorf("worker %d round %d: SaveBreaks: %v", w, r, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for r := range rounds {
		if n := fresh[r].Load(); n != 1 {
			t.Errorf("round %d's key was new to %d calls, want 1", r, n)
		}
	}
	for w := range workers {
		u, err := s.User(ctx, "T1", bot.UserID(fmt.Sprintf("U%d", w)))
		if err != nil || u.LastBreakKey != fmt.Sprintf("break:%d:%d", w, rounds-1) {
			t.Errorf("user U%d = %+v, %v; want its last break", w, u, err)
		}
	}
}

// RecordSeen records n keys "prefix <at's unix seconds> <i>", eight to a
// FirstSeenAll, at at until at+ttl: the drivers' tests of how expired keys
// are swept fill their tables with it.
func RecordSeen(tb testing.TB, s SeenBatchStore, prefix string, n int, at time.Time, ttl time.Duration) {
	tb.Helper()
	for i := 0; i < n; i += 8 {
		keys := make([]string, 0, 8)
		for j := i; j < min(i+8, n); j++ {
			keys = append(keys, fmt.Sprintf("%s %d %08d", prefix, at.Unix(), j))
		}
		if _, err := s.FirstSeenAll(tb.Context(), keys, at, at.Add(ttl)); err != nil {
			tb.Fatal(err)
		}
	}
}
