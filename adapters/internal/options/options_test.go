package options

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNilKeepsTheDefault(t *testing.T) {
	c := Defaults(5 * time.Second)
	for _, o := range []Option{Logger(nil), Now(nil), HTTPClient(nil)} {
		o(&c)
	}
	if c.Logger != slog.Default() || c.Now == nil || c.HTTPClient == nil || c.HTTPClient.Timeout != 5*time.Second {
		t.Errorf("nil options changed the defaults: %+v", c)
	}
	l, h := slog.New(slog.DiscardHandler), &http.Client{}
	for _, o := range []Option{Logger(l), Now(func() time.Time { return time.Unix(7, 0) }), HTTPClient(h)} {
		o(&c)
	}
	if c.Logger != l || c.Now().Unix() != 7 || c.HTTPClient != h {
		t.Errorf("options not applied: %+v", c)
	}
}

type adapter struct{ n int }

type option func(*adapter) error

func TestApplyReportsEveryError(t *testing.T) {
	var a adapter
	err := Apply(&a, []option{
		func(a *adapter) error { a.n++; return errors.New("first") },
		nil,
		func(a *adapter) error { a.n++; return nil },
		func(a *adapter) error { a.n++; return errors.New("second") },
	})
	if a.n != 3 || err == nil || !strings.Contains(err.Error(), "first") || !strings.Contains(err.Error(), "second") {
		t.Errorf("Apply: n = %d, err = %v", a.n, err)
	}
	if err := Apply(&a, []option(nil)); err != nil {
		t.Errorf("Apply with no options: %v", err)
	}
}
