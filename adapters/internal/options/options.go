// Package options holds the settings every chat adapter takes through its
// With* options: the logger, the clock, the HTTP client and the shared
// store of seen requests. Each adapter
// exports its own WithLogger, WithNow and WithHTTPClient as one-line
// wrappers, so the defaults and the rule for nil live here once: a nil
// argument keeps the default, exactly as if the option were not given.
// That lets callers pass through values they may not have set
// (cmd/stretchbot's optional logger) without a check at every call.
package options

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/seen"
)

// Common is what every adapter is configured with.
type Common struct {
	// Logger receives the adapter's log lines.
	Logger *slog.Logger
	// Now is the clock for signature windows, caches and pacing.
	Now func() time.Time
	// HTTPClient makes the adapter's HTTP calls to the platform.
	HTTPClient *http.Client
	// Seen, when set, extends replay and duplicate checks to every
	// instance sharing it; nil checks within this process only.
	Seen seen.Store
}

// Defaults returns slog.Default(), time.Now and an HTTP client that gives
// up on a call after httpTimeout.
func Defaults(httpTimeout time.Duration) Common {
	return Common{Logger: slog.Default(), Now: time.Now, HTTPClient: &http.Client{Timeout: httpTimeout}}
}

// Option changes a Common.
type Option func(*Common)

// Logger sets the logger; nil keeps the current one.
func Logger(l *slog.Logger) Option {
	return func(c *Common) {
		if l != nil {
			c.Logger = l
		}
	}
}

// Now sets the clock; nil keeps the current one.
func Now(now func() time.Time) Option {
	return func(c *Common) {
		if now != nil {
			c.Now = now
		}
	}
}

// Seen sets the shared store of seen request signatures and event ids;
// nil keeps the current one.
func Seen(st seen.Store) Option {
	return func(c *Common) {
		if st != nil {
			c.Seen = st
		}
	}
}

// HTTPClient sets the HTTP client; nil keeps the current one.
func HTTPClient(h *http.Client) Option {
	return func(c *Common) {
		if h != nil {
			c.HTTPClient = h
		}
	}
}

// Apply calls every option on a and returns all their errors joined, so a
// caller learns every bad option at once.
func Apply[A any, O ~func(*A) error](a *A, opts []O) error {
	var errs []error
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
