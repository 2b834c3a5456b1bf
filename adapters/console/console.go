// Package console is the zero-set-up adapter: each line on standard input is
// a command from user "console" in channel "console", and replies and
// deliveries are printed to standard output.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/stretchbot/stretchbot/adapters/internal/chattext"
	"github.com/stretchbot/stretchbot/bot"
)

// maxLine bounds how much of one input line is kept; the rest is dropped
// (the core refuses long commands anyway) so a huge line cannot exhaust
// memory.
const maxLine = 64 << 10

// Adapter reads commands from In and writes to Out.
type Adapter struct {
	in          io.Reader
	out         io.Writer
	interactive bool
	now         func() time.Time
	fileDir     string // where attached files are written

	mu sync.Mutex // serialises writes: replies and deliveries interleave
	n  int
}

var _ bot.Adapter = (*Adapter)(nil)

// Option configures the adapter.
type Option func(*Adapter)

// WithInteractive forces terminal behaviour (a prompt and a greeting) on or
// off; by default it is on only when both ends are terminals.
func WithInteractive(on bool) Option { return func(a *Adapter) { a.interactive = on } }

// WithNow sets the clock used for message timestamps (default time.Now).
// Like every adapter's With* options, a nil argument keeps the default.
func WithNow(now func() time.Time) Option {
	return func(a *Adapter) {
		if now != nil {
			a.now = now
		}
	}
}

// WithFileDir sets the folder that files attached to messages (a
// summary's chart) are written to, by name; the message shows the path.
// Default: the system's temporary folder.
func WithFileDir(dir string) Option {
	return func(a *Adapter) {
		if dir != "" {
			a.fileDir = dir
		}
	}
}

// New returns a console adapter over in and out.
func New(in io.Reader, out io.Writer, opts ...Option) *Adapter {
	a := &Adapter{in: in, out: out, interactive: isTerminal(in) && isTerminal(out), now: time.Now, fileDir: os.TempDir()}
	for _, o := range opts {
		o(a)
	}
	return a
}

// isTerminal reports whether f is a character device (a TTY); pipes and
// files get no prompt, colour or cursor codes.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Platform is bot.Console.
func (a *Adapter) Platform() bot.Platform { return bot.Console }

// Run handles one line at a time, in order, until EOF (then it returns nil
// after the last reply is written) or ctx is done.
func (a *Adapter) Run(ctx context.Context, h bot.Handler) error {
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() { errc <- readLines(a.in, lines) }()
	if a.interactive {
		a.write("stretchbot console: type `help` for commands, Ctrl-D to quit.\n> ")
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil && !errors.Is(err, io.EOF) {
					return fmt.Errorf("console: read: %w", err)
				}
				return nil
			}
			if strings.TrimSpace(line) == "" {
				if a.interactive {
					a.write("> ")
				}
				continue
			}
			reply := h.Handle(ctx, bot.Message{
				Platform: bot.Console, Tenant: "console", Channel: "console", ChannelName: "console",
				User: "console", UserName: "console", Text: chattext.Normalize(line), Admin: true,
			})
			out := reply.PlainText() + a.saveFiles(reply.Files) + "\n\n"
			if a.interactive {
				out += "> "
			}
			a.write(out)
		}
	}
}

// readLines sends each line of r to out and closes it at EOF.
func readLines(r io.Reader, out chan<- string) error {
	defer close(out)
	br := bufio.NewReaderSize(r, 4096)
	for {
		var sb strings.Builder
		var err error
		for {
			var chunk []byte
			var isPrefix bool
			chunk, isPrefix, err = br.ReadLine()
			if sb.Len() < maxLine {
				sb.Write(chunk[:min(len(chunk), maxLine-sb.Len())])
				if sb.Len() == maxLine {
					sb.WriteString("…") // marks it too long for the core
				}
			}
			if err != nil || !isPrefix {
				break
			}
		}
		if err != nil {
			if sb.Len() > 0 {
				out <- sb.String()
			}
			return err
		}
		out <- sb.String()
	}
}

// Send prints a delivery. Its text carries the reminder id as #id.
func (a *Adapter) Send(_ context.Context, o bot.Outgoing) (bot.Sent, error) {
	a.mu.Lock()
	a.n++
	id := fmt.Sprintf("console-%d", a.n)
	a.mu.Unlock()
	// A file that cannot be written is reported in the message rather than
	// failing it: the text is what the reader needs most.
	text := o.Reply.PlainText() + a.saveFiles(o.Reply.Files) + "\n\n"
	if a.interactive {
		text = "\n" + text + "> "
	}
	if err := a.write(text); err != nil {
		return bot.Sent{}, &bot.DeliveryError{Reason: "the console could not be written", Err: err}
	}
	return bot.Sent{ID: id, Channel: "console", At: a.now()}, nil
}

func (a *Adapter) write(s string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, err := io.WriteString(a.out, s)
	return err
}

// writeFiles writes files to the file folder and returns one line per
// file naming where it is ("" for none).
func (a *Adapter) writeFiles(files []bot.File) (string, error) {
	var sb strings.Builder
	for _, f := range files {
		// Only the base name: a file cannot be written outside the folder.
		path := filepath.Join(a.fileDir, filepath.Base(filepath.Clean("/"+f.Name)))
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return "", fmt.Errorf("console: write %s: %w", path, err)
		}
		what := f.Title
		if what == "" {
			what = "File"
		}
		fmt.Fprintf(&sb, "\n%s: %s", what, path)
	}
	return sb.String(), nil
}

// saveFiles is writeFiles with a failure shown in place of the paths.
func (a *Adapter) saveFiles(files []bot.File) string {
	s, err := a.writeFiles(files)
	if err != nil {
		return "\n(" + err.Error() + ")"
	}
	return s
}
