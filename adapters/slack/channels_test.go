package slack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

func TestVerifyChannel(t *testing.T) {
	tests := []struct {
		name     string
		tenant   bot.TenantID
		channel  bot.ChannelID
		wantCode string // "" means allowed
		wantCall bool   // conversations.info asked
	}{
		{"member of a public channel", "T1", "CMEMBER", "", true},
		{"public channel without the bot (chat:write.public)", "T1", "CPUB", "", true},
		{"private channel with the bot", "T1", "GPRIV", "", true},
		{"private channel without the bot", "T1", "CPRIV", bot.ENOTFOUND, true},
		{"legacy private group without the bot", "T1", "GOLD", bot.ENOTFOUND, true},
		{"unknown channel", "T1", "CNOPE", bot.ENOTFOUND, true},
		{"deleted channel", "T1", "CGONE", bot.ENOTFOUND, true},
		{"another workspace's channel", "T1", "CEXT", bot.ENOTFOUND, true},
		{"shared with the tenant", "T1", "CSHARED", "", true},
		{"no team ids in the answer", "T1", "CNOTEAM", "", true},
		{"link form", "T1", "<#CMEMBER|general>", "", true},
		{"link form without a name", "T1", "<#CPUB|>", "", true},
		{"bare name", "T1", "general", bot.EINVALID, false},
		{"hash name", "T1", "#general", bot.EINVALID, false},
		{"lower-case id", "T1", "c123", bot.EINVALID, false},
		{"user id", "T1", "U123", bot.EINVALID, false},
		{"empty", "T1", "", bot.EINVALID, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t, &funcHandler{})
			err := e.a.VerifyChannel(context.Background(), tt.tenant, tt.channel)
			if got := bot.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("VerifyChannel(%q) = %v, want code %q", tt.channel, err, tt.wantCode)
			}
			var be *bot.Error
			switch tt.wantCode {
			case bot.ENOTFOUND:
				if !errors.As(err, &be) || !strings.Contains(be.Message, "/invite @stretchbot") || be.Example != "schedule every weekday at 10:30" {
					t.Errorf("error = %#v", err)
				}
			case bot.EINVALID:
				if !errors.As(err, &be) || be.Message == "" || be.Example != "schedule every weekday at 10:30 in #general" {
					t.Errorf("error = %#v", err)
				}
			}
			calls := e.f.callsTo("conversations.info")
			if got := len(calls) > 0; got != tt.wantCall {
				t.Fatalf("conversations.info called %d times", len(calls))
			}
			if tt.wantCall && calls[0].Params.Get("channel") != channelRefID(string(tt.channel)) {
				t.Errorf("conversations.info channel = %q", calls[0].Params.Get("channel"))
			}
		})
	}
}

func TestVerifyChannelTransientAndCache(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	ctx := context.Background()

	// Transient failures are plain errors and are not cached.
	e.f.failNext("conversations.info", failure{status: 503}, failure{code: "internal_error"})
	for i := 0; i < 2; i++ {
		err := e.a.VerifyChannel(ctx, "T1", "CMEMBER")
		var be *bot.Error
		if err == nil || errors.As(err, &be) {
			t.Fatalf("transient failure %d: err = %v, want a plain error", i, err)
		}
	}
	if err := e.a.VerifyChannel(ctx, "T1", "CMEMBER"); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if n := len(e.f.callsTo("conversations.info")); n != 3 {
		t.Fatalf("conversations.info calls = %d, want 3 (failures not cached)", n)
	}

	// Answers are cached per tenant, briefly.
	if err := e.a.VerifyChannel(ctx, "T1", "CMEMBER"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.f.callsTo("conversations.info")); n != 3 {
		t.Errorf("cached answer asked Slack again: %d calls", n)
	}
	if err := e.a.VerifyChannel(ctx, "T2", "CMEMBER"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("other tenant got %v from the cache", err)
	}
	e.clock.Advance(channelOKTTL + time.Second)
	_ = e.a.VerifyChannel(ctx, "T1", "CMEMBER")
	if n := len(e.f.callsTo("conversations.info")); n != 5 {
		t.Errorf("after the TTL: %d calls, want 5", n)
	}

	// A refusal expires quickly: inviting the bot and retrying works.
	if err := e.a.VerifyChannel(ctx, "T1", "CPRIV"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("CPRIV: %v", err)
	}
	e.f.mu.Lock()
	e.f.channels["CPRIV"]["is_member"] = true
	e.f.mu.Unlock()
	if err := e.a.VerifyChannel(ctx, "T1", "CPRIV"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("refusal not cached: %v", err)
	}
	e.clock.Advance(channelBadTTL + time.Second)
	if err := e.a.VerifyChannel(ctx, "T1", "CPRIV"); err != nil {
		t.Errorf("after inviting the bot: %v", err)
	}
}

func FuzzChannelRefID(f *testing.F) {
	for _, s := range []string{"CMEMBER", "<#C1|x>", "<#C888|>", "#general", "<#", "<#>", " <#G12> "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id := channelRefID(s)
		if strings.ContainsAny(id, "<>|") && conversationID.MatchString(id) {
			t.Errorf("channelRefID(%q) = %q", s, id)
		}
	})
}
