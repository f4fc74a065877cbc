package report

import (
	"fmt"
	"strings"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
)

// controlVerdictOrder lists control verdicts worst first.
var controlVerdictOrder = []Verdict{Fail, NoPolicy, Undetermined, Accepted, Pass, Disabled, NotEvaluated, Manual}

// resourceVerdictOrder lists a control's resource verdicts worst first.
var resourceVerdictOrder = []Verdict{Fail, Undetermined, Accepted, Pass, NotApplicable}

func verdictLabel(v Verdict) string {
	switch v {
	case Pass:
		return "pass"
	case Fail:
		return "FAIL"
	case Accepted:
		return "pass with accepted findings"
	case NotApplicable:
		return "not applicable"
	case Undetermined:
		return "undetermined"
	case Disabled:
		return "disabled by config"
	case NotEvaluated:
		return "no resource in scope"
	case Manual:
		return "manual"
	case NoPolicy:
		return "NO POLICY (defect)"
	}
	return string(v)
}

func designationLabel(d catalog.Designation) string {
	if d == catalog.Addressable {
		return "addressable"
	}
	return "required"
}

func ownerLabel(o catalog.Owner) string {
	switch o {
	case catalog.AWS:
		return "AWS (its part of the shared responsibility model)"
	case catalog.Shared:
		return "AWS and the customer's organisation (shared responsibility)"
	}
	return "the customer's organisation"
}

func resourceNames(rs []ResourceVerdict, v Verdict) []string {
	var out []string
	for _, r := range rs {
		if r.Verdict == v {
			out = append(out, r.Name)
		}
	}
	return out
}

// gateLine is the one-line verdict of the evaluation. The engine gates the deploy: when its own
// findings differ from this evaluation's, the line says so (an engine block is a block), not only
// Scope and method.
func gateLine(r *Report) string {
	c := r.Coverage
	e := r.Engine
	differs := e != nil && e.Differs()
	var line string
	switch {
	case c.Blocked:
		line = fmt.Sprintf("Deploy gate: BLOCKED: %d mandatory finding(s), %d advisory, %d accepted.",
			c.Findings.Mandatory, c.Findings.Advisory, c.Findings.Accepted)
	case e != nil && e.Mandatory > 0:
		line = fmt.Sprintf("Deploy gate: BLOCKED: the Pulumi engine reported %d mandatory violation(s); this evaluation found none; %d advisory, %d accepted.",
			e.Mandatory, c.Findings.Advisory, c.Findings.Accepted)
	default:
		line = fmt.Sprintf("Deploy gate: PASS: no mandatory violation; %d advisory, %d accepted.",
			c.Findings.Advisory, c.Findings.Accepted)
	}
	if c.UndeterminedMandatory > 0 {
		line += fmt.Sprintf(" %d undetermined verdict(s) of %d mandatory polic(ies) at preview (values known only after deployment; "+
			"reported as advisory, not as passes): %s.", c.UndeterminedMandatory, len(c.UndeterminedPolicies), strings.Join(c.UndeterminedPolicies, ", "))
	}
	if c.Policies.Disabled > 0 {
		line += fmt.Sprintf(" %d polic(ies) disabled by config.", c.Policies.Disabled)
	}
	if differs {
		line += fmt.Sprintf(" The Pulumi engine itself reported %d mandatory and %d advisory; %s.", e.Mandatory, e.Advisory, engineDifference(e))
	}
	return line
}

// engineDifference names the findings one side reported and the other did not.
func engineDifference(e *EngineEvidence) string {
	var parts []string
	if len(e.OnlyEngine) > 0 {
		parts = append(parts, "reported by the engine only: "+strings.Join(e.OnlyEngine, ", "))
	}
	if len(e.OnlyOffline) > 0 {
		parts = append(parts, "reported by this evaluation only: "+strings.Join(e.OnlyOffline, ", "))
	}
	return strings.Join(parts, "; ")
}

func scopeLine(r *Report) string {
	parts := []string{"Stack " + r.Scope.Stack}
	if r.Scope.Project != "" {
		parts = append(parts, "project "+r.Scope.Project)
	}
	parts = append(parts, fmt.Sprintf("policy pack %s %s", r.Scope.PackName, r.Scope.PackVersion))
	if r.Scope.Commit != "" {
		parts = append(parts, "commit "+r.Scope.Commit)
	}
	if r.Scope.Source != "" {
		parts = append(parts, "evidence "+r.Scope.Source)
	}
	if r.Scope.GeneratedAt != "" {
		parts = append(parts, "generated "+r.Scope.GeneratedAt)
	}
	return strings.Join(parts, " · ")
}

