package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A reminder kept in another zone names that zone once in list: a one-off
// set in UTC already says "09:00 UTC", so "(UTC)" after it says it twice.
func TestListNamesAnotherZoneOnce(t *testing.T) {
	k := testkit.New(t)
	k.Send("remind me on december 25 at 9")
	k.Send("remind me every day at 9")
	k.Send("timezone berlin")
	got := k.Send("list").PlainText()
	if strings.Contains(got, "UTC (UTC)") {
		t.Errorf("list names the zone twice:\n%s", got)
	}
	bottest.MustContain(t, k.Send("list"), "at 09:00 UTC ·", "every day at 09:00 (UTC)")
}
