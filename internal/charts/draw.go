package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Width is every chart's width in pixels. Drawn at one pixel per point, with
// text from 22 px, the charts stay readable once a phone shrinks them to its
// screen's width.
const Width = 800

const (
	minHeight = 500
	// A horizontal chart grows with its labels rather than squeezing them.
	chrome    = 150 // title, value axis and legend
	barPx     = 28
	rowGapPx  = 18
	titlePx   = 32
	labelPx   = 24
	tickPx    = 23
	valuePx   = 22
	maxLabel  = 30 // characters of a category's name before it is cut
	groupPx   = 120
	verticals = 2 // bars per category in a vertical chart's slot
)

// colour gives the i-th series a colour that stays apart from the others'
// for people who do not tell red from green (Okabe and Ito's palette).
func colour(i int) color.Color {
	palette := [...]color.RGBA{{0, 114, 178, 255}, {230, 159, 0, 255}, {0, 158, 115, 255}, {204, 121, 167, 255}}
	return palette[i%len(palette)]
}

// Size returns the picture's size in pixels.
func (c Chart) Size() (width, height int) {
	if !c.Horizontal {
		return Width, minHeight
	}
	row := barPx*len(c.Series) + rowGapPx
	return Width, max(minHeight, chrome+row*len(c.Labels))
}

// PNG draws the chart.
func (c Chart) PNG() ([]byte, error) {
	p, err := c.plot()
	if err != nil {
		return nil, fmt.Errorf("charts: %s: %w", c.Name, err)
	}
	w, h := c.Size()
	canvas := vgimg.NewWith(vgimg.UseWH(vg.Length(w), vg.Length(h)), vgimg.UseDPI(72))
	// A margin keeps the labels off the picture's edges.
	p.Draw(draw.Crop(draw.New(canvas), 12, -16, 8, -8))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("charts: %s: %w", c.Name, err)
	}
	return buf.Bytes(), nil
}

func sans(size float64, bold bool) font.Font {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Length(size)}
	if bold {
		f.Weight = stdfont.WeightBold
	}
	return f
}

func (c Chart) plot() (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = c.Title
	p.Title.TextStyle.Font = sans(titlePx, true)
	p.Title.Padding = vg.Length(16)
	for _, axis := range []*plot.Axis{&p.X, &p.Y} {
		axis.Label.TextStyle.Font = sans(labelPx, false)
		axis.Tick.Label.Font = sans(tickPx, false)
	}
	p.Legend.TextStyle.Font = sans(tickPx, false)
	p.Legend.ThumbnailWidth = vg.Length(24)

	value := &p.Y
	if c.Horizontal {
		value = &p.X
	}
	value.Label.Text = c.Axis
	value.Min = 0
	value.Tick.Marker = frenchTicks{whole: whole(c.Series)}
	// Bars are sorted longest first: in a horizontal chart the legend goes
	// at the bottom, over the short bars' free room.
	p.Legend.Top = !c.Horizontal
	if len(c.Labels) == 0 {
		// An empty axis still needs a range to be drawn.
		value.Max = 1
		return p, nil
	}
	if c.Horizontal {
		// The first label goes on top, where people start reading.
		p.NominalY(reversed(shorten(c.Labels))...)
	} else {
		p.NominalX(c.Labels...)
	}

	n := len(c.Series)
	width := vg.Length(barPx)
	if !c.Horizontal {
		width = vg.Length(groupPx / max(n, verticals))
	}
	for i, s := range c.Series {
		values := plotter.Values(s.Values)
		if c.Horizontal {
			values = reversedValues(s.Values)
		}
		bars, err := plotter.NewBarChart(values, width)
		if err != nil {
			return nil, err
		}
		bars.Horizontal = c.Horizontal
		bars.Color = colour(i)
		bars.LineStyle.Width = 0
		// Series are side by side, centred on their category; in a horizontal
		// chart the first series is the upper one.
		shift := (float64(i) - float64(n-1)/2) * float64(width)
		if c.Horizontal {
			shift = -shift
		}
		bars.Offset = vg.Length(shift)
		p.Add(bars)
		if n > 1 {
			p.Legend.Add(s.Name, bars)
		}
		figures, err := c.valueLabels(values, vg.Length(shift))
		if err != nil {
			return nil, err
		}
		p.Add(figures)
	}
	return p, nil
}

// valueLabels writes each bar's figure at its end: a phone's reader should
// not have to read the value off the axis.
func (c Chart) valueLabels(values plotter.Values, shift vg.Length) (*plotter.Labels, error) {
	xy := plotter.XYLabels{XYs: make(plotter.XYs, len(values)), Labels: make([]string, len(values))}
	for i, v := range values {
		if c.Horizontal {
			xy.XYs[i] = plotter.XY{X: v, Y: float64(i)}
		} else {
			xy.XYs[i] = plotter.XY{X: float64(i), Y: v}
		}
		xy.Labels[i] = figure(v)
	}
	l, err := plotter.NewLabels(xy)
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = sans(valuePx, false)
		if c.Horizontal {
			l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XLeft, draw.YCenter
		} else {
			l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = draw.XCenter, draw.YBottom
		}
	}
	if c.Horizontal {
		l.Offset = vg.Point{X: 6, Y: shift}
	} else {
		l.Offset = vg.Point{X: shift, Y: 4}
	}
	return l, nil
}

// figure writes a bar's value: whole numbers bare, shares with one decimal.
func figure(v float64) string {
	if v == math.Trunc(v) {
		return decimal(v, 0)
	}
	return decimal(v, 1)
}

// frenchTicks are plot's default ticks written with a decimal comma and
// without the zeros plot adds (50 rather than 50.00); on an axis of counts
// (whole), a tick between two whole numbers is left unlabelled.
type frenchTicks struct{ whole bool }

func (f frenchTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		switch {
		case t.IsMinor():
		case f.whole && t.Value != math.Trunc(t.Value):
			ticks[i].Label = ""
		default:
			ticks[i].Label = strings.Replace(strconv.FormatFloat(t.Value, 'f', -1, 64), ".", ",", 1)
		}
	}
	return ticks
}

func whole(series []Series) bool {
	for _, s := range series {
		for _, v := range s.Values {
			if v != math.Trunc(v) {
				return false
			}
		}
	}
	return true
}

func shorten(labels []string) []string {
	out := make([]string, len(labels))
	for i, l := range labels {
		if r := []rune(l); len(r) > maxLabel {
			l = string(r[:maxLabel-1]) + "…"
		}
		out[i] = l
	}
	return out
}

func reversed(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func reversedValues(s []float64) plotter.Values {
	out := make(plotter.Values, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}
