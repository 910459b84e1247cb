package main

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// A small SVG chart writer for the load-test report: a line or bar chart
// of per-second series over one time axis, with axes, grid, ticks and a
// legend, drawn in Go so the page needs nothing from the network.

// chartSeries is one series of a chart.
type chartSeries struct {
	name   string
	color  string
	values []float64 // one per second
	dashed bool      // a reference line (the quota)
	bars   bool      // bars instead of a line
}

// chart geometry, in SVG user units.
const (
	chartW, chartH             = 560, 220
	padL, padR, padT, padB     = 56, 14, 26, 38
	plotW, plotH               = chartW - padL - padR, chartH - padT - padB
	axisColor, gridColor, text = "#444", "#ddd", "#222"
)

// seconds labels the x axis in seconds.
func seconds(i int) string { return fmt.Sprintf("%ds", i) }

// svgChart draws series over points 0..n-1 (labelled by xTick); the y axis
// starts at 0 and ends at a round number above every value.
func svgChart(title, unit string, xTick func(int) string, series []chartSeries) template.HTML {
	n, top := 0, 0.0
	for _, s := range series {
		n = max(n, len(s.values))
		for _, v := range s.values {
			top = math.Max(top, v)
		}
	}
	n = max(n, 2)
	top = niceCeil(top * 1.1)
	x := func(i float64) float64 { return padL + i*plotW/float64(n-1) }
	y := func(v float64) float64 { return padT + plotH - v/top*plotH }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`,
		chartW, chartH, chartW, chartH, html.EscapeString(title))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/>`, chartW, chartH)
	fmt.Fprintf(&b, `<text x="%d" y="16" font-size="13" font-weight="bold" fill="%s">%s</text>`, padL, text, html.EscapeString(title))
	for k := 0; k <= 4; k++ { // y grid and labels
		v := top * float64(k) / 4
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s"/>`, padL, padL+plotW, y(v), y(v), gridColor)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="10" text-anchor="end" fill="%s">%s</text>`, padL-4, y(v)+3, text, tick(v))
	}
	step := max(1, (n-1)/6)
	for i := 0; i < n; i += step { // x ticks
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="10" text-anchor="middle" fill="%s">%s</text>`, x(float64(i)), padT+plotH+14, text, html.EscapeString(xTick(i)))
	}
	fmt.Fprintf(&b, `<text x="12" y="%d" font-size="10" fill="%s" transform="rotate(-90 12 %d)" text-anchor="middle">%s</text>`,
		padT+plotH/2, text, padT+plotH/2, html.EscapeString(unit))
	fmt.Fprintf(&b, `<path d="M%d %d V%d H%d" fill="none" stroke="%s"/>`, padL, padT, padT+plotH, padL+plotW, axisColor)
	for _, s := range series {
		switch {
		case s.bars:
			w := math.Max(1, float64(plotW)/float64(n)*0.6)
			for i, v := range s.values {
				if v > 0 {
					fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x(float64(i))-w/2, y(v), w, y(0)-y(v), s.color)
				}
			}
		default:
			pts := make([]string, len(s.values))
			for i, v := range s.values {
				pts[i] = fmt.Sprintf("%.1f,%.1f", x(float64(i)), y(v))
			}
			dash := ""
			if s.dashed {
				dash = ` stroke-dasharray="6 4"`
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"%s/>`, strings.Join(pts, " "), s.color, dash)
		}
	}
	lx := float64(padL + 8)
	for _, s := range series { // legend, under the axis
		ly := float64(chartH - 8)
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="12" height="4" fill="%s"/>`, lx, ly-6, s.color)
		fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-size="10" fill="%s">%s</text>`, lx+16, ly-2, text, html.EscapeString(s.name))
		lx += 26 + 6*float64(len(s.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built from numbers and escaped text only
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (1 at least).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

func tick(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2g", v)
}
