package discord

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
	"github.com/stretchbot/stretchbot/bot"
)

func componentBody(customID string) string {
	return `{"type":3,"id":"I2","application_id":"APP","token":"TOK2","guild_id":"G1","channel_id":"C1",` +
		`"member":{"user":{"id":"U1","username":"ann"},"permissions":"8"},` +
		`"message":{"id":"M9","channel_id":"C1"},"data":{"custom_id":"` + customID + `","component_type":2}}`
}

func TestComponent(t *testing.T) {
	update := &bot.Reply{Title: "Team break", Blocks: []string{"3 joined"}, Visibility: bot.Public,
		Actions: []bot.Action{{ID: bot.ActionJoin, Label: "Join", Value: "k3f9:1700000000", Style: "primary"}}}
	eph := &bot.Reply{Blocks: []string{"counted you in"}, Visibility: bot.Private}
	tests := []struct {
		name       string
		res        bot.ActionResult
		wantType   float64
		wantFlags  float64
		wantText   string
		wantFollow bool
	}{
		{"update", bot.ActionResult{Update: update}, 7, 0, "3 joined", false},
		{"update and ephemeral", bot.ActionResult{Update: update, Ephemeral: eph}, 7, 0, "3 joined", true},
		{"only ephemeral", bot.ActionResult{Ephemeral: eph}, 4, 64, "counted you in", false},
		{"nothing", bot.ActionResult{}, 6, 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return tt.res }}
			e := newEnv(t, h)
			got := decode(t, e.post(t, componentBody("join:k3f9:1700000000")))
			if got["type"] != tt.wantType {
				t.Fatalf("type = %v, want %v", got["type"], tt.wantType)
			}
			if tt.wantText != "" {
				data := got["data"].(map[string]any)
				flags, _ := data["flags"].(float64)
				if flags != tt.wantFlags || !strings.Contains(rawJSON(t, data), tt.wantText) {
					t.Errorf("data = %v, want flags %v and %q", data, tt.wantFlags, tt.wantText)
				}
			}
			ev := h.actions[0]
			if ev.ID != bot.ActionJoin || ev.Value != "k3f9:1700000000" || ev.MessageRef != "M9" || ev.User != "U1" || !ev.Admin || ev.Tenant != "G1" {
				t.Errorf("event = %+v", ev)
			}
			if tt.wantFollow {
				f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
				if j := f.JSON(); j["flags"] != float64(64) || !strings.Contains(string(f.Body), "counted you in") {
					t.Errorf("follow-up = %s", f.Body)
				}
			}
		})
	}
	t.Run("update round-trips buttons", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return bot.ActionResult{Update: update} }}
		e := newEnv(t, h)
		body := e.post(t, componentBody("done:x")).Body.String()
		if !strings.Contains(body, `"custom_id":"join:k3f9:1700000000"`) {
			t.Errorf("update lost the button: %s", body)
		}
	})
	t.Run("bad custom id", func(t *testing.T) {
		h := &funcHandler{}
		e := newEnv(t, h)
		got := decode(t, e.post(t, componentBody("nocolon")))
		if got["type"] != float64(4) || h.calls() != 0 {
			t.Errorf("got %v with %d calls", got, h.calls())
		}
	})
}

func TestDeferredComponent(t *testing.T) {
	release := make(chan struct{})
	h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
		<-release
		return bot.ActionResult{Update: &bot.Reply{Blocks: []string{"done, thanks"}}, Ephemeral: &bot.Reply{Blocks: []string{"streak 3"}}}
	}}
	e := newEnv(t, h)
	e.a.work.After = respond.ExpireNow(nil)
	if got := decode(t, e.post(t, componentBody("done:k3f9"))); got["type"] != float64(6) {
		t.Fatalf("type = %v, want 6 (deferred update)", got["type"])
	}
	close(release)
	patch := e.fake.waitFor(t, "PATCH @original", func(r request) bool {
		return r.Method == http.MethodPatch && r.Path == "/api/v10/webhooks/APP/TOK2/messages/@original"
	})
	if !strings.Contains(string(patch.Body), "done, thanks") {
		t.Errorf("update = %s", patch.Body)
	}
	f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
	if f.JSON()["flags"] != float64(64) {
		t.Errorf("follow-up = %s", f.Body)
	}
}

// clickedDelivery is a component interaction on a delivered routine: the
// message carries its embed and buttons, and an older status as content.
const clickedDelivery = `{"type":3,"id":"I2","application_id":"APP","token":"TOK2","guild_id":"G1","channel_id":"C1",` +
	`"member":{"user":{"id":"U1","username":"ann"},"permissions":"0"},` +
	`"message":{"id":"M9","channel_id":"C1","content":"\u200b✅ 1 person did this break",` +
	`"embeds":[{"type":"rich","title":"Stretch time","description":"Five minutes.","fields":[{"name":"1. Cat-cow — 60 s","value":"Round your back"}],"footer":{"text":"Stop if anything hurts."}}],` +
	`"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Done","custom_id":"done:k3f9@1700000000"},{"type":2,"style":2,"label":"Join","custom_id":"join:k3f9@1700000000"}]}]},` +
	`"data":{"custom_id":"done:k3f9@1700000000","component_type":2}}`

