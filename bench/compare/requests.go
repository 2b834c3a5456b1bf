package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/stretchbot/stretchbot/bench/internal/harness"
	"github.com/stretchbot/stretchbot/bot"
)

// Benchmark credentials: the binary and the bare handlers verify with
// them, the load generator signs with them. They guard nothing.
const slackSecret = "bench-signing-secret-0123456789ab"

var discordKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// bareConfig is the bare handlers' child process.
type bareConfig struct{ addr string }

// serveBare is the baseline server: net/http handlers that verify a
// request's signature exactly as the platforms define it and answer a body
// of the size in the path (/slack/4096, /discord/42). It prints "A <addr>"
// when it listens and stops when ctx ends or stdin closes.
func serveBare(ctx context.Context, c bareConfig, out io.Writer) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "A %s\n", ln.Addr())
	go func() {
		halt := make(chan struct{})
		go func() { io.Copy(io.Discard, os.Stdin); close(halt) }()
		select {
		case <-ctx.Done():
		case <-halt:
		}
		srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

func bareHandler() http.Handler {
	var bodies sync.Map // size → []byte
	body := func(path string) ([]byte, bool) {
		n, err := strconv.Atoi(path[strings.LastIndexByte(path, '/')+1:])
		if err != nil || n < 0 || n > 1<<20 {
			return nil, false
		}
		if b, ok := bodies.Load(n); ok {
			return b.([]byte), true
		}
		b := bytes.Repeat([]byte{'x'}, n)
		bodies.Store(n, b)
		return b, true
	}
	fresh := func(stamp string) bool {
		ts, err := strconv.ParseInt(stamp, 10, 64)
		return err == nil && time.Since(time.Unix(ts, 0)).Abs() < 5*time.Minute
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/{size}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := body(r.URL.Path)
		in, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		stamp := r.Header.Get("X-Slack-Request-Timestamp")
		if !ok || err != nil || !fresh(stamp) || !hmac.Equal([]byte(r.Header.Get("X-Slack-Signature")), []byte(slackSign(stamp, in))) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	mux.HandleFunc("POST /discord/{size}", func(w http.ResponseWriter, r *http.Request) {
		b, ok := body(r.URL.Path)
		in, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		stamp := r.Header.Get("X-Signature-Timestamp")
		sig, herr := hex.DecodeString(r.Header.Get("X-Signature-Ed25519"))
		if !ok || err != nil || herr != nil || !fresh(stamp) ||
			!ed25519.Verify(discordKey.Public().(ed25519.PublicKey), append([]byte(stamp), in...), sig) {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	return mux
}

func slackSign(stamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(slackSecret))
	io.WriteString(mac, "v0:"+stamp+":")
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// slackCommand is a signed slash command; trigger_id differs per request,
// so no two are the same request (the bot refuses replays).
func slackCommand(base, path, text string, i int64, responseURL string) (*http.Request, error) {
	form := url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"},
		"channel_name": {"general"}, "user_id": {"U1"}, "user_name": {"ana"}, "response_url": {responseURL},
		"trigger_id": {"bench." + strconv.FormatInt(i, 10)}}
	body := form.Encode()
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", slackSign(stamp, []byte(body)))
	return req, nil
}

// discordCommand is a signed application command /stretch <sub> with its
// own interaction id.
func discordCommand(base, path, sub string, opts map[string]string, i int64) (*http.Request, error) {
	var o []map[string]any
	for k, v := range opts {
		o = append(o, map[string]any{"name": k, "type": 3, "value": v})
	}
	body, err := json.Marshal(map[string]any{
		"type": 2, "id": strconv.FormatInt(1_000_000+i, 10), "application_id": "424242", "token": "itoken",
		"guild_id": "77", "channel_id": "55",
		"member": map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"},
		"data":   map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": o}}},
	})
	if err != nil {
		return nil, err
	}
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(discordKey, append([]byte(stamp), body...))))
	return req, nil
}

// loadResult is what a fixed-time load saw.
type loadResult struct {
	n, bad   int
	rps      float64
	p50, p99 time.Duration
	cpu      time.Duration // the side's process's CPU over its turns, with their quiescing
	client   time.Duration // the load's CPU over the same turns
	busy     float64       // the share of the machine's cores in use while the load ran
}

// side is one server of a comparison: how to make its requests, and its
// process, to wait for after each turn.
type side struct {
	mk  func(i int64) (*http.Request, error)
	pid int
}

// requestSeq numbers every request of a run, so that no two are alike:
// the bot refuses a replayed request.
var requestSeq atomic.Int64

// rounds is how many turns each side of a comparison gets: taking turns,
// the sides share whatever else the machine does over the run.
const rounds = 3

// compareLoad loads each side in turn, rounds times dur/rounds, after a
// short unmeasured warm-up, and merges each side's turns.
func compareLoad(ctx context.Context, clients int, dur time.Duration, sides ...side) []loadResult {
	for _, sd := range sides {
		loadTurn(ctx, clients, 200*time.Millisecond, sd)
	}
	lat := make([][]time.Duration, len(sides))
	took := make([]time.Duration, len(sides))
	cpu := make([]time.Duration, len(sides))
	client := make([]time.Duration, len(sides))
	bad := make([]int, len(sides))
	busy := make([]float64, len(sides))
	for r := range rounds {
		for k := range sides {
			// Rotate who goes first, so none always follows the same one.
			i := (k + r) % len(sides)
			c0, l0 := harness.PidCPU(sides[i].pid), harness.CPU()
			l, d, b, u := loadTurn(ctx, clients, dur/rounds, sides[i])
			lat[i], took[i], bad[i], busy[i] = append(lat[i], l...), took[i]+d, bad[i]+b, busy[i]+u*d.Seconds()
			cpu[i] += harness.PidCPU(sides[i].pid) - c0
			client[i] += harness.CPU() - l0
		}
	}
	out := make([]loadResult, len(sides))
	for i := range sides {
		slices.Sort(lat[i])
		out[i] = loadResult{n: len(lat[i]), bad: bad[i], p50: harness.Quantile(lat[i], .5), p99: harness.Quantile(lat[i], .99), cpu: cpu[i], client: client[i]}
		if took[i] > 0 {
			out[i].rps = float64(len(lat[i])) / took[i].Seconds()
			out[i].busy = busy[i] / took[i].Seconds()
		}
	}
	return out
}

// loadTurn runs clients concurrent loops of mk → request → read the whole
// answer, for dur, over kept-alive connections; then it waits until the
// side's process is idle, so that work it finishes in the background does
// not fall into the next turn. busy is the share of the machine's cores in
// use while the clients ran.
func loadTurn(ctx context.Context, clients int, dur time.Duration, sd side) (lat []time.Duration, took time.Duration, bad int, busy float64) {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	var mu sync.Mutex
	end := time.Now().Add(dur)
	t0, s0 := time.Now(), harness.SampleCPU()
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() {
			var mine []time.Duration
			nbad := 0
			for time.Now().Before(end) && ctx.Err() == nil {
				req, err := sd.mk(requestSeq.Add(1))
				if err != nil {
					nbad++
					continue
				}
				start := time.Now()
				resp, err := hc.Do(req.WithContext(ctx))
				if err != nil {
					nbad++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(start))
				if resp.StatusCode != http.StatusOK {
					nbad++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			bad += nbad
			mu.Unlock()
		})
	}
	wg.Wait()
	took, busy = time.Since(t0), harness.Busy(s0, harness.SampleCPU())
	harness.Quiesce(sd.pid, 5*time.Second)
	return lat, took, bad, busy
}

// probe sends one request and returns the answer's status and size.
func probe(req *http.Request) (int, int, error) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, len(b), err
}

func loadCell(r loadResult) string {
	s := fmt.Sprintf("%s req/s · p50 %s, p99 %s", num(int(r.rps+.5)), harness.Ms(r.p50), harness.Ms(r.p99))
	if r.bad > 0 {
		s += fmt.Sprintf(" · **%d of %d not 200**", r.bad, r.n)
	}
	return s
}

func loadRatio(us, base loadResult) string {
	return "req/s " + times(us.rps, base.rps) + ", p99 " + times(float64(us.p99), float64(base.p99))
}

// fakeAPIs are local stand-ins for Slack's and Discord's Web APIs.
func fakeAPIs() (slackAPI, discordAPI *httptest.Server) {
	var n atomic.Int64
	slackAPI = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		p := r.URL.Path
		switch {
		case strings.HasSuffix(p, "/conversations.open"):
			io.WriteString(w, `{"ok":true,"channel":{"id":"D900"}}`)
		case strings.HasSuffix(p, "/chat.postMessage"):
			fmt.Fprintf(w, `{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, n.Add(1))
		case strings.HasSuffix(p, "/users.info"):
			io.WriteString(w, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`)
		case strings.HasSuffix(p, "/conversations.info"):
			io.WriteString(w, `{"ok":true,"channel":{"id":"C1","is_channel":true,"is_member":true,"context_team_id":"T1"}}`)
		case strings.HasSuffix(p, "/auth.test"):
			io.WriteString(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	discordAPI = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		p := r.URL.Path
		switch {
		case strings.HasSuffix(p, "/users/@me/channels"):
			io.WriteString(w, `{"id":"900","type":1}`)
		case r.Method == http.MethodGet && strings.HasPrefix(p, "/api/v10/channels/"):
			io.WriteString(w, `{"id":"55","guild_id":"77","type":0}`)
		case strings.HasSuffix(p, "/messages"):
			fmt.Fprintf(w, `{"id":"%d","channel_id":"55"}`, n.Add(1))
		default:
			io.WriteString(w, `{}`)
		}
	}))
	return slackAPI, discordAPI
}

