// Package expiry drops expired entries from the maps that caches keep.
package expiry

import "time"

// Sweep deletes m's entries expired at now (those whose expires is not
// after now). A Go map keeps the room of the most entries it held, so when
// what is left is at most half of what it held before (or nothing), Sweep
// returns the entries in a map of their size instead of m.
func Sweep[K comparable, E any](m map[K]E, now time.Time, expires func(E) time.Time) map[K]E {
	held := len(m)
	for k, e := range m {
		if !now.Before(expires(e)) {
			delete(m, k)
		}
	}
	if len(m) > 0 && len(m) > held/2 {
		return m
	}
	fresh := make(map[K]E, len(m))
	for k, e := range m {
		fresh[k] = e
	}
	return fresh
}
