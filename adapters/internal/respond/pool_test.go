package respond

import (
	"sync"
	"testing"
)

// The pool never queues work behind busy goroutines: pieces that wait for
// each other all run at once, and later ones reuse the goroutines left.
func TestPoolRunsEverythingAtOnce(t *testing.T) {
	var p pool
	for range 3 {
		const n = 50
		var started, done sync.WaitGroup
		started.Add(n)
		done.Add(n)
		release := make(chan struct{})
		for range n {
			p.run(func() {
				defer done.Done()
				started.Done()
				<-release
			})
		}
		started.Wait() // hangs if any piece waits for another to finish
		close(release)
		done.Wait()
	}
}
