package chattext

import (
	"regexp"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ｂｒｅａｋ　２ ｍｉｎ":           "break 2 min",
		"break\u00a05\u00a0min": "break 5 min",
		"São Paulo":             "São Paulo",
		"ﬁve minutes":           "five minutes",
		"remind me at ３ｐｍ":      "remind me at 3pm",
		"plain":                 "plain",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAfterMention(t *testing.T) {
	mention := regexp.MustCompile(`<@BOT>`)
	for _, tt := range []struct{ in, want string }{
		{"<@BOT> break 2 min", "break 2 min"},
		{"hey <@BOT> break", "break"},
		{"hey <@BOT>, break", "break"},
		{"<@BOT>: list", "list"},
		{"<@BOT> remind <@U2> <@BOT> now", "remind <@U2> now"},
		{"break 2 min <@BOT>", "break 2 min"},
		{"<@BOT>", ""},
		{"  <@BOT>   ", ""},
		{"no mention here", "no mention here"},
		{"a  b", "a b"},
	} {
		var spans [][2]int
		for _, m := range mention.FindAllStringIndex(tt.in, -1) {
			spans = append(spans, [2]int{m[0], m[1]})
		}
		if got := AfterMention(tt.in, spans); got != tt.want {
			t.Errorf("AfterMention(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
