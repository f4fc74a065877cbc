// Package report builds the control-mapping report auditors read: the HIPAA catalog joined with
// the pack's policies (whose own metadata names their controls) and one evaluation of a stack,
// rendered as Markdown, self-contained HTML, JSON and SARIF 2.1.0.
//
// Output is stable: everything is sorted and nothing time-dependent is written unless the caller
// passes it in, so a committed report regenerates byte-identically from the same evidence.
package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// Scope says what was evaluated and how. Empty fields are left out of every output.
type Scope struct {
	// Stack and Project name the evaluated stack.
	Stack   string `json:"stack"`
	Project string `json:"project,omitempty"`
	// Source is the evidence file evaluated (a path relative to the repository) and Format its
	// kind (fixture, stack-export, preview).
	Source string `json:"source,omitempty"`
	Format string `json:"format,omitempty"`
	// Pack names the policy pack and its version.
	PackName    string `json:"packName"`
	PackVersion string `json:"packVersion"`
	// Commit is the repository commit of the evidence run, when known.
	Commit string `json:"commit,omitempty"`
	// Sources are the git object IDs of the sources the evidence run was built from (the
	// program, the pack, the runner), when recorded.
	Sources []SourceTree `json:"sources,omitempty"`
	// PackConfig is the policy pack config the evidence run's engine used; nil for the pack's
	// defaults (or when the evidence does not say).
	PackConfig *FileDigest `json:"packConfig,omitempty"`
	// EngineVersion is the Pulumi engine version of the evidence run, when known.
	EngineVersion string `json:"engineVersion,omitempty"`
	// GeneratedAt is written only when the caller gives it (stable output otherwise).
	GeneratedAt string `json:"generatedAt,omitempty"`
}

// SourceTree names a source path of the repository and its git object ID (a tree for a
// directory, a blob for a file): `git rev-parse <commit>:<path>` gives it for a commit.
type SourceTree struct {
	Path string `json:"path"`
	ID   string `json:"id"`
}

// FileDigest names a file and the SHA-256 of its content.
type FileDigest struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// EngineEvidence summarises the Pulumi engine's own policy events of the evidence run, so the
// report can show that the engine and the offline evaluation agree.
type EngineEvidence struct {
	// PolicyEvents counts the engine's policy violation events (mandatory and advisory).
	PolicyEvents int `json:"policyEvents"`
	Mandatory    int `json:"mandatory"`
	Advisory     int `json:"advisory"`
	// Source is the events file, relative to the repository.
	Source string `json:"source,omitempty"`
	// Findings are the engine's open findings (Pulumi's exceptions and the pack's suppressed
	// findings left out), to compare one by one.
	Findings []EngineFinding `json:"-"`
	// OnlyEngine and OnlyOffline list, as "<policy> on <resource> (<enforcement>)", the findings
	// one side reported and the other did not (Build fills them).
	OnlyEngine  []string `json:"onlyEngine,omitempty"`
	OnlyOffline []string `json:"onlyOffline,omitempty"`
}

// EngineFinding is one policy event of the engine.
type EngineFinding struct {
	Policy, URN, Enforcement string
}

// Differs reports whether the engine and the offline evaluation reported different findings.
func (e *EngineEvidence) Differs() bool { return len(e.OnlyEngine) > 0 || len(e.OnlyOffline) > 0 }

// compareEngine fills OnlyEngine and OnlyOffline from the engine's events and the open findings.
// Findings are matched on policy, full URN and enforcement; the lists name the resource only.
func compareEngine(e *EngineEvidence, findings []Finding) {
	type key struct{ policy, urn, enforcement string }
	label := func(k key) string {
		name := k.urn
		if i := strings.LastIndex(k.urn, "::"); i >= 0 {
			name = k.urn[i+2:]
		}
		return fmt.Sprintf("%s on %s (%s)", k.policy, name, k.enforcement)
	}
	count := map[key]int{}
	for _, f := range e.Findings {
		count[key{f.Policy, f.URN, f.Enforcement}]++
	}
	for _, f := range findings {
		if f.Suppression != nil {
			continue
		}
		k := key{f.Policy, f.URN, string(f.Enforcement)}
		if count[k] > 0 {
			count[k]--
			continue
		}
		e.OnlyOffline = append(e.OnlyOffline, label(k))
	}
	for k, n := range count {
		for range n {
			e.OnlyEngine = append(e.OnlyEngine, label(k))
		}
	}
	sort.Strings(e.OnlyEngine)
	sort.Strings(e.OnlyOffline)
}

