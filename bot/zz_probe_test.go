package bot_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

func TestZZProbe(t *testing.T) {
	in := os.Getenv("PROBE")
	if in == "" {
		t.Skip()
	}
	start := time.Date(2026, 12, 3, 13, 0, 0, 0, time.UTC) // Thursday
	if s := os.Getenv("PROBE_START"); s != "" {
		start, _ = time.Parse(time.RFC3339, s)
	}
	k := testkit.New(t, testkit.WithStart(start))
	for _, line := range strings.Split(in, "\n") {
		if line == "" {
			continue
		}
		r := k.Send(line)
		fmt.Printf("> %s  [err=%v]\n%s\n\n", line, r.Error, r.PlainText())
	}
}
