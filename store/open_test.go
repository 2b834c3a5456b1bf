package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("data", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		url  string
		file string // created, relative to dir
	}{
		{"sqlite::memory:", ""},
		{"sqlite://:memory:", ""},
		{"sqlite://data/rel.db", "data/rel.db"},
		{"SQLITE://upper.db", "upper.db"},
		{"sqlite://" + filepath.Join(dir, "abs.db"), "abs.db"},
		{"memory://", ""},
	} {
		t.Run(tt.url, func(t *testing.T) {
			s, err := Open(t.Context(), tt.url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			if _, err := s.User(t.Context(), "T", "U"); bot.ErrorCode(err) != bot.ENOTFOUND {
				t.Errorf("User on empty store: %v", err)
			}
			if tt.file != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
					t.Errorf("database file: %v", err)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tt := range []struct {
		url, want string
	}{
		{"mysql://root:s3cret@db/x", "sqlite://relative/path.db"},
		{"stretchbot.db", "not a database URL"},
		{"", "not a database URL"},
		{"sqlite:", "want sqlite://"},
		{"sqlite:///", "missing file path"},
		{"memory://somewhere", "takes no name or options"},
		{"sqlite://no/such/dir/x.db", "no/such"},
		{"postgres://bob:s3cret%zz@127.0.0.1:1/x", "postgres:…"},
		{"postgres://bob:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=1", "postgres"},
	} {
		t.Run(tt.url, func(t *testing.T) {
			_, err := Open(t.Context(), tt.url)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the password: %q", err)
			}
		})
	}
}
