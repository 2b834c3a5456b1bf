// Package chart draws the summary's chart with gonum.org/v1/plot,
// for the core's bot.Charter: one bar per day, breaks held in green with
// skipped runs stacked on top in grey, sized to stay readable when a chat
// client shows it at about half its width.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/stretchbot/stretchbot/bot"
)

// Size of the PNG: 10×5 inches at 96 dpi is 960×480 pixels.
const (
	Width  = 10 * vg.Inch
	Height = 5 * vg.Inch
	dpi    = 96
)

var (
	heldColor    = color.RGBA{R: 0x2e, G: 0x9e, B: 0x5b, A: 0xff}
	skippedColor = color.RGBA{R: 0xb0, G: 0xb0, B: 0xb0, A: 0xff}
)

// Drawer draws charts. The zero value is ready to use and safe for
// concurrent use.
type Drawer struct{}

var _ bot.Charter = Drawer{}

// BreaksPerDay draws days as a bar chart and returns the PNG.
func (Drawer) BreaksPerDay(title string, days []bot.DayCount) ([]byte, error) {
	if len(days) == 0 {
		return nil, errors.New("chart: no days to draw")
	}
	held := make(plotter.Values, len(days))
	skipped := make(plotter.Values, len(days))
	labels := make([]string, len(days))
	most := 0
	for i, d := range days {
		held[i], skipped[i] = float64(d.Held), float64(d.Skipped)
		most = max(most, d.Held+d.Skipped)
		// A label a week keeps the axis legible; the weekday of the first
		// day tells which day each bar is.
		if i%7 == 0 {
			labels[i] = d.Day.Format("Mon 2 Jan")
		}
	}

	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(20)
	p.Y.Label.Text = "breaks"
	p.Y.Label.TextStyle.Font.Size = vg.Points(16)
	p.X.Tick.Label.Font.Size = vg.Points(14)
	p.Y.Tick.Label.Font.Size = vg.Points(14)
	p.Y.Min = 0
	p.Y.Max = float64(max(most, 1)) * 1.3
	p.Y.Tick.Marker = integerTicks{}
	p.Add(plotter.NewGrid())

	barWidth := (Width - vg.Inch) / vg.Length(len(days)) * 0.7
	heldBars, err := plotter.NewBarChart(held, barWidth)
	if err != nil {
		return nil, fmt.Errorf("chart: held bars: %w", err)
	}
	heldBars.Color, heldBars.LineStyle.Width = heldColor, 0
	skippedBars, err := plotter.NewBarChart(skipped, barWidth)
	if err != nil {
		return nil, fmt.Errorf("chart: skipped bars: %w", err)
	}
	skippedBars.Color, skippedBars.LineStyle.Width = skippedColor, 0
	skippedBars.StackOn(heldBars)
	p.Add(heldBars, skippedBars)
	p.NominalX(labels...)
	p.Legend.Add("held", heldBars)
	p.Legend.Add("skipped", skippedBars)
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(14)

	c := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: encode png: %w", err)
	}
	return buf.Bytes(), nil
}

// integerTicks marks whole numbers only: a count of breaks has no halves.
type integerTicks struct{}

func (integerTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for (hi-lo)/step > 8 {
		step *= 2
	}
	var ticks []plot.Tick
	for v := 0.0; v <= hi; v += step {
		if v >= lo {
			ticks = append(ticks, plot.Tick{Value: v, Label: fmt.Sprint(v)})
		}
	}
	return ticks
}
