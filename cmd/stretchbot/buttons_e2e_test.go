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
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// waitDelivered waits until the store has recorded a delivery of team, so
// its buttons have a run to count.
func waitDelivered(t *testing.T, m *Main, team string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		r, err := m.Store.ReminderByID(t.Context(), bot.ReminderID(strings.TrimPrefix(team, "#")))
		if err == nil && !r.LastRun.IsZero() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the team break's delivery was never recorded")
		}
	}
}

// TestSlackTeamBreakButtonsByWhoPresses presses a team break's buttons
// through Slack's interactivity endpoint as a member, an admin (as
// users.info says) and from a forged channel and workspace: Done counts a
// member, Snooze and Skip are refused to them privately with the reason,
// an admin's Snooze goes through, and forged presses change nothing.
func TestSlackTeamBreakButtonsByWhoPresses(t *testing.T) {
	var mu sync.Mutex
	n := 0
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		n++
		form, _ := url.ParseQuery(string(body))
		switch {
		case strings.HasSuffix(path, "/chat.postMessage"):
			return 200, fmt.Sprintf(`{"ok":true,"channel":"C777","ts":"1800000000.%06d"}`, n)
		case strings.HasSuffix(path, "/users.info"):
			u := form.Get("user")
			return 200, `{"ok":true,"user":{"id":"` + u + `","tz":"UTC","is_admin":` + strconv.FormatBool(u == "UADMIN") + `}}`
		case strings.HasSuffix(path, "/conversations.info"):
			return 200, `{"ok":true,"channel":{"id":"C777","is_channel":true,"is_member":true,"context_team_id":"T1"}}`
		case strings.HasSuffix(path, "/auth.test"):
			return 200, `{"ok":true,"user_id":"UBOT","bot_id":"BBOT","team_id":"T1"}`
		}
		return 200, `{"ok":true}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	clock := bottest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	m := bootMain(t, cfg, clock)

	post := func(path string, form url.Values) []byte {
		t.Helper()
		body := form.Encode()
		stamp := strconv.FormatInt(clock.Now().Unix(), 10)
		mac := hmac.New(sha256.New, []byte(slackSecret))
		io.WriteString(mac, "v0:"+stamp+":"+body)
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s = %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	body := post("/slack/commands", url.Values{"command": {"/stretch"}, "text": {"schedule every 30 seconds in <#C777|team>"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "user_id": {"UCREATOR"}, "user_name": {"cy"}, "response_url": {api.URL + "/response/schedule"}, "trigger_id": {"x"}})
	team := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(string(body))
	if team == "" {
		t.Fatalf("schedule = %s", body)
	}
	clock.Advance(30 * time.Second)
	got := fake.waitRecorded(t, "/chat.postMessage", team, 1)
	waitDelivered(t, m, team)
	values := map[string]string{}
	for _, v := range regexp.MustCompile(`"action_id":"(\w+)"[^}]*?"value":"([^"]+)"`).FindAllStringSubmatch(got[0].Body, -1) {
		values[v[1]] = v[2]
	}
	if values["done"] == "" || values["snooze"] == "" || values["skip"] == "" {
		t.Fatalf("buttons = %v in %s", values, got[0].Body)
	}

	press := func(user, teamID, channel, action string) string {
		t.Helper()
		answer := "/response/" + action + "-" + user + "-" + teamID + "-" + channel
		payload, _ := json.Marshal(map[string]any{
			"type": "block_actions", "team": map[string]any{"id": teamID}, "user": map[string]any{"id": user, "username": strings.ToLower(user)},
			"channel": map[string]any{"id": channel}, "container": map[string]any{"message_ts": "1800000000.000002", "channel_id": channel},
			"message":      map[string]any{"ts": "1800000000.000002", "blocks": []any{}},
			"response_url": api.URL + answer,
			"actions":      []any{map[string]any{"action_id": action, "block_id": "stretchbot_actions", "value": values[action]}},
		})
		post("/slack/interactions", url.Values{"payload": {string(payload)}})
		var text strings.Builder
		for _, r := range fake.waitRecorded(t, answer, "", 1) {
			text.WriteString(r.Body)
		}
		return text.String()
	}
	mustHave := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: answer lacks %q: %s", what, w, got)
			}
		}
	}
	mustHave("member's Done", press("UMEMBER", "T1", "C777", "done"), "1 person did this break")
	for _, a := range []string{"snooze", "skip"} {
		mustHave("member's "+a, press("UMEMBER", "T1", "C777", a), `"response_type":"ephemeral"`, "or an admin can "+a+" it for the whole channel", "Try: ")
	}
	mustHave("admin's snooze", press("UADMIN", "T1", "C777", "snooze"), `"response_type":"ephemeral"`, "Snoozed "+team)
	mustHave("Done from another channel", press("UMEMBER2", "T1", "C999", "done"), "no record of that break")
	mustHave("skip from another workspace", press("UADMIN", "T2", "C777", "skip"), "there is no reminder "+team)
	if n := len(fake.find("/response/", "Skipped")); n != 0 {
		t.Errorf("%d skips went through", n)
	}
}

