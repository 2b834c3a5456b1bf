package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A channel's holiday calendar decides on which days its team breaks run,
// so it is shared like them: a member may set it while the team breaks
// here are all their own (or there are none), and otherwise only an admin
// may change it. Anyone may look at it.
func TestHolidaysChangedOnlyByThoseItAffects(t *testing.T) {
	k := testkit.New(t)
	// No team break here yet: anyone may set it, and the creator of every
	// team break here may change it.
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays DE"), "now skip the public holidays of Germany")
	id := createdID(t, k.SendAs("U1", "C1", "schedule every weekday at 11"))
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays GB"), "the United Kingdom")

	// Another member would change when U1's team break runs.
	for _, cmd := range []string{"holidays FR", "holidays off"} {
		r := k.SendAs("U2", "C1", cmd)
		if !r.Error {
			t.Fatalf("%s by another member was taken:\n%s", cmd, r.PlainText())
		}
		bottest.MustContain(t, r, "#"+id, "an admin", "Try: holidays")
	}
	// Still the calendar U1 set; looking is for everyone.
	bottest.MustContain(t, k.SendAs("U2", "C1", "holidays"), "the United Kingdom, code GB")
	admin := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "C1", User: "boss", Admin: true, Text: "holidays off"}
	bottest.MustContain(t, k.SendMsg(admin), "Holiday calendar removed")
	// In another channel, without team breaks of others, U2 may.
	bottest.MustContain(t, k.SendAs("U2", "C2", "holidays FR"), "France")
}
