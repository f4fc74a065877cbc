package report

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var htmlTemplate string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"verdict":       verdictLabel,
	"anchor":        func(id string) string { return "c-" + githubSlug(id) },
	"vcount":        func(r *Report, v string) int { return r.Coverage.Controls.Verdicts[Verdict(v)] },
	"verdictClass":  func(v Verdict) string { return "v-" + string(v) },
	"designation":   designationLabel,
	"owner":         ownerLabel,
	"gate":          gateLine,
	"scopeLine":     scopeLine,
	"scopeItems":    scopeItems,
	"method":        func() []string { return methodText },
	"join":          strings.Join,
	"names":         resourceNames,
	"resourceOrder": func() []Verdict { return resourceVerdictOrder },
	"verdictSummary": func(r *Report) string {
		var parts []string
		for _, v := range controlVerdictOrder {
			if n := r.Coverage.Controls.Verdicts[v]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, verdictLabel(v)))
			}
		}
		return strings.Join(parts, " · ")
	},
	"pct": func(n, total int) string {
		if total == 0 {
			return "0"
		}
		return fmt.Sprintf("%.2f", float64(n)*100/float64(total))
	},
	"badList": func(rr ResourceReport) string {
		return strings.Join(append(append([]string{}, rr.Failing...), rr.Undetermined...), ", ")
	},
	"code": func(s string) template.HTML {
		// Inline code spans from the method text's backticks.
		parts := strings.Split(template.HTMLEscapeString(s), "`")
		var b strings.Builder
		for i, p := range parts {
			if i%2 == 1 {
				b.WriteString("<code>" + p + "</code>")
			} else {
				b.WriteString(p)
			}
		}
		return template.HTML(b.String()) //nolint:gosec // every part is escaped above
	},
}).Parse(htmlTemplate))

// HTML writes the report as one self-contained HTML page: inline styles, no scripts, no fonts,
// images or other network assets; the summary sits at the top.
func HTML(w io.Writer, r *Report) error {
	var b bytes.Buffer
	if err := htmlTmpl.Execute(&b, r); err != nil {
		return fmt.Errorf("rendering HTML report: %w", err)
	}
	_, err := w.Write(b.Bytes())
	return err
}
