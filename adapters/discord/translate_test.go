package discord

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
)

func TestCommandText(t *testing.T) {
	o := func(kv ...any) []option {
		var out []option
		for i := 0; i < len(kv); i += 2 {
			out = append(out, option{Name: kv[i].(string), Value: kv[i+1]})
		}
		return out
	}
	tests := []struct {
		sub     string
		opts    []option
		want    string
		wantErr string
	}{
		{"break", nil, "break", ""},
		{"break", o("minutes", 10.0), "break 10 min", ""},
		{"break", o("minutes", 10.0, "focus", "desk"), "break 10 min desk", ""},
		{"break", o("focus", "mobility"), "break mobility", ""},
		{"exercises", nil, "exercises", ""},
		{"exercises", o("category", "traction"), "exercises traction", ""},
		{"exercise", o("name", "cat-cow"), "exercise cat-cow", ""},
		{"exercise", o("name", "  "), "", "needs `name`"},
		{"remind", o("when", "in 20 minutes"), "remind me in 20 minutes", ""},
		{"remind", o("when", "at 3pm to drink water"), "remind me at 3pm to drink water", ""},
		{"remind", nil, "", "needs `when`"},
		{"schedule", o("when", "every weekday at 10:30"), "schedule every weekday at 10:30", ""},
		{"schedule", o("when", "every weekday at 10:30", "channel", "123"), "schedule every weekday at 10:30 in <#123>", ""},
		{"schedule", o("when", "every day at 9", "channel", "<#123>"), "schedule every day at 9 in <#123>", ""},
		{"schedule", o("channel", "123"), "", "needs `when`"},
		{"list", nil, "list", ""},
		{"cancel", o("id", "k3f9"), "cancel k3f9", ""},
		{"cancel", o("id", "#k3f9"), "cancel k3f9", ""},
		{"cancel", o("id", "#"), "", "needs `id`"},
		{"cancel", nil, "", "needs `id`"},
		{"pause", o("id", "k3f9"), "pause k3f9", ""},
		{"pause", o("id", "k3f9", "for", "2h"), "pause k3f9 for 2h", ""},
		{"pause", o("id", "#k3f9", "for", "for 2h"), "pause k3f9 for 2h", ""},
		{"pause", o("id", "k3f9", "for", "until friday"), "pause k3f9 until friday", ""},
		{"pause", o("id", "all"), "pause all", ""},
		{"pause", o("id", "k3f9", "for", "Until 9am"), "pause k3f9 until 9am", ""},
		{"resume", o("id", "#k3f9"), "resume k3f9", ""},
		{"skip", o("id", "k3f9"), "skip k3f9", ""},
		{"snooze", o("id", "k3f9"), "snooze k3f9", ""},
		{"snooze", o("id", "k3f9", "for", "15m"), "snooze k3f9 for 15m", ""},
		{"snooze", o("id", "k3f9", "for", "by 15m"), "snooze k3f9 by 15m", ""},
		{"snooze", o("id", "#k3f9", "for", "For 15m"), "snooze k3f9 for 15m", ""},
		{"done", nil, "done", ""},
		{"timezone", nil, "timezone", ""},
		{"timezone", o("zone", "Europe/Berlin"), "timezone Europe/Berlin", ""},
		{"stats", nil, "stats", ""},
		{"help", nil, "help", ""},
		{"help", o("command", "schedule"), "help schedule", ""},
		{"dance", nil, "", "dance"},
	}
	for _, tt := range tests {
		t.Run(tt.sub+"/"+tt.want, func(t *testing.T) {
			got, err := commandText(tt.sub, tt.opts)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(bot.ErrorMessage(err), tt.wantErr) || bot.ErrorCode(err) != bot.EINVALID {
					t.Fatalf("err = %v, want EINVALID containing %q", err, tt.wantErr)
				}
				if ex := bot.ErrorExample(err); !strings.HasPrefix(ex, "/stretch ") {
					t.Errorf("example %q is not a slash command", ex)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("commandText = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// Every registered subcommand must be translatable with its required options.
func TestEverySubcommandTranslates(t *testing.T) {
	for _, s := range Commands()[0].Options {
		var opts []option
		for _, o := range s.Options {
			if o.Required {
				opts = append(opts, option{Name: o.Name, Value: "x1"})
			}
		}
		if _, err := commandText(s.Name, opts); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
}

func FuzzCommandText(f *testing.F) {
	f.Add("pause", "id", "#k3f9", "for", "2h")
	f.Add("schedule", "when", "every day at 9", "channel", "<#1>")
	f.Add("break", "minutes", "", "focus", "desk")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, sub, k1, v1, k2, v2 string) {
		_, err := commandText(sub, []option{{k1, v1}, {k2, v2}})
		if err != nil && bot.ErrorMessage(err) == "" {
			t.Fatal("error without a message")
		}
	})
}

func FuzzParseCustomID(f *testing.F) {
	f.Add("join:k3f9:1700000000")
	f.Add(":x")
	f.Add("")
	f.Add("done:k3f9@1700000000#0123456789abcdef")
	f.Add("steps:0#0123456789abcdef")
	f.Add("#0123456789abcdef")
	f.Add("done:x#0123456789ABCDEF")
	f.Add("done:x#0123456789abcde")
	f.Fuzz(func(t *testing.T, s string) {
		id, v, ok := parseCustomID(s)
		_, mark := cutMark(s)
		if mark != "" {
			mark = markSuffix(mark)
		}
		if ok && string(id)+":"+v+mark != s {
			t.Fatalf("%q did not round-trip: %q %q %q", s, id, v, mark)
		}
	})
}

// A delivery's mark at the end of a custom_id is left out of its value;
// custom_ids without one, as every message before marks had, parse as
// they did; a value that would read as marked is never built.
func TestCustomIDMark(t *testing.T) {
	for _, tc := range []struct{ in, id, value, mark string }{
		{"done:k3f9@1700000000#0123456789abcdef", "done", "k3f9@1700000000", "0123456789abcdef"},
		{"done:k3f9@1700000000", "done", "k3f9@1700000000", ""},
		{"steps:0#0123456789abcdef", "steps", "0", "0123456789abcdef"},
		{"done:x#0123456789ABCDEF", "done", "x#0123456789ABCDEF", ""},
		{"done:x#0123456789abcde", "done", "x#0123456789abcde", ""},
	} {
		id, v, ok := parseCustomID(tc.in)
		_, mark := cutMark(tc.in)
		if !ok || string(id) != tc.id || v != tc.value || mark != tc.mark {
			t.Errorf("%q: %q %q %v mark %q", tc.in, id, v, ok, mark)
		}
	}
	if id, ok := customID(bot.Action{ID: bot.ActionDone, Value: "x#0123456789abcdef"}); ok {
		t.Errorf("customID built %q, which reads back as marked", id)
	}
	m := render(routine)
	if !markMessage(&m, unsure.Digest(onceKey)) {
		t.Fatal("routine not marked")
	}
	if again := render(routine); again.Components[0].(discordgo.ActionsRow).Components[0].(discordgo.Button).CustomID != "done:k3f9:1" {
		t.Error("marking changed another rendering")
	}
}

func TestGatewayMessage(t *testing.T) {
	ann := &discordgo.User{ID: "U1", Username: "ann"}
	tests := []struct {
		name   string
		m      *discordgo.Message
		parent string
		ok     bool
		want   bot.Message
	}{
		{"mention", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "<@B> break 2 min"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: "break 2 min"}},
		{"nick mention; text before it ignored", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "hey <@!B>  list"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: "list"}},
		{"command before the mention", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "break 2 min <@B>"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: "break 2 min"}},
		{"bare mention", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "<@B>"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: ""}},
		{"other mentions kept, full width folded", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "<@B>: ｓｔａｔｓ <@U2> <@B>"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: "stats <@U2>"}},
		{"mentions field", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "stats", Mentions: []*discordgo.User{{ID: "B"}}}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "ann", Text: "stats"}},
		{"no mention in guild", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "break"}, "", false, bot.Message{}},
		{"dm", &discordgo.Message{ChannelID: "D", Author: ann, Content: "help"}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "U1", Channel: "D", User: "U1", UserName: "ann", Text: "help", DM: true}},
		{"thread", &discordgo.Message{GuildID: "G", ChannelID: "T", Author: ann, Content: "<@B> list"}, "C", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "T", Thread: "T", User: "U1", UserName: "ann", Text: "list"}},
		{"admin member", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: ann, Content: "<@B> x", Member: &discordgo.Member{Permissions: permManageGuild, Nick: "A"}}, "", true,
			bot.Message{Platform: bot.Discord, Tenant: "G", Channel: "C", User: "U1", UserName: "A", Text: "x", Admin: true}},
		{"self", &discordgo.Message{GuildID: "G", ChannelID: "C", Author: &discordgo.User{ID: "B"}, Content: "<@B> help"}, "", false, bot.Message{}},
		{"other bot", &discordgo.Message{ChannelID: "D", Author: &discordgo.User{ID: "X", Bot: true}, Content: "help"}, "", false, bot.Message{}},
		{"no author", &discordgo.Message{ChannelID: "D", Content: "help"}, "", false, bot.Message{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := gatewayMessage(tt.m, "B", tt.parent)
			if ok != tt.ok || got != tt.want {
				t.Errorf("gatewayMessage = %+v, %v\nwant %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestOptionString(t *testing.T) {
	for _, tt := range []struct {
		in   any
		want string
	}{{nil, ""}, {"a", "a"}, {10.0, "10"}, {2.5, "2.5"}, {true, "true"}, {7, "7"}} {
		if got := optionString(tt.in); got != tt.want {
			t.Errorf("optionString(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// decodeInteraction with the data quickAnswer decoded gives what
// discordgo's own decoding gives, and fails where it fails.
func FuzzDecodeInteraction(f *testing.F) {
	f.Add(`{"type":2,"id":"1","application_id":"APP","token":"TOK","guild_id":"G1","channel_id":"C1","member":{"user":{"id":"U1","username":"ann"},"permissions":"32"},"data":{"name":"stretch","options":[{"name":"list","type":1,"options":[]}]}}`)
	f.Add(`{"type":2,"user":{"id":"U1"},"data":{"name":"stretch","options":[{"name":"break","type":1,"options":[{"name":"minutes","type":4,"value":5}]}]},"locale":"en-GB"}`)
	f.Add(`{"type":2,"user":{"id":"U1"},"data":null}`)
	f.Add(`{"type":2,"user":{"id":"U1"},"data":{"name":"x"},"data":{"name":"y"}}`)
	f.Add(`{"type":2,"user":{"id":"U1"},"data":{"name":"x"},"version":"one"}`)
	f.Add(`{"type":3,"user":{"id":"U1"},"data":{"custom_id":"join:k3f9"}}`)
	f.Add(`{"type":1}`)
	f.Fuzz(func(t *testing.T, body string) {
		var want discordgo.Interaction
		werr := json.Unmarshal([]byte(body), &want)
		// What quickAnswer decodes before it declines.
		var p commandPeek
		var data *discordgo.ApplicationCommandInteractionData
		if json.Unmarshal([]byte(body), &p) == nil && p.Type == discordgo.InteractionApplicationCommand {
			data = new(discordgo.ApplicationCommandInteractionData)
			if json.Unmarshal(p.Data, data) != nil {
				data = nil
			}
		}
		got, err := decodeInteraction([]byte(body), data)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%s: error %v, discordgo's %v", body, err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("%s: decoded\n%#v\nwant\n%#v", body, got, want)
		}
	})
}
