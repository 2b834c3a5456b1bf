package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/pgtest"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/postgres"
	"github.com/stretchbot/stretchbot/store/sqlite"
)

// The tests in this file run the real binary, several copies at once, kill
// them with SIGKILL and cut their database off, and check from outside what
// the guarantees promise: every run delivered, none twice but in a killed
// process's crash window, a killed process's claims taken over when their
// lease ends, and a quiet, cheap wait while the database is away. They wait
// on the wall clock, with generous deadlines.

// chaosLease is the lease the binaries run with (STRETCHBOT_LEASE), short
// so that a takeover is seen in seconds.
const chaosLease = 3 * time.Second

// TestChaosThroughTheBinary builds ./cmd/stretchbot once and runs the
// process-level scenarios side by side.
func TestChaosThroughTheBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it for tens of seconds")
	}
	// Beside the package's other parallel tests, which would otherwise
	// start only once this one, the package's longest, has ended.
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "stretchbot")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	// The scenarios run all at once, not -parallel (GOMAXPROCS) at a time:
	// they wait on the wall clock (look-ups paced at Slack's Tier 3, a
	// lease's end, a 20 s outage) and take little CPU (about 14 s in two
	// minutes, the binaries included), so two at a time left the CI's
	// cores idle for most of a minute.
	var wg sync.WaitGroup
	defer wg.Wait()
	scenario := func(name string, f func(t *testing.T)) {
		wg.Add(1)
		go func() { defer wg.Done(); t.Run(name, f) }()
	}
	scenario("postgres kill -9", func(t *testing.T) {
		url := pgtest.Schema(t)
		twoInstancesAndAKill(t, bin, url, "pgx", url, 200)
	})
	scenario("sqlite kill -9", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shared.db")
		twoInstancesAndAKill(t, bin, "sqlite://"+path, "sqlite", "file:"+path+"?_pragma=busy_timeout(5000)", 100)
	})
	scenario("discord postgres kill -9", func(t *testing.T) {
		url := pgtest.Schema(t)
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		discordTwoInstancesAndAKill(t, bin, st, url, "pgx", url, 120)
	})
	scenario("discord sqlite kill -9", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shared.db")
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		discordTwoInstancesAndAKill(t, bin, st, "sqlite://"+path, "sqlite", "file:"+path+"?_pragma=busy_timeout(5000)", 60)
	})
	scenario("sqlite pause in the last second", func(t *testing.T) {
		pausedByTheOther(t, bin)
	})
	scenario("postgres outage", func(t *testing.T) {
		databaseOutage(t, bin)
	})
}

// noteRE finds a run's note in what the bot posts.
var noteRE = regexp.MustCompile(`chaos\d{4}`)

// fakeSlack is a Slack Web API for several instances: each one's base URL
// is /<instance>/api/, so every call says who made it. It records every
// chat.postMessage, and answers conversations.history with the posts it
// took, their metadata included, as Slack does: an attempt that may repeat
// one looks there first. A post to a user id lands in the DM "D"+user. With faults, it refuses 20 % of posts with 429
// (Retry-After: 1) and 10 % with 500, and 30 % of look-ups with 429 (Retry-After: 1); a message refused with a 500 once is
// not refused with a 500 again, which keeps a run's retries (5 s, then
// 10 s, …) and so the test's length bounded.
type fakeSlack struct {
	faults bool

	mu     sync.Mutex
	rng    *rand.Rand
	got500 map[string]bool
	posts  []slackPost
	seq    int
	// lookups are the conversations.history calls answered; lookups429
	// counts those refused.
	lookups    []slackLookup
	lookups429 int
	accepted   map[string]int
	firstPost  time.Time
	// others holds the accepted posts that carry no run's note (a notice
	// to a reminder's owner, say): they count toward no run.
	others []string
}

type slackPost struct {
	At       time.Time
	Instance string
	Note     string
	Code     int
	// Channel, TS and Metadata of a post taken.
	Channel, TS, Metadata string
}

type slackLookup struct {
	At       time.Time
	Instance string
	Channel  string
}

// dmOf is the channel a post to channel lands in.
func dmOf(channel string) string {
	if strings.HasPrefix(channel, "U") {
		return "D" + channel
	}
	return channel
}

