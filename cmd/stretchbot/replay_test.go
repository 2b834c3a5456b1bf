package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/config"
)

// TestReplayRefusedByTheOtherInstance: a signed slash command accepted by
// instance A and replayed to instance B on the same database is refused by
// B, and only one reminder exists.
func TestReplayRefusedByTheOtherInstance(t *testing.T) {
	api := httptest.NewServer(&recorder{answer: func(method, path string, body []byte) (int, string) {
		if strings.HasSuffix(path, "/users.info") {
			return 200, `{"ok":true,"user":{"id":"U1","tz":"Europe/Berlin"}}`
		}
		return 200, `{"ok":true}`
	}})
	defer api.Close()
	start := time.Unix(1_800_000_000, 0).UTC()
	clock := bottest.NewClock(start)
	cfg := config.Default()
	cfg.Slack.SigningSecret = slackSecret
	cfg.Slack.BotToken = "xoxb-test"
	cfg.Slack.APIURL = api.URL + "/api/"
	db := "sqlite://" + filepath.Join(t.TempDir(), "shared.db")
	a, b := bootMainOn(t, cfg, clock, db), bootMainOn(t, cfg, clock, db)

	form := url.Values{"command": {"/stretch"}, "text": {"remind me in 2 hours to stretch"}, "team_id": {"T1"},
		"channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"ana"}, "response_url": {api.URL + "/response"}}
	body := form.Encode()
	stamp := strconv.FormatInt(start.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(slackSecret))
	io.WriteString(mac, "v0:"+stamp+":"+body)
	sig := "v0=" + hex.EncodeToString(mac.Sum(nil))
	send := func(m *Main) int {
		t.Helper()
		req, _ := http.NewRequest("POST", "http://"+m.Addr()+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", stamp)
		req.Header.Set("X-Slack-Signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send(a); code != http.StatusOK {
		t.Fatalf("instance A: %d", code)
	}
	if code := send(b); code != http.StatusUnauthorized {
		t.Errorf("replayed to instance B: %d, want 401", code)
	}
	rs, err := b.Store.Reminders(context.Background(), bot.ReminderFilter{Tenant: "T1", Owner: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Errorf("%d reminders, want 1", len(rs))
	}
}
