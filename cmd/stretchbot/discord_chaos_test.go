package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule/when"
)

// chaosNonceWindow is how long the fake Discord answers a post repeating
// an enforced nonce with the message that nonce created: Discord keeps
// nonces "a few minutes".
const chaosNonceWindow = 3 * time.Minute

// chaosBotID is the bot's user id at the fake Discord.
const chaosBotID = "B0T"

// chaosDiscord is a Discord REST API for several instances: each one's
// API URL is /<instance>, which the adapter keeps in front of every path,
// so every call says who made it. Every reminder has a channel of its own
// (a DM opened by POST /users/@me/channels, or a team break's channel), so
// a channel's messages are its run's deliveries.
//
// It refuses 15 % of posts with 429 (retry_after 1 s) and 10 % with a 500
// (once a channel, to bound the test's length), 10 % of DM opens and 25 %
// of message listings with 429. A post repeating an enforced nonce within
// chaosNonceWindow is answered with the first message, as Discord does.
// In the channels of lose, the first post taken loses its answer: the
// connection is closed once the message is stored, the hang-up after which
// the bot cannot know whether it was posted.
type chaosDiscord struct {
	lose map[string]bool

	mu      sync.Mutex
	rng     *rand.Rand
	seq     int64
	msgs    map[string][]chaosMessage // channel → the bot's messages, oldest first
	posts   []chaosPost
	lookups []slackLookup // answered listings (the type serves both fakes)
	got500  map[string]bool
	lostAt  map[string]time.Time // channel → when its answer was lost
	refused struct{ posts429, posts500, lookups, dms int }
	// firstTaken is when the first run was posted.
	firstTaken time.Time
	unknown    []string
}

// chaosMessage is a message the fake holds, in Discord's shape.
type chaosMessage struct {
	ID         string          `json:"id"`
	ChannelID  string          `json:"channel_id"`
	Timestamp  string          `json:"timestamp"`
	Author     map[string]any  `json:"author"`
	Content    string          `json:"content"`
	Embeds     json.RawMessage `json:"embeds,omitempty"`
	Components json.RawMessage `json:"components,omitempty"`
	nonce      string
	at         time.Time
	instance   string
}

// chaosPost is one POST /channels/{id}/messages and what became of it:
// "taken", "lost" (taken, answer lost), "nonce" (answered with the
// message an earlier post made), "429", "500".
type chaosPost struct {
	At                time.Time
	Instance, Channel string
	Outcome           string
}

func newChaosDiscord(lose map[string]bool) *chaosDiscord {
	return &chaosDiscord{lose: lose, rng: rand.New(rand.NewPCG(3, 5)), msgs: map[string][]chaosMessage{},
		got500: map[string]bool{}, lostAt: map[string]time.Time{}}
}

func (f *chaosDiscord) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	instance, path, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	path = strings.TrimPrefix("/"+path, "/api/v10")
	body, err := io.ReadAll(r.Body)
	if err != nil {
		// A body cut short (the bot died mid-request) is no call.
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bot chaos-token" {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"message":"401: Unauthorized","code":0}`)
		return
	}
	refuse := func(pct int, count *int) bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.rng.IntN(100) >= pct {
			return false
		}
		*count++
		return true
	}
	tooMany := func() {
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message":"You are being rate limited.","retry_after":1,"global":false}`)
	}
	channel, rest, _ := strings.Cut(strings.TrimPrefix(path, "/channels/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/users/@me":
		fmt.Fprintf(w, `{"id":%q,"username":"stretchbot","bot":true}`, chaosBotID)
	case r.Method == http.MethodPost && path == "/users/@me/channels":
		var in struct {
			Recipient string `json:"recipient_id"`
		}
		if json.Unmarshal(body, &in) != nil || in.Recipient == "" {
			http.Error(w, `{"message":"bad recipient","code":50035}`, http.StatusBadRequest)
			return
		}
		if refuse(10, &f.refused.dms) {
			tooMany()
			return
		}
		fmt.Fprintf(w, `{"id":%q,"type":1}`, "DM"+in.Recipient)
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/channels/") && rest == "messages":
		if refuse(25, &f.refused.lookups) {
			tooMany()
			return
		}
		json.NewEncoder(w).Encode(f.list(instance, channel, r.URL.Query()))
	case r.Method == http.MethodGet && strings.HasPrefix(path, "/channels/") && rest == "":
		f.mu.Lock()
		last, guild := "", ""
		if ms := f.msgs[channel]; len(ms) > 0 {
			last = ms[len(ms)-1].ID
		}
		if !strings.HasPrefix(channel, "DM") {
			guild = "G1"
		}
		f.mu.Unlock()
		fmt.Fprintf(w, `{"id":%q,"guild_id":%q,"last_message_id":%q}`, channel, guild, last)
	case r.Method == http.MethodPost && strings.HasPrefix(path, "/channels/") && rest == "messages":
		f.post(w, instance, channel, body)
	default:
		f.mu.Lock()
		f.unknown = append(f.unknown, r.Method+" "+path)
		f.mu.Unlock()
		io.WriteString(w, `{}`)
	}
}

