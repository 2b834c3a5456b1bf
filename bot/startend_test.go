package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A repeating reminder may have both a start and an end on a date; an end
// counted from now ("for 5 days") still may not, and an end before the
// start is refused for that.
func TestStartAndEndOnADate(t *testing.T) {
	k := testkit.New(t)
	for _, in := range []string{
		"remind me every day at 9 from 1 january until 31 march",
		"remind me every day at 9 starting 1 january until 31 march",
		"schedule every weekday at 10 from 4 january until 26 february in #general",
	} {
		r := k.Send(in)
		text := r.PlainText()
		if r.Error || !strings.Contains(text, "until") || !strings.Contains(text, "starting") || strings.Contains(text, "at 09:00.\n") {
			t.Errorf("%q:\n%s", in, text)
		}
	}
	if r := k.Send("remind me every day at 9 from 1 january until 31 march"); !strings.Contains(r.PlainText(), "Next: Fri 1 Jan 2027 09:00") {
		t.Errorf("first run:\n%s", r.PlainText())
	}
	refusedWith(t, k, "remind me every day at 9 for 5 days starting monday", "a start or an end, not both", "remind me every day at 9 for 5 days")
	refusedWith(t, k, "remind me every day at 9 starting 1 april until 31 march", "before it starts", "remind me every day at 9 until 31 march")
}

// A start on a date said with "from" and a number first ("from 4
// january") starts at that day's beginning: the number is the day, not a
// time.
func TestFromADateStartsThatDay(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every weekday at 10 from 4 january")
	if text := r.PlainText(); r.Error || strings.Contains(text, "at 09:00") || !strings.Contains(text, "starting Mon 4 Jan 2027.") {
		t.Errorf("from 4 january:\n%s", text)
	}
}
