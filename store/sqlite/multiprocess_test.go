package sqlite_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/store/sqlite"
	"github.com/stretchbot/stretchbot/store/storetest"
)

const processReminders = 200

// TestClaimRaceTwoProcesses runs two copies of the test binary that race
// to claim the same 200 runs in one file: every run must be claimed
// exactly once, and neither process may see SQLITE_BUSY.
func TestClaimRaceTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	path := filepath.Join(t.TempDir(), "shared.db")
	db := MustOpen(t, path)
	for i := range processReminders {
		storetest.MustCreate(t, db, storetest.Reminder(bot.ReminderID(fmt.Sprintf("p%d", i)), "T1", bot.Personal, "U1", "C1", storetest.T0, storetest.T0))
	}
	// Each child opens the database, says READY and waits for "go" on stdin,
	// so that both race from the first claim.
	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		out   *bufio.Scanner
		log   strings.Builder
	}
	var children []*child
	for i := range 2 {
		c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperClaimer$")}
		c.cmd.Env = append(os.Environ(), "STRETCHBOT_CLAIMER_DB="+path, fmt.Sprintf("STRETCHBOT_CLAIMER_OWNER=proc%d", i))
		c.cmd.Stderr = &c.log
		stdout, err := c.cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		c.out = bufio.NewScanner(stdout)
		if c.stdin, err = c.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := c.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		children = append(children, c)
	}
	// line returns the value of the next "KEY=value" line a child prints.
	line := func(c *child, key string) string {
		for c.out.Scan() {
			if v, ok := strings.CutPrefix(c.out.Text(), key+"="); ok {
				return v
			}
		}
		c.cmd.Wait()
		t.Fatalf("child exited before printing %s:\n%s", key, c.log.String())
		return ""
	}
	for _, c := range children {
		line(c, "READY")
	}
	for _, c := range children {
		io.WriteString(c.stdin, "go\n")
		c.stdin.Close()
	}
	total := 0
	for i, c := range children {
		n, err := strconv.Atoi(line(c, "WINS"))
		if err != nil {
			t.Fatal(err)
		}
		for c.out.Scan() {
		}
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("claimer %d: %v\n%s", i, err, c.log.String())
		}
		t.Logf("claimer %d won %d", i, n)
		total += n
	}
	if total != processReminders {
		t.Errorf("claims won = %d, want %d", total, processReminders)
	}
	occ, err := db.OpenOccurrences(t.Context(), storetest.T0.Add(time.Hour), 10*processReminders)
	if err != nil || len(occ) != processReminders {
		t.Errorf("occurrences = %d, %v; want %d", len(occ), err, processReminders)
	}
}

// TestHelperClaimer is the child process of TestClaimRaceTwoProcesses.
func TestHelperClaimer(t *testing.T) {
	path := os.Getenv("STRETCHBOT_CLAIMER_DB")
	if path == "" {
		t.Skip("only run by TestClaimRaceTwoProcesses")
	}
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	owner := os.Getenv("STRETCHBOT_CLAIMER_OWNER")
	fmt.Println("READY=1")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatalf("waiting for go: %v", err)
	}
	wins := 0
	for k := range processReminders {
		i := k
		if owner == "proc1" {
			i = processReminders - 1 - k // meet the other process in the middle
		}
		ok, err := db.Claim(t.Context(), schedule.Claim{
			Reminder: bot.ReminderID(fmt.Sprintf("p%d", i)), Expect: storetest.T0, At: storetest.T0,
			Next: storetest.T0.Add(24 * time.Hour), Owner: owner, LeaseUntil: storetest.T0.Add(time.Minute),
		})
		if err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if ok {
			wins++
		}
	}
	fmt.Printf("WINS=%d\n", wins)
}
