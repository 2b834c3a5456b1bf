//go:build race

package sqlite

// raceEnabled is whether the race detector is built in: its shadow memory
// grows with every allocation and counts in the resident set.
const raceEnabled = true
