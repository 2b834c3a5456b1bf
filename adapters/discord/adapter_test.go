package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func TestRewriteTransport(t *testing.T) {
	fake := newFakeDiscord(t)
	a, err := New(Config{Token: "tok", APIURL: fake.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	// discordgo's endpoints point at discord.com with API v9.
	if _, err := a.dsess.Request(http.MethodGet, discordgo.EndpointGateway, nil); err == nil {
		t.Log("fake answered the gateway request")
	}
	r := fake.waitFor(t, "gateway lookup", func(r request) bool { return r.Method == http.MethodGet })
	if r.Path != "/api/v10/gateway" {
		t.Errorf("path = %s, want /api/v10/gateway", r.Path)
	}
}

func TestNewValidates(t *testing.T) {
	for _, tt := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "STRETCHBOT_DISCORD_TOKEN"},
		{Config{PublicKey: "xyz"}, "public key"},
		{Config{PublicKey: vecPublicKey[:10]}, "public key"},
		{Config{Token: "t", APIURL: "ftp://x"}, "APIURL"},
	} {
		if _, err := New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

// TestNilOptionsKeepDefaults checks the rule every adapter follows: a nil
// argument to a With* option is the same as not giving the option.
func TestNilOptionsKeepDefaults(t *testing.T) {
	a, err := New(Config{Token: "tok"}, WithNow(nil), WithLogger(nil), WithHTTPClient(nil), withSleep(nil))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now == nil || a.log != slog.Default() || a.sleep == nil || a.httpClient == nil || a.httpClient.Timeout != 30*time.Second {
		t.Errorf("defaults not kept: now=%v log=%v sleep=%v http=%v", a.now != nil, a.log, a.sleep != nil, a.httpClient)
	}
	clock := func() time.Time { return time.Unix(7, 0) }
	a, err = New(Config{Token: "tok"}, WithNow(clock), WithHTTPClient(&http.Client{Timeout: time.Second}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if a.now().Unix() != 7 || a.httpClient.Timeout != time.Second {
		t.Error("options not applied")
	}
}

// What the Discord library says about its gateway goes to the adapter's
// logger, as one structured record, not to the standard logger as a bare
// line that breaks STRETCHBOT_LOG_FORMAT=json.
func TestLibraryMessagesGoToTheLogger(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := New(Config{Token: "tok"}, WithLogger(log)); err != nil {
		t.Fatal(err)
	}
	if discordgo.Logger == nil {
		t.Fatal("the library logs to the standard logger")
	}
	// As discordgo reports a gateway it cannot reach.
	discordgo.Logger(discordgo.LogError, 2, "error connecting to gateway %s, %s", "/?v=9&encoding=json", "malformed ws or wss URL")
	var rec map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &rec); err != nil || rec["msg"] == nil || !strings.Contains(fmt.Sprint(rec["detail"]), "gateway") {
		t.Errorf("logged %q (%v), want one JSON record with the library's words", buf.String(), err)
	}
}
