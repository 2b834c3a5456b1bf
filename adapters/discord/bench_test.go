package discord

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// The interaction benchmarks run a signed application command through the
// adapter and the core the way cmd/stretchbot wires them (SQLite store,
// the store as seen store, the real rule parser), next to a bare handler
// that only checks the same Ed25519 signature and writes a body of the
// same size. Each also reports p99-ns, the 99th percentile of one
// request's time.

// interactionIDs numbers the benchmark's interactions across runs, so no
// two carry the same signature.
var interactionIDs atomic.Int64

// signedInteractions returns n application commands for sub, each with its
// own id, signed now.
func signedInteractions(n int, sub string) []*http.Request { return signedWith(n, sub, "") }

// signedWith is signedInteractions with options, a JSON array's elements.
func signedWith(n int, sub, opts string) []*http.Request {
	seed, _ := hex.DecodeString(vecSeed)
	key := ed25519.NewKeyFromSeed(seed)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	reqs := make([]*http.Request, n)
	for i := range reqs {
		body := []byte(`{"type":2,"id":"` + strconv.FormatInt(interactionIDs.Add(1), 10) + `","application_id":"APP","token":"TOK","guild_id":"G1","channel_id":"C1",` +
			`"member":{"user":{"id":"U1","username":"ann"},"permissions":"32"},"data":{"name":"stretch","options":[{"name":"` + sub + `","type":1,"options":[` + opts + `]}]}}`)
		r, _ := http.NewRequest(http.MethodPost, "/discord/interactions", bytes.NewReader(body))
		r.Header.Set("X-Signature-Timestamp", ts)
		r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
		reqs[i] = r
	}
	return reqs
}

// benchBot builds the core over a SQLite store in a temporary directory and
// mounts a Discord adapter on it, as cmd/stretchbot does.
func benchBot(b *testing.B) *http.ServeMux {
	b.Helper()
	core, st := testkit.RequestCore(b, "")
	quiet := testkit.Quiet()
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

// BenchmarkInteraction runs help, break and list through the bot, each
// beside a bare handler writing as many bytes, and a bare handler writing a
// few.
func BenchmarkInteraction(b *testing.B) {
	mux := benchBot(b)
	// Reminders for list to show, as bench/compare makes them.
	for _, when := range []string{"every day at 10:30", "every weekday at 15:00", "in 3 hours"} {
		w := adaptertest.NewBenchWriter()
		mux.ServeHTTP(w, signedWith(1, "remind", `{"name":"when","type":3,"value":"`+when+` to stretch"}`)[0])
		if w.Status != http.StatusOK {
			b.Fatalf("remind %s: status %d", when, w.Status)
		}
	}
	for _, sub := range []string{"help", "break", "list"} {
		w := adaptertest.NewBenchWriter()
		mux.ServeHTTP(w, signedInteractions(1, sub)[0])
		if w.Status != http.StatusOK || w.N == 0 {
			b.Fatalf("%s: status %d, %d bytes", sub, w.Status, w.N)
		}
		b.Run(sub+"/bot", func(b *testing.B) { adaptertest.BenchServe(b, mux, signedInteractions(b.N, sub)) })
		b.Run(sub+"/bare", func(b *testing.B) {
			adaptertest.BenchServe(b, bareHandler(bytes.Repeat([]byte("x"), w.N)), signedInteractions(b.N, sub))
		})
	}
	b.Run("bare-small", func(b *testing.B) {
		adaptertest.BenchServe(b, bareHandler([]byte(`{"type":4,"data":{"content":"ok"}}`)), signedInteractions(b.N, "help"))
	})
}
