package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store"
)

// The interaction benchmarks run a signed application command through the
// adapter and the core the way cmd/stretchbot wires them (SQLite store,
// the store as seen store, the real rule parser), next to a bare handler
// that only checks the same Ed25519 signature and writes a body of the
// same size. Each also reports p99-ns, the 99th percentile of one
// request's time.

// benchWriter is a ResponseWriter that keeps nothing but the status.
type benchWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *benchWriter) Header() http.Header { return w.h }
func (w *benchWriter) WriteHeader(s int)   { w.status = s }
func (w *benchWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += len(p)
	return len(p), nil
}

// interactionIDs numbers the benchmark's interactions across runs, so no
// two carry the same signature.
var interactionIDs atomic.Int64

// signedInteractions returns n application commands for sub, each with its
// own id, signed now.
func signedInteractions(n int, sub string) []*http.Request {
	seed, _ := hex.DecodeString(vecSeed)
	key := ed25519.NewKeyFromSeed(seed)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	reqs := make([]*http.Request, n)
	for i := range reqs {
		body := []byte(`{"type":2,"id":"` + strconv.FormatInt(interactionIDs.Add(1), 10) + `","application_id":"APP","token":"TOK","guild_id":"G1","channel_id":"C1",` +
			`"member":{"user":{"id":"U1","username":"ann"},"permissions":"32"},"data":{"name":"stretch","options":[{"name":"` + sub + `","type":1,"options":[]}]}}`)
		r, _ := http.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		r.Header.Set("X-Signature-Timestamp", ts)
		r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
		reqs[i] = r
	}
	return reqs
}

// benchServe sends each of reqs through h once, from parallel goroutines,
// and reports the 99th percentile latency.
func benchServe(b *testing.B, h http.Handler, reqs []*http.Request) {
	b.Helper()
	var next atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		w := &benchWriter{h: http.Header{}}
		for pb.Next() {
			r := reqs[next.Add(1)-1]
			clear(w.h)
			w.status = 0
			start := time.Now()
			h.ServeHTTP(w, r)
			lat = append(lat, time.Since(start))
			if w.status != http.StatusOK {
				b.Errorf("status %d", w.status)
				return
			}
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(all) > 0 {
		slices.Sort(all)
		b.ReportMetric(float64(all[len(all)*99/100]), "p99-ns")
	}
}

// benchBot builds the core over a SQLite store in a temporary directory and
// mounts a Discord adapter on it, as cmd/stretchbot does.
func benchBot(b *testing.B) *http.ServeMux {
	b.Helper()
	st, err := store.Open(b.Context(), "sqlite://"+filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	core, err := bot.New(st, bot.WithRules(when.Parser{MinInterval: 10 * time.Minute}), bot.WithLogger(quiet), bot.WithUserCache(10*time.Minute))
	if err != nil {
		b.Fatal(err)
	}
	seen, _ := st.(SeenStore)
	a, err := New(Config{PublicKey: vecPublicKey, Token: "tok", AppID: "APP", APIURL: "http://127.0.0.1:1"},
		WithLogger(quiet), WithSeenStore(seen))
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Mount(mux, core)
	b.Cleanup(a.wg.Wait)
	return mux
}

// bareHandler checks Discord's signature like the adapter and writes body.
func bareHandler(body []byte) http.Handler {
	raw, _ := hex.DecodeString(vecPublicKey)
	pub := ed25519.PublicKey(raw)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		sig, err := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		if err != nil || !ed25519.Verify(pub, append([]byte(r.Header.Get("X-Signature-Timestamp")), raw...), sig) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// BenchmarkInteraction runs help and list through the bot, each beside a
// bare handler writing as many bytes, and a bare handler writing a few.
func BenchmarkInteraction(b *testing.B) {
	mux := benchBot(b)
	for _, sub := range []string{"help", "list"} {
		w := &benchWriter{h: http.Header{}}
		mux.ServeHTTP(w, signedInteractions(1, sub)[0])
		if w.status != http.StatusOK || w.n == 0 {
			b.Fatalf("%s: status %d, %d bytes", sub, w.status, w.n)
		}
		b.Run(sub+"/bot", func(b *testing.B) { benchServe(b, mux, signedInteractions(b.N, sub)) })
		b.Run(sub+"/bare", func(b *testing.B) {
			benchServe(b, bareHandler(bytes.Repeat([]byte("x"), w.n)), signedInteractions(b.N, sub))
		})
	}
	b.Run("bare-small", func(b *testing.B) {
		benchServe(b, bareHandler([]byte(`{"type":4,"data":{"content":"ok"}}`)), signedInteractions(b.N, "help"))
	})
}