// Input is everything a report is built from.
type Input struct {
	Catalog *catalog.Catalog
	// Policies are the pack's policies (registry.All); only their metadata is read.
	Policies []policy.Metadata
	// Resources are the resources of the evaluated file (only URN, type and name are read).
	Resources []policy.Resource
	// Evaluation is the pack's verdict over Resources (evaluate.Evaluate).
	Evaluation evaluate.Report
	Scope      Scope
	// Engine is the engine's evidence, when the evaluation comes from a `make audit` run.
	Engine *EngineEvidence
	// SourceLines gives, by URN, the line of Scope.Source where the resource is written, so
	// SARIF results can point at a file (code-scanning tools require a physical location).
	SourceLines map[string]int
}

// Verdict of a control, a resource under a control, or a policy on a resource.
type Verdict string

// Verdicts. Pass, Fail, NotApplicable and Undetermined are the policy statuses; Accepted is a
// failure (or undetermined result) covered by an active suppression; the others describe
// controls.
const (
	Pass          Verdict = "pass"
	Fail          Verdict = "fail"
	Accepted      Verdict = "accepted"
	NotApplicable Verdict = "not-applicable"
	Undetermined  Verdict = "undetermined"
	// Disabled: every policy of the control is disabled by the pack configuration.
	Disabled Verdict = "disabled"
	// NotEvaluated: the control has policies but no resource of this stack is of their types.
	NotEvaluated Verdict = "not-evaluated"
	// Manual: the control is not enforced by policies (see its rationale).
	Manual Verdict = "manual"
	// NoPolicy: the catalog says automated or partial but no policy cites the control (a
	// defect of the catalog or the pack; tests keep it from happening).
	NoPolicy Verdict = "no-policy"
)

// rank orders verdicts of one resource: the worst wins.
var rank = map[Verdict]int{NotApplicable: 0, Pass: 1, Accepted: 2, Undetermined: 3, Fail: 4}

// Counts counts verdicts.
type Counts struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Accepted      int `json:"accepted"`
	NotApplicable int `json:"notApplicable"`
	Undetermined  int `json:"undetermined"`
}

func (c *Counts) add(v Verdict) {
	switch v {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Accepted:
		c.Accepted++
	case NotApplicable:
		c.NotApplicable++
	case Undetermined:
		c.Undetermined++
	}
}

// Total is the number of verdicts counted.
func (c Counts) Total() int {
	return c.Pass + c.Fail + c.Accepted + c.NotApplicable + c.Undetermined
}

// PolicyRef is a policy as a control lists it.
type PolicyRef struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Engine      policy.Engine      `json:"engine"`
	Severity    policy.Severity    `json:"severity"`
	Enforcement policy.Enforcement `json:"enforcement"`
}

// ResourceVerdict is one resource's verdict under a control (the worst verdict of the
// control's policies on it) with the policies that gave that verdict.
type ResourceVerdict struct {
	URN      string   `json:"urn"`
	Type     string   `json:"type"`
	Name     string   `json:"name"`
	Verdict  Verdict  `json:"verdict"`
	Policies []string `json:"policies"`
}

// AcceptedFinding is a finding covered by an active suppression.
type AcceptedFinding struct {
	Policy   string   `json:"policy"`
	Controls []string `json:"controls"`
	URN      string   `json:"urn"`
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Message  string   `json:"message"`
	Pattern  string   `json:"pattern"`
	Reason   string   `json:"reason"`
	Owner    string   `json:"owner"`
	Expires  string   `json:"expires"`
}

// ControlReport is one catalog control with what the evaluation says about it.
type ControlReport struct {
	catalog.Control
	Verdict      Verdict           `json:"verdict"`
	Policies     []PolicyRef       `json:"policies"`
	Counts       Counts            `json:"counts"`
	Resources    []ResourceVerdict `json:"resources"`
	Suppressions []AcceptedFinding `json:"suppressions"`
}

