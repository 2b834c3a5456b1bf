package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A sentence saying something hurts is answered with a gentle break to try
// and the safety note; "back pain" does not end time away, as `back` does.
func TestPainSaidIsNoCommand(t *testing.T) {
	k := testkit.New(t)
	k.Send("away for 2 weeks")
	for _, in := range []string{"back pain", "my back hurts", "I have back pain", "my lower back is sore!", "ouch", "Back hurts again"} {
		r := k.Send(in)
		text := r.PlainText()
		if r.Error || !strings.Contains(text, "`break mobility`") || !strings.Contains(text, "see a clinician") {
			t.Errorf("%q:\n%s", in, text)
		}
	}
	if r := k.Send("break mobility"); r.Error {
		t.Errorf("the break offered is refused:\n%s", r.PlainText())
	}
	if r := k.Send("back"); !strings.Contains(r.PlainText(), "Welcome back") {
		t.Errorf("time away ended before `back`:\n%s", r.PlainText())
	}
}
