package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
)

// Enforcement levels as the engine writes them in policy events.
const (
	Mandatory = "mandatory"
	Advisory  = "advisory"
)

// Finding is one policy event of the engine.
type Finding struct {
	Policy      string `json:"policy"`
	URN         string `json:"urn,omitempty"`
	Enforcement string `json:"enforcement"`
	Severity    string `json:"severity,omitempty"`
	Message     string `json:"message"`
	// Excepted is true when a policy exception of the pack config matched (no block).
	Excepted bool `json:"excepted,omitempty"`
}

// ResourceSummary is the engine's policyAnalyzeSummaryEvent for one resource.
type ResourceSummary struct {
	URN    string   `json:"urn"`
	Passed []string `json:"passed,omitempty"`
	Failed []string `json:"failed,omitempty"`
}

// PolicyEvents is the content of policy-events.json.
type PolicyEvents struct {
	Stack    string            `json:"stack"`
	Pack     Pack              `json:"pack"`
	Findings []Finding         `json:"findings"`
	Analyzed []ResourceSummary `json:"resources"`
	// StackPolicies is the engine's policyAnalyzeStackSummaryEvent.
	StackPolicies ResourceSummary `json:"stackPolicies"`
}

// Undetermined counts the findings (not excepted) that are undetermined verdicts: checks the
// pack could not decide at preview because a value is known only after deployment. They are
// reported as advisory, so they never block, and are not passes. It also returns the policies
// they come from, sorted.
func (e PolicyEvents) Undetermined() (checks int, policies []string) {
	seen := map[string]bool{}
	policies = []string{}
	for _, f := range e.Findings {
		if f.Excepted || !strings.Contains(f.Message, evaluate.UndeterminedMarker) {
			continue
		}
		checks++
		if !seen[f.Policy] {
			seen[f.Policy] = true
			policies = append(policies, f.Policy)
		}
	}
	sort.Strings(policies)
	return checks, policies
}

// Pack names a policy pack as the engine reported it.
type Pack struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Summary is the content of summary.json.
type Summary struct {
	Stack    string  `json:"stack"`
	Project  string  `json:"project"`
	Offline  bool    `json:"offline"`
	Engine   Version `json:"engine"`
	Provider Version `json:"provider"`
	Pack     Pack    `json:"pack"`
	// Verdict is "pass" or "blocked" (the engine refused the deployment).
	Verdict   string `json:"verdict"`
	Resources int    `json:"resources"`
	Mandatory int    `json:"mandatoryViolations"`
	Advisory  int    `json:"advisoryFindings"`
	Excepted  int    `json:"exceptedFindings"`
	// ChecksPassed counts (resource, policy) pairs the engine reported as passed, plus the
	// stack policies that passed.
	ChecksPassed int `json:"checksPassed"`
	// PoliciesPassed are the policies that passed at least once and never failed.
	PoliciesPassed []string `json:"policiesPassed"`
	// PoliciesFailed are the policies with at least one finding.
	PoliciesFailed []string `json:"policiesFailed"`
	// Sources are the git object IDs of the sources the run was built from (SourcePaths).
	Sources []SourceTree `json:"sources,omitempty"`
	// PackConfig is the policy pack config the engine ran with (--policy-pack-config); absent
	// when the pack ran with its defaults.
	PackConfig *FileDigest `json:"packConfig,omitempty"`
}

// Version names a component of the run.
type Version struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Note    string `json:"note,omitempty"`
}

// Evidence is what a run proves, ready to be written.
type Evidence struct {
	Resources []policy.Resource
	Events    PolicyEvents
	Summary   Summary
}

// Blocked reports whether the engine refused the operation because of a mandatory violation:
// the engine failed and reported at least one mandatory, not excepted, policy violation.
func (r *Run) Blocked() bool {
	if r.Err == nil {
		return false
	}
	for _, f := range findings(r.Events) {
		if f.Enforcement == Mandatory && !f.Excepted {
			return true
		}
	}
	return false
}

// Meta describes the run for the evidence files.
type Meta struct {
	Stack, Project   string
	Engine, Provider Version
	Offline          bool
	// BaseDir: asset and archive paths under it are written relative to it, so the evidence
	// does not depend on where the repository is checked out.
	BaseDir string
	// Sources are the git object IDs of the sources of the run (see SourceTrees).
	Sources []SourceTree
	// PackConfig is the policy pack config file of the run, nil for the pack's defaults.
	PackConfig *FileDigest
}

