package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A time said with a part of the day it is not in names two times, and
// is refused with the time alone as the example; a time that fits the
// part is read with it.
func TestPartOfDayAndTimeMustAgree(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me this morning at 4pm":        "remind me at 4pm",
		"remind me every morning at 4pm":       "remind me every day at 4pm",
		"remind me every weekday at lunch 4pm": "remind me every weekday at 4pm",
	} {
		r := k.Send(in)
		text := r.PlainText()
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, text)
			continue
		}
		if lines := strings.Split(text, "\n"); len(lines) != 2 || !strings.Contains(lines[0], "name different times: say one") {
			t.Errorf("%q: not one reason and an example:\n%s", in, text)
		}
		if got := tryLine(t, text); got != want {
			t.Errorf("%q offers %q, want %q", in, got, want)
		}
		if r := k.Send(want); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want, r.PlainText())
		}
	}
	for _, in := range []string{"remind me every morning at 8", "remind me tomorrow morning at 7:30", "remind me tonight at 11", "remind me this afternoon at 4"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}

// A 24-hour time said with pm, and 24:00, are refused with why and the
// time as it can be said.
func TestClockSlipsSayWhy(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][2]string{
		"remind me at 1330pm": {"13:30 is already afternoon: say 13:30 or 1:30pm", "remind me at 13:30"},
		"remind me at 2400":   {"24:00 is midnight: say 00:00", "remind me at 00:00"},
	} {
		r := k.Send(in)
		text := r.PlainText()
		if lines := strings.Split(text, "\n"); !r.Error || len(lines) != 2 || !strings.Contains(lines[0], want[0]) {
			t.Errorf("%q:\n%s", in, text)
			continue
		}
		if got := tryLine(t, text); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
		if r := k.Send(want[1]); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want[1], r.PlainText())
		}
	}
}

// Times said in two lists are refused with the lists joined, not with an
// unrelated example.
func TestTwoListsOfTimesOfferThemJoined(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every morning and afternoon at 10")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
	want := "remind me every day at 09:00 and 15:00 and 10"
	if got := tryLine(t, r.PlainText()); got != want {
		t.Errorf("offers %q, want %q", got, want)
	}
	if r := k.Send(want); r.Error {
		t.Errorf("%q refused:\n%s", want, r.PlainText())
	}
}

// The command word said again among a break's options is the break
// itself: "break short break" is a short break.
func TestBreakSaidTwice(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{"break short break": "break short", "break break": "break", "break a 5 min break at my desk": "break 5 min desk"} {
		got, wantText := k.Send(in), k.Send(want)
		if got.Error {
			t.Errorf("%q refused:\n%s", in, got.PlainText())
			continue
		}
		if first(got.PlainText()) != first(wantText.PlainText()) {
			t.Errorf("%q = %q, want as %q: %q", in, first(got.PlainText()), want, first(wantText.PlainText()))
		}
	}
}

func first(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }
