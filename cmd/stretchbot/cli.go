package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/stretchbot/stretchbot/adapters/discord"
	"github.com/stretchbot/stretchbot/adapters/slack"
	"github.com/stretchbot/stretchbot/config"
	"github.com/stretchbot/stretchbot/internal/dburl"
	"github.com/stretchbot/stretchbot/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

const usage = `usage: stretchbot [--config FILE] [command]

commands:
  run               start every configured platform, the HTTP server and the scheduler (default);
                    with no platform configured, the console on stdin/stdout
  console           the console adapter, the scheduler and the store only
  slack manifest    print a Slack app manifest for the configured public URL
  discord register  register (bulk-overwrite) the Discord application commands
  migrate           apply database migrations and exit
  version           print the version

Settings come from --config (YAML) and STRETCHBOT_* environment variables; see README.md.
`

// run is the program with its inputs made explicit; it returns the exit
// code: 0 clean, 2 bad configuration, 1 anything else.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	configPath, words, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "stretchbot: %v\n%s", err, usage)
		return 2
	}
	cmd := strings.Join(words, " ")
	switch cmd {
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "stretchbot", versionString())
		return 0
	case "", "run", "console", "slack manifest", "discord register", "migrate":
	default:
		fmt.Fprintf(stderr, "stretchbot: unknown command %q\n%s", cmd, usage)
		return 2
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
		fmt.Fprintln(stdout, string(out))
		return 0
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
		case strings.HasPrefix(a, "-") && a != "-h" && a != "--help" && a != "-help" && a != "--version":
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
