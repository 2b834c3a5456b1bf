// Package backoff holds the waiting logic shared by the chat adapters:
// a context-aware Sleep, an exponential Policy with jitter, a reconnect
// Loop that runs a connection until its context is done (the retry wrapper
// that socketmode.RunContext's documentation asks callers to write, in the
// spirit of errbot's serve_forever), and a Budget that bounds the retries
// of one API call. Rate limits live in adapters/internal/ratelimit.
//
// Everything that waits takes an injectable clock and sleep so tests never
// wait on the wall clock.
package backoff
