package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	in := `# version 2099z
# This zic input file is in the public domain.
R d 1916 o - Jun 14 23s 1 S
Z Europe/Berlin 0:53:28 - LMT 1893 Ap
Z America/New_York -4:56:2 - LMT 1883 N 18 17u
Z Etc/GMT+5 -5 - -05
Z EST -5 - EST
Z Etc/UTC 0 - UTC
L Europe/Berlin Arctic/Longyearbyen
L America/New_York US/Eastern
L Etc/UTC Zulu
`
	got, err := generate(strings.NewReader(in), "tzdata.zi")
	if err != nil {
		t.Fatal(err)
	}
	want := `// Code generated from tzdata.zi (tzdata 2099z); DO NOT EDIT.

package zones

// Names lists the current IANA names of the world's time zones, sorted:
// the ones to offer a user.
var Names = []string{
	"America/New_York",
	"Europe/Berlin",
	"UTC",
}

// olderNames lists older or merged names of places, sorted; each still
// loads and keeps its place's clock.
var olderNames = []string{
	"Arctic/Longyearbyen",
}
`
	if string(got) != want {
		t.Errorf("generate =\n%s\nwant\n%s", got, want)
	}
	if _, err := generate(strings.NewReader("Z Europe/Berlin 1\n"), "x"); err == nil {
		t.Error("a file without a version line was accepted")
	}
}

// TestNamesFileIsGenerated regenerates ../names.go from this machine's tz
// database when it is the version the file was made from.
func TestNamesFileIsGenerated(t *testing.T) {
	const path = "/usr/share/zoneinfo/tzdata.zi"
	committed, err := os.ReadFile("../names.go")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no tz database to compare with: %v", err)
	}
	db, err := read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(committed, []byte("(tzdata "+db.version+")")) {
		t.Skipf("names.go was made from another tzdata version than %s", db.version)
	}
	got, err := generate(bytes.NewReader(data), path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Error("names.go differs from what go generate writes; run go generate ./internal/zones")
	}
}