// PolicyReport is one policy with its verdicts.
type PolicyReport struct {
	ID            string             `json:"id"`
	Title         string             `json:"title"`
	Description   string             `json:"description"`
	Engine        policy.Engine      `json:"engine"`
	Severity      policy.Severity    `json:"severity"`
	Enforcement   policy.Enforcement `json:"enforcement"`
	Controls      []string           `json:"controls"`
	ResourceTypes []string           `json:"resourceTypes"`
	Remediation   string             `json:"remediation"`
	References    []string           `json:"references"`
	Counts        Counts             `json:"counts"`
}

// ResourceReport is one resource with its verdicts.
type ResourceReport struct {
	URN    string `json:"urn"`
	Type   string `json:"type"`
	Name   string `json:"name"`
	Counts Counts `json:"counts"`
	// Failing lists the policies that fail (unsuppressed) on the resource; Undetermined those
	// that could not decide; Accepted those whose failure is suppressed.
	Failing      []string `json:"failing"`
	Undetermined []string `json:"undetermined"`
	Accepted     []string `json:"accepted"`
}

// Finding is a failure or an undetermined verdict (suppressed or not).
type Finding struct {
	Policy      string             `json:"policy"`
	Title       string             `json:"title"`
	Controls    []string           `json:"controls"`
	Severity    policy.Severity    `json:"severity"`
	Enforcement policy.Enforcement `json:"enforcement"`
	Status      policy.Status      `json:"status"`
	URN         string             `json:"urn"`
	Type        string             `json:"type"`
	Name        string             `json:"name"`
	Message     string             `json:"message"`
	Remediation string             `json:"remediation"`
	// Suppression is set when an active suppression accepted the finding.
	Suppression *evaluate.Suppression `json:"suppression,omitempty"`
	// SourceLine is the line of the evidence file where the resource is written (0: unknown).
	SourceLine int `json:"sourceLine,omitempty"`
}

// Coverage is the summary at the top of the report.
type Coverage struct {
	Controls struct {
		Total     int `json:"total"`
		Automated int `json:"automated"`
		Partial   int `json:"partial"`
		Manual    int `json:"manual"`
		// Verdicts counts controls by verdict in this evaluation.
		Verdicts map[Verdict]int `json:"verdicts"`
	} `json:"controls"`
	Policies struct {
		Total     int `json:"total"`
		Go        int `json:"go"`
		Rego      int `json:"rego"`
		Mandatory int `json:"mandatory"`
		Advisory  int `json:"advisory"`
		// Disabled counts the policies the configuration disabled (not run).
		Disabled int `json:"disabled"`
	} `json:"policies"`
	Resources struct {
		Total     int `json:"total"`
		Evaluated int `json:"evaluated"`
	} `json:"resources"`
	// Results counts every (policy, resource) verdict.
	Results  Counts `json:"results"`
	Findings struct {
		Mandatory           int `json:"mandatory"`
		Advisory            int `json:"advisory"`
		Accepted            int `json:"accepted"`
		ExpiredSuppressions int `json:"expiredSuppressions"`
	} `json:"findings"`
	// Blocked is true when an unsuppressed mandatory finding would block the deploy.
	Blocked bool `json:"blocked"`
	// UndeterminedMandatory counts the unsuppressed undetermined verdicts of mandatory policies
	// (values known only after deployment: reported as advisory, so they do not block), and
	// UndeterminedPolicies names those policies.
	UndeterminedMandatory int      `json:"undeterminedMandatory"`
	UndeterminedPolicies  []string `json:"undeterminedPolicies"`
	// Gate is the one-line verdict of the evaluation, as the report's headline shows it.
	Gate string `json:"gate"`
}

// ExpiredSuppression is a suppression entry past its expiry: it accepts nothing.
type ExpiredSuppression struct {
	Policy  string `json:"policy"`
	URN     string `json:"urn"`
	Reason  string `json:"reason"`
	Owner   string `json:"owner"`
	Expires string `json:"expires"`
}

// Report is the whole control-mapping report.
type Report struct {
	Title               string               `json:"title"`
	Scope               Scope                `json:"scope"`
	Engine              *EngineEvidence      `json:"engine,omitempty"`
	Coverage            Coverage             `json:"coverage"`
	Controls            []ControlReport      `json:"controls"`
	Policies            []PolicyReport       `json:"policies"`
	Resources           []ResourceReport     `json:"resources"`
	Findings            []Finding            `json:"findings"`
	ExpiredSuppressions []ExpiredSuppression `json:"expiredSuppressions"`
	// UnknownControls are control IDs cited by policies but absent from the catalog (a defect;
	// tests keep it empty).
	UnknownControls []string     `json:"unknownControls"`
	Availability    Availability `json:"availability"`
}

