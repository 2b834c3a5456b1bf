package discord

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestAutocomplete(t *testing.T) {
	e := newEnv(t, &funcHandler{})
	body := `{"type":4,"id":"I3","token":"T","guild_id":"G1","channel_id":"C1","member":{"user":{"id":"U1"},"permissions":"0"},` +
		`"data":{"name":"stretch","options":[{"name":"timezone","type":1,"options":[{"name":"zone","type":3,"value":"berl","focused":true}]}]}}`
	got := decode(t, e.post(t, body))
	if got["type"] != float64(8) {
		t.Fatalf("type = %v, want 8", got["type"])
	}
	choices := got["data"].(map[string]any)["choices"].([]any)
	if len(choices) == 0 || choices[0].(map[string]any)["value"] != "Europe/Berlin" {
		t.Errorf("choices = %v, want Europe/Berlin first", choices)
	}
	body = strings.Replace(body, `"berl"`, `""`, 1)
	choices = decode(t, e.post(t, body))["data"].(map[string]any)["choices"].([]any)
	if len(choices) == 0 || len(choices) > 25 {
		t.Errorf("empty query gave %d choices, want 1 to 25", len(choices))
	}
}

func TestAutocompleteNoMatchSendsEmptyChoices(t *testing.T) {
	body := `{"type":4,"id":"I3","token":"T","guild_id":"G1","channel_id":"C1","member":{"user":{"id":"U1"},"permissions":"0"},` +
		`"data":{"name":"stretch","options":[{"name":"timezone","type":1,"options":[{"name":"zone","type":3,"value":"zzzz","focused":true}]}]}}`
	t.Run("http", func(t *testing.T) {
		e := newEnv(t, &funcHandler{})
		rec := e.post(t, body)
		if got := strings.TrimSpace(rec.Body.String()); got != `{"type":8,"data":{"choices":[]}}` {
			t.Errorf("response = %s", got)
		}
	})
	t.Run("gateway", func(t *testing.T) {
		fake := newFakeDiscord(t)
		a, err := New(Config{Token: "tok", APIURL: fake.srv.URL})
		if err != nil {
			t.Fatal(err)
		}
		a.sess = &fakeSession{}
		var in discordgo.Interaction
		if err := json.Unmarshal([]byte(body), &in); err != nil {
			t.Fatal(err)
		}
		a.onInteraction(context.Background(), &funcHandler{}, &discordgo.InteractionCreate{Interaction: &in})
		r := fake.waitFor(t, "callback", func(r request) bool { return r.Path == "/api/v10/interactions/I3/T/callback" })
		if string(r.Body) != `{"type":8,"data":{"choices":[]}}` || r.Header.Get("Authorization") != "" {
			t.Errorf("callback = %s (auth %q)", r.Body, r.Header.Get("Authorization"))
		}
	})
}

// Completion offers what `timezone` reads: an abbreviation or a country
// completes to the zone it stands for, and an empty field shows zones
// people use, not the first 25 in alphabetical order (all in Africa).
func TestAutocompleteZonesAsTimezoneReadsThem(t *testing.T) {
	for q, want := range map[string]string{"": "UTC", "pst": "America/Los_Angeles", "japan": "Asia/Tokyo", "berl": "Europe/Berlin", "new york": "America/New_York", "CET": "Europe/Berlin"} {
		got := matchZones(q, 25)
		if len(got) == 0 || got[0] != want {
			t.Errorf("matchZones(%q) = %v, want %s first", q, got, want)
		}
	}
	common := matchZones("", 25)
	for _, z := range []string{"America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney"} {
		if !slices.Contains(common, z) {
			t.Errorf("empty query offers %v, without %s", common, z)
		}
	}
}

// Completion never offers more than Discord takes, nor a zone twice.
func FuzzMatchZones(f *testing.F) {
	for _, q := range []string{"", "pst", "japan", "new york", "berl", "UTC+5", "ｃｅｔ"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		got := matchZones(q, 25)
		if len(got) > 25 {
			t.Fatalf("%q: %d choices", q, len(got))
		}
		seen := map[string]bool{}
		for _, z := range got {
			if seen[z] || z == "" {
				t.Fatalf("%q: %v", q, got)
			}
			seen[z] = true
		}
	})
}