func scopeItems(r *Report) []string {
	s := r.Scope
	items := []string{"Stack: " + s.Stack}
	if s.Project != "" {
		items = append(items, "Project: "+s.Project)
	}
	items = append(items, fmt.Sprintf("Policy pack: %s version %s (%d policies)", s.PackName, s.PackVersion, r.Coverage.Policies.Total))
	switch {
	case s.Commit != "":
		items = append(items, "Commit of the evidence run: "+s.Commit)
	case len(s.Sources) == 0:
		items = append(items, "Commit of the evidence run: not recorded")
	}
	if len(s.Sources) > 0 {
		ids := make([]string, len(s.Sources))
		for i, t := range s.Sources {
			ids[i] = t.Path + " " + t.ID
		}
		items = append(items, fmt.Sprintf("Sources of the evidence run (git object IDs: in a checkout of the commit holding "+
			"this report, `git rev-parse HEAD:%s` gives the first, and the repository's tests check that they all match): %s",
			s.Sources[0].Path, strings.Join(ids, ", ")))
	}
	if s.EngineVersion != "" {
		items = append(items, "Pulumi engine: "+s.EngineVersion)
	}
	switch {
	case s.PackConfig != nil:
		items = append(items, fmt.Sprintf("Policy pack config of the engine's run: %s (SHA-256 %s)", s.PackConfig.Path, s.PackConfig.SHA256))
	case r.Engine != nil:
		items = append(items, "Policy pack config of the engine's run: none (the pack's defaults)")
	}
	if s.Source != "" {
		src := "Evidence: " + s.Source
		if s.Format != "" {
			src += " (" + s.Format + ")"
		}
		items = append(items, src)
	}
	if r.Engine != nil {
		e := r.Engine
		line := fmt.Sprintf("Engine policy events of the run: %d (%d mandatory, %d advisory)", e.PolicyEvents, e.Mandatory, e.Advisory)
		if e.Source != "" {
			line += ", from " + e.Source
		}
		items = append(items, line)
		agree := "agree"
		if e.Mandatory != r.Coverage.Findings.Mandatory {
			agree = "DIFFER: investigate before relying on this report"
		}
		items = append(items, fmt.Sprintf("Mandatory violations: engine %d, offline evaluation %d (%s)",
			e.Mandatory, r.Coverage.Findings.Mandatory, agree))
		advisory := fmt.Sprintf("Advisory findings: engine %d, offline evaluation %d", e.Advisory, r.Coverage.Findings.Advisory)
		if e.Differs() {
			advisory += " (the findings differ: " + engineDifference(e) + ". A possible cause: Pulumi's per-resource Analyze " +
				"request carries no property dependencies, so a resource policy that resolves an unknown value through them " +
				"offline stays undetermined, hence advisory, in the engine; any difference is to be investigated)"
		} else {
			advisory += " (the same findings, policy by policy and resource by resource)"
		}
		items = append(items, advisory)
	}
	if s.GeneratedAt != "" {
		items = append(items, "Generated: "+s.GeneratedAt)
	}
	return items
}

// methodText says how the verdicts were reached and what they cannot show.
var methodText = []string{
	"Method. The resources are the ones the Pulumi engine registered for the stack (inputs as the policy pack " +
		"saw them, unknown values and secrets in Pulumi's encodings, secret values never in clear). Every policy of " +
		"the pack was evaluated over them by the pack's own evaluator, the same code the analyzer plugin runs inside " +
		"`pulumi preview` and `pulumi up`, with the pack configuration given (the default one unless a config file " +
		"was passed; the enforcement shown is the one the evaluation ran with) and its suppressions file. Which " +
		"controls a policy enforces comes only from the policy's own metadata; the catalog lists the controls and " +
		"what is done about each, and this report inverts the mapping.",
	"The checks are preventive: they run at preview and update, before a change reaches AWS, and a mandatory " +
		"failure blocks the deploy. An undetermined verdict (a value unknown until the resource exists) is reported " +
		"as advisory and never counted as a pass; on `up` the value is known and the policy decides.",
	"What this evaluation cannot see: runtime drift (changes made outside Pulumi after deployment: console, other tools), " +
		"the runtime state of resources (logs actually delivered, backups actually restorable, keys not scheduled " +
		"for deletion), AWS account-level settings outside the stack, the application's own handling of ePHI, " +
		"workforce procedures (training, sanctions, access reviews, incident response) and physical safeguards, " +
		"which are AWS's for its data centres and the customer's for its workstations. Controls marked manual or " +
		"partial say who carries the rest.",
	"Statuses: automated means the infrastructure side of the control is enforced by policies; partial means " +
		"policies enforce a technical part and the rest is procedure; manual means nothing in the infrastructure " +
		"code can show it. Verdicts: a control fails when any of its policies fails on any resource without an " +
		"accepted suppression; it is undetermined when a policy could not decide; \"pass with accepted findings\" " +
		"when failures are covered by suppressions (reason, owner and expiry are listed); \"no resource in scope\" " +
		"when no resource of the stack is of a type its policies read; \"disabled by config\" when the pack " +
		"configuration disabled every policy of the control (nothing was checked).",
}
