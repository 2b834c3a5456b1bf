package slack

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// The worked example from Slack's request-signing documentation.
const (
	vecSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	vecTS     = "1531420618"
	vecBody   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	vecSig    = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
)

func TestVerifySignature(t *testing.T) {
	at := time.Unix(1531420618, 0)
	tests := []struct {
		name    string
		ts, sig string
		body    string
		now     time.Time
		want    error
	}{
		{"published vector", vecTS, vecSig, vecBody, at, nil},
		{"4m59s later", vecTS, vecSig, vecBody, at.Add(4*time.Minute + 59*time.Second), nil},
		{"exactly 5 min later", vecTS, vecSig, vecBody, at.Add(5 * time.Minute), nil},
		{"stale", vecTS, vecSig, vecBody, at.Add(5*time.Minute + time.Second), errStale},
		{"future", vecTS, vecSig, vecBody, at.Add(-5*time.Minute - time.Second), errStale},
		{"missing timestamp", "", vecSig, vecBody, at, errNoSignature},
		{"missing signature", vecTS, "", vecBody, at, errNoSignature},
		{"malformed timestamp", "15314206x8", vecSig, vecBody, at, errBadTimestamp},
		{"tampered body", vecTS, vecSig, vecBody + "x", at, errBadSignature},
		{"wrong signature", vecTS, "v0=" + strings.Repeat("0", 64), vecBody, at, errBadSignature},
		{"no v0 prefix", vecTS, strings.TrimPrefix(vecSig, "v0="), vecBody, at, errBadSignature},
		{"v1 prefix", vecTS, "v1=" + strings.TrimPrefix(vecSig, "v0="), vecBody, at, errBadSignature},
		{"not hex", vecTS, "v0=zz", vecBody, at, errBadSignature},
		{"truncated", vecTS, vecSig[:20], vecBody, at, errBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := verifySignature(vecSecret, tt.ts, tt.sig, []byte(tt.body), tt.now)
			if !errors.Is(err, tt.want) {
				t.Errorf("verifySignature = %v, want %v", err, tt.want)
			}
		})
	}
	if err := verifySignature("other-secret", vecTS, vecSig, []byte(vecBody), at); !errors.Is(err, errBadSignature) {
		t.Errorf("wrong secret: err = %v, want errBadSignature", err)
	}
}

// TestSignedRoutes checks that every route rejects bad requests with 401
// (413 for a body over the limit, even when correctly signed) and never
// reaches the handler.
func TestSignedRoutes(t *testing.T) {
	h := &funcHandler{}
	e := newTestEnv(t, h)
	now := e.clock.Now()
	nowTS := strconv.FormatInt(now.Unix(), 10)
	body := []byte("team_id=T1&channel_id=C1&user_id=U1&text=help&response_url=" + e.f.responseURL())
	big := bytes.Repeat([]byte("a"), maxBody+10)
	huge := bytes.Repeat([]byte("a"), 2*maxBody)
	tests := []struct {
		name    string
		ts, sig string
		body    []byte
		want    int
	}{
		{"missing headers", "", "", body, http.StatusUnauthorized},
		{"missing signature", nowTS, "", body, http.StatusUnauthorized},
		{"wrong signature", nowTS, sign("wrong", nowTS, body), body, http.StatusUnauthorized},
		{"stale", strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10), sign(testSecret, strconv.FormatInt(now.Add(-6*time.Minute).Unix(), 10), body), body, http.StatusUnauthorized},
		{"future", strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), sign(testSecret, strconv.FormatInt(now.Add(6*time.Minute).Unix(), 10), body), body, http.StatusUnauthorized},
		{"oversized, correctly signed", nowTS, sign(testSecret, nowTS, big), big, http.StatusRequestEntityTooLarge},
		{"oversized, 2 MiB", nowTS, sign(testSecret, nowTS, huge), huge, http.StatusRequestEntityTooLarge},
		{"unreadable body", nowTS, sign(testSecret, nowTS, body), nil, http.StatusUnauthorized},
	}
	for _, path := range []string{"/slack/commands", "/slack/events", "/slack/interactions"} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				var rd io.Reader = bytes.NewReader(tt.body)
				if tt.body == nil {
					rd = iotest.ErrReader(errors.New("connection reset"))
				}
				req := httptest.NewRequest(http.MethodPost, path, rd)
				if tt.ts != "" {
					req.Header.Set("X-Slack-Request-Timestamp", tt.ts)
				}
				if tt.sig != "" {
					req.Header.Set("X-Slack-Signature", tt.sig)
				}
				w := httptest.NewRecorder()
				e.mux.ServeHTTP(w, req)
				e.a.wg.Wait()
				if w.Code != tt.want {
					t.Errorf("status = %d, want %d", w.Code, tt.want)
				}
			})
		}
	}
	if n := len(h.Messages()) + len(h.Actions()); n != 0 {
		t.Errorf("handler ran %d times for rejected requests", n)
	}
	if n := len(e.f.calls); n != 0 {
		t.Errorf("fake Slack got %d calls for rejected requests", n)
	}
}

func TestNoSecretMountsNothing(t *testing.T) {
	e := newTestEnv(t, &funcHandler{}, func(c *Config) { c.SigningSecret = ""; c.AppToken = "xapp-1" })
	req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader("x"))
	w := httptest.NewRecorder()
	e.mux.ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("status = %d, want 404 (routes not mounted)", w.Code)
	}
}

func FuzzVerifySignature(f *testing.F) {
	f.Add(vecTS, vecSig, []byte(vecBody))
	f.Add("", "", []byte{})
	f.Add("-99999999999999999999", "v0=", []byte("x"))
	f.Add("1531420618", "v0=ZZ", []byte("{}"))
	at := time.Unix(1531420618, 0)
	f.Fuzz(func(t *testing.T, ts, sig string, body []byte) {
		err := verifySignature(vecSecret, ts, sig, body, at)
		if err != nil && err.Error() == "" {
			t.Error("empty error message")
		}
		if err == nil && !strings.EqualFold(sig, sign(vecSecret, ts, body)) {
			t.Errorf("accepted a signature that is not the HMAC: %q", sig)
		}
	})
}