// binary is a running stretchbot process.
type binary struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	done chan error
}

// startBinary runs the stretchbot binary with Slack and Discord configured
// against the fakes, on the SQLite file db, and waits until it is ready.
func startBinary(ctx context.Context, path, db string, slackAPI, discordAPI string, logLevel string) (*binary, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(path)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STRETCHBOT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"STRETCHBOT_DATABASE_URL=sqlite://"+db,
		"STRETCHBOT_HTTP_ADDR="+addr,
		"STRETCHBOT_LOG_LEVEL="+logLevel,
		"STRETCHBOT_SLACK_SIGNING_SECRET="+slackSecret,
		"STRETCHBOT_SLACK_BOT_TOKEN=xoxb-bench",
		"STRETCHBOT_SLACK_API_URL="+slackAPI+"/api/",
		"STRETCHBOT_DISCORD_PUBLIC_KEY="+hex.EncodeToString(discordKey.Public().(ed25519.PublicKey)),
		"STRETCHBOT_DISCORD_TOKEN=bench-token",
		"STRETCHBOT_DISCORD_APP_ID=424242",
		"STRETCHBOT_DISCORD_API_URL="+discordAPI,
		"STRETCHBOT_DISCORD_GATEWAY=false",
	)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	b := &binary{cmd: cmd, base: "http://" + addr, done: make(chan error, 1)}
	go func() { b.done <- cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(b.base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return b, nil
			}
		}
		select {
		case err := <-b.done:
			return nil, fmt.Errorf("stretchbot exited before it was ready: %v", err)
		case <-ctx.Done():
			b.stop()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			b.stop()
			return nil, fmt.Errorf("stretchbot not ready after 30 s")
		}
	}
}

