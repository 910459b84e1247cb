package main

import (
	"bytes"
	"fmt"
	"html/template"
	"os"
)

// Colours of the report's series; the screenshot test looks for them.
const (
	colorRate    = "#2563eb" // calls answered per second
	colorQuota   = "#f59e0b" // the quota
	colorWait    = "#16a34a" // mean wait for quota
	colorWaitMax = "#86efac" // longest wait
	color429     = "#dc2626" // the server's 429s
	colorRefused = "#7c3aed" // local refusals
)

// reportGroup is a group's section of the HTML report.
type reportGroup struct {
	groupResult
	Pass                     bool
	RateChart, WaitChart     template.HTML
	RefusalChart, ShareLabel template.HTML
}

var reportPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>easemob load test: {{.Report.BaseURL}}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; background: #fafafa; }
table { border-collapse: collapse; background: #fff; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.bad { color: #b91c1c; font-weight: bold; }
section { margin: 24px 0; padding: 12px; background: #fff; border: 1px solid #ddd; }
.charts { display: flex; flex-wrap: wrap; gap: 8px; }
</style></head><body>
<h1>Load test of {{.Report.BaseURL}}</h1>
<p>App Key {{.Report.AppKey}}, started {{.Report.Started.Format "2006-01-02 15:04:05 MST"}}, ran {{printf "%.1f" .Report.Duration}} s,
{{len .Groups}} quota groups at full quota. Rate is the calls answered per second over the whole windows from each
group's first answer; latency is the round trip without the wait for quota.</p>
<div class="charts">{{.Overview}}</div>
<table>
<tr><th>group</th><th>quota</th><th>calls</th><th>rate/s</th><th>of quota</th><th>429s</th><th>refused</th><th>errors</th>
<th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>mean wait ms</th></tr>
{{range .Groups}}<tr><td><a href="#{{.Group}}">{{.Group}}</a></td><td>{{.Quota}}</td><td>{{.Calls}}</td><td>{{printf "%.1f" .Rate}}</td>
<td{{if not .Pass}} class="bad"{{end}}>{{.ShareLabel}}</td><td{{if .RateLimited}} class="bad"{{end}}>{{.RateLimited}}</td>
<td>{{.Refused}}</td><td{{if .Errors}} class="bad"{{end}}>{{.Errors}}</td><td>{{.P50}}</td><td>{{.P90}}</td><td>{{.P99}}</td>
<td>{{.Max}}</td><td>{{.WaitMean}}</td></tr>
{{end}}</table>
{{range .Groups}}<section id="{{.Group}}"><h2>{{.Group}}</h2>
<p>{{.Quota}}: {{printf "%.1f" .Rate}} calls/s ({{.ShareLabel}}), {{.RateLimited}} 429s, {{.Refused}} local refusals,
{{.Errors}} errors{{if .FirstError}} (first: {{.FirstError}}){{end}}.</p>
<div class="charts">{{.RateChart}}{{.WaitChart}}{{.RefusalChart}}</div></section>
{{end}}</body></html>
`))

// writeHTMLReport writes the report as one HTML file with inline SVG.
func writeHTMLReport(path string, rep loadReport) error {
	data := struct {
		Report   loadReport
		Groups   []reportGroup
		Overview template.HTML
	}{Report: rep}
	share := chartSeries{name: "% of quota", color: colorRate, bars: true}
	full := chartSeries{name: "quota", color: colorQuota, dashed: true}
	for _, g := range rep.Groups {
		rg := reportGroup{groupResult: g, Pass: g.Share >= 0.99 && g.RateLimited == 0,
			ShareLabel: template.HTML(fmt.Sprintf("%.1f%%", 100*g.Share))}
		n := len(g.Series)
		rate := chartSeries{name: "answered/s", color: colorRate, values: make([]float64, n)}
		quota := chartSeries{name: "quota/s", color: colorQuota, dashed: true, values: make([]float64, n)}
		wait := chartSeries{name: "mean wait", color: colorWait, values: make([]float64, n)}
		waitMax := chartSeries{name: "longest wait", color: colorWaitMax, values: make([]float64, n)}
		r429 := chartSeries{name: "429s", color: color429, bars: true, values: make([]float64, n)}
		refused := chartSeries{name: "local refusals", color: colorRefused, bars: true, values: make([]float64, n)}
		for i, s := range g.Series {
			rate.values[i], quota.values[i] = float64(s.Answered), g.QuotaRate
			wait.values[i], waitMax.values[i] = s.WaitMean, s.WaitMax
			r429.values[i], refused.values[i] = float64(s.RateLimited), float64(s.Refused)
		}
		rg.RateChart = svgChart(g.Group+": rate against quota", "calls/s", seconds, []chartSeries{quota, rate})
		rg.WaitChart = svgChart(g.Group+": wait for quota", "ms", seconds, []chartSeries{waitMax, wait})
		rg.RefusalChart = svgChart(g.Group+": refusals", "per second", seconds, []chartSeries{r429, refused})
		data.Groups = append(data.Groups, rg)
		share.values = append(share.values, 100*g.Share)
		full.values = append(full.values, 100)
	}
	data.Overview = svgChart("share of quota per group (in table order)", "%", func(i int) string { return fmt.Sprint(i + 1) }, []chartSeries{full, share})
	var buf bytes.Buffer
	if err := reportPage.Execute(&buf, data); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