// Build joins catalog, policies and evaluation into a report.
func Build(in Input) (*Report, error) {
	if in.Catalog == nil {
		return nil, fmt.Errorf("report: no catalog")
	}
	if in.Scope.Stack == "" {
		return nil, fmt.Errorf("report: scope names no stack")
	}
	// Metadata carries the effective enforcement (the caller applies the pack configuration);
	// a policy the evaluation did not run because the configuration disabled it is disabled here.
	disabled := map[string]bool{}
	for _, id := range in.Evaluation.Disabled {
		disabled[id] = true
	}
	meta := make(map[string]policy.Metadata, len(in.Policies))
	for _, m := range in.Policies {
		if _, dup := meta[m.ID]; dup {
			return nil, fmt.Errorf("report: policy %s listed twice", m.ID)
		}
		if disabled[m.ID] {
			m.Enforcement = policy.Disabled
		}
		meta[m.ID] = m
	}
	r := &Report{
		Title:               "HIPAA Security Rule control mapping: stack " + in.Scope.Stack,
		Scope:               in.Scope,
		Engine:              in.Engine,
		Controls:            []ControlReport{},
		Policies:            []PolicyReport{},
		Resources:           []ResourceReport{},
		Findings:            []Finding{},
		ExpiredSuppressions: []ExpiredSuppression{},
		UnknownControls:     []string{},
		Availability:        ComputeAvailability(),
	}

	// Outcomes by policy and by (policy, URN), with the suppression of each accepted finding.
	type key struct{ policy, urn string }
	verdictOf := map[key]Verdict{}
	supOf := map[key]evaluate.Suppressed{}
	for _, s := range in.Evaluation.Suppressed {
		supOf[key{s.Policy, s.URN}] = s
	}
	byPolicy := map[string][]evaluate.Outcome{}
	for _, o := range in.Evaluation.Outcomes {
		if _, ok := meta[o.Policy]; !ok {
			return nil, fmt.Errorf("report: the evaluation has a verdict of policy %s, which is not in the pack", o.Policy)
		}
		v := Verdict(o.Status)
		if o.Suppressed {
			v = Accepted
		}
		verdictOf[key{o.Policy, o.URN}] = v
		byPolicy[o.Policy] = append(byPolicy[o.Policy], o)
	}

	// Policies, sorted by ID; controls cited by policies that the catalog lacks.
	ids := make([]string, 0, len(meta))
	for id := range meta {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	policiesOf := map[string][]string{} // control -> policy IDs
	unknown := map[string]bool{}
	for _, id := range ids {
		m := meta[id]
		pr := PolicyReport{
			ID: m.ID, Title: m.Title, Description: m.Description, Engine: m.Engine,
			Severity: m.Severity, Enforcement: m.Enforcement,
			Controls: sortedControls(in.Catalog, m.Controls), ResourceTypes: sortedCopy(m.ResourceTypes),
			Remediation: m.Remediation, References: sortedCopy(m.References),
		}
		for _, o := range byPolicy[id] {
			pr.Counts.add(verdictOf[key{o.Policy, o.URN}])
		}
		r.Policies = append(r.Policies, pr)
		for _, c := range m.Controls {
			policiesOf[c] = append(policiesOf[c], id)
			if !in.Catalog.Has(c) {
				unknown[c] = true
			}
		}
	}
	for c := range unknown {
		r.UnknownControls = append(r.UnknownControls, c)
	}
	sort.Strings(r.UnknownControls)

	// Resources: every resource of the file, plus any URN only a stack-level policy named.
	type resInfo struct{ typ, name string }
	resources := map[string]resInfo{}
	for _, res := range in.Resources {
		resources[res.URN] = resInfo{res.Type, res.Name}
	}
	for _, o := range in.Evaluation.Outcomes {
		if _, ok := resources[o.URN]; !ok {
			resources[o.URN] = resInfo{o.Type, o.Name}
		}
	}
	urns := make([]string, 0, len(resources))
	for u := range resources {
		urns = append(urns, u)
	}
	sort.Strings(urns)
	outcomesByURN := map[string][]evaluate.Outcome{}
	for _, o := range in.Evaluation.Outcomes {
		outcomesByURN[o.URN] = append(outcomesByURN[o.URN], o)
	}
	for _, u := range urns {
		info := resources[u]
		rr := ResourceReport{URN: u, Type: info.typ, Name: info.name,
			Failing: []string{}, Undetermined: []string{}, Accepted: []string{}}
		for _, o := range outcomesByURN[u] {
			v := verdictOf[key{o.Policy, o.URN}]
			rr.Counts.add(v)
			switch v {
			case Fail:
				rr.Failing = append(rr.Failing, o.Policy)
			case Undetermined:
				rr.Undetermined = append(rr.Undetermined, o.Policy)
			case Accepted:
				rr.Accepted = append(rr.Accepted, o.Policy)
			}
		}
		sort.Strings(rr.Failing)
		sort.Strings(rr.Undetermined)
		sort.Strings(rr.Accepted)
		if rr.Counts.Total() > 0 {
			r.Coverage.Resources.Evaluated++
		}
		r.Resources = append(r.Resources, rr)
	}
	r.Coverage.Resources.Total = len(urns)

	// Findings: unsuppressed and suppressed, one list, sorted by policy then URN.
	for _, f := range in.Evaluation.Findings {
		r.Findings = append(r.Findings, finding(f, nil))
	}
	for _, s := range in.Evaluation.Suppressed {
		sup := s.Suppression
		r.Findings = append(r.Findings, finding(s.Finding, &sup))
	}
	for i := range r.Findings {
		r.Findings[i].Controls = sortedControls(in.Catalog, r.Findings[i].Controls)
		r.Findings[i].SourceLine = in.SourceLines[r.Findings[i].URN]
	}
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		return a.URN < b.URN
	})
	for _, e := range in.Evaluation.ExpiredSuppressions {
		r.ExpiredSuppressions = append(r.ExpiredSuppressions, ExpiredSuppression{
			Policy: e.Policy, URN: e.URN, Reason: e.Reason, Owner: e.Owner, Expires: e.Expires})
	}
	sort.SliceStable(r.ExpiredSuppressions, func(i, j int) bool {
		a, b := r.ExpiredSuppressions[i], r.ExpiredSuppressions[j]
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		return a.URN < b.URN
	})

	// Controls, in catalog (regulation) order.
	r.Coverage.Controls.Verdicts = map[Verdict]int{}
	for _, ctl := range in.Catalog.Controls {
		cr := ControlReport{Control: ctl, Policies: []PolicyRef{}, Resources: []ResourceVerdict{}, Suppressions: []AcceptedFinding{}}
		pids := policiesOf[ctl.ID]
		perResource := map[string]*ResourceVerdict{}
		enabled := 0
		for _, pid := range pids {
			m := meta[pid]
			if m.Enforcement != policy.Disabled {
				enabled++
			}
			cr.Policies = append(cr.Policies, PolicyRef{ID: m.ID, Title: m.Title, Engine: m.Engine, Severity: m.Severity, Enforcement: m.Enforcement})
			for _, o := range byPolicy[pid] {
				v := verdictOf[key{o.Policy, o.URN}]
				rv, ok := perResource[o.URN]
				switch {
				case !ok:
					info := resources[o.URN]
					perResource[o.URN] = &ResourceVerdict{URN: o.URN, Type: info.typ, Name: info.name, Verdict: v, Policies: []string{pid}}
				case rank[v] > rank[rv.Verdict]:
					rv.Verdict, rv.Policies = v, []string{pid}
				case v == rv.Verdict && !slices.Contains(rv.Policies, pid):
					rv.Policies = append(rv.Policies, pid)
				}
				if v == Accepted {
					s := supOf[key{o.Policy, o.URN}]
					cr.Suppressions = append(cr.Suppressions, AcceptedFinding{
						Policy: pid, Controls: sortedControls(in.Catalog, s.Controls), URN: o.URN, Name: o.Name,
						Status: string(s.Status), Message: s.Message, Pattern: s.Suppression.URN,
						Reason: s.Suppression.Reason, Owner: s.Suppression.Owner, Expires: s.Suppression.Expires,
					})
				}
			}
		}
		for _, u := range urns {
			if rv, ok := perResource[u]; ok {
				sort.Strings(rv.Policies)
				cr.Resources = append(cr.Resources, *rv)
				cr.Counts.add(rv.Verdict)
			}
		}
		sort.SliceStable(cr.Suppressions, func(i, j int) bool {
			a, b := cr.Suppressions[i], cr.Suppressions[j]
			if a.Policy != b.Policy {
				return a.Policy < b.Policy
			}
			return a.URN < b.URN
		})
		cr.Verdict = controlVerdict(ctl.Status, len(pids), enabled, cr.Counts)
		r.Coverage.Controls.Verdicts[cr.Verdict]++
		switch ctl.Status {
		case catalog.Automated:
			r.Coverage.Controls.Automated++
		case catalog.Partial:
			r.Coverage.Controls.Partial++
		case catalog.Manual:
			r.Coverage.Controls.Manual++
		}
		r.Controls = append(r.Controls, cr)
	}
	r.Coverage.Controls.Total = len(r.Controls)

	for _, p := range r.Policies {
		r.Coverage.Policies.Total++
		switch p.Engine {
		case policy.EngineGo:
			r.Coverage.Policies.Go++
		case policy.EngineRego:
			r.Coverage.Policies.Rego++
		}
		switch p.Enforcement {
		case policy.Mandatory:
			r.Coverage.Policies.Mandatory++
		case policy.Disabled:
			r.Coverage.Policies.Disabled++
		default:
			r.Coverage.Policies.Advisory++
		}
	}
	for _, v := range verdictOf {
		r.Coverage.Results.add(v)
	}
	undetermined := []string{}
	for _, f := range r.Findings {
		switch {
		case f.Suppression != nil:
			r.Coverage.Findings.Accepted++
		case f.Enforcement == policy.Mandatory:
			r.Coverage.Findings.Mandatory++
		default:
			r.Coverage.Findings.Advisory++
		}
		if f.Suppression == nil && f.Status == policy.Undetermined && meta[f.Policy].Enforcement == policy.Mandatory {
			r.Coverage.UndeterminedMandatory++
			if !slices.Contains(undetermined, f.Policy) {
				undetermined = append(undetermined, f.Policy)
			}
		}
	}
	sort.Strings(undetermined)
	r.Coverage.UndeterminedPolicies = undetermined
	r.Coverage.Findings.ExpiredSuppressions = len(r.ExpiredSuppressions)
	r.Coverage.Blocked = r.Coverage.Findings.Mandatory > 0
	if in.Engine != nil {
		e := *in.Engine // the caller's evidence is not changed
		e.OnlyEngine, e.OnlyOffline = nil, nil
		compareEngine(&e, r.Findings)
		r.Engine = &e
	}
	r.Coverage.Gate = gateLine(r)
	return r, nil
}