func newFakeSlack(faults bool) *fakeSlack {
	return &fakeSlack{faults: faults, rng: rand.New(rand.NewPCG(7, 11)), got500: map[string]bool{}, accepted: map[string]int{}}
}

func (f *fakeSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	instance, method, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/api/")
	if err := r.ParseForm(); err != nil {
		// A body cut short (the bot gave up on the call half-way, as it
		// may under load) is no post: Slack would not take it either.
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "users.info":
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"tz":"UTC"}}`, r.Form.Get("user"))
	case "auth.test":
		io.WriteString(w, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`)
	case "conversations.history":
		f.mu.Lock()
		channel := r.Form.Get("channel")
		if f.faults && f.rng.IntN(100) < 30 {
			// A look-up refused: the attempt must wait for the next
			// one, not post blind.
			f.lookups429++
			f.mu.Unlock()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.lookups = append(f.lookups, slackLookup{At: time.Now(), Instance: instance, Channel: channel})
		msgs := []map[string]any{}
		for i := len(f.posts) - 1; i >= 0; i-- {
			if p := f.posts[i]; p.Code == http.StatusOK && p.Channel == channel {
				m := map[string]any{"type": "message", "user": "UBOT", "bot_id": "BBOT", "ts": p.TS}
				if p.Metadata != "" && r.Form.Get("include_all_metadata") == "1" {
					var v any
					json.Unmarshal([]byte(p.Metadata), &v)
					m["metadata"] = v
				}
				msgs = append(msgs, m)
			}
		}
		f.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "messages": msgs, "has_more": false})
	case "conversations.open":
		fmt.Fprintf(w, `{"ok":true,"channel":{"id":"D%s"}}`, r.Form.Get("users"))
	case "chat.postMessage":
		note := noteRE.FindString(r.Form.Get("text") + r.Form.Get("blocks"))
		f.mu.Lock()
		code := http.StatusOK
		if f.faults {
			switch x := f.rng.IntN(100); {
			case x < 20:
				code = http.StatusTooManyRequests
			case x < 30 && !f.got500[note]:
				code = http.StatusInternalServerError
				f.got500[note] = true
			}
		}
		now := time.Now()
		f.seq++
		post := slackPost{At: now, Instance: instance, Note: note, Code: code, Channel: dmOf(r.Form.Get("channel")),
			TS: fmt.Sprintf("%d.%06d", now.Unix(), f.seq%1000000), Metadata: r.Form.Get("metadata")}
		f.posts = append(f.posts, post)
		if code == http.StatusOK && note == "" {
			f.others = append(f.others, r.Form.Get("text")+r.Form.Get("blocks"))
		} else if code == http.StatusOK {
			f.accepted[note]++
			if f.firstPost.IsZero() {
				f.firstPost = now
			}
		}
		f.mu.Unlock()
		switch code {
		case http.StatusTooManyRequests:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(code)
		case http.StatusInternalServerError:
			w.WriteHeader(code)
		default:
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":%q}`, post.Channel, post.TS)
		}
	default:
		io.WriteString(w, `{"ok":true}`)
	}
}

// historyLocked is every post of note, with times from killed; f.mu is
// held.
func (f *fakeSlack) historyLocked(note string, killed time.Time) string {
	var b strings.Builder
	for _, p := range f.posts {
		if p.Note == note {
			fmt.Fprintf(&b, "\t%+8dms post by %s: %d\n", p.At.Sub(killed).Milliseconds(), p.Instance, p.Code)
		}
	}
	return b.String()
}

// acceptedSpanLocked is when note's first and last accepted posts came,
// and which instance made the last; f.mu is held.
func (f *fakeSlack) acceptedSpanLocked(note string) (first, last time.Time, by string) {
	for _, p := range f.posts {
		if p.Note == note && p.Code == http.StatusOK {
			if first.IsZero() {
				first = p.At
			}
			last, by = p.At, p.Instance
		}
	}
	return first, last, by
}

// lookedLocked reports whether instance had a look-up in channel answered
// between from and to; f.mu is held.
func (f *fakeSlack) lookedLocked(channel, instance string, from, to time.Time) bool {
	for _, l := range f.lookups {
		if l.Channel == channel && l.Instance == instance && l.At.After(from) && l.At.Before(to) {
			return true
		}
	}
	return false
}

// distinct is how many runs' notes were accepted at least once.
func (f *fakeSlack) distinct() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.accepted)
}

