package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/internal/quote"
)

// Home is a user's own page on a platform that has one (Slack's App Home):
// what they have set up, at a glance, with buttons for what they do most.
// Like Reply it is plain text; adapters render it their own way.
type Home struct {
	Title    string
	Sections []HomeSection
	Actions  []Action
	Note     string
}

// HomeSection is one headed part of a Home.
type HomeSection struct {
	Heading string
	Lines   []string
}

// HomeBuilder is an optional Handler capability: the adapter asks for a
// user's home when they open it, and again after RefreshHome.
type HomeBuilder interface {
	// Home builds the home of the user who sent m (Text is ignored).
	Home(ctx context.Context, m Message) (Home, error)
}

// HomeRefresher is an optional Sender capability. The core calls it after
// a command or button changed what a user's home shows (their reminders,
// breaks or settings), and after a delivery moved a reminder's next run.
// It must return at once: the adapter does the work in the background,
// and only for users whose home it has shown.
type HomeRefresher interface {
	RefreshHome(ctx context.Context, tenant TenantID, user UserID)
}

var _ HomeBuilder = (*Bot)(nil)

// The buttons of a home page. A press runs the command of the same words
// (see homeCommands) and answers the presser privately.
const (
	ActionHomeBreak  ActionID = "home_break"
	ActionHomeList   ActionID = "home_list"
	ActionHomePause  ActionID = "home_pause"
	ActionHomeResume ActionID = "home_resume"
)

// homeCommands maps home buttons to the commands they stand for.
var homeCommands = map[ActionID]string{
	ActionHomeBreak:  "break",
	ActionHomeList:   "list",
	ActionHomePause:  "pause all",
	ActionHomeResume: "resume all",
}

// readOnlyCommands change nothing a home shows, so they refresh none.
// Anything else (including commands added later) refreshes the caller's
// home after it succeeds.
var readOnlyCommands = map[string]bool{
	"help": true, "break": true, "exercises": true, "exercise": true, "list": true, "stats": true,
}

// maxHomeLines bounds each list on a home page; `list` shows everything.
const maxHomeLines = 10

// homeSettingLines each give one line of the home's settings section, or
// "" for none. Per-user settings added later (working hours, quiet times,
// level) add their line here.
var homeSettingLines = []func(req *Request) string{
	zoneSettingLine,
}

// homeParts build a home page's sections in order; a part returning an
// empty heading is left out.
var homeParts = []func(b *Bot, ctx context.Context, req *Request, rs []Reminder) (HomeSection, error){
	(*Bot).homeReminders,
	(*Bot).homeTeamBreaks,
	(*Bot).homeStats,
	(*Bot).homeSettings,
}

// Home builds the home of the user who sent m. It never panics.
func (b *Bot) Home(ctx context.Context, m Message) (h Home, err error) {
	defer b.recoverTo(&err, "home")
	req := &Request{Message: m, Now: b.clock.Now()}
	req.User, req.Zone, err = b.caller(ctx, m)
	if err != nil {
		return Home{}, err
	}
	rs, err := b.store.Reminders(ctx, ReminderFilter{Tenant: m.Tenant, Owner: m.User})
	if err != nil {
		return Home{}, fmt.Errorf("bot: home reminders: %w", err)
	}
	h = Home{Title: "Your stretch breaks"}
	for _, part := range homeParts {
		s, err := part(b, ctx, req, rs)
		if err != nil {
			return Home{}, err
		}
		if s.Heading != "" {
			h.Sections = append(h.Sections, s)
		}
	}
	h.Actions = []Action{{ID: ActionHomeBreak, Label: "Take a break now", Value: "break", Style: "primary"}, {ID: ActionHomeList, Label: "List my reminders", Value: "list"}}
	active := slices.ContainsFunc(rs, func(r Reminder) bool { return !r.Paused })
	paused := slices.ContainsFunc(rs, func(r Reminder) bool { return r.Paused || r.PausedUntil.After(req.Now) })
	if active {
		h.Actions = append(h.Actions, Action{ID: ActionHomePause, Label: "Pause everything", Value: "pause all", Style: "danger"})
	}
	if paused {
		h.Actions = append(h.Actions, Action{ID: ActionHomeResume, Label: "Resume everything", Value: "resume all"})
	}
	h.Note = "Send me `help` for every command, or `remind me every weekday at 10:30` to start a routine."
	return h, nil
}