func (b *binary) pid() int { return b.cmd.Process.Pid }

// stop interrupts the binary and waits for it (killing it after 15 s).
func (b *binary) stop() {
	b.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-b.done:
	case <-time.After(15 * time.Second):
		b.cmd.Process.Kill()
		<-b.done
	}
}

// startBare runs the bare handlers in a child process of their own.
func startBare(ctx context.Context, exe string) (base string, pid int, stop func(), err error) {
	cmd := execCommand(ctx, exe, "-role", "bare")
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", 0, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", 0, nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", 0, nil, err
	}
	stop = func() { in.Close(); cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "A ")
	if err != nil || !ok {
		stop()
		return "", 0, nil, fmt.Errorf("bare handlers did not start: %q %v", line, err)
	}
	return "http://" + addr, cmd.Process.Pid, stop, nil
}

// requestRows builds the binary and measures, as asked, the request path
// against bare handlers and the binary's resident memory.
func requestRows(ctx context.Context, p plan, exe, dir string, requests, memory bool) []row {
	fail := func(pair string, err error) []row {
		return []row{{pair, "not measured: " + oneLine(err.Error()), "–", "–"}}
	}
	bin, err := stretchbotBinary(ctx, p, dir)
	if err != nil {
		return fail("request path and memory", err)
	}
	slackAPI, discordAPI := fakeAPIs()
	defer slackAPI.Close()
	defer discordAPI.Close()

	var rows []row
	progress("stretchbot at rest, Slack and Discord configured")
	a, err := startBinary(ctx, bin, filepath.Join(dir, "bot-a.db"), slackAPI.URL, discordAPI.URL, "warn")
	if err != nil {
		return fail("request path and memory", err)
	}
	defer a.stop()
	sleep(ctx, p.settle)
	idle := harness.PidRSS(a.pid())

	// The binary at rest on 100 000 schedules runs while the loaded one
	// settles after its load (or alone, without the request section).
	restPair := fmt.Sprintf("resident memory at rest (%s after start), Slack + Discord configured: 100 000 schedules not due within the hour vs none", secs(p.settle))
	rest := func() row {
		progress("stretchbot at rest with 100 000 schedules not due within the hour")
		rss, err := restingWithSchedules(ctx, p, bin, filepath.Join(dir, "bot-b.db"), slackAPI.URL, discordAPI.URL)
		if err != nil {
			return fail(restPair, err)[0]
		}
		return row{restPair, harness.MiB(rss), harness.MiB(idle), times(float64(rss), float64(idle))}
	}
	if !requests {
		return append(rows, rest())
	}
	rows = append(rows, requestPairs(ctx, p, exe, a, slackAPI.URL)...)
	if !memory {
		return rows
	}
	peak := harness.PidHWM(a.pid())
	progress("waiting %s after the load", p.after)
	restc := make(chan row, 1)
	go func() { restc <- rest() }()
	sleep(ctx, p.after)
	after := harness.PidRSS(a.pid())
	pair := fmt.Sprintf("resident memory %s after the load vs at rest", secs(p.after))
	if p.quick {
		pair += " (quick run: the full run waits a minute)"
	}
	return append(rows, <-restc,
		row{"peak resident memory during the request load vs at rest", harness.MiB(peak), harness.MiB(idle), times(float64(peak), float64(idle))},
		row{pair, harness.MiB(after), harness.MiB(idle), times(float64(after), float64(idle))})
}

