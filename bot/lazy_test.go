package bot

import (
	"regexp"
	"sync"
	"testing"
)

// The patterns compiled on first use compile, and compile once, even when
// the first sentences arrive together (run with -race).
func TestLazyPatternsCompile(t *testing.T) {
	lazy := []func() *regexp.Regexp{timeOfDaySaid, clockInNote, idPattern, channelWords, bareHash, spacedHash, plainChannel}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for _, re := range lazy {
				re().MatchString("in #general at 10:30")
			}
			rephrase("set my timezone to PST")
		})
	}
	wg.Wait()
	for i, re := range lazy {
		if re() != re() {
			t.Errorf("pattern %d compiled twice", i)
		}
	}
	if got := rephrase("set my timezone to PST"); got != "timezone PST" {
		t.Errorf("rephrase = %q", got)
	}
}
