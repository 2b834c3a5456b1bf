// Command zonegen writes internal/zones/names.go: the IANA zone names the
// bot recognises by city and offers in autocomplete. It reads tzdata.zi
// (the compact tz database that tzdata packages install) and keeps the
// geographic names, Area/Location: the Zone lines, plus UTC, are the
// current names; the Link lines in those areas are older or merged names
// (Asia/Calcutta, Europe/Bratislava) that still load and that people
// still type. The Etc/ zones and bare abbreviations (EST, CET) are not
// places, so they are left out.
//
// Run it with go generate in internal/zones; -in names another tzdata.zi,
// whose version goes into the file's header.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"io"
	"log"
	"os"
	"slices"
	"strings"
)

func main() {
	in := flag.String("in", "/usr/share/zoneinfo/tzdata.zi", "the tzdata.zi to read")
	out := flag.String("o", "names.go", "the Go file to write")
	flag.Parse()
	f, err := os.Open(*in)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	src, err := generate(f, *in)
	if err != nil {
		log.Fatalf("zonegen: %s: %v", *in, err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// generate returns the Go source for the zones in r, read from path.
func generate(r io.Reader, path string) ([]byte, error) {
	db, err := read(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated from %s (tzdata %s); DO NOT EDIT.\n\n", path, db.version)
	b.WriteString("package zones\n\n")
	b.WriteString("// Names lists the current IANA names of the world's time zones, sorted:\n")
	b.WriteString("// the ones to offer a user.\n")
	b.WriteString("var Names = []string{\n")
	for _, n := range db.zones {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n\n")
	b.WriteString("// olderNames lists older or merged names of places, sorted; each still\n")
	b.WriteString("// loads and keeps its place's clock.\n")
	b.WriteString("var olderNames = []string{\n")
	for _, n := range db.links {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

// database is what generate keeps of a tzdata.zi.
type database struct {
	version string
	zones   []string // Zone lines worth offering, plus UTC
	links   []string // Link names in the same areas
}

// areas are the first parts of geographic names.
var areas = []string{"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}

// geographic reports whether name is Area/Location in one of the areas.
func geographic(name string) bool {
	area, _, ok := strings.Cut(name, "/")
	return ok && slices.Contains(areas, area)
}

// read parses the database's version, Zone names and Link names.
func read(r io.Reader) (database, error) {
	db := database{zones: []string{"UTC"}}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# version "); ok {
			db.version = strings.TrimSpace(v)
			continue
		}
		fields := strings.Fields(line)
		switch {
		case len(fields) >= 2 && fields[0] == "Z" && geographic(fields[1]):
			db.zones = append(db.zones, fields[1])
		case len(fields) >= 3 && fields[0] == "L" && geographic(fields[2]):
			db.links = append(db.links, fields[2])
		}
	}
	if err := sc.Err(); err != nil {
		return database{}, err
	}
	if db.version == "" || len(db.zones) == 1 {
		return database{}, fmt.Errorf("no version line or no Zone lines: not a tzdata.zi")
	}
	slices.Sort(db.zones)
	slices.Sort(db.links)
	db.zones = slices.Compact(db.zones)
	db.links = slices.Compact(db.links)
	return db, nil
}