// TestDiscordTeamBreakButtonsByWhoPresses is the same through Discord's
// component interactions, where the member's permissions say who is an
// admin (Manage Server).
func TestDiscordTeamBreakButtonsByWhoPresses(t *testing.T) {
	var mu sync.Mutex
	n := 0
	fake := &recorder{answer: func(method, path string, body []byte) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		n++
		switch {
		case method == "GET" && strings.HasPrefix(path, "/api/v10/channels/"):
			return 200, `{"id":"` + strings.TrimPrefix(path, "/api/v10/channels/") + `","guild_id":"77","type":0}`
		case strings.HasSuffix(path, "/messages"):
			return 200, `{"id":"` + strconv.Itoa(5000+n) + `","channel_id":"4242"}`
		}
		return 200, `{}`
	}}
	api := httptest.NewServer(fake)
	defer api.Close()
	clock := bottest.NewClock(time.Unix(1_800_000_000, 0).UTC())
	m, key := bootDiscord(t, api.URL, clock)

	serial := 0
	post := func(v map[string]any) string {
		t.Helper()
		serial++
		v["id"], v["application_id"], v["token"] = strconv.Itoa(serial), "424242", "tok"+strconv.Itoa(serial)
		b, _ := json.Marshal(v)
		stamp := strconv.FormatInt(clock.Now().Unix(), 10)
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/discord/interactions", strings.NewReader(string(b)))
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(stamp+string(b)))))
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("interaction = %d %s", resp.StatusCode, out)
		}
		if strings.Contains(string(out), `"type":6`) {
			// Deferred: the answer comes as a follow-up.
			return fake.waitRecorded(t, "/webhooks/424242/tok"+strconv.Itoa(serial), "", 1)[0].Body
		}
		return string(out)
	}
	member := func(user, perms string) map[string]any {
		return map[string]any{"user": map[string]any{"id": user, "username": "u" + user}, "permissions": perms}
	}
	out := post(map[string]any{"type": 2, "guild_id": "77", "channel_id": "55", "member": member("1001", "0"),
		"data": map[string]any{"id": "9", "name": "stretch", "type": 1, "options": []any{map[string]any{"name": "schedule", "type": 1,
			"options": []any{map[string]any{"name": "when", "type": 3, "value": "every 30 seconds"}, map[string]any{"name": "channel", "type": 7, "value": "4242"}}}}}})
	team := regexp.MustCompile(`#([a-z0-9]{3,8})`).FindString(out)
	if team == "" {
		t.Fatalf("schedule = %s", out)
	}
	clock.Advance(30 * time.Second)
	got := fake.waitRecorded(t, "/api/v10/channels/4242/messages", team, 1)
	waitDelivered(t, m, team)
	ids := map[string]string{}
	for _, v := range regexp.MustCompile(`"custom_id":"((\w+):[^"]*)"`).FindAllStringSubmatch(got[0].Body, -1) {
		ids[v[2]] = v[1]
	}
	if ids["done"] == "" || ids["snooze"] == "" || ids["skip"] == "" {
		t.Fatalf("buttons = %v in %s", ids, got[0].Body)
	}
	press := func(user, perms, guild, channel, button string) string {
		t.Helper()
		return post(map[string]any{"type": 3, "guild_id": guild, "channel_id": channel, "member": member(user, perms),
			"message": map[string]any{"id": "5001", "channel_id": channel}, "data": map[string]any{"custom_id": ids[button], "component_type": 2}})
	}
	mustHave := func(what, got string, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: answer lacks %q: %s", what, w, got)
			}
		}
	}
	mustHave("member's Done", press("2002", "0", "77", "4242", "done"), "1 person did this break")
	for _, a := range []string{"snooze", "skip"} {
		mustHave("member's "+a, press("2002", "0", "77", "4242", a), `"flags":64`, "or an admin can "+a+" it for the whole channel", "Try: ")
	}
	mustHave("admin's snooze", press("3003", "32", "77", "4242", "snooze"), `"flags":64`, "Snoozed "+team)
	mustHave("Done from another channel", press("2003", "0", "77", "9999", "done"), "no record of that break")
	mustHave("skip from another server", press("3004", "8", "78", "4242", "skip"), "there is no reminder "+team)
	if n := len(fake.find("/webhooks/", "Skipped")); n != 0 {
		t.Errorf("%d skips went through", n)
	}
}
