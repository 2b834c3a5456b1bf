package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

func newVerifier(t *testing.T) (*Adapter, *fakeDiscord, *clock) {
	t.Helper()
	fake := newFakeDiscord(t)
	fake.guilds["701"] = "900" // a channel of guild 900
	fake.guilds["702"] = "901" // a channel of another guild
	fake.guilds["9445"] = ""   // a DM channel
	fake.gone["703"] = 10003   // deleted
	fake.gone["704"] = 50001   // the bot cannot see it
	c := &clock{t: vecTime}
	sl := &noSleep{}
	a, err := New(Config{Token: "tok", APIURL: fake.srv.URL}, WithNow(c.now), withSleep(sl.sleep))
	if err != nil {
		t.Fatal(err)
	}
	return a, fake, c
}

func channelGets(f *fakeDiscord) int {
	n := 0
	for _, r := range f.requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v10/channels/") {
			n++
		}
	}
	return n
}

func TestVerifyChannel(t *testing.T) {
	tests := []struct {
		name     string
		tenant   bot.TenantID
		channel  bot.ChannelID
		wantCode string // "" for nil
		wantGet  bool
	}{
		{"own guild", "900", "701", "", true},
		{"mention form", "900", "<#701>", "", true},
		{"another guild", "901", "701", bot.ENOTFOUND, true},
		{"from a DM", "444", "701", bot.ENOTFOUND, true},
		{"a DM channel", "900", "9445", bot.ENOTFOUND, true},
		{"unknown channel", "900", "703", bot.ENOTFOUND, true},
		{"no access", "900", "704", bot.ENOTFOUND, true},
		{"never seen", "900", "799", bot.ENOTFOUND, true},
		{"plain name", "900", "general", bot.EINVALID, false},
		{"hash name", "900", "#general", bot.EINVALID, false},
		{"too big", "900", "123456789012345678901", bot.EINVALID, false},
		{"empty", "900", "", bot.EINVALID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, fake, _ := newVerifier(t)
			err := a.VerifyChannel(context.Background(), tt.tenant, tt.channel)
			if got := codeOf(err); got != tt.wantCode {
				t.Fatalf("VerifyChannel(%s, %s) = %v (code %q), want code %q", tt.tenant, tt.channel, err, got, tt.wantCode)
			}
			if gets := channelGets(fake); (gets > 0) != tt.wantGet {
				t.Errorf("GET /channels calls = %d, want some: %v", gets, tt.wantGet)
			}
			switch tt.wantCode {
			case bot.ENOTFOUND:
				// The same words whatever the cause, so nothing leaks.
				if err != error(errChannelNotVisible) || bot.ErrorExample(err) != "schedule every weekday at 10:30" {
					t.Errorf("err = %#v, want the one not-visible answer", err)
				}
			case bot.EINVALID:
				if m := bot.ErrorMessage(err); !strings.Contains(m, "channel option") || !strings.Contains(m, "type #") {
					t.Errorf("message = %q, want a pointer to the channel option and to #", m)
				}
			}
		})
	}
	t.Run("request", func(t *testing.T) {
		a, fake, _ := newVerifier(t)
		if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
			t.Fatal(err)
		}
		r := fake.requests()[0]
		if r.Method != http.MethodGet || r.Path != "/api/v10/channels/701" || r.Header.Get("Authorization") != "Bot tok" {
			t.Errorf("request = %s %s auth %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	})
}

func codeOf(err error) string {
	if err == nil {
		return ""
	}
	return bot.ErrorCode(err)
}

func TestVerifyChannelTransient(t *testing.T) {
	a, fake, _ := newVerifier(t)
	for range answerAttempts {
		fake.on("/api/v10/channels/701", http.StatusBadGateway, `{"message":"bad gateway"}`, nil)
	}
	err := a.VerifyChannel(context.Background(), "900", "701")
	var be *bot.Error
	if err == nil || bot.ErrorCode(err) != bot.EINTERNAL || errors.As(err, &be) {
		t.Fatalf("err = %v, want a plain (internal) error", err)
	}
	// Not cached: the next call asks again and succeeds.
	if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if n := channelGets(fake); n != answerAttempts+1 {
		t.Errorf("%d GETs, want %d", n, answerAttempts+1)
	}
	t.Run("one 5xx is retried", func(t *testing.T) {
		a, fake, _ := newVerifier(t)
		fake.on("/api/v10/channels/701", http.StatusInternalServerError, `{}`, nil)
		if err := a.VerifyChannel(context.Background(), "900", "701"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVerifyChannelCache(t *testing.T) {
	a, fake, c := newVerifier(t)
	ctx := context.Background()
	for range 3 {
		if err := a.VerifyChannel(ctx, "900", "701"); err != nil {
			t.Fatal(err)
		}
		if err := a.VerifyChannel(ctx, "901", "701"); codeOf(err) != bot.ENOTFOUND {
			t.Fatalf("other guild: %v", err)
		}
		if err := a.VerifyChannel(ctx, "900", "703"); codeOf(err) != bot.ENOTFOUND {
			t.Fatalf("gone: %v", err)
		}
	}
	if n := channelGets(fake); n != 2 {
		t.Errorf("%d GETs for two channels, want 2 (cached)", n)
	}
	c.add(channelCacheTTL + time.Second)
	if err := a.VerifyChannel(ctx, "900", "701"); err != nil {
		t.Fatal(err)
	}
	if n := channelGets(fake); n != 3 {
		t.Errorf("%d GETs after the TTL, want 3", n)
	}
}
