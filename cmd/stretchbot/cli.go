package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/stretchbot/stretchbot/adapters/discord"
	"github.com/stretchbot/stretchbot/adapters/slack"
	"github.com/stretchbot/stretchbot/config"
	"github.com/stretchbot/stretchbot/internal/dburl"
	"github.com/stretchbot/stretchbot/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `usage: stretchbot [--config FILE] [command] [--help]

commands:
  run               start every configured platform, the HTTP server and the scheduler (default);
                    with no platform configured, the console on stdin/stdout
  console           the console adapter, the scheduler and the store only
  slack manifest    print a Slack app manifest for the configured public URL
  discord register  register (bulk-overwrite) the Discord application commands
  discord invite    print the link that adds the bot to a Discord server
  migrate           apply database migrations and exit
  rotate-key        re-encrypt stored tokens with the current STRETCHBOT_SECRET_KEY
  version           print the version

Settings come from --config (YAML) and STRETCHBOT_* environment variables; see README.md.
` + "`stretchbot <command> --help` explains one command.\n"

// commandHelp explains each command in full (`stretchbot <command> --help`).
var commandHelp = map[string]string{
	"run": `usage: stretchbot [run]

Starts every configured platform (Slack, Discord), the HTTP server, the scheduler and the store,
and applies pending database migrations first. With no platform credentials it runs the console
on stdin/stdout instead. Stops cleanly on SIGINT or SIGTERM (exit 0).
`,
	"console": `usage: stretchbot console

Runs the console adapter on stdin/stdout with the scheduler and the store, whatever else is
configured. One line is one command; end of input exits 0.
`,
	"slack manifest": `usage: stretchbot slack manifest

Prints a Slack app manifest (JSON): slash command, events, Home tab, scopes and, with
STRETCHBOT_PUBLIC_URL, the request URLs and the OAuth redirect URL
(<public URL>/slack/oauth/callback). With STRETCHBOT_SLACK_APP_TOKEN, or without a public URL,
the manifest is for Socket Mode. See adapters/slack/SETUP.md.
`,
	"discord register": `usage: stretchbot discord register

Registers (bulk-overwrites) the /stretch application command; needs STRETCHBOT_DISCORD_APP_ID and
STRETCHBOT_DISCORD_TOKEN. With STRETCHBOT_DISCORD_GUILD_ID, for that server only.
`,
	"discord invite": `usage: stretchbot discord invite

Prints the OAuth2 link that adds the bot to a Discord server, with the bot and
applications.commands scopes and only the permissions the bot uses; needs
STRETCHBOT_DISCORD_APP_ID.
`,
	"migrate": `usage: stretchbot migrate

Applies pending migrations to STRETCHBOT_DATABASE_URL and exits.
`,
	"rotate-key": `usage: stretchbot rotate-key

Re-encrypts every stored Slack token with STRETCHBOT_SECRET_KEY. Set the new key there and the
old one in STRETCHBOT_SECRET_KEY_PREVIOUS, run this once, restart every instance with both
keys, then remove STRETCHBOT_SECRET_KEY_PREVIOUS.
`,
	"version": `usage: stretchbot version