func controlVerdict(status catalog.Status, policies, enabled int, c Counts) Verdict {
	switch {
	case status == catalog.Manual && policies == 0:
		return Manual
	case policies == 0:
		return NoPolicy
	case enabled == 0:
		return Disabled
	case c.Fail > 0:
		return Fail
	case c.Undetermined > 0:
		return Undetermined
	case c.Accepted > 0:
		return Accepted
	case c.Pass > 0:
		return Pass
	}
	return NotEvaluated
}

func finding(f evaluate.Finding, sup *evaluate.Suppression) Finding {
	return Finding{
		Policy: f.Policy, Title: f.Title, Controls: slices.Clone(f.Controls), Severity: f.Severity,
		Enforcement: f.Enforcement, Status: f.Status, URN: f.URN, Type: f.Type, Name: f.Name,
		Message: f.Message, Remediation: f.Remediation, Suppression: sup,
	}
}

func sortedCopy(xs []string) []string {
	out := slices.Clone(xs)
	if out == nil {
		out = []string{}
	}
	sort.Strings(out)
	return out
}

// sortedControls orders control IDs as the catalog does (regulation order); IDs the catalog
// lacks go last, alphabetically.
func sortedControls(c *catalog.Catalog, ids []string) []string {
	pos := func(id string) int {
		for i, ctl := range c.Controls {
			if ctl.ID == id {
				return i
			}
		}
		return len(c.Controls)
	}
	out := slices.Clone(ids)
	if out == nil {
		out = []string{}
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := pos(out[i]), pos(out[j])
		if pi != pj {
			return pi < pj
		}
		return strings.Compare(out[i], out[j]) < 0
	})
	return out
}
