package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/store/storetest"
)

// BenchmarkSaveBreak is what `break` writes, one request at a time: the
// user with a new last break, and the rotation. The users' change log
// (migration 0018) must stay out of it: a row there for every break cost
// about a third more.
func BenchmarkSaveBreak(b *testing.B) {
	db := MustOpen(b, filepath.Join(b.TempDir(), "breaks.db"))
	u := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin", Hours: "mon,tue,wed,thu,fri 09:00-17:30"}
	used := []string{"cat-cow", "child-pose", "knees-to-chest"}
	b.ResetTimer()
	for i := range b.N {
		u.LastBreak = storetest.T0.Add(time.Duration(i) * time.Second)
		u.LastBreakKey = fmt.Sprintf("break:U1:%d", i)
		if err := db.SaveBreaks(b.Context(), []bot.BreakRecord{{User: u, Scope: "user:U1", Used: used}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveBreakNewRotation is BenchmarkSaveBreak with the rotation
// changing at every break, as it does: each one logs the rotation for the
// other processes (migration 0023), which saving the same one again does
// not.
func BenchmarkSaveBreakNewRotation(b *testing.B) {
	db := MustOpen(b, filepath.Join(b.TempDir(), "breaks.db"))
	u := bot.User{Tenant: "T1", ID: "U1", Zone: "Europe/Berlin", Hours: "mon,tue,wed,thu,fri 09:00-17:30"}
	ids := []string{"cat-cow", "child-pose", "knees-to-chest", "neck-roll", "chin-tucks", "wall-angel"}
	b.ResetTimer()
	for i := range b.N {
		u.LastBreak = storetest.T0.Add(time.Duration(i) * time.Second)
		u.LastBreakKey = fmt.Sprintf("break:U1:%d", i)
		used := ids[:1+i%len(ids)]
		if err := db.SaveBreaks(b.Context(), []bot.BreakRecord{{User: u, Scope: "user:U1", Used: used}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveBreaks is what concurrent `break`s write together: a batch
// of different users' breaks in one call.
func BenchmarkSaveBreaks(b *testing.B) {
	for _, n := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			db := MustOpen(b, filepath.Join(b.TempDir(), "breaks.db"))
			rs := make([]bot.BreakRecord, n)
			for k := range rs {
				id := bot.UserID(fmt.Sprintf("U%d", k))
				rs[k] = bot.BreakRecord{User: bot.User{Tenant: "T1", ID: id, Zone: "Europe/Berlin"}, Scope: "user:" + string(id),
					Used: []string{"cat-cow", "child-pose", "knees-to-chest"}}
			}
			b.ResetTimer()
			for i := range b.N {
				for k := range rs {
					rs[k].User.LastBreak = storetest.T0.Add(time.Duration(i) * time.Second)
					rs[k].User.LastBreakKey = fmt.Sprintf("break:%s:%d", rs[k].User.ID, i)
				}
				if err := db.SaveBreaks(b.Context(), rs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/break")
		})
	}
}
