// Package zones reads a time zone the way people name it: an IANA name in
// any case or spacing ("america/new york"), a city ("Berlin", "kolkata",
// "São Paulo"), a country with one zone ("Japan"), or a common abbreviation
// ("PST", "CET", "IST"), mapped to a representative IANA zone. A typo gets
// the closest name to suggest. It uses only the standard library, so the
// core may import it; Names, generated from the tz database, is also what
// adapters offer in autocomplete.
package zones

//go:generate go run ./zonegen -o names.go