// homeLine is one reminder on a home page: id, rule, note, next run or
// pause.
func (b *Bot) homeLine(ctx context.Context, r Reminder, req *Request) string {
	parts := []string{"#" + string(r.ID), b.ruleWords(r)}
	if r.Kind == ChannelSchedule {
		parts = append(parts, "in "+channelRef(r))
	}
	if r.Note != "" {
		parts = append(parts, "“"+quote.Cut(r.Note, 60)+"”")
	}
	switch {
	case r.Paused:
		parts = append(parts, "paused")
	case r.PausedUntil.After(req.Now):
		parts = append(parts, "paused until "+FormatTime(r.PausedUntil, req.Now, req.Zone))
	default:
		parts = append(parts, b.nextWords(ctx, r, req))
	}
	return strings.Join(parts, " · ")
}

// homeList is the lines of rs of kind, soonest first, paused ones last.
func (b *Bot) homeList(ctx context.Context, rs []Reminder, kind ReminderKind, req *Request) []string {
	var mine []Reminder
	for _, r := range rs {
		if r.Kind == kind {
			mine = append(mine, r)
		}
	}
	slices.SortStableFunc(mine, func(x, y Reminder) int {
		if x.Paused != y.Paused {
			if x.Paused {
				return 1
			}
			return -1
		}
		return x.NextRun.Compare(y.NextRun)
	})
	var lines []string
	for i, r := range mine {
		if i == maxHomeLines {
			lines = append(lines, fmt.Sprintf("…and %d more; `list` shows them all.", len(mine)-i))
			break
		}
		lines = append(lines, b.homeLine(ctx, r, req))
	}
	return lines
}

func (b *Bot) homeReminders(ctx context.Context, req *Request, rs []Reminder) (HomeSection, error) {
	lines := b.homeList(ctx, rs, Personal, req)
	if len(lines) == 0 {
		lines = []string{"None yet. Try `remind me every weekday at 10:30`."}
	}
	return HomeSection{Heading: "Your next reminders", Lines: lines}, nil
}

func (b *Bot) homeTeamBreaks(ctx context.Context, req *Request, rs []Reminder) (HomeSection, error) {
	lines := b.homeList(ctx, rs, ChannelSchedule, req)
	if len(lines) == 0 {
		lines = []string{"None. In a channel, try `schedule every weekday at 15:00`."}
	}
	return HomeSection{Heading: "Team breaks you created", Lines: lines}, nil
}

func (b *Bot) homeStats(ctx context.Context, req *Request, _ []Reminder) (HomeSection, error) {
	st, err := b.personalStats(ctx, req.Tenant, req.Message.User, req.Zone, req.Now)
	if err != nil {
		return HomeSection{}, err
	}
	line := "No breaks recorded yet. Take one, then press Done."
	if st.total > 0 {
		line = fmt.Sprintf("%s done, %s in the last 7 days. Streak %s (best %s). Last break %s.",
			plural(st.total, "break", "breaks"), plural(st.week, "break", "breaks"), plural(st.streak, "day", "days"),
			plural(st.best, "day", "days"), FormatTime(st.last, req.Now, req.Zone))
	}
	return HomeSection{Heading: "Your breaks", Lines: []string{line}}, nil
}

func (b *Bot) homeSettings(_ context.Context, req *Request, _ []Reminder) (HomeSection, error) {
	var lines []string
	for _, f := range homeSettingLines {
		if l := f(req); l != "" {
			lines = append(lines, l)
		}
	}
	return HomeSection{Heading: "Settings", Lines: lines}, nil
}

func zoneSettingLine(req *Request) string {
	source := "the bot's default; set yours with `timezone Europe/Berlin`"
	switch {
	case req.User.Zone != "":
		source = "your setting"
	case req.ZoneHint != "":
		source = "your profile"
	}
	return fmt.Sprintf("Time zone: %s (%s), from %s.", req.Zone.String(), zoneOffset(req.Now, req.Zone), source)
}

// refreshHome tells the platform that user's home may have changed.
func (b *Bot) refreshHome(ctx context.Context, p Platform, tenant TenantID, user UserID) {
	if hr, ok := b.sender(p).(HomeRefresher); ok && user != "" {
		hr.RefreshHome(ctx, tenant, user)
	}
}

// homeAction runs the command a home button stands for and answers the
// presser privately.
func (b *Bot) homeAction(ctx context.Context, e ActionEvent) (ActionResult, bool) {
	text, ok := homeCommands[e.ID]
	if !ok {
		return ActionResult{}, false
	}
	m := e.Message
	m.Text = text
	reply, cmd, err := b.handle(ctx, m)
	if err != nil {
		reply = b.errorReply(m, cmd, err)
	}
	reply.Visibility = Private
	return ActionResult{Ephemeral: &reply}, true
}
