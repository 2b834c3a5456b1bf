package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A word that several exercises' names share is not settled silently:
// found by an alias, the answer names the others; found by no alias, the
// refusal lists them all; a word of one name alone shows that exercise.
func TestExerciseByAWordOfSeveralNames(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("exercise hamstring")
	text := r.PlainText()
	if r.Error || !strings.Contains(text, "Standing hamstring stretch") ||
		!strings.Contains(text, "also names Seated hamstring stretch and Supine hamstring stretch") {
		t.Errorf("exercise hamstring:\n%s", text)
	}
	if r := k.Send("exercise seated hamstring stretch"); r.Error || strings.Contains(r.PlainText(), "also names") {
		t.Errorf("a whole name names no others:\n%s", r.PlainText())
	}
	refusedWith(t, k, "exercise twist", "is in the names of Seated spinal twist, Supine hip twist and Medicine-ball twist", "exercise seated spinal twist")
	refusedWith(t, k, "exercise stretch", "and 2 more", "exercise kneeling hip-flexor stretch")
	if r := k.Send("exercise spinal"); r.Error || !strings.HasPrefix(r.PlainText(), "Seated spinal twist") {
		t.Errorf("exercise spinal:\n%s", r.PlainText())
	}
}