func checkStatusMessage(t *testing.T, data map[string]any, status string) {
	t.Helper()
	if data["content"] != statusMark+status {
		t.Errorf("content = %q, want the status line %q", data["content"], status)
	}
	if _, ok := data["flags"]; ok {
		t.Errorf("status update has flags %v", data["flags"])
	}
	raw := rawJSON(t, data)
	for _, want := range []string{`"title":"Stretch time"`, `"Round your back"`, `"Stop if anything hurts."`,
		`"custom_id":"done:k3f9@1700000000"`, `"custom_id":"join:k3f9@1700000000"`, `"label":"Join"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("update lost %s: %s", want, raw)
		}
	}
	if strings.Contains(raw, "1 person") {
		t.Errorf("old status kept: %s", raw)
	}
}

func TestComponentStatus(t *testing.T) {
	status := "✅ 3 people did this break"
	t.Run("status only", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return bot.ActionResult{Status: status} }}
		e := newEnv(t, h)
		got := decode(t, e.post(t, clickedDelivery))
		if got["type"] != float64(7) {
			t.Fatalf("type = %v, want 7", got["type"])
		}
		checkStatusMessage(t, got["data"].(map[string]any), status)
		if n := len(e.fake.requests()); n != 0 {
			t.Errorf("%d REST calls, want none", n)
		}
	})
	t.Run("status and ephemeral", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: status, Ephemeral: &bot.Reply{Blocks: []string{"Counted. Nice work!"}}}
		}}
		e := newEnv(t, h)
		got := decode(t, e.post(t, clickedDelivery))
		if got["type"] != float64(7) {
			t.Fatalf("type = %v, want 7", got["type"])
		}
		checkStatusMessage(t, got["data"].(map[string]any), status)
		f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
		if j := f.JSON(); j["flags"] != float64(64) || !strings.Contains(string(f.Body), "Counted") {
			t.Errorf("follow-up = %s", f.Body)
		}
	})
	t.Run("update wins over status", func(t *testing.T) {
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			return bot.ActionResult{Status: status, Update: &bot.Reply{Blocks: []string{"replaced"}}}
		}}
		e := newEnv(t, h)
		data := decode(t, e.post(t, clickedDelivery))["data"].(map[string]any)
		if !strings.Contains(data["content"].(string), "replaced") {
			t.Errorf("data = %v", data)
		}
	})
	t.Run("deferred", func(t *testing.T) {
		release := make(chan struct{})
		h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult {
			<-release
			return bot.ActionResult{Status: status, Ephemeral: &bot.Reply{Blocks: []string{"streak 3"}}}
		}}
		e := newEnv(t, h)
		e.a.work.After = respond.ExpireNow(nil)
		if got := decode(t, e.post(t, clickedDelivery)); got["type"] != float64(6) {
			t.Fatalf("type = %v, want 6", got["type"])
		}
		close(release)
		patch := e.fake.waitFor(t, "PATCH @original", func(r request) bool {
			return r.Method == http.MethodPatch && r.Path == "/api/v10/webhooks/APP/TOK2/messages/@original"
		})
		checkStatusMessage(t, patch.JSON(), status)
		f := e.fake.waitFor(t, "follow-up", func(r request) bool { return r.Path == "/api/v10/webhooks/APP/TOK2" })
		if f.JSON()["flags"] != float64(64) {
			t.Errorf("follow-up = %s", f.Body)
		}
	})
}

// Choosing an exercise in a compact routine's Steps menu reaches the core
// as the Steps action with the option's value, and its answer is private.
func TestStepsMenu(t *testing.T) {
	steps := &bot.Reply{Title: "Cat-cow", Cards: []bot.Card{{Name: "Cat-cow", Steps: []string{"Round your back."}}}, Visibility: bot.Private}
	h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return bot.ActionResult{Ephemeral: steps} }}
	e := newEnv(t, h)
	body := strings.Replace(componentBody("steps:1"), `"component_type":2}`, `"component_type":3,"values":["cat-cow@90"]}`, 1)
	got := decode(t, e.post(t, body))
	data, _ := got["data"].(map[string]any)
	if got["type"] != float64(4) || data["flags"] != float64(64) || !strings.Contains(rawJSON(t, data), "Round your back.") {
		t.Fatalf("response = %v, want type 4, flag 64 and the steps", got)
	}
	if ev := h.actions[0]; ev.ID != bot.ActionSteps || ev.Value != "cat-cow@90" {
		t.Errorf("event = %+v", ev)
	}
}

// Done on a compact routine keeps its Steps menus while the status line
// changes.
func TestStatusKeepsStepsMenus(t *testing.T) {
	r := bot.Reply{Title: "Team stretch break", Compact: true, Actions: []bot.Action{{ID: bot.ActionDone, Label: "Done", Value: "k3f9@1"}}}
	for i := range 30 {
		r.Cards = append(r.Cards, card(i))
	}
	m, _ := json.Marshal(render(r))
	body := strings.Replace(componentBody("done:k3f9@1"), `"message":{"id":"M9","channel_id":"C1"}`,
		`"message":`+strings.Replace(string(m), `{`, `{"id":"M9","channel_id":"C1",`, 1), 1)
	h := &funcHandler{action: func(bot.ActionEvent) bot.ActionResult { return bot.ActionResult{Status: "✅ 1 person did this break"} }}
	e := newEnv(t, h)
	got := decode(t, e.post(t, body))
	data := rawJSON(t, got["data"])
	for _, want := range []string{`"custom_id":"steps:0"`, `"custom_id":"steps:1"`, `"value":"exercise-29@60"`, `"custom_id":"done:k3f9@1"`, "1 person did this break"} {
		if !strings.Contains(data, want) {
			t.Errorf("status update lost %s: %s", want, data)
		}
	}
}
