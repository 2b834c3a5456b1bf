package when

import (
	"testing"
	"time"
)

func BenchmarkNext(b *testing.B) {
	loc := mustZone(b, "Europe/Berlin")
	now := mustTime(b, tableNow)
	p := Parser{MinInterval: time.Second}
	for _, bc := range []struct{ name, in string }{
		{"once", "in 20 minutes"},
		{"interval", "every 45 minutes"},
		{"interval_days", "every 45 minutes on weekdays"},
		{"window", "every 2 hours between 9:00 and 17:00 on weekdays"},
		{"days", "every weekday at 10:30 and 15:00"},
		{"cron", `cron "*/30 9-17 * * 1-5"`},
		{"cron_leap_day", `cron "0 9 29 2 *"`},
		{"every_2_days", "every 2 days at 9"},
		{"other_wednesday", "every other wednesday at 10"},
		{"monthly_last_friday", "on the last friday of every month at 16:00"},
		{"monthly_31st", "every month on the 31st at 9"},
		{"yearly", "every year on 29 february at 9"},
		{"overnight_window", "every hour between 22:00 and 06:00 on fridays"},
		{"bounded", "every weekday at 10:30 and 15:00 until 2031-01-01"},
	} {
		r := mustParse(b, p, bc.in, loc, now)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			t := now
			for b.Loop() {
				next := r.Next(t)
				if next.IsZero() {
					t = now // a one-shot ends; start over
					continue
				}
				t = next
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	loc := mustZone(b, "Europe/Berlin")
	now := mustTime(b, tableNow)
	p := Parser{MinInterval: time.Second}
	for _, in := range []string{"in 20 minutes", "every weekday at 10:30 and 15:00", `cron "*/30 9-17 * * 1-5"`,
		"in an hour and a half", "at 3pm every day", "every other wednesday at 10", "on the last friday of every month at 16:00",
		"every 30 min from 9 to 5", "every day at 9 for 3 weeks"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Parse(in, loc, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	loc := mustZone(b, "Europe/Berlin")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Parser{}).Load("days mon,tue,wed,thu,fri at 10:30,15:00", loc); err != nil {
			b.Fatal(err)
		}
	}
}
