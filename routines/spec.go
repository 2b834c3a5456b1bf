package routines

import (
	"fmt"
	"strconv"
	"strings"
)

// specVersion prefixes every spec so the format can change later.
const specVersion = "1"

// Spec is a compact, stable text form of the routine as shown: the request
// (minutes, place, category, difficulty) and each item's exercise id and
// seconds, e.g. "1;10;desk;;;standing-hip-circles:50,wall-march:60".
// Library.FromSpec turns it back into the same routine, so a caller can
// store it to show the routine again (a snooze, "again") even after the
// builder or the rotation changes. It is about 25 bytes per item.
func (r Routine) Spec() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s;%d;%s;%s;%s;", specVersion, r.Request.Minutes, r.Request.Place, r.Request.Category, r.Request.Difficulty)
	for k, it := range r.Items {
		if k > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, "%s:%d", it.Exercise.ID, it.Seconds)
	}
	return sb.String()
}

// FromSpec rebuilds the routine a Spec describes: the same items, times,
// doses and stage labels. Routine.Used and Request.Seed stay empty. It
// fails (with an error wrapping ErrInvalid) when the spec is malformed or
// names an exercise or a time the library no longer has.
func (l *Library) FromSpec(spec string) (Routine, error) {
	bad := func(format string, args ...any) (Routine, error) {
		return Routine{}, fmt.Errorf("routines: spec %.60q: %s: %w", spec, fmt.Sprintf(format, args...), ErrInvalid)
	}
	parts := strings.Split(spec, ";")
	if len(parts) != 6 || parts[0] != specVersion {
		return bad("not a version %s spec", specVersion)
	}
	minutes, err := strconv.Atoi(parts[1])
	if err != nil || minutes < 1 || strconv.Itoa(minutes) != parts[1] {
		return bad("minutes %q", parts[1])
	}
	req, err := normalize(Request{Minutes: minutes, Place: Place(parts[2]), Category: Category(parts[3]), Difficulty: parts[4]})
	if err != nil || parts[2] == "" {
		return bad("request: %v", err)
	}
	r := Routine{Request: req}
	if parts[5] == "" {
		return bad("no items")
	}
	seen := map[string]bool{}
	for _, p := range strings.Split(parts[5], ",") {
		id, secs, ok := strings.Cut(p, ":")
		n, err := strconv.Atoi(secs)
		if !ok || err != nil || strconv.Itoa(n) != secs {
			return bad("item %q", p)
		}
		e, ok := l.Get(id)
		if !ok {
			return bad("no exercise %q", id)
		}
		if seen[e.Movement] {
			return bad("%s repeats a movement", id)
		}
		seen[e.Movement] = true
		it, ok := e.At(n)
		if !ok || it.Seconds != n {
			return bad("%s cannot take %d s", id, n)
		}
		r.Items = append(r.Items, it)
		r.Seconds += n
	}
	if r.Seconds > req.Minutes*60 {
		return bad("items take %d s, more than the break", r.Seconds)
	}
	labelStages(r.Items)
	return r, nil
}
