package bot

import (
	"strings"

	"github.com/stretchbot/stretchbot/routines"
)

// painWords are words people use to say something hurts. A sentence with
// one ("my back hurts", "back pain") is no command, even when its first
// word is one: `back` ends time away, which "back pain" must not do.
var painWords = map[string]bool{
	"hurt": true, "hurts": true, "hurting": true, "pain": true, "pains": true, "painful": true,
	"ache": true, "aches": true, "aching": true, "achy": true, "sore": true, "injured": true,
	"injury": true, "spasm": true, "spasms": true, "ouch": true, "ow": true,
}

// painSaid reports whether text has one of painWords.
func painSaid(text string) bool {
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if painWords[strings.Trim(w, ".,!?:;'\"()")] {
			return true
		}
	}
	return false
}

// painReply answers a sentence saying something hurts: a gentle break to
// try, and the safety note for zone, which says when to see a clinician
// instead.
func painReply(zone string) Reply {
	return Reply{
		Blocks: []string{
			"Sorry it hurts. Gentle movement may ease it more than keeping still: try `break mobility`, and go only as far as feels comfortable.",
		},
		Note:       routines.SafetyNote(zone),
		Visibility: Private,
	}
}