// firstAcceptedAfter is the first accepted post after at (zero if none).
func (f *fakeSlack) firstAcceptedAfter(at time.Time) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.posts {
		if p.Code == http.StatusOK && p.At.After(at) {
			return p.At
		}
	}
	return time.Time{}
}

// botProcess is one running copy of the binary.
type botProcess struct {
	t    *testing.T
	cmd  *exec.Cmd
	Addr string
	done chan struct{}

	mu    sync.Mutex
	lines []logLine
}

type logLine struct {
	At   time.Time
	Text string
}

// startBot runs the binary at bin with the given STRETCHBOT_* settings
// (and nothing else from this environment) and waits for its HTTP server.
// It is stopped with SIGTERM when the test ends, unless already killed.
func startBot(t *testing.T, bin string, env ...string) *botProcess {
	t.Helper()
	cmd := exec.Command(bin)
	cmd.Dir = t.TempDir()
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + cmd.Dir,
		"STRETCHBOT_HTTP_ADDR=127.0.0.1:0", "STRETCHBOT_MIN_INTERVAL=1s", "STRETCHBOT_LOG_FORMAT=text"}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &botProcess{t: t, cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	addrRE := regexp.MustCompile(`msg="http server listening" addr=(\S+)`)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, logLine{time.Now(), sc.Text()})
			p.mu.Unlock()
			if m := addrRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		select {
		case <-p.done:
		default:
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-p.done:
			case <-time.After(20 * time.Second):
				cmd.Process.Kill()
				<-p.done
				t.Errorf("pid %d did not stop within 20 s of SIGTERM", cmd.Process.Pid)
			}
		}
		if t.Failed() || testing.Verbose() && os.Getenv("STRETCHBOT_CHAOS_LOG") != "" {
			t.Logf("log of pid %d:\n%s", cmd.Process.Pid, p.log(0))
		}
	})
	select {
	case p.Addr = <-addr:
	case <-p.done:
		t.Fatalf("the binary exited at start:\n%s", p.log(0))
	case <-time.After(30 * time.Second):
		t.Fatalf("the binary did not listen within 30 s:\n%s", p.log(0))
	}
	return p
}

// Pid is the process id.
func (p *botProcess) Pid() int { return p.cmd.Process.Pid }

// Owner is the prefix of the name this process claims runs under (the
// engine's host-pid-random).
func (p *botProcess) Owner() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d-", host, p.Pid())
}

