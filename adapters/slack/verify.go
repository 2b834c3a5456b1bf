package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds every request body Slack sends us; real payloads are a few
// KiB.
const maxBody = 1 << 20

// maxLocalSignatures is how many request signatures this process keeps
// in memory; the seen store keeps every one for the whole window.
const maxLocalSignatures = 20000

// signatureWindow is how far a request timestamp may be from now, in either
// direction, before the request is treated as a replay.
const signatureWindow = 5 * time.Minute

var (
	errNoSignature  = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	errBadTimestamp = errors.New("malformed request timestamp")
	errStale        = errors.New("request timestamp outside the 5 minute window")
	errBadSignature = errors.New("signature mismatch")
)

// verifySignature checks Slack's v0 request signature: "v0=" + hex
// HMAC-SHA256(secret, "v0:" + ts + ":" + body), with ts within 5 minutes of
// now. slack-go's SecretsVerifier reads the wall clock, so tests could not
// use Slack's published vector with it.
func verifySignature(secret, ts, sig string, body []byte, now time.Time) error {
	if ts == "" || sig == "" {
		return errNoSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > signatureWindow || d < -signatureWindow {
		return errStale
	}
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return errBadSignature
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errBadSignature
	}
	return nil
}

// verified wraps next so that it runs only for a correctly signed request
// with a body of at most maxBody bytes. A body over the limit is 413 (its
// signature cannot be checked without reading it all); any other failure is
// 401. Neither has a side effect. It also turns a panic into a 500.
func (a *Adapter) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				a.log.Error("slack: panic in HTTP handler", "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				a.log.Warn("slack: rejected request", "path", r.URL.Path, "reason", "body too large", "limit", tooBig.Limit)
				http.Error(w, "request entity too large", http.StatusRequestEntityTooLarge)
				return
			}
			a.log.Warn("slack: rejected request", "path", r.URL.Path, "reason", "body unreadable", "err", err)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		err = verifySignature(a.cfg.SigningSecret, r.Header.Get("X-Slack-Request-Timestamp"), r.Header.Get("X-Slack-Signature"), body, a.now())
		if err != nil {
			a.log.Warn("slack: rejected request", "path", r.URL.Path, "reason", err.Error())
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next(w, r, body)
	})
}

// once refuses a request whose (already verified) signature was seen
// before, by this instance or any other sharing the seen store, with 401
// and no side effect (see fresh).
func (a *Adapter) once(next func(w http.ResponseWriter, r *http.Request, body []byte)) func(w http.ResponseWriter, r *http.Request, body []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		if a.fresh(w, r) {
			next(w, r, body)
		}
	}
}

// fresh reports whether r's signature is new to this instance and to every
// other sharing the seen store. If not, it has answered r: 401 for a
// replay, 503 when the store cannot tell (running it twice would be worse
// than not at all).
func (a *Adapter) fresh(w http.ResponseWriter, r *http.Request) bool {
	first, err := a.replays.First(r.Context(), replayKey(r.Header), a.now())
	if err != nil {
		a.log.Error("slack: rejected request", "path", r.URL.Path, "reason", "cannot check for replays", "err", err)
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return false
	}
	if !first {
		a.log.Warn("slack: rejected request", "path", r.URL.Path, "reason", "replayed signature")
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return false
	}
	return true
}

// replayKey is what a signed request is remembered by against replays: its
// signature, after its timestamp. The signature covers the timestamp, so a
// replay carries both unchanged; led by the timestamp, the keys of
// requests arriving together sort together, and the seen store writes
// them into the same few pages of its index instead of one page each
// anywhere in it. The signature is in lower case: its hex is read in
// either, and the same signature in upper case is the same request.
func replayKey(h http.Header) string {
	return "slack sig " + h.Get("X-Slack-Request-Timestamp") + " " + strings.ToLower(h.Get("X-Slack-Signature"))
}