// Evidence turns the run into evidence files' content.
func (r *Run) Evidence(m Meta) (*Evidence, error) {
	stack, project, engine, provider, offline := m.Stack, m.Project, m.Engine, m.Provider, m.Offline
	resources, err := r.resources(m.BaseDir)
	if err != nil {
		return nil, err
	}
	ev := PolicyEvents{Stack: stack, Findings: findings(r.Events), Analyzed: []ResourceSummary{}}
	for _, e := range r.Events {
		switch {
		case e.PolicyAnalyzeSummaryEvent != nil:
			s := e.PolicyAnalyzeSummaryEvent
			ev.Pack = Pack{Name: s.PolicyPackName, Version: s.PolicyPackVersion}
			ev.Analyzed = append(ev.Analyzed, ResourceSummary{URN: s.ResourceURN, Passed: sorted(s.Passed), Failed: sorted(s.Failed)})
		case e.PolicyAnalyzeStackSummaryEvent != nil:
			s := e.PolicyAnalyzeStackSummaryEvent
			ev.Pack = Pack{Name: s.PolicyPackName, Version: s.PolicyPackVersion}
			ev.StackPolicies = ResourceSummary{Passed: sorted(s.Passed), Failed: sorted(s.Failed)}
		case e.PolicyEvent != nil && ev.Pack.Name == "":
			ev.Pack = Pack{Name: e.PolicyEvent.PolicyPackName, Version: e.PolicyEvent.PolicyPackVersion}
		}
	}
	sort.Slice(ev.Analyzed, func(i, j int) bool { return ev.Analyzed[i].URN < ev.Analyzed[j].URN })

	sum := Summary{
		Stack: stack, Project: project, Offline: offline, Engine: engine, Provider: provider, Pack: ev.Pack,
		Verdict: "pass", Resources: len(resources), PoliciesPassed: []string{}, PoliciesFailed: []string{},
		Sources: m.Sources, PackConfig: m.PackConfig,
	}
	if r.Blocked() {
		sum.Verdict = "blocked"
	}
	failed := map[string]bool{}
	passed := map[string]bool{}
	for _, f := range ev.Findings {
		switch {
		case f.Excepted:
			sum.Excepted++
		case f.Enforcement == Mandatory:
			sum.Mandatory++
		default:
			sum.Advisory++
		}
		failed[f.Policy] = true
	}
	for _, a := range append(ev.Analyzed, ev.StackPolicies) {
		sum.ChecksPassed += len(a.Passed)
		for _, p := range a.Passed {
			passed[p] = true
		}
		for _, p := range a.Failed {
			failed[p] = true
		}
	}
	for p := range passed {
		if !failed[p] {
			sum.PoliciesPassed = append(sum.PoliciesPassed, p)
		}
	}
	for p := range failed {
		sum.PoliciesFailed = append(sum.PoliciesFailed, p)
	}
	sort.Strings(sum.PoliciesPassed)
	sort.Strings(sum.PoliciesFailed)
	return &Evidence{Resources: resources, Events: ev, Summary: sum}, nil
}

// findings returns the policy events, sorted, without duplicates.
func findings(evs []apitype.EngineEvent) []Finding {
	seen := map[Finding]bool{}
	out := []Finding{}
	for _, e := range evs {
		p := e.PolicyEvent
		if p == nil {
			continue
		}
		level := p.EnforcementLevel
		if level == "warning" {
			level = Advisory
		}
		f := Finding{
			Policy: p.PolicyName, URN: p.ResourceURN, Enforcement: level, Severity: p.Severity,
			Message: strings.TrimSpace(p.Message), Excepted: len(p.Exceptions) > 0,
		}
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		if a.URN != b.URN {
			return a.URN < b.URN
		}
		return a.Message < b.Message
	})
	return out
}