// kill ends the process with SIGKILL, as a crash would.
func (p *botProcess) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// log is the process's stderr from line from on.
func (p *botProcess) log(from int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var b strings.Builder
	for _, l := range p.lines[min(from, len(p.lines)):] {
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

// linesBetween counts the stderr lines written in [from, to].
func (p *botProcess) linesBetween(from, to time.Time) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, l := range p.lines {
		if !l.At.Before(from) && !l.At.After(to) {
			out = append(out, l.Text)
		}
	}
	return out
}

// cpu is the CPU time (user + system) the process has used, from
// /proc/<pid>/stat in clock ticks of 10 ms (USER_HZ is 100 on Linux).
func (p *botProcess) cpu(t *testing.T) time.Duration {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid()) + "/stat")
	if err != nil {
		t.Fatalf("reading the process's CPU time: %v", err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	// After the name: state, ppid, …; utime and stime are the 12th and 13th.
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func (p *botProcess) readyz() int {
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get("http://" + p.Addr + "/readyz")
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// slackBot is the settings for a binary serving Slack against the fake at
// api as instance name, on the database at url.
func slackBot(api, name, url string) []string {
	return []string{"STRETCHBOT_DATABASE_URL=" + url, "STRETCHBOT_SLACK_SIGNING_SECRET=" + slackSecret,
		"STRETCHBOT_SLACK_BOT_TOKEN=xoxb-chaos", "STRETCHBOT_SLACK_API_URL=" + api + "/" + name + "/api/"}
}

// slashForm is the slash command text sent by user.
func slashForm(user, text string) url.Values {
	return url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"},
		"user_id": {user}, "user_name": {strings.ToLower(user)}, "trigger_id": {"tr-" + user}}
}

var replyID = regexp.MustCompile(`#([a-z0-9]{3,8})\b`)

// openRun is an occurrence row as the test reads it from the database.
type openRun struct {
	Owner, State string
	// LeaseUntil, or with runTimes the run's own time.
	LeaseUntil time.Time
}

// occurrences reads every occurrence row (reminder → row) through db, a
// plain SQL connection to the binaries' database.
func occurrences(ctx context.Context, db *sql.DB) (map[string]openRun, error) {
	return occurrenceRows(ctx, db, "lease_until")
}

// runTimes is occurrences with each row's run time in place of its lease.
func runTimes(ctx context.Context, db *sql.DB) (map[string]openRun, error) {
	return occurrenceRows(ctx, db, "at")
}

func occurrenceRows(ctx context.Context, db *sql.DB, when string) (map[string]openRun, error) {
	rows, err := db.QueryContext(ctx, `SELECT reminder, owner, state, `+when+` FROM occurrences`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]openRun{}
	for rows.Next() {
		var id string
		var r openRun
		var lease int64
		if err := rows.Scan(&id, &r.Owner, &r.State, &lease); err != nil {
			return nil, err
		}
		r.LeaseUntil = time.Unix(0, lease)
		out[id] = r
	}
	return out, rows.Err()
}

// rowWatch polls the occurrences table and keeps each row's changes.
type rowWatch struct {
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	seen   map[string][]rowChange
}

type rowChange struct {
	At                      time.Time
	Owner, State, LastError string
	LeaseUntil              time.Time
	Attempts                int
	Unsure                  bool
}

// watchRows polls every 20 ms; owners names the instances by owner prefix.
func watchRows(ctx context.Context, t *testing.T, db *sql.DB, owners map[string]string) *rowWatch {
	ctx, cancel := context.WithCancel(ctx)
	w := &rowWatch{cancel: cancel, done: make(chan struct{}), seen: map[string][]rowChange{}}
	go func() {
		defer close(w.done)
		for ctx.Err() == nil {
			rows, err := db.QueryContext(ctx, `SELECT reminder, owner, state, lease_until, attempts, unsure, last_error FROM occurrences`)
			if err == nil {
				now := time.Now()
				for rows.Next() {
					var id string
					var c rowChange
					var lease int64
					if rows.Scan(&id, &c.Owner, &c.State, &lease, &c.Attempts, &c.Unsure, &c.LastError) != nil {
						continue
					}
					c.At, c.LeaseUntil = now, time.Unix(0, lease)
					for prefix, name := range owners {
						if strings.HasPrefix(c.Owner, prefix) {
							c.Owner = name
						}
					}
					w.mu.Lock()
					h := w.seen[id]
					if n := len(h); n == 0 || h[n-1].Owner != c.Owner || h[n-1].State != c.State ||
						!h[n-1].LeaseUntil.Equal(c.LeaseUntil) || h[n-1].Attempts != c.Attempts || h[n-1].Unsure != c.Unsure {
						w.seen[id] = append(h, c)
					}
					w.mu.Unlock()
				}
				rows.Close()
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return w
}

func (w *rowWatch) stop() { w.cancel(); <-w.done }

// retriedUnsure reports whether id's row was seen waiting for a retry
// marked unsure: an attempt whose answer never came.
func (w *rowWatch) retriedUnsure(id string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	// A retry keeps the attempt's count (a takeover adds one and sets
	// unsure whatever came before) and names the failure.
	h := w.seen[id]
	for i := 1; i < len(h); i++ {
		c := h[i]
		if c.State == string(bot.Claimed) && c.Unsure && c.Attempts == h[i-1].Attempts && c.LastError != "" &&
			c.LastError != "posted; recording" {
			return true
		}
	}
	return false
}

func (w *rowWatch) history(id string, killed time.Time) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var b strings.Builder
	for _, c := range w.seen[id] {
		fmt.Fprintf(&b, "\t%+8dms row: %s by %s, lease to %+dms, attempts %d, unsure %v, %q\n", c.At.Sub(killed).Milliseconds(),
			c.State, c.Owner, c.LeaseUntil.Sub(killed).Milliseconds(), c.Attempts, c.Unsure, c.LastError)
	}
	return b.String()
}

func isOpen(state string) bool {
	return state == string(bot.Pending) || state == string(bot.Claimed)
}

// twoInstancesAndAKill runs two binaries on the database at dbURL (read by
// the test through driver and dsn) against a faulty Slack, creates n
// reminders due within seconds through signed slash commands, kills one
// instance with SIGKILL in the middle of the burst and checks that nothing
// is lost, that only what the killed instance had in flight, or a post
// whose answer the bot gave up on, may arrive twice (and then only when no
// look-up for it could be made: Slack rate limits them), and that the
// other instance takes over its claims within a second of their lease's
// end. First, a signed command accepted by one instance
// is replayed to the other, which must refuse it.
func twoInstancesAndAKill(t *testing.T, bin, dbURL, driver, dsn string, n int) {
	ctx := context.Background()
	began := time.Now()
	fake := newFakeSlack(true)
	api := httptest.NewServer(fake)
	defer api.Close()
	lease := "STRETCHBOT_LEASE=" + chaosLease.String()
	a := startBot(t, bin, append(slackBot(api.URL, "a", dbURL), lease)...)
	b := startBot(t, bin, append(slackBot(api.URL, "b", dbURL), lease)...)
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// The same signed request, sent to A and then replayed to B.
	replay := slashForm("UREPLAY", "remind me in 2 hours to replay")
	now := time.Now()
	if code, body, err := postSlackTo(a.Addr, "/slack/commands", replay, now); err != nil || code != http.StatusOK {
		t.Fatalf("slash command to A: %d %s %v", code, body, err)
	}
	if code, _, err := postSlackTo(b.Addr, "/slack/commands", replay, now); err != nil || code != http.StatusUnauthorized {
		t.Errorf("the same request replayed to B: %d %v, want 401", code, err)
	}
	var replays int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM reminders WHERE owner = 'UREPLAY'`).Scan(&replays); err != nil {
		t.Fatal(err)
	}
	if replays != 1 {
		t.Errorf("%d reminders after a replay, want 1", replays)
	}

	// n reminders, each its own user's (so each its own DM, which Slack
	// paces apart), half through each instance, eight requests at a time.
	ids := make([]string, n)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var failMu sync.Mutex
	var failures []string
	created := time.Now()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				to := []*botProcess{a, b}[i%2]
				form := slashForm(fmt.Sprintf("U%04d", i), fmt.Sprintf("remind me in 6 seconds to chaos%04d", i))
				code, body, err := postSlackTo(to.Addr, "/slack/commands", form, time.Now())
				m := replyID.FindSubmatch(body)
				if err != nil || code != http.StatusOK || m == nil {
					failMu.Lock()
					failures = append(failures, fmt.Sprintf("chaos%04d: %d %s %v", i, code, body, err))
					failMu.Unlock()
					continue
				}
				ids[i] = string(m[1])
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d slash commands failed, first: %s", len(failures), failures[0])
	}
	t.Logf("booted in %v; created %d reminders in %v", created.Sub(began).Round(time.Millisecond), n, time.Since(created).Round(time.Millisecond))
	byID := map[string]string{}
	for i, id := range ids {
		byID[id] = fmt.Sprintf("chaos%04d", i)
	}

	// Every change to an occurrence row, for the account of a run
	// delivered twice.
	watch := watchRows(ctx, t, db, map[string]string{a.Owner(): "a", b.Owner(): "b"})
	defer watch.stop()

	// Kill A half-way through the burst.
	deadline := time.Now().Add(60 * time.Second)
	for fake.distinct() < n/2 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d delivered within 60 s", fake.distinct(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	killed := time.Now()
	a.kill()
	atKill := fake.distinct()
	// A transaction A sent just before it died may still commit; look
	// at its claims a moment later.
	time.Sleep(100 * time.Millisecond)
	rows, err := occurrences(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	inFlight := map[string]openRun{} // A's claims not recorded delivered
	for id, r := range rows {
		if strings.HasPrefix(r.Owner, a.Owner()) && isOpen(r.State) {
			inFlight[id] = r
		}
	}

	// Follow the takeover of A's claims and the rest of the burst. Each
	// claim B takes over may have been posted: it is delivered only after
	// a look-up (and, in a DM B never posted to, conversations.open),
	// which the bot paces at Slack's Tier 3, some 50 a minute.
	takenOver := map[string]time.Duration{}
	lookups := time.Duration(len(inFlight)) * 1300 * time.Millisecond
	for {
		if time.Now().After(deadline.Add(30*time.Second + lookups)) {
			t.Errorf("gave up waiting: %d of %d delivered, %d of %d claims taken over", fake.distinct(), n, len(takenOver), len(inFlight))
			break
		}
		rows, err := occurrences(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		seen := time.Since(killed)
		for id := range inFlight {
			r := rows[id]
			if _, done := takenOver[id]; !done && (!strings.HasPrefix(r.Owner, a.Owner()) || !isOpen(r.State)) {
				takenOver[id] = seen
			}
		}
		if len(takenOver) == len(inFlight) && fake.distinct() == n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("all delivered %v after the kill", time.Since(killed).Round(time.Millisecond))
	// Anything B still had to repeat would have arrived by now.
	time.Sleep(time.Second)

	var worst, worstPastLease time.Duration
	for id, r := range inFlight {
		d, ok := takenOver[id]
		if !ok {
			continue
		}
		worst = max(worst, d)
		worstPastLease = max(worstPastLease, d-r.LeaseUntil.Sub(killed))
		// A claim's lease ends chaosLease after A took it; a run A had
		// queued for a retry is open from its retry time.
		limit := max(chaosLease, r.LeaseUntil.Sub(killed)) + time.Second
		if d > limit {
			t.Errorf("#%s (%s) taken over %v after the kill, later than its lease's end + 1 s (%v)", id, byID[id], d.Round(time.Millisecond), limit.Round(time.Millisecond))
		}
	}

	fake.mu.Lock()
	defer fake.mu.Unlock()
	fromA := map[string]bool{}
	codes := map[int]int{}
	for _, p := range fake.posts {
		codes[p.Code]++
		if p.Instance == "a" && p.Code == http.StatusOK {
			fromA[p.Note] = true
		}
	}
	lost, doubles, unverified := 0, 0, 0
	for id, note := range byID {
		switch c := fake.accepted[note]; {
		case c == 0:
			lost++
			t.Errorf("#%s (%s) never delivered", id, note)
		case c > 1:
			doubles++
			// A run posted again although a look-up answered after
			// its first post (which it shows) is a repeat no crash or
			// lost answer explains.
			first, last, by := fake.acceptedSpanLocked(note)
			looked := fake.lookedLocked("DU"+strings.TrimPrefix(note, "chaos"), by, first, last)
			_, crash := inFlight[id]
			crash = crash && fromA[note]
			// An attempt whose answer was lost (the bot gave up
			// waiting, as a starved process may) is retried unsure;
			// its retry looks first, posts nothing while the look-up
			// cannot be made (Slack's rate limit on it), and posts again
			// only if Slack took the lost post after the look-up.
			lostAnswer := watch.retriedUnsure(id)
			if lostAnswer && !crash {
				unverified++
			}
			if c > 2 || looked || !crash && !lostAnswer {
				t.Errorf("#%s (%s) delivered %d times, outside the killed instance's crash window and not after a lost answer"+
					" (or after a look-up that found it: %v):\n%s", id, note, c, looked,
					fake.historyLocked(note, killed)+watch.history(id, killed))
			}
		}
	}
	t.Logf("%d runs: %d delivered when A was killed; %d lost, %d delivered twice, %d of them after an answer lost, not in A's crash window"+
		" (A had %d claims open at the kill); "+
		"A's claims taken over at most %v after the kill (lease %v), at most %v after their lease ended; posts: %d accepted, %d refused 429, %d refused 500; "+
		"look-ups: %d answered, %d refused 429",
		n, atKill, lost, doubles, unverified, len(inFlight), worst.Round(time.Millisecond), chaosLease, worstPastLease.Round(time.Millisecond),
		codes[http.StatusOK], codes[http.StatusTooManyRequests], codes[http.StatusInternalServerError], len(fake.lookups), fake.lookups429)
	for _, text := range fake.others {
		t.Errorf("a post that is no run's delivery: %q", text)
	}
}

// pausedByTheOther runs two binaries on one SQLite file, creates n
// reminders due within seconds and, as soon as one process has claimed a
// run ahead of its time, pauses its reminder through the other process.
// The process holding the claim hears of the pause through the file's
// change log: no run goes out, and every claimed occurrence is closed.
func pausedByTheOther(t *testing.T, bin string) {
	const n = 10
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	fake := newFakeSlack(false)
	api := httptest.NewServer(fake)
	defer api.Close()
	a := startBot(t, bin, slackBot(api.URL, "a", "sqlite://"+path)...)
	b := startBot(t, bin, slackBot(api.URL, "b", "sqlite://"+path)...)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	user := func(i int) string { return fmt.Sprintf("ULAST%02d", i) }
	byID := map[string]int{}
	for i := range n {
		to := []*botProcess{a, b}[i%2]
		form := slashForm(user(i), fmt.Sprintf("remind me in 4 seconds to chaos%04d", 9000+i))
		code, body, err := postSlackTo(to.Addr, "/slack/commands", form, time.Now())
		m := replyID.FindSubmatch(body)
		if err != nil || code != http.StatusOK || m == nil {
			t.Fatalf("creating chaos%04d: %d %s %v", 9000+i, code, body, err)
		}
		byID[string(m[1])] = i
	}

	// Each run, once claimed, is paused through the process that did not
	// claim it, by its owner.
	ahead := map[string]time.Duration{} // how long before its time each pause was sent
	var wg sync.WaitGroup
	errs := make(chan string, n)
	deadline := time.Now().Add(15 * time.Second)
	for len(ahead) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d runs claimed within 15 s", len(ahead), n)
		}
		rows, err := runTimes(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		for id, r := range rows {
			i, ours := byID[id]
			if _, done := ahead[id]; !ours || done || r.State != string(bot.Claimed) {
				continue
			}
			other := a
			if strings.HasPrefix(r.Owner, a.Owner()) {
				other = b
			}
			ahead[id] = time.Until(r.LeaseUntil).Round(time.Millisecond) // the run's time
			wg.Add(1)
			go func() {
				defer wg.Done()
				code, body, err := postSlackTo(other.Addr, "/slack/commands", slashForm(user(i), "pause #"+id), time.Now())
				if err != nil || code != http.StatusOK || !strings.Contains(string(body), "aused") {
					errs <- fmt.Sprintf("pause #%s: %d %s %v", id, code, body, err)
				}
			}()
		}
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// Every run's time has passed, and a run let through would be posted.
	time.Sleep(3 * time.Second)
	rows, err := occurrences(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for id, i := range byID {
		if r := rows[id]; isOpen(r.State) {
			t.Errorf("#%s (chaos%04d) still %s after its pause", id, 9000+i, r.State)
		}
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for _, p := range fake.posts {
		t.Errorf("%s posted by %s although paused after its claim", p.Note, p.Instance)
	}
	t.Logf("%d runs paused through the other process after their claim, this long before their time: %v", n, ahead)
}

// pgProxy forwards TCP connections to PostgreSQL until cut: then it closes
// every connection and closes each new one at once, until restored.
type pgProxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]bool
}

func newPGProxy(t *testing.T, target string) *pgProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &pgProxy{ln: ln, target: target, conns: map[net.Conn]bool{}}
	t.Cleanup(func() { ln.Close(); p.setCut(true) })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go p.forward(c)
		}
	}()
	return p
}

func (p *pgProxy) forward(c net.Conn) {
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.conns[c] = true
	p.mu.Unlock()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	if p.cut {
		p.mu.Unlock()
		c.Close()
		up.Close()
		return
	}
	p.conns[up] = true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

func (p *pgProxy) setCut(cut bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = cut
	if cut {
		for c := range p.conns {
			c.Close()
		}
	}
}

// outage is how long the database stays away in databaseOutage.
const outage = 20 * time.Second

// databaseOutage runs one binary whose connection to PostgreSQL goes
// through a proxy, lets a burst of runs start, cuts the proxy for outage
// while the rest falls due, and checks that the process waits cheaply and
// quietly, says it is not ready, resumes at once when the database is
// back, and delivers everything exactly once.
func databaseOutage(t *testing.T, bin string) {
	ctx := context.Background()
	direct := pgtest.Schema(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	proxy := newPGProxy(t, u.Host)
	viaProxy := *u
	viaProxy.Host = proxy.ln.Addr().String()

	// The runs are seeded straight into the store: a thousand slash
	// commands would take longer than the burst they make.
	seed, err := postgres.Open(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	defer seed.Close()
	const n = 1200
	first := time.Now().Add(8 * time.Second).Truncate(time.Millisecond)
	p := when.Parser{MinInterval: time.Second}
	jobs := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				at := first.Add(time.Duration(i) * 4 * time.Millisecond) // over 4.8 s
				rule, err := p.Parse("in 1 hour", time.UTC, at.Add(-time.Hour))
				if err != nil {
					errs <- err
					continue
				}
				errs <- seed.CreateReminder(ctx, bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("ox%04d", i)), Tenant: "T1",
					Platform: bot.Slack, Kind: bot.Personal, Owner: bot.UserID(fmt.Sprintf("U%04d", i)), Channel: "C1",
					Rule: rule.Spec(), Zone: "UTC", Note: fmt.Sprintf("chaos%04d", i), NextRun: at, CreatedAt: at.Add(-time.Hour)})
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seeded %d runs in %v", n, time.Until(first.Add(-8*time.Second)).Abs().Round(time.Millisecond))

	fake := newFakeSlack(false)
	api := httptest.NewServer(fake)
	defer api.Close()
	proc := startBot(t, bin, slackBot(api.URL, "a", viaProxy.String())...)
	if code := proc.readyz(); code != http.StatusOK {
		t.Fatalf("/readyz = %d before the outage, want 200", code)
	}

	// Cut the database off a fifth into the burst, by the clock: the runs
	// due more than a claim's lead after the cut cannot have been claimed,
	// so a backlog waits for the database however far the deliveries trail
	// their claims. Timed by what the fake had taken (a fifth of the runs),
	// the cut came 4.5 s into the 4.8 s burst on a loaded machine (the race
	// detector, the other scenarios beside it): the bot had claimed
	// nearly every run, delivered them all during the outage, and had none
	// left to resume with.
	time.Sleep(time.Until(first.Add(time.Duration(n) * 4 * time.Millisecond / 5)))
	proxy.setCut(true)
	cut := time.Now()
	cpuBefore := proc.cpu(t)
	atCut := fake.distinct()
	var ready []int
	for _, at := range []time.Duration{outage / 5, outage / 2, outage * 4 / 5} {
		time.Sleep(time.Until(cut.Add(at)))
		ready = append(ready, proc.readyz())
	}
	time.Sleep(time.Until(cut.Add(outage)))
	cpuUsed := proc.cpu(t) - cpuBefore
	restored := time.Now()
	proxy.setCut(false)
	span := restored.Sub(cut)
	duringOutage := fake.distinct()
	lines := proc.linesBetween(cut, restored)

	for fake.distinct() < n && time.Now().Before(restored.Add(60*time.Second)) {
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("all delivered %v after the database came back", time.Since(restored).Round(time.Millisecond))
	time.Sleep(time.Second) // a repeat would have come by now
	resumed := fake.firstAcceptedAfter(restored)

	cpuShare := float64(cpuUsed) / float64(span)
	perMinute := float64(len(lines)) * float64(time.Minute) / float64(span)
	t.Logf("%d runs; %d delivered at the cut, %d by its end; outage %v: CPU %v (%.1f %%), %d log lines (%.1f a minute), /readyz %v; "+
		"first delivery %v after the database came back",
		n, atCut, duringOutage, span.Round(time.Millisecond), cpuUsed, 100*cpuShare, len(lines), perMinute, ready,
		resumed.Sub(restored).Round(time.Millisecond))
	if cpuShare >= 0.10 {
		t.Errorf("CPU during the outage %.1f %%, want < 10 %%", 100*cpuShare)
	}
	if perMinute >= 10 {
		t.Errorf("%d log lines in %v of outage, want fewer than 10 a minute:\n%s", len(lines), span.Round(time.Second), strings.Join(lines, "\n"))
	}
	for i, code := range ready {
		if code != http.StatusServiceUnavailable {
			t.Errorf("/readyz check %d during the outage = %d, want 503", i+1, code)
		}
	}
	if atCut >= n {
		t.Errorf("the burst was over before the cut; no backlog")
	}
	if resumed.IsZero() || resumed.Sub(restored) > 2*time.Second {
		t.Errorf("delivery resumed %v after the database came back, want within 2 s", resumed.Sub(restored))
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	for i := range n {
		note := fmt.Sprintf("chaos%04d", i)
		if c := fake.accepted[note]; c != 1 {
			t.Errorf("ox%04d (%s) delivered %d times, want once", i, note, c)
		}
	}
	if code := proc.readyz(); code != http.StatusOK {
		t.Errorf("/readyz = %d after the outage, want 200", code)
	}
}
