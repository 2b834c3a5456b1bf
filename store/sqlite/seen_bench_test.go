package sqlite_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"testing"
	"time"
)

// BenchmarkFirstSeen records request signatures as the adapters do, on a
// table already holding 200 000 of them: keys whose signature comes first
// land all over the table's b-tree, one page each; keys led by the request
// timestamp land at its right edge, where the pages are in cache and
// shared by the keys recorded together.
func BenchmarkFirstSeen(b *testing.B) {
	for _, shape := range []string{"signature", "timestamp"} {
		for _, batch := range []int{1, 8} {
			b.Run(shape+"/batch="+strconv.Itoa(batch), func(b *testing.B) {
				db := MustOpen(b, "")
				ctx := context.Background()
				now := time.Unix(1_800_000_000, 0)
				key := func(i int) string {
					sum := sha256.Sum256([]byte(strconv.Itoa(i)))
					sig := "v0=" + hex.EncodeToString(sum[:])
					if shape == "timestamp" {
						return "slack sig " + strconv.FormatInt(now.Unix()+int64(i/1000), 10) + " " + sig
					}
					return "slack sig " + sig
				}
				const n0 = 200_000
				keys := make([]string, 0, 8)
				for i := 0; i < n0; i += 8 {
					keys = keys[:0]
					for j := i; j < i+8; j++ {
						keys = append(keys, key(j))
					}
					at := now.Add(time.Duration(i) * time.Millisecond)
					if _, err := db.FirstSeenAll(ctx, keys, at, at.Add(time.Hour)); err != nil {
						b.Fatal(err)
					}
				}
				b.ResetTimer()
				for i := 0; i < b.N; i += batch {
					keys = keys[:0]
					for j := range batch {
						keys = append(keys, key(n0+i+j))
					}
					var err error
					at := now.Add(time.Duration(n0+i) * time.Millisecond)
					if batch == 1 {
						_, err = db.FirstSeen(ctx, keys[0], at, at.Add(time.Hour))
					} else {
						_, err = db.FirstSeenAll(ctx, keys, at, at.Add(time.Hour))
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
