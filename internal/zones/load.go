package zones

import (
	"sync"
	"time"
)

// loaded holds every zone Load has read. Only names the zone database
// knows get in, and there are a few hundred of those, so it stays small.
var loaded sync.Map // string -> *time.Location

// Load is time.LoadLocation without reading the zone database again for a
// name it has loaded before: a *time.Location never changes, so every
// caller may share one. Requests name their caller's zone each time, and
// reading and parsing the zone file cost more than the rest of a short
// command.
func Load(name string) (*time.Location, error) {
	if v, ok := loaded.Load(name); ok {
		return v.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	loaded.Store(name, loc)
	return loc, nil
}