// post answers POST /channels/{channel}/messages.
func (f *chaosDiscord) post(w http.ResponseWriter, instance, channel string, body []byte) {
	var in struct {
		Content      string          `json:"content"`
		Embeds       json.RawMessage `json:"embeds"`
		Components   json.RawMessage `json:"components"`
		Nonce        string          `json:"nonce"`
		EnforceNonce bool            `json:"enforce_nonce"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, `{"message":"Invalid Form Body","code":50035}`, http.StatusBadRequest)
		return
	}
	now := time.Now()
	f.mu.Lock()
	outcome := "taken"
	switch x := f.rng.IntN(100); {
	case x < 15:
		outcome = "429"
		f.refused.posts429++
	case x < 25 && !f.got500[channel]:
		outcome = "500"
		f.got500[channel] = true
		f.refused.posts500++
	}
	var m chaosMessage
	if outcome == "taken" && in.EnforceNonce && in.Nonce != "" {
		for _, old := range f.msgs[channel] {
			if old.nonce == in.Nonce && now.Sub(old.at) < chaosNonceWindow {
				m, outcome = old, "nonce"
			}
		}
	}
	if outcome == "taken" {
		f.seq++
		m = chaosMessage{ID: strconv.FormatInt((now.UnixMilli()-1420070400000)<<22+f.seq%4096, 10), ChannelID: channel,
			Timestamp: now.UTC().Format(time.RFC3339Nano), Author: map[string]any{"id": chaosBotID, "bot": true},
			Content: in.Content, Embeds: in.Embeds, Components: in.Components, nonce: in.Nonce, at: now, instance: instance}
		f.msgs[channel] = append(f.msgs[channel], m)
		if f.firstTaken.IsZero() {
			f.firstTaken = now
		}
		if _, done := f.lostAt[channel]; f.lose[channel] && !done {
			f.lostAt[channel] = now
			outcome = "lost"
		}
	}
	f.posts = append(f.posts, chaosPost{At: now, Instance: instance, Channel: channel, Outcome: outcome})
	f.mu.Unlock()
	switch outcome {
	case "429":
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message":"You are being rate limited.","retry_after":1,"global":false}`)
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `{"message":"500: Internal Server Error","code":0}`)
	case "lost":
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	default:
		json.NewEncoder(w).Encode(m)
	}
}

// list answers GET /channels/{channel}/messages?after=&limit= as Discord
// does: the oldest limit messages after the id, newest first.
func (f *chaosDiscord) list(instance, channel string, q url.Values) []chaosMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups = append(f.lookups, slackLookup{At: time.Now(), Instance: instance, Channel: channel})
	after, _ := strconv.ParseUint(q.Get("after"), 10, 64)
	limit, err := strconv.Atoi(q.Get("limit"))
	if err != nil || limit < 1 || limit > 100 {
		limit = 50
	}
	out := []chaosMessage{}
	for _, m := range f.msgs[channel] {
		if id, _ := strconv.ParseUint(m.ID, 10, 64); id > after && len(out) < limit {
			out = append(out, m)
		}
	}
	slices.Reverse(out)
	return out
}

