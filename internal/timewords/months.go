package timewords

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// months maps month names and their short forms to months.
var months = func() map[string]time.Month {
	m := map[string]time.Month{"sept": time.September}
	for i := time.January; i <= time.December; i++ {
		name := strings.ToLower(i.String())
		m[name], m[name[:3]] = i, i
	}
	return m
}()

// Month returns the month a lower-case word names: "march", "mar",
// "sept".
func Month(word string) (time.Month, bool) {
	m, ok := months[word]
	return m, ok
}

// MonthWords lists every word Month knows, sorted.
func MonthWords() []string {
	return slices.Sorted(maps.Keys(months))
}
