package bot

import "testing"

// Every message goes through rephrase: it must cost little next to a
// request's own work.
func BenchmarkRephrase(b *testing.B) {
	for _, text := range []string{"help", "remind me every weekday at 10:30 to stretch", "set my timezone to PST"} {
		b.Run(text, func(b *testing.B) {
			for range b.N {
				rephrase(text)
			}
		})
	}
}