// distinct is how many channels hold a delivery.
func (f *chaosDiscord) distinct() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.msgs)
}

// holding is how many of channels hold a delivery.
func (f *chaosDiscord) holding(channels []string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range channels {
		if len(f.msgs[c]) > 0 {
			n++
		}
	}
	return n
}

// historyLocked is every post to channel, with times from killed; f.mu
// is held.
func (f *chaosDiscord) historyLocked(channel string, killed time.Time) string {
	var b strings.Builder
	for _, p := range f.posts {
		if p.Channel == channel {
			fmt.Fprintf(&b, "\t%+8dms post by %s: %s\n", p.At.Sub(killed).Milliseconds(), p.Instance, p.Outcome)
		}
	}
	return b.String()
}

// lookedLocked reports whether instance had a listing of channel answered
// between from and to; f.mu is held.
func (f *chaosDiscord) lookedLocked(channel, instance string, from, to time.Time) bool {
	for _, l := range f.lookups {
		if l.Channel == channel && (instance == "" || l.Instance == instance) && l.At.After(from) && l.At.Before(to) {
			return true
		}
	}
	return false
}

// discordBot is the settings for a binary serving Discord (REST only,
// no gateway) against the fake at api as instance name, on the database
// at url.
func discordBot(api, name, url string) []string {
	return []string{"STRETCHBOT_DATABASE_URL=" + url, "STRETCHBOT_DISCORD_TOKEN=chaos-token",
		"STRETCHBOT_DISCORD_API_URL=" + api + "/" + name, "STRETCHBOT_DISCORD_GATEWAY=false",
		"STRETCHBOT_LEASE=" + chaosLease.String()}
}

// reminderCreator is the part of a store the seeding uses.
type reminderCreator interface {
	CreateReminder(context.Context, bot.Reminder) error
}

