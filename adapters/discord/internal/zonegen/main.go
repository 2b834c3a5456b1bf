// Command zonegen writes adapters/discord/zones.go: the IANA zone names
// that the timezone option's autocomplete offers. It reads the Zone lines
// of tzdata.zi (the compact tz database that tzdata packages install) and
// keeps the geographic names, Area/Location, plus UTC: links are old
// aliases, and the Etc/ zones and bare abbreviations (EST, CET) are not
// places a user would pick.
//
// Run it with go generate in adapters/discord; -in names another
// tzdata.zi, whose version goes into the file's header.
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
	out := flag.String("o", "zones.go", "the Go file to write")
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
	version, names, err := zones(r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated from %s (tzdata %s) Zone lines; DO NOT EDIT.\n\n", path, version)
	b.WriteString("package discord\n\n")
	b.WriteString("// zoneNames lists canonical IANA zone names offered by timezone autocomplete.\n")
	b.WriteString("var zoneNames = []string{\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\t%q,\n", n)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}

// zones reads the database's version and the sorted names worth offering.
func zones(r io.Reader) (version string, names []string, err error) {
	names = []string{"UTC"}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "# version "); ok {
			version = strings.TrimSpace(v)
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "Z" {
			continue
		}
		name := fields[1]
		if strings.Contains(name, "/") && !strings.HasPrefix(name, "Etc/") {
			names = append(names, name)
		}
	}
	if err := sc.Err(); err != nil {
		return "", nil, err
	}
	if version == "" || len(names) == 1 {
		return "", nil, fmt.Errorf("no version line or no Zone lines: not a tzdata.zi")
	}
	slices.Sort(names)
	return version, slices.Compact(names), nil
}
