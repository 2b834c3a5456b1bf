package console

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

func TestSendWritesFilesInTheFolderAndPrintsTheirPath(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	a := New(strings.NewReader(""), &out, WithFileDir(dir))
	files := []bot.File{
		{Name: "chart.png", Title: "Team breaks per day", Data: []byte("png!")},
		{Name: "../../escape.png", Data: []byte("x")}, // only the base name counts
	}
	if _, err := a.Send(context.Background(), bot.Outgoing{Channel: "console", Reply: bot.Reply{Title: "Summary #ab12", Files: files}}); err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(dir, "chart.png")
	if data, err := os.ReadFile(chart); err != nil || string(data) != "png!" {
		t.Errorf("chart file = %q, %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.png")); err != nil {
		t.Errorf("a name with a path was not written inside the folder: %v", err)
	}
	text := out.String()
	if !strings.Contains(text, "Summary #ab12") || !strings.Contains(text, "Team breaks per day: "+chart) || !strings.Contains(text, "File: "+filepath.Join(dir, "escape.png")) {
		t.Errorf("output does not name the files:\n%s", text)
	}

	// A folder that cannot be written is said in the message, which is
	// still delivered.
	out.Reset()
	b := New(strings.NewReader(""), &out, WithFileDir(filepath.Join(dir, "missing")))
	if _, err := b.Send(context.Background(), bot.Outgoing{Reply: bot.Reply{Title: "Summary", Files: files[:1]}}); err != nil {
		t.Errorf("a file that could not be written failed the delivery: %v", err)
	}
	if !strings.Contains(out.String(), "Summary") || !strings.Contains(out.String(), "console: write") {
		t.Errorf("output does not say the file could not be written:\n%s", out.String())
	}
}
