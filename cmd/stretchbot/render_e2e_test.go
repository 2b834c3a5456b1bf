package main

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// signedSlack posts form to the program as Slack would, signed, and fails
// the test unless it is answered 200.
func signedSlack(t *testing.T, m *Main, path string, form url.Values, at time.Time) []byte {
	t.Helper()
	code, b := postSlack(t, m, path, form, at)
	if code != 200 {
		t.Fatalf("%s = %d %s", path, code, b)
	}
	return b
}

// postSlack posts form to the program as Slack would, signed at at, and
// returns the status and body.
func postSlack(t *testing.T, m *Main, path string, form url.Values, at time.Time) (int, []byte) {
	t.Helper()
	code, b, err := postSlackTo(m.Addr(), path, form, at)
	if err != nil {
		t.Fatal(err)
	}
	return code, b
}

// postSlackTo posts form, signed at at as Slack would, to the program
// listening on addr (in this process or another).
func postSlackTo(addr, path string, form url.Values, at time.Time) (int, []byte, error) {
	body := form.Encode()
	stamp := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(slackSecret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// slackMessage is the part of a Slack message body the limits concern.
type slackMessage struct {
	ResponseType string           `json:"response_type"`
	Text         string           `json:"text"`
	Blocks       []map[string]any `json:"blocks"`
}

// checkSlackMessage fails for a message Slack would refuse or cut, and
// returns its Steps buttons (action_id → value).
func checkSlackMessage(t *testing.T, name string, m slackMessage) map[string]string {
	t.Helper()
	if m.Text == "" || utf8.RuneCountInString(m.Text) > 40000 || len(m.Blocks) > 49 {
		t.Errorf("%s: text of %d characters, %d blocks", name, utf8.RuneCountInString(m.Text), len(m.Blocks))
	}
	steps := map[string]string{}
	for _, b := range m.Blocks {
		if txt, ok := b["text"].(map[string]any); ok && utf8.RuneCountInString(txt["text"].(string)) > 3000 {
			t.Errorf("%s: a %s of %d characters", name, b["type"], utf8.RuneCountInString(txt["text"].(string)))
		}
		if acc, ok := b["accessory"].(map[string]any); ok && strings.HasPrefix(acc["action_id"].(string), "steps") {
			steps[acc["action_id"].(string)] = acc["value"].(string)
		}
	}
	return steps
}

// A 60-minute break on Slack, asked for and delivered, fits Block Kit, and
// each exercise's Steps button answers privately with its steps.
func TestSlackSixtyMinuteBreakFitsAndShowsSteps(t *testing.T) {
	var mu sync.Mutex
	n := 0
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		n++
		switch {
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, fmt.Sprintf(`{"ok":true,"channel":"C1","ts":"1800000000.%06d"}`, n)
		case strings.HasSuffix(path, "/users.info"):
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin","is_admin":false}}`
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		}
		return 200, `{"ok":true}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, clock)
	slash := func(text string) slackMessage {
		t.Helper()
		form := url.Values{"command": {"/stretch"}, "text": {text}, "team_id": {"T1"}, "channel_id": {"C1"}, "channel_name": {"general"},
			"user_id": {"U1"}, "user_name": {"ana"}, "response_url": {api.URL + "/response/" + url.PathEscape(text)}}
		body := signedSlack(t, m, "/slack/commands", form, clock.Now())
		if len(body) == 0 { // answered later, through response_url
			body = []byte(fake.waitRecorded(t, "/response/"+url.PathEscape(text), "", 1)[0].Body)
		}
		var out slackMessage
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatalf("%s: %v: %s", text, err, body)
		}
		return out
	}

	reply := slash("break 60 min")
	steps := checkSlackMessage(t, "break 60 min", reply)
	if len(steps) < 15 || !strings.Contains(reply.Text, "Mobility warm-up") || !strings.Contains(reply.Text, "call 112") {
		t.Fatalf("break 60 min: %d Steps buttons; text %q", len(steps), reply.Text)
	}
	actionID, value := "", ""
	for id, v := range steps {
		actionID, value = id, v
		break
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1", "username": "ana"},
		"channel": map[string]any{"id": "C1"}, "container": map[string]any{"type": "message", "is_ephemeral": true, "channel_id": "C1"},
		"response_url": api.URL + "/steps",
		"actions":      []any{map[string]any{"action_id": actionID, "block_id": "b1", "value": value}},
	})
	signedSlack(t, m, "/slack/interactions", url.Values{"payload": {string(payload)}}, clock.Now())
	var answer struct {
		slackMessage
		ReplaceOriginal bool `json:"replace_original"`
	}
	json.Unmarshal([]byte(fake.waitRecorded(t, "/steps", "", 1)[0].Body), &answer)
	id := value[:strings.IndexByte(value, '@')]
	if answer.ResponseType != "ephemeral" || answer.ReplaceOriginal || !strings.Contains(rawBody(answer.Blocks), `\n1. `) {
		t.Errorf("Steps of %s answered %+v", id, answer)
	}
	checkSlackMessage(t, "steps", answer.slackMessage)

	slash("schedule in 5 seconds 60 min floor")
	clock.Advance(5 * time.Second)
	// The recorder keeps the form decoded: blocks=[…]&channel=…&text=…&token=….
	posted := fake.waitRecorded(t, "/chat.postMessage", "Team stretch break", 1)[0].Body
	var delivered slackMessage
	blocks, rest, _ := strings.Cut(strings.TrimPrefix(posted, "blocks="), "&channel=")
	if err := json.Unmarshal([]byte(blocks), &delivered.Blocks); err != nil {
		t.Fatalf("delivery: %v: %s", err, posted)
	}
	_, delivered.Text, _ = strings.Cut(rest, "&text=")
	if steps := checkSlackMessage(t, "delivery", delivered); len(steps) < 15 {
		t.Errorf("the 60-minute team break has %d Steps buttons", len(steps))
	}
}

// A 60-minute break on Discord, asked for and delivered, fits Discord's
// limits, and the Steps menu answers privately with the chosen exercise.
func TestDiscordSixtyMinuteBreakFitsAndShowsSteps(t *testing.T) {
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		switch {
		case method == "GET" && strings.HasPrefix(path, "/api/v10/channels/"):
			return 200, `{"id":"` + strings.TrimPrefix(path, "/api/v10/channels/") + `","guild_id":"77","type":0}`
		case strings.HasSuffix(path, "/messages"):
			return 200, `{"id":"` + strconv.Itoa(int(time.Now().UnixNano()%1e9)) + `","channel_id":"1"}`
		}
		return 200, `{}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	m, key := bootDiscord(t, api.URL, clock)
	post := func(in map[string]any) map[string]any {
		t.Helper()
		in["application_id"], in["token"], in["guild_id"], in["channel_id"] = "424242", "itoken", "77", "55"
		in["member"] = map[string]any{"user": map[string]any{"id": "1001", "username": "ana"}, "permissions": "0"}
		body, _ := json.Marshal(in)
		stamp := strconv.FormatInt(clock.Now().Unix(), 10)
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/discord/interactions", strings.NewReader(string(body)))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != 200 || out["type"] != float64(4) {
			t.Fatalf("interaction %s = %d %v", body, resp.StatusCode, out)
		}
		return out["data"].(map[string]any)
	}
	seq := 0
	command := func(sub string, opts ...map[string]any) map[string]any {
		seq++
		return post(map[string]any{"type": 2, "id": strconv.Itoa(seq),
			"data": map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": sub, "type": 1, "options": opts}}}})
	}

	data := command("break", map[string]any{"name": "minutes", "type": 4, "value": 60})
	menus := checkDiscordMessage(t, "break minutes:60", data)
	if len(menus) < 15 || !strings.Contains(rawBody(data), "Mobility warm-up") {
		t.Fatalf("break minutes:60: %d exercises in Steps menus: %s", len(menus), rawBody(data))
	}
	seq++
	steps := post(map[string]any{"type": 3, "id": strconv.Itoa(seq), "message": map[string]any{"id": "M1", "channel_id": "55"},
		"data": map[string]any{"custom_id": menus[0].customID, "component_type": 3, "values": []string{menus[0].value}}})
	if steps["flags"] != float64(64) || !strings.Contains(rawBody(steps), "1. ") {
		t.Errorf("Steps of %s = %s", menus[0].value, rawBody(steps))
	}
	checkDiscordMessage(t, "steps", steps)

	command("schedule", map[string]any{"name": "when", "type": 3, "value": "in 5 seconds 60 min home"}, map[string]any{"name": "channel", "type": 7, "value": "4242"})
	// The page option is a number; one schedule fills one page.
	if list := command("list", map[string]any{"name": "page", "type": 4, "value": 2}); !strings.Contains(rawBody(list), "no page 2") {
		t.Errorf("list page:2 = %s", rawBody(list))
	}
	clock.Advance(5 * time.Second)
	var delivered map[string]any
	json.Unmarshal([]byte(fake.waitRecorded(t, "/api/v10/channels/4242/messages", "Team stretch break", 1)[0].Body), &delivered)
	if menus := checkDiscordMessage(t, "delivery", delivered); len(menus) < 15 {
		t.Errorf("the 60-minute team break offers the steps of %d exercises", len(menus))
	}
}

func rawBody(v any) string { b, _ := json.Marshal(v); return string(b) }

// menuOption is one exercise offered in a Steps menu.
type menuOption struct{ customID, value string }

// checkDiscordMessage fails for a message Discord would refuse, and
// returns the options of its Steps menus.
func checkDiscordMessage(t *testing.T, name string, data map[string]any) []menuOption {
	t.Helper()
	runes := func(v any) int { s, _ := v.(string); return utf8.RuneCountInString(s) }
	if runes(data["content"]) > 2000 {
		t.Errorf("%s: content of %d characters", name, runes(data["content"]))
	}
	embeds, _ := data["embeds"].([]any)
	total := 0
	for _, e := range embeds {
		e := e.(map[string]any)
		total += runes(e["title"]) + runes(e["description"])
		fields, _ := e["fields"].([]any)
		if len(fields) > 25 || runes(e["description"]) > 4096 {
			t.Errorf("%s: %d fields, description %d", name, len(fields), runes(e["description"]))
		}
		for _, f := range fields {
			f := f.(map[string]any)
			total += runes(f["name"]) + runes(f["value"])
			if runes(f["value"]) > 1024 || runes(f["name"]) > 256 {
				t.Errorf("%s: field %d/%d", name, runes(f["name"]), runes(f["value"]))
			}
		}
		if foot, ok := e["footer"].(map[string]any); ok {
			total += runes(foot["text"])
		}
	}
	if len(embeds) > 10 || total > 6000 {
		t.Errorf("%s: %d embeds of %d characters", name, len(embeds), total)
	}
	rows, _ := data["components"].([]any)
	if len(rows) > 5 {
		t.Errorf("%s: %d rows", name, len(rows))
	}
	var out []menuOption
	for _, r := range rows {
		for _, c := range r.(map[string]any)["components"].([]any) {
			c := c.(map[string]any)
			id, _ := c["custom_id"].(string)
			if len(id) > 100 {
				t.Errorf("%s: custom_id %q", name, id)
			}
			opts, _ := c["options"].([]any)
			if len(opts) > 25 {
				t.Errorf("%s: %d options", name, len(opts))
			}
			for _, o := range opts {
				out = append(out, menuOption{id, o.(map[string]any)["value"].(string)})
			}
		}
	}
	return out
}
