package slack

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// The request-path benchmarks run a signed slash command through the
// adapter and the core the way cmd/stretchbot wires them (SQLite store,
// the store as seen store, the real rule parser), next to a bare handler
// that only checks the same signature and writes a body of the same size:
// the ratio of their ns/op is the cost of everything stretchbot does on top.
// Each also reports p99-ns, the 99th percentile of one request's time.

// triggers numbers the benchmark's requests across runs, so no two
// carry the same signature.
var triggers atomic.Int64

// signedCommands returns n slash command requests for text, each with its
// own trigger id (the adapter refuses a replayed signature), signed now.
func signedCommands(n int, user, text string) []*http.Request {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	reqs := make([]*http.Request, n)
	for i := range reqs {
		v := url.Values{
			"team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"}, "user_id": {user}, "user_name": {"ann"},
			"command": {"/stretch"}, "text": {text}, "response_url": {"https://hooks.slack.test/r/1"},
			"trigger_id": {strconv.FormatInt(triggers.Add(1), 10)},
		}
		body := []byte(v.Encode())
		r, _ := http.NewRequest(http.MethodPost, "/slack/commands", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Slack-Request-Timestamp", ts)
		r.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
		reqs[i] = r
	}
	return reqs
}

// benchBot builds the core over a SQLite store in a temporary directory and
// mounts a Slack adapter on it, as cmd/stretchbot does.
func benchBot(b *testing.B, dsn string) *http.ServeMux {
	b.Helper()
	core, st := testkit.RequestCore(b, dsn)
	quiet := testkit.Quiet()
	f := newFakeSlack(b)
	seen, _ := st.(SeenStore)
	a, err := New(Config{SigningSecret: testSecret, BotToken: "xoxb-test", APIURL: f.apiURL()},
		WithLogger(quiet), WithHTTPClient(f.srv.Client()), WithSeenStore(seen))
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Mount(mux, core)
	b.Cleanup(a.wg.Wait)
	return mux
}

// bareHandler checks Slack's signature like the adapter and writes body:
// the least any slash command handler must do.
func bareHandler(body []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		ts := r.Header.Get("X-Slack-Request-Timestamp")
		mac := hmac.New(sha256.New, []byte(testSecret))
		mac.Write([]byte("v0:" + ts + ":"))
		mac.Write(raw)
		got, _ := hex.DecodeString(r.Header.Get("X-Slack-Signature")[3:])
		if !hmac.Equal(got, mac.Sum(nil)) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
}

// answerSize is the size of the bot's answer to text, so the bare
// handler can write as much.
func answerSize(b *testing.B, mux http.Handler, user, text string) int {
	b.Helper()
	w := adaptertest.NewBenchWriter()
	mux.ServeHTTP(w, signedCommands(1, user, text)[0])
	if w.Status != http.StatusOK || w.N == 0 {
		b.Fatalf("%q: status %d, %d bytes", text, w.Status, w.N)
	}
	return w.N
}

// BenchmarkSlashCommand runs help, break and list through the bot on
// SQLite, each beside a bare handler writing as many bytes, and a bare
// handler writing a few bytes.
func BenchmarkSlashCommand(b *testing.B) { benchSlash(b, "") }

// BenchmarkSlashCommandMemory is BenchmarkSlashCommand on the in-memory
// store: the request path without SQLite's write transactions.
func BenchmarkSlashCommandMemory(b *testing.B) { benchSlash(b, "memory://") }

func benchSlash(b *testing.B, dsn string) {
	mux := benchBot(b, dsn)
	// Reminders for list to show, as bench/compare makes them.
	for _, when := range []string{"every day at 10:30", "every weekday at 15:00", "in 3 hours"} {
		answerSize(b, mux, "U1", "remind me "+when+" to stretch")
	}
	for _, text := range []string{"help", "break", "list"} {
		size := answerSize(b, mux, "U1", text)
		b.Run(text+"/bot", func(b *testing.B) {
			adaptertest.BenchServe(b, mux, signedCommands(b.N, "U1", text))
		})
		b.Run(text+"/bare", func(b *testing.B) {
			adaptertest.BenchServe(b, bareHandler(bytes.Repeat([]byte("x"), size)), signedCommands(b.N, "U1", text))
		})
	}
	b.Run("bare-small", func(b *testing.B) {
		adaptertest.BenchServe(b, bareHandler([]byte(`{"response_type":"ephemeral","text":"ok"}`)), signedCommands(b.N, "U1", "help"))
	})
}