// discordTwoInstancesAndAKill is twoInstancesAndAKill on Discord: late
// runs (due past the nonce's trust, so that an unsure attempt looks for its
// earlier post) and a burst of n on-time runs, personal ones by DM and
// team breaks each in a channel of its own, seeded through st; two
// binaries on the database at dbURL (read by the test through driver and
// dsn) against a faulty Discord, one killed with SIGKILL half-way through
// the burst. Nothing may be lost, nothing repeated outside the killed
// instance's crash window, and no lost answer may lead to a second
// message: the nonce (on time) or the look-up (late) catches it.
func discordTwoInstancesAndAKill(t *testing.T, bin string, st reminderCreator, dbURL, driver, dsn string, n int) {
	ctx := context.Background()
	// Reminders 0..late-1 fell due three minutes ago (past nonceTrust,
	// within the catch-up window) and are seeded before the binaries
	// start; late..late+n-1 fall due over 3 s from first; the last late
	// are seeded three minutes late in the middle of the burst, just
	// before the kill, so that some are in the killed instance's crash
	// window, where only a look-up can tell they were posted.
	const late = 12
	total := late + n + late
	now := time.Now()
	first := now.Add(8 * time.Second).Truncate(time.Millisecond)
	p := when.Parser{MinInterval: time.Second}
	byID := map[string]string{} // reminder id → its channel
	lose := map[string]bool{}
	lateChannel := map[string]bool{}
	reminders := make([]bot.Reminder, total)
	for i := range total {
		r := bot.Reminder{ID: bot.ReminderID(fmt.Sprintf("dx%04d", i)), Tenant: "G1", Platform: bot.Discord,
			Kind: bot.Personal, Owner: bot.UserID(fmt.Sprintf("%04d", i)), Zone: "UTC", Note: fmt.Sprintf("chaos%04d", i)}
		channel := "DM" + string(r.Owner)
		if i%3 == 2 {
			r.Kind, r.Channel = bot.ChannelSchedule, bot.ChannelID(fmt.Sprintf("C%04d", i))
			channel = string(r.Channel)
		}
		reminders[i] = r
		byID[string(r.ID)] = channel
		lose[channel] = i%5 == 1
		lateChannel[channel] = i < late || i >= late+n
	}
	seed := func(i int, at time.Time) {
		at = at.Truncate(time.Millisecond)
		rule, err := p.Parse("in 1 hour", time.UTC, at.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		r := reminders[i]
		r.Rule, r.NextRun, r.CreatedAt = rule.Spec(), at, at.Add(-time.Hour)
		if err := st.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range late + n {
		if i < late {
			seed(i, now.Add(-3*time.Minute+time.Duration(i)*time.Millisecond))
		} else {
			seed(i, first.Add(time.Duration(i-late)*3*time.Second/time.Duration(n)))
		}
	}

	fake := newChaosDiscord(lose)
	api := httptest.NewServer(fake)
	defer api.Close()
	a := startBot(t, bin, discordBot(api.URL, "a", dbURL)...)
	b := startBot(t, bin, discordBot(api.URL, "b", dbURL)...)
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	watch := watchRows(ctx, t, db, map[string]string{a.Owner(): "a", b.Owner(): "b"})
	defer watch.stop()

	// Kill A half-way through the burst.
	deadline := time.Now().Add(60 * time.Second)
	for fake.distinct() < late+n/2 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d delivered within 60 s", fake.distinct(), total)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The second late batch, then the kill once a few of it are posted.
	for i := late + n; i < total; i++ {
		seed(i, time.Now().Add(-3*time.Minute))
	}
	var batch []string
	for i := late + n; i < total; i++ {
		batch = append(batch, byID[string(reminders[i].ID)])
	}
	for fake.holding(batch) < late/3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	killed := time.Now()
	a.kill()
	atKill := fake.distinct()
	time.Sleep(100 * time.Millisecond) // A's last transaction may still commit
	rows, err := occurrences(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	inFlight := map[string]openRun{}
	for id, r := range rows {
		if strings.HasPrefix(r.Owner, a.Owner()) && isOpen(r.State) {
			inFlight[id] = r
		}
	}

	// Follow the takeover of A's claims and the rest of the burst; a run
	// whose answer was lost comes back after the retry backoff (5 s).
	takenOver := map[string]time.Duration{}
	for {
		if time.Now().After(deadline.Add(30 * time.Second)) {
			t.Errorf("gave up waiting: %d of %d delivered, %d of %d claims taken over", fake.distinct(), total, len(takenOver), len(inFlight))
			break
		}
		rows, err := occurrences(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		seen := time.Since(killed)
		open := 0
		for id, r := range rows {
			if _, ours := byID[id]; ours && isOpen(r.State) {
				open++
			}
		}
		for id := range inFlight {
			r := rows[id]
			if _, done := takenOver[id]; !done && (!strings.HasPrefix(r.Owner, a.Owner()) || !isOpen(r.State)) {
				takenOver[id] = seen
			}
		}
		// Every run delivered and recorded: no retry is still to come.
		if len(takenOver) == len(inFlight) && fake.distinct() == total && open == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("all delivered and recorded %v after the kill", time.Since(killed).Round(time.Millisecond))
	time.Sleep(time.Second) // a repeat would have come by now

	var worst time.Duration
	for id, r := range inFlight {
		d, ok := takenOver[id]
		if !ok {
			continue
		}
		worst = max(worst, d)
		limit := max(chaosLease, r.LeaseUntil.Sub(killed)) + time.Second
		if d > limit {
			t.Errorf("#%s (%s) taken over %v after the kill, later than its lease's end + 1 s (%v)", id, byID[id], d.Round(time.Millisecond), limit.Round(time.Millisecond))
		}
	}

	fake.mu.Lock()
	defer fake.mu.Unlock()
	outcomes := map[string]int{}
	fromA := map[string]bool{}
	for _, p := range fake.posts {
		outcomes[p.Outcome]++
		if p.Instance == "a" && (p.Outcome == "taken" || p.Outcome == "lost") {
			fromA[p.Channel] = true
		}
	}
	lost, doubles, byNonce, byLookup, crashNonce, crashLookup := 0, 0, 0, 0, 0, 0
	for id, channel := range byID {
		msgs := fake.msgs[channel]
		_, crash := inFlight[id]
		crash = crash && fromA[channel]
		switch c := len(msgs); {
		case c == 0:
			lost++
			t.Errorf("#%s (%s) never delivered", id, channel)
		case c > 1:
			doubles++
			// Allowed only in A's crash window, and never after a
			// look-up that would have found the first.
			looked := fake.lookedLocked(channel, msgs[c-1].instance, msgs[0].at, msgs[c-1].at)
			if c > 2 || looked || !crash {
				t.Errorf("#%s (%s) delivered %d times, outside the killed instance's crash window (or after a look-up: %v):\n%s",
					id, channel, c, looked, fake.historyLocked(channel, killed)+watch.history(id, killed))
			}
		}
		if crash {
			// B, taking the run over, posted it again and was answered
			// with A's message (on time), or found A's by a look-up.
			for _, p := range fake.posts {
				if p.Channel == channel && p.Instance == "b" && p.Outcome == "nonce" {
					crashNonce++
					break
				}
			}
			if fake.lookedLocked(channel, "b", killed, time.Now()) {
				crashLookup++
			}
		}
		// A lost answer is caught by the nonce (a later post answered
		// with the first message) or by a look-up after it.
		lostAt, wasLost := fake.lostAt[channel]
		if !wasLost {
			continue
		}
		nonce := false
		for _, p := range fake.posts {
			nonce = nonce || p.Channel == channel && p.Outcome == "nonce" && p.At.After(lostAt)
		}
		looked := fake.lookedLocked(channel, "", lostAt, time.Now())
		switch {
		case len(msgs) > 1:
			t.Errorf("#%s (%s): an answer lost, and %d messages:\n%s", id, channel, len(msgs),
				fake.historyLocked(channel, killed)+watch.history(id, killed))
		case nonce:
			byNonce++
		case looked:
			byLookup++
		default:
			t.Errorf("#%s (%s): an answer lost, and neither a post with its nonce nor a look-up after it:\n%s", id, channel,
				fake.historyLocked(channel, killed)+watch.history(id, killed))
		}
		if lateChannel[channel] && !looked {
			t.Errorf("#%s (%s), due 3 minutes before: its answer lost, and no look-up after", id, channel)
		}
	}
	if byNonce == 0 || byLookup == 0 {
		t.Errorf("lost answers caught by the nonce %d times, by a look-up %d times; want both", byNonce, byLookup)
	}
	t.Logf("%d runs (%d late): %d delivered when A was killed (A had %d claims open, taken over at most %v after the kill, lease %v);"+
		" %d lost, %d delivered twice; %d answers lost, caught %d by the nonce and %d by a look-up; of A's claims it had posted, B's repeat answered by the nonce %d times, found by a look-up %d times;"+
		" posts: %d taken, %d answers lost, %d nonce repeats, %d refused 429, %d refused 500; look-ups: %d answered, %d refused; DM opens refused: %d",
		total, 2*late, atKill, len(inFlight), worst.Round(time.Millisecond), chaosLease, lost, doubles, len(fake.lostAt), byNonce, byLookup, crashNonce, crashLookup,
		outcomes["taken"], outcomes["lost"], outcomes["nonce"], outcomes["429"], outcomes["500"], len(fake.lookups), fake.refused.lookups, fake.refused.dms)
	for ch := range fake.msgs {
		if !slices.Contains(mapsValues(byID), ch) {
			t.Errorf("a message in %s, no run's channel", ch)
		}
	}
	for _, u := range fake.unknown {
		t.Errorf("a call the fake Discord does not serve: %s", u)
	}
}

func mapsValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
