package schedule

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
)

// robfig/cron is used only to read the five fields into bit sets. Its Next
// is not used: it skips wall times that fall in a spring-forward gap and
// fires twice in a fall-back overlap, while wallRule applies the spec's
// daylight-saving policy. It also panics on a lone "TZ=UTC", so the zone
// prefix is handled here and the call is guarded by recover.
var cronFields = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// cronZones caches time.LoadLocation, which reads the zone database each time,
// so that loading many stored CRON_TZ rules stays cheap.
var cronZones sync.Map // string -> *time.Location

func loadZone(name string) (*time.Location, error) {
	if v, ok := cronZones.Load(name); ok {
		return v.(*time.Location), nil
	}
	// "Local" would mean the server's zone, which users cannot see.
	if name == "" || strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("no such zone")
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	cronZones.Store(name, loc)
	return loc, nil
}

// cronError is a reason a cron expression was refused, without an example;
// the caller adds the example that suits the context.
type cronError struct{ msg string }

func (e *cronError) Error() string { return e.msg }

func cronErrorf(format string, args ...any) error {
	return &cronError{fmt.Sprintf(format, args...)}
}

// buildCron reads a cron expression (the text after the word cron, quotes
// removed) read in loc unless it names its own zone. For "@every <d>" it
// returns no rule and the duration text, which the caller treats as an
// interval.
func buildCron(expr string, loc *time.Location) (r *wallRule, every string, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, every, err = nil, "", cronErrorf("That cron expression is not valid")
		}
	}()
	fields := strings.Fields(expr)
	if len(fields) == 0 {
		return nil, "", cronErrorf("Give a cron expression after the word cron")
	}
	var zone string
	if f := fields[0]; hasPrefixFold(f, "CRON_TZ=") || hasPrefixFold(f, "TZ=") {
		zone = f[strings.IndexByte(f, '=')+1:]
		z, err := loadZone(zone)
		if err != nil {
			return nil, "", cronErrorf("%s is not a time zone; use an IANA name like Europe/Berlin", quoteText(zone))
		}
		loc = z
		fields = fields[1:]
		if len(fields) == 0 {
			return nil, "", cronErrorf("Give the five cron fields after %s", quoteText(f))
		}
	}
	if strings.HasPrefix(fields[0], "@") {
		fields[0] = strings.ToLower(fields[0])
		if fields[0] == "@every" {
			return nil, strings.Join(fields[1:], " "), nil
		}
		if len(fields) > 1 {
			return nil, "", cronErrorf("%s takes nothing after it", fields[0])
		}
	} else if len(fields) != 5 {
		return nil, "", cronErrorf("A cron expression has 5 fields (minute hour day-of-month month day-of-week); %s has %d", quoteText(strings.Join(fields, " ")), len(fields))
	}
	text := strings.Join(fields, " ")
	sched, err := cronFields.Parse(text)
	if err != nil {
		if strings.HasPrefix(text, "@") {
			return nil, "", cronErrorf("Unknown cron shortcut %s; use @hourly, @daily, @weekly, @monthly or @yearly", quoteText(text))
		}
		return nil, "", cronErrorf("That cron expression is not valid: %s", oneLine(err.Error()))
	}
	spec, ok := sched.(*cron.SpecSchedule)
	if !ok {
		return nil, "", cronErrorf("That cron expression is not valid")
	}
	if zone != "" {
		text = "CRON_TZ=" + zone + " " + text
	}
	const star = 1 << 63
	return &wallRule{
		loc:  loc,
		kind: kindCron,
		cal: dateSet{
			months: uint16(spec.Month & 0x1ffe),
			dom:    uint32(spec.Dom & 0xfffffffe),
			dow:    weekdays(spec.Dow & uint64(allDays)),
			and:    spec.Dom&star != 0 || spec.Dow&star != 0,
		},
		clk: timesOfDay{
			hours:   uint32(spec.Hour & 0xffffff),
			minutes: spec.Minute & (1<<60 - 1),
		},
		cron: text,
		zone: zone,
	}, "", nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