// restingWithSchedules is the binary's resident memory after p.settle at
// rest on a database holding 100 000 daily schedules due in 2 to 3 hours.
func restingWithSchedules(ctx context.Context, p plan, bin, db, slackAPI, discordAPI string) (uint64, error) {
	t := harness.Target{Kind: harness.SQLite, DSN: db}
	if err := harness.Migrate(ctx, t); err != nil {
		return 0, err
	}
	const n = 100_000
	now := time.Now().UTC()
	err := harness.SeedSQL(ctx, t, n, func(i int) bot.Reminder {
		next := now.Add(2*time.Hour + time.Duration(i)*(time.Hour/n)).Truncate(time.Millisecond)
		return bot.Reminder{
			ID: harness.ID('r', i), Tenant: "T1", Platform: bot.Slack, Kind: bot.Personal,
			Owner: bot.UserID("U" + strconv.Itoa(i)), Channel: "C1",
			Rule: "every 24h0m0s from " + next.Add(-24*time.Hour).Format(time.RFC3339Nano), Zone: "UTC",
			NextRun: next, CreatedAt: now,
		}
	})
	if err != nil {
		return 0, err
	}
	b, err := startBinary(ctx, bin, db, slackAPI, discordAPI, "warn")
	if err != nil {
		return 0, err
	}
	defer b.stop()
	sleep(ctx, p.settle)
	return harness.PidRSS(b.pid()), nil
}