Prints the version.
`,
}

// isHelp reports whether w asks for help.
func isHelp(w string) bool { return w == "help" || w == "-h" || w == "--help" || w == "-help" }

// run is the program with its inputs made explicit; it returns the exit
// code: 0 clean, 2 bad configuration, 1 anything else.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	configPath, words, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: %v\n%s", err, usage)
		return 2
	}
	// "--help" anywhere, or "help" first, asks for help with the rest.
	help := slices.ContainsFunc(words, func(w string) bool { return isHelp(w) && w != "help" }) || (len(words) > 0 && words[0] == "help")
	words = slices.DeleteFunc(words, isHelp)
	cmd := strings.Join(words, " ")
	if cmd == "--version" {
		cmd = "version"
	}
	if _, known := commandHelp[cmd]; !known && cmd != "" {
		fmt.Fprintf(stderr, "stretchbot: unknown command %q\n%s", cmd, usage)
		return 2
	}
	switch {
	case help && cmd == "":
		fmt.Fprint(stdout, usage)
		return 0
	case help:
		fmt.Fprint(stdout, commandHelp[cmd])
		return 0
	case cmd == "version":
		fmt.Fprintln(stdout, "stretchbot", versionString())
		return 0
	}

	cfg, err := config.Load(configPath, env)
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: %v\n", err)
		return 2
	}
	log := newLogger(cfg, stderr)

	switch cmd {
	case "slack manifest":
		out, err := slack.Manifest(slackConfig(cfg))
		if err != nil {
			fmt.Fprintf(stderr, "stretchbot: %v\n", err)
			return 2
		}
		if cfg.PublicURL == "" && cfg.Slack.AppToken == "" {
			fmt.Fprintln(stderr, "stretchbot: no STRETCHBOT_PUBLIC_URL, so this is a Socket Mode manifest (set the URL for HTTP mode and the OAuth install)")
		}
		fmt.Fprintln(stdout, string(out))
		return 0
	case "discord invite":
		if cfg.Discord.AppID == "" {
			fmt.Fprintln(stderr, "stretchbot: STRETCHBOT_DISCORD_APP_ID: is required for the invite link (General Information → Application ID)")
			return 2
		}
		fmt.Fprintln(stdout, discord.InviteURL(cfg.Discord.AppID))
		return 0
	case "rotate-key":
		return rotateKey(ctx, cfg, stdout, stderr)
	case "discord register":
		for _, need := range []struct{ setting, value string }{
			{"STRETCHBOT_DISCORD_APP_ID", cfg.Discord.AppID}, {"STRETCHBOT_DISCORD_TOKEN", cfg.Discord.Token.Reveal()},
		} {
			if need.value == "" {
				fmt.Fprintf(stderr, "stretchbot: %s: is required to register commands (see adapters/discord/SETUP.md)\n", need.setting)
				return 2
			}
		}
		if err := discord.Register(ctx, discordConfig(cfg), discord.WithLogger(log)); err != nil {
			fmt.Fprintf(stderr, "stretchbot: discord register: %v\n", err)
			return 1
		}
		fmt.Fprintln(stdout, "Discord commands registered.")
		return 0
	case "migrate":
		st, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			fmt.Fprintf(stderr, "stretchbot: STRETCHBOT_DATABASE_URL: cannot open %s: %v\n", dburl.Redact(cfg.DatabaseURL), oneLine(err))
			return 2
		}
		defer st.Close()
		fmt.Fprintln(stdout, "Migrations applied.")
		return 0
	}

	if err := cfg.CheckRun(); err != nil && cmd != "console" {
		fmt.Fprintf(stderr, "stretchbot: %v\n", err)
		return 2
	}
	m := &Main{Config: cfg, Console: cmd == "console", Stdin: stdin, Stdout: stdout, Logger: log}
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		fmt.Fprintf(stderr, "stretchbot: %v\n", err)
		var se *startupError
		if errors.As(err, &se) {
			return 2
		}
		return 1
	}
	if err := m.Run(ctx); err != nil {
		log.Error("stopped with an error", "err", err)
		return 1
	}
	return 0
}

// parseArgs takes --config FILE (or --config=FILE, -config) anywhere and
// returns the remaining words.
func parseArgs(args []string) (string, []string, error) {
	var path string
	var words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--config" || a == "-config" || a == "-c":
			if i+1 >= len(args) {
				return "", nil, errors.New("--config needs a file name")
			}
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			path = a[strings.IndexByte(a, '=')+1:]
		case strings.HasPrefix(a, "-") && !isHelp(a) && a != "--version":
			return "", nil, fmt.Errorf("unknown flag %s", a)
		default:
			words = append(words, a)
		}
	}
	return path, words, nil
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(cfg.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn", "warning":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if strings.EqualFold(cfg.LogFormat, "json") {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// rotateKey re-encrypts every stored token with the current key.
func rotateKey(ctx context.Context, cfg config.Config, stdout, stderr io.Writer) int {
	box, err := cfg.SecretBox()
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: %v\n", err)
		return 2
	}
	if box == nil {
		fmt.Fprintln(stderr, "stretchbot: STRETCHBOT_SECRET_KEY: is required: the new key (the old one goes in STRETCHBOT_SECRET_KEY_PREVIOUS)")
		return 2
	}
	st, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: STRETCHBOT_DATABASE_URL: cannot open %s: %v\n", dburl.Redact(cfg.DatabaseURL), oneLine(err))
		return 2
	}
	defer st.Close()
	is, ok := st.(slack.InstallStore)
	if !ok {
		fmt.Fprintf(stderr, "stretchbot: rotate-key: the %T store keeps no tokens\n", st)
		return 1
	}
	n, err := slack.Reseal(ctx, is, box)
	fmt.Fprintf(stdout, "Re-encrypted %d Slack token(s) with key %s.\n", n, box.KeyID())
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: rotate-key: %v\n", oneLine(err))
		fmt.Fprintln(stderr, "stretchbot: keep STRETCHBOT_SECRET_KEY_PREVIOUS set to the key that sealed them, and run rotate-key again")
		return 1
	}
	fmt.Fprintln(stdout, "Every stored token now uses the current key: once every instance runs with it, remove STRETCHBOT_SECRET_KEY_PREVIOUS.")
	return 0
}