// resources returns every resource the engine registered (but the stack and providers) with the
// inputs the policy pack saw, read from the engine's resourcePreEvents, and the dependencies
// from the preview's plan when it was written.
func (r *Run) resources(baseDir string) ([]policy.Resource, error) {
	type item struct {
		URN                  string              `json:"urn"`
		Type                 string              `json:"type"`
		Name                 string              `json:"name"`
		Parent               string              `json:"parent,omitempty"`
		Dependencies         []string            `json:"dependencies,omitempty"`
		PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
		Properties           map[string]any      `json:"properties"`
	}
	byURN := map[string]item{}
	for _, e := range r.Events {
		pre := e.ResourcePreEvent
		if pre == nil || pre.Metadata.New == nil || pre.Metadata.Op == apitype.OpDelete ||
			pre.Metadata.Op == apitype.OpDeleteReplaced || pre.Metadata.Op == apitype.OpReadDiscard ||
			pre.Metadata.Op == apitype.OpDiscardReplaced {
			continue
		}
		st := pre.Metadata.New
		if st.Type == "pulumi:pulumi:Stack" || strings.HasPrefix(st.Type, "pulumi:providers:") {
			continue
		}
		props := st.Inputs
		if props == nil {
			props = map[string]any{}
		}
		relativizeAssets(props, baseDir)
		it := item{URN: st.URN, Type: st.Type, Name: urnName(st.URN), Parent: st.Parent, Properties: props}
		if r.Plan != nil {
			if rp, ok := r.Plan.ResourcePlans[resourceURN(st.URN)]; ok && rp.Goal != nil {
				for _, d := range rp.Goal.Dependencies {
					it.Dependencies = append(it.Dependencies, string(d))
				}
				sort.Strings(it.Dependencies)
				for k, ds := range rp.Goal.PropertyDependencies {
					if len(ds) == 0 {
						continue
					}
					if it.PropertyDependencies == nil {
						it.PropertyDependencies = map[string][]string{}
					}
					for _, d := range ds {
						it.PropertyDependencies[string(k)] = append(it.PropertyDependencies[string(k)], string(d))
					}
					sort.Strings(it.PropertyDependencies[string(k)])
				}
			}
		}
		byURN[st.URN] = it
	}
	items := make([]item, 0, len(byURN))
	for _, it := range byURN {
		items = append(items, it)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].URN < items[j].URN })
	// The events carry Pulumi's JSON encodings (unknowns, secrets blinded by the engine); the
	// fixture reader decodes them exactly as `hipaa-audit check` will.
	b, err := json.Marshal(map[string]any{"resources": items})
	if err != nil {
		return nil, fmt.Errorf("encoding the engine's resources: %w", err)
	}
	rs, _, err := stackfile.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("reading the engine's resources: %w", err)
	}
	return rs, nil
}

func sorted(l []string) []string {
	out := append([]string(nil), l...)
	sort.Strings(out)
	return out
}

// Write writes resources.json, policy-events.json and summary.json into dir. Every file is
// rendered first; nothing is written when one of them fails.
func (ev *Evidence) Write(dir string) error {
	var res bytes.Buffer
	if err := stackfile.WriteFixture(&res, ev.Resources); err != nil {
		return fmt.Errorf("rendering resources.json: %w", err)
	}
	files := map[string][]byte{"resources.json": res.Bytes()}
	for name, v := range map[string]any{"policy-events.json": ev.Events, "summary.json": ev.Summary} {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		files[name] = append(b, '\n')
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("creating %s: %w", dir, err)
	}
	for _, name := range []string{"resources.json", "policy-events.json", "summary.json"} {
		path := filepath.Join(dir, name)
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, files[name], 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

func urnName(urn string) string {
	return resource.URN(urn).Name()
}

func resourceURN(urn string) resource.URN {
	return resource.URN(urn)
}

// Signatures of Pulumi's JSON encoding of assets and archives.
const (
	sigKey     = "4dabf18193072939515e22adb298388d"
	assetSig   = "c44067f5952c0a294b673a41bacd8c17"
	archiveSig = "0def7320c3a5731c473e5ecbe6d01bc7"
)

// relativizeAssets rewrites the path of file assets and archives under baseDir as relative.
func relativizeAssets(v any, baseDir string) {
	switch x := v.(type) {
	case map[string]any:
		if sig, ok := x[sigKey].(string); ok && (sig == assetSig || sig == archiveSig) && baseDir != "" {
			if p, ok := x["path"].(string); ok && filepath.IsAbs(p) {
				if rel, err := filepath.Rel(baseDir, p); err == nil && !strings.HasPrefix(rel, "..") {
					x["path"] = filepath.ToSlash(rel)
				}
			}
		}
		for _, e := range x {
			relativizeAssets(e, baseDir)
		}
	case []any:
		for _, e := range x {
			relativizeAssets(e, baseDir)
		}
	}
}
