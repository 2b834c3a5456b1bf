package slack

import (
	"context"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

// A file that cannot be uploaded does not fail the delivery: the message
// is already posted, and a retry would post it twice.
func TestSendWithAFileThatCannotBeUploaded(t *testing.T) {
	e := newTestEnv(t, &funcHandler{})
	e.f.mu.Lock()
	e.f.always["files.getUploadURLExternal"] = failure{code: "missing_scope"}
	e.f.mu.Unlock()
	reply := delivery
	reply.Files = []bot.File{{Name: "chart.png", Type: "image/png", Title: "Team breaks per day", Data: []byte("\x89PNG\r\n\x1a\n")}}
	if _, err := e.a.Send(context.Background(), bot.Outgoing{Platform: bot.Slack, Tenant: "T1", Channel: "C3", Reply: reply}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := len(e.f.callsTo("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	asks := e.f.callsTo("files.getUploadURLExternal")
	if len(asks) == 0 {
		t.Fatal("no upload was tried")
	}
	if p := asks[0].Params; p.Get("filename") != "chart.png" || p.Get("length") != "8" {
		t.Errorf("upload asked with %v", p)
	}
	if n := len(e.f.callsTo("files.completeUploadExternal")); n != 0 {
		t.Errorf("completed %d uploads that never happened", n)
	}
}
