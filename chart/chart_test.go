package chart

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

func TestBreaksPerDayIsAReadablePNG(t *testing.T) {
	start := time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)
	var days []bot.DayCount
	for i := range 28 {
		days = append(days, bot.DayCount{Day: start.AddDate(0, 0, i), Held: i % 4, Skipped: i % 9 / 8})
	}
	data, err := Drawer{}.BreaksPerDay("Team breaks per day, last 4 weeks", days)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 960 || b.Dy() != 480 {
		t.Errorf("size %dx%d, want 960x480", b.Dx(), b.Dy())
	}
	if n := colors(img); n < 3 {
		t.Errorf("%d colours: the chart is blank", n)
	}
	if !has(img, heldColor) || !has(img, skippedColor) {
		t.Error("the chart has no held or no skipped bars")
	}
	if os.Getenv("CHART_OUT") != "" {
		os.WriteFile(os.Getenv("CHART_OUT"), data, 0o644)
	}
}

func TestBreaksPerDayWithNothingHeld(t *testing.T) {
	days := []bot.DayCount{{Day: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}
	data, err := Drawer{}.BreaksPerDay("nothing", days)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if _, err := (Drawer{}).BreaksPerDay("none", nil); err == nil {
		t.Error("no days drew a chart")
	}
}

func colors(img image.Image) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
		}
	}
	return len(seen)
}

func has(img image.Image, c interface{ RGBA() (r, g, b, a uint32) }) bool {
	wr, wg, wb, _ := c.RGBA()
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r == wr && g == wg && bl == wb {
				return true
			}
		}
	}
	return false
}