// requestPairs loads the binary and the bare handlers in turn with the
// same signed requests.
func requestPairs(ctx context.Context, p plan, exe string, a *binary, slackAPI string) []row {
	var rows []row
	bare, barePid, stopBare, err := startBare(ctx, exe)
	if err != nil {
		return []row{{"request path", "not measured: " + oneLine(err.Error()), "–", "–"}}
	}
	defer stopBare()
	respURL := slackAPI + "/response"

	// Reminders for list to show, on both platforms.
	for i, when := range []string{"every day at 10:30", "every weekday at 15:00", "in 3 hours"} {
		if req, err := slackCommand(a.base, "/slack/commands", "remind me "+when+" to stretch", int64(-1-i), respURL); err == nil {
			probe(req)
		}
		if req, err := discordCommand(a.base, "/discord/interactions", "remind", map[string]string{"when": when + " to stretch"}, int64(-1-i)); err == nil {
			probe(req)
		}
	}
	platforms := []reqPlatform{
		{"Slack", "HMAC", "/slack/commands", "/slack/", func(base, path, cmd string, i int64) (*http.Request, error) {
			return slackCommand(base, path, cmd, i, respURL)
		}},
		{"Discord", "Ed25519", "/discord/interactions", "/discord/", func(base, path, cmd string, i int64) (*http.Request, error) {
			return discordCommand(base, path, cmd, nil, i)
		}},
	}
	for _, cmd := range p.commands {
		for _, pl := range platforms {
			if ctx.Err() != nil {
				return rows
			}
			rows = append(rows, requestPair(ctx, p, a, bare, barePid, cmd, pl)...)
		}
	}
	return rows
}

// reqPlatform is how one platform's command is signed and where it goes:
// route on the binary, bare plus a body size on the bare handlers.
type reqPlatform struct {
	name, check, route, bare string
	request                  func(base, path, cmd string, i int64) (*http.Request, error)
}

// requestPair measures one signed command on one platform against the bare
// handler writing a body of the same size (and, for help, 42 bytes).
func requestPair(ctx context.Context, p plan, a *binary, bare string, barePid int, cmd string, pl reqPlatform) []row {
	name, check, route, barePrefix, request := pl.name, pl.check, pl.route, pl.bare, pl.request
	progress("%s /stretch %s", name, cmd)
	mk := func(base, path string) func(int64) (*http.Request, error) {
		return func(i int64) (*http.Request, error) { return request(base, path, cmd, i) }
	}
	req, _ := request(a.base, route, cmd, -100)
	code, size, err := probe(req)
	pair := fmt.Sprintf("%s `/stretch %s` (%s, %s clients, %s) vs bare handler, same check, same %s-byte body", name, cmd, check, num(p.clients), secs(p.reqDur), num(size))
	if err != nil || code != http.StatusOK {
		return []row{{pair, fmt.Sprintf("not measured: status %d %v", code, err), "–", "–"}}
	}
	sides := []side{{mk(a.base, route), a.pid()}, {mk(bare, barePrefix+strconv.Itoa(size)), barePid}}
	if cmd == "help" {
		sides = append(sides, side{mk(bare, barePrefix+"42"), barePid})
	}
	r := compareLoad(ctx, p.clients, p.reqDur, sides...)
	for k, side := range []string{"stretchbot", "bare handler"} {
		if r[k].n > 0 {
			n := time.Duration(r[k].n)
			progress("  %s: %s CPU a request, the load %s (%s and %s over %s requests); machine busy %.0f %%", side,
				(r[k].cpu / n).Round(time.Microsecond), (r[k].client / n).Round(time.Microsecond),
				r[k].cpu.Round(10*time.Millisecond), r[k].client.Round(10*time.Millisecond), num(r[k].n), 100*r[k].busy)
		}
	}
	rows := []row{{pair, loadCell(r[0]), loadCell(r[1]), loadRatio(r[0], r[1])}}
	if cmd == "help" {
		rows = append(rows, row{name + " `/stretch help` vs bare handler answering 42 bytes", loadCell(r[0]), loadCell(r[2]), loadRatio(r[0], r[2])})
	}
	return rows
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func removeFile(path string) { os.Remove(path) }
