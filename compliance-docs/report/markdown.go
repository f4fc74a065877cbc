package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
)

// Markdown writes the report as GitHub-flavoured Markdown.
func Markdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# %s\n\n", mdText(r.Title))
	p("%s\n\n", mdText(scopeLine(r)))
	p("Contents: [Summary](#summary) · [Controls](#controls) · [Control details](#control-details) · " +
		"[Policies](#policies) · [Resources](#resources) · [Findings](#findings) · " +
		"[Scope and method](#scope-and-method) · [Availability](#availability)\n\n")

	// Summary.
	c := r.Coverage
	p("## Summary\n\n")
	p("**%s**\n\n", mdText(gateLine(r)))
	p("| Controls | Total | Automated | Partial | Manual |\n|---|---:|---:|---:|---:|\n")
	p("| HIPAA Security Rule standards and implementation specifications | %d | %d | %d | %d |\n\n",
		c.Controls.Total, c.Controls.Automated, c.Controls.Partial, c.Controls.Manual)
	p("| Control verdicts in this evaluation | Count |\n|---|---:|\n")
	for _, v := range controlVerdictOrder {
		if n := c.Controls.Verdicts[v]; n > 0 {
			p("| %s | %d |\n", verdictLabel(v), n)
		}
	}
	p("\n| Policies (effective enforcement) | Total | Go | Rego | Mandatory | Advisory | Disabled |\n|---|---:|---:|---:|---:|---:|---:|\n")
	p("| Policies of the pack | %d | %d | %d | %d | %d | %d |\n\n", c.Policies.Total, c.Policies.Go, c.Policies.Rego, c.Policies.Mandatory, c.Policies.Advisory, c.Policies.Disabled)
	p("| Resources | Total | Evaluated by at least one policy |\n|---|---:|---:|\n")
	p("| Resources of the stack | %d | %d |\n\n", c.Resources.Total, c.Resources.Evaluated)
	p("| Policy verdicts (policy × resource pairs) | Pass | Fail | Accepted | Not applicable | Undetermined |\n|---|---:|---:|---:|---:|---:|\n")
	p("| Verdicts of this evaluation | %d | %d | %d | %d | %d |\n\n",
		c.Results.Pass, c.Results.Fail, c.Results.Accepted, c.Results.NotApplicable, c.Results.Undetermined)
	p("| Findings | Mandatory | Advisory | Accepted (suppressed) | Expired suppressions |\n|---|---:|---:|---:|---:|\n")
	p("| Open findings | %d | %d | %d | %d |\n\n", c.Findings.Mandatory, c.Findings.Advisory, c.Findings.Accepted, c.Findings.ExpiredSuppressions)
	if len(r.UnknownControls) > 0 {
		p("> **Defect:** policies cite controls missing from the catalog: %s\n\n", mdText(strings.Join(r.UnknownControls, ", ")))
	}

	// Controls overview.
	p("## Controls\n\n")
	p("Every standard and implementation specification of the Security Rule, in the order of the regulation. " +
		"R/A: required or addressable (Appendix A to Subpart C). Status: what this system does about the control. " +
		"Verdict: what this evaluation found on the resources the control's policies read.\n\n")
	p("| Control | Title | Safeguard | R/A | Status | Verdict | Policies | Pass | Fail | Accepted | N/A | Undetermined |\n")
	p("|---|---|---|:-:|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, cr := range r.Controls {
		p("| [%s](#%s) | %s | %s | %s | %s | %s | %d | %d | %d | %d | %d | %d |\n", cr.ID, githubSlug(cr.ID+" "+cr.Title), mdCell(cr.Title), cr.Safeguard, cr.Designation,
			cr.Status, verdictLabel(cr.Verdict), len(cr.Policies),
			cr.Counts.Pass, cr.Counts.Fail, cr.Counts.Accepted, cr.Counts.NotApplicable, cr.Counts.Undetermined)
	}

	// Control details.
	p("\n## Control details\n")
	for _, cr := range r.Controls {
		p("\n### %s %s\n\n", cr.ID, mdText(cr.Title))
		kind := "Standard"
		if cr.Kind == catalog.ImplementationSpecification {
			kind = "Implementation specification of " + cr.Standard
		}
		p("%s · %s safeguard · %s · status **%s** · verdict **%s**\n\n", kind, cr.Safeguard, designationLabel(cr.Designation), cr.Status, verdictLabel(cr.Verdict))
		p("%s\n\n", mdText(cr.Summary))
		if cr.Rationale != "" {
			p("*Left to %s:* %s\n\n", ownerLabel(cr.Owner), mdText(cr.Rationale))
		}
		if len(cr.Policies) > 0 {
			p("| Enforcing policy | Engine | Severity | Enforcement |\n|---|---|---|---|\n")
			for _, pr := range cr.Policies {
				p("| `%s` %s | %s | %s | %s |\n", pr.ID, mdCell(pr.Title), pr.Engine, pr.Severity, pr.Enforcement)
			}
			p("\n")
			if cr.Verdict == Disabled {
				p("Every policy of this control is disabled by the pack configuration: nothing was checked.\n\n")
			} else if len(cr.Resources) == 0 {
				p("No resource of this stack is of a type these policies read.\n\n")
			} else {
				p("Resources evaluated: %d pass, %d fail, %d accepted, %d not applicable, %d undetermined.\n\n",
					cr.Counts.Pass, cr.Counts.Fail, cr.Counts.Accepted, cr.Counts.NotApplicable, cr.Counts.Undetermined)
				for _, v := range resourceVerdictOrder {
					names := resourceNames(cr.Resources, v)
					if len(names) > 0 {
						p("- %s: %s\n", verdictLabel(v), mdText(strings.Join(names, ", ")))
					}
				}
				p("\n")
			}
		}
		if len(cr.Suppressions) > 0 {
			p("| Accepted finding | Resource | Reason | Owner | Expires |\n|---|---|---|---|---|\n")
			for _, s := range cr.Suppressions {
				p("| `%s` | %s | %s | %s | %s |\n", s.Policy, mdCell(s.Name), mdCell(s.Reason), mdCell(s.Owner), s.Expires)
			}
			p("\n")
		}
	}

	// Policies.
	p("\n## Policies\n\n")
	p("| Policy | Engine | Severity | Enforcement | Controls | Pass | Fail | Accepted | N/A | Undetermined |\n")
	p("|---|---|---|---|---|---:|---:|---:|---:|---:|\n")
	for _, pr := range r.Policies {
		p("| `%s` %s | %s | %s | %s | %s | %d | %d | %d | %d | %d |\n", pr.ID, mdCell(pr.Title), pr.Engine, pr.Severity, pr.Enforcement,
			mdCell(strings.Join(pr.Controls, ", ")), pr.Counts.Pass, pr.Counts.Fail, pr.Counts.Accepted, pr.Counts.NotApplicable, pr.Counts.Undetermined)
	}

	// Resources.
	p("\n## Resources\n\n")
	p("| Resource | Type | Pass | Fail | Accepted | N/A | Undetermined | Failing or undetermined policies |\n")
	p("|---|---|---:|---:|---:|---:|---:|---|\n")
	for _, rr := range r.Resources {
		bad := append(append([]string{}, rr.Failing...), rr.Undetermined...)
		note := strings.Join(bad, ", ")
		if rr.Counts.Total() == 0 {
			note = "no policy reads this type"
		}
		p("| %s | `%s` | %d | %d | %d | %d | %d | %s |\n", mdCell(rr.Name), rr.Type, rr.Counts.Pass, rr.Counts.Fail, rr.Counts.Accepted,
			rr.Counts.NotApplicable, rr.Counts.Undetermined, mdCell(note))
	}

	// Findings.
	p("\n## Findings\n\n")
	if len(r.Findings) == 0 {
		p("No policy failed and none was undetermined.\n")
	} else {
		p("| Policy | Resource | Status | Enforcement | Controls | Message | Accepted |\n|---|---|---|---|---|---|---|\n")
		for _, f := range r.Findings {
			acc := ""
			if f.Suppression != nil {
				acc = fmt.Sprintf("%s (owner %s, expires %s)", f.Suppression.Reason, f.Suppression.Owner, f.Suppression.Expires)
			}
			p("| `%s` | %s | %s | %s | %s | %s | %s |\n", f.Policy, mdCell(f.Name), f.Status, f.Enforcement,
				mdCell(strings.Join(f.Controls, ", ")), mdCell(f.Message), mdCell(acc))
		}
	}
	if len(r.ExpiredSuppressions) > 0 {
		p("\nExpired suppressions (they accept nothing):\n\n| Policy | URN pattern | Reason | Owner | Expired |\n|---|---|---|---|---|\n")
		for _, e := range r.ExpiredSuppressions {
			p("| `%s` | `%s` | %s | %s | %s |\n", e.Policy, e.URN, mdCell(e.Reason), mdCell(e.Owner), e.Expires)
		}
	}

	// Scope and method.
	p("\n## Scope and method\n\n")
	for _, line := range scopeItems(r) {
		p("- %s\n", mdText(line))
	}
	p("\n")
	for _, para := range methodText {
		p("%s\n\n", mdText(para))
	}

	// Availability.
	a := r.Availability
	p("## Availability\n\n")
	p("Target: **%s%%** (at most %s minutes of unavailability in a 30-day month).\n\n", a.Target, a.TargetDowntime)
	for _, path := range a.Paths {
		p("**%s**: %s\n\n", mdText(path.Name), mdText(path.Route))
		p("| Service | Commitment | SLA | SLA page | Page date |\n|---|---|---:|---|---|\n")
		for _, s := range path.Services {
			p("| %s | %s | %s%% | %s | %s |\n", mdCell(s.Service), mdCell(s.Commitment), s.Percent, s.Page, mdCell(s.PageDate))
		}
		verdict := "below the target"
		if path.MeetsTarget {
			verdict = "meets the target"
		}
		p("| **Composite (product)** | | **%s%%** | about %s min/month | %s |\n\n", path.Composite, path.DowntimeMinutes, verdict)
	}
	p("%s\n\n%s\n\n*%s*\n", mdText(a.Conclusion), mdText(a.Design), mdText(a.Recheck))

	_, err := io.WriteString(w, b.String())
	return err
}

// mdText escapes what GitHub would read as HTML.
func mdText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}

// mdCell makes a string safe inside a table cell.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// githubSlug is the anchor GitHub gives a heading: lower case, punctuation other than hyphens
// and underscores dropped, spaces turned into hyphens.
func githubSlug(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}
