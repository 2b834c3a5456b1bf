package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store"
)

// RaceSaveBreaks has instances sharing one database save, at once, batches
// of breaks that name the same users and rotations in opposite orders, as
// concurrent `break`s on several instances do. Every batch must commit:
// SaveBreaks writes rows in one order whatever the batch's, so two batches
// never each hold a row the other waits for (PostgreSQL would abort one
// as a deadlock). Afterwards each user's last break and each rotation is
// one a batch saved.
func RaceSaveBreaks(t *testing.T, stores ...store.Store) {
	t.Helper()
	ctx := t.Context()
	const (
		workers = 8
		rounds  = 20
		users   = 6
	)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for w := range workers {
		bs, ok := stores[w%len(stores)].(bot.BreakStore)
		if !ok {
			t.Fatalf("%T has no SaveBreaks", stores[w%len(stores)])
		}
		wg.Go(func() {
			<-start
			for r := range rounds {
				rs := make([]bot.BreakRecord, 0, users+1)
				for i := range users {
					id := bot.UserID(fmt.Sprintf("R%d", i))
					if w%2 == 1 {
						id = bot.UserID(fmt.Sprintf("R%d", users-1-i))
					}
					u := bot.User{Tenant: "T9", ID: id, LastBreak: T0.Add(time.Duration(r) * time.Second),
						LastBreakKey: fmt.Sprintf("break:%s:%d:%d", id, w, r)}
					rs = append(rs, bot.BreakRecord{User: u, Scope: "user:" + string(id), Used: []string{fmt.Sprint("w", w)}})
				}
				// A team rotation both orders share.
				rs = append(rs, bot.BreakRecord{User: rs[0].User, Scope: "channel:C1", Used: []string{fmt.Sprint("w", w)}})
				if w%2 == 1 {
					slices.Reverse(rs)
				}
				if err := bs.SaveBreaks(ctx, rs); err != nil {
					t.Errorf("worker %d round %d: SaveBreaks: %v", w, r, err)
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	for i := range users {
		id := bot.UserID(fmt.Sprintf("R%d", i))
		u, err := stores[0].User(ctx, "T9", id)
		if err != nil {
			t.Fatalf("User(%s): %v", id, err)
		}
		var w, r int
		if _, err := fmt.Sscanf(u.LastBreakKey, "break:"+string(id)+":%d:%d", &w, &r); err != nil || w >= workers || r >= rounds {
			t.Errorf("User(%s) last break %q: not one a batch saved", id, u.LastBreakKey)
		}
		used, err := stores[0].Rotation(ctx, "T9", "user:"+string(id))
		if err != nil || len(used) != 1 {
			t.Errorf("Rotation(%s) = %q, %v; want one batch's", id, used, err)
		}
	}
}
