// Package evaluate is the one place where policy verdicts become findings. The analyzer
// plugin, `hipaa-audit check` and the compliance report all call it, so a resource gets the
// same verdict whichever way it is checked.
//
// Rules applied here, and only here:
//   - resource-level policies run on resources of the types they name; stack-level policies
//     run once over all resources;
//   - a policy that panics is reported as undetermined with a clear message (the pack never
//     crashes);
//   - a failure is a finding at the policy's configured enforcement level; an undetermined
//     verdict is an advisory finding ("cannot be verified ...") whatever the level, never a pass;
//   - disabled policies do not run;
//   - a finding matched by an active suppression moves to Suppressed (with the entry's reason,
//     owner and expiry); an expired entry suppresses nothing and is listed;
//   - every secret string value of the resources is redacted from every message.
package evaluate

import (
	"fmt"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/packinfo"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

// Stack names the stack being evaluated.
type Stack struct {
	Project string `json:"project"`
	Name    string `json:"name"`
}

// Pack names the policy pack in reports.
type Pack struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Level says whether a policy runs per resource or over the stack.
type Level string

// Levels.
const (
	LevelResource Level = "resource"
	LevelStack    Level = "stack"
)

// Outcome is the verdict of one policy on one resource.
type Outcome struct {
	Policy   string        `json:"policy"`
	Level    Level         `json:"level"`
	URN      string        `json:"urn"`
	Type     string        `json:"type"`
	Name     string        `json:"name"`
	Status   policy.Status `json:"status"`
	Messages []string      `json:"messages,omitempty"`
	// Suppressed is true when the outcome's finding was suppressed.
	Suppressed bool `json:"suppressed,omitempty"`
}

// Finding is a failure or an undetermined verdict to show the user.
type Finding struct {
	Policy      string             `json:"policy"`
	Title       string             `json:"title"`
	Controls    []string           `json:"controls"`
	Severity    policy.Severity    `json:"severity"`
	Enforcement policy.Enforcement `json:"enforcement"`
	// Status is fail or undetermined.
	Status      policy.Status `json:"status"`
	Level       Level         `json:"level"`
	URN         string        `json:"urn"`
	Type        string        `json:"type"`
	Name        string        `json:"name"`
	Message     string        `json:"message"`
	Remediation string        `json:"remediation"`
}

// Suppression is the accepted-finding entry that suppressed a finding.
type Suppression struct {
	URN     string `json:"urn"`
	Reason  string `json:"reason"`
	Owner   string `json:"owner"`
	Expires string `json:"expires"`
}

// Suppressed is a finding that an active suppression entry accepted.
type Suppressed struct {
	Finding
	Suppression Suppression `json:"suppression"`
}

// Summary counts findings and outcomes.
type Summary struct {
	// Mandatory and Advisory count the (unsuppressed) findings by enforcement level.
	Mandatory int `json:"mandatory"`
	Advisory  int `json:"advisory"`
	// Suppressed counts suppressed findings; ExpiredSuppressions the expired entries.
	Suppressed          int `json:"suppressed"`
	ExpiredSuppressions int `json:"expiredSuppressions"`
	// Outcomes by status.
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	NotApplicable int `json:"notApplicable"`
	Undetermined  int `json:"undetermined"`
}

// Report is the result of evaluating policies over resources.
type Report struct {
	Pack      Pack  `json:"pack"`
	Stack     Stack `json:"stack"`
	Resources int   `json:"resources"`
	// Findings are sorted by enforcement (mandatory first), policy, URN.
	Findings   []Finding    `json:"findings"`
	Suppressed []Suppressed `json:"suppressed"`
	// ExpiredSuppressions are entries that no longer suppress.
	ExpiredSuppressions []suppressions.Entry `json:"expiredSuppressions"`
	// Disabled lists the policies not run because their enforcement is disabled.
	Disabled []string `json:"disabled"`
	Summary  Summary  `json:"summary"`
	// Outcomes hold every (policy, resource) verdict, passes included, sorted by policy, URN.
	Outcomes []Outcome `json:"outcomes"`
}

// Evaluator evaluates a fixed set of policies with a configuration in a stack.
type Evaluator struct {
	Policies     []policy.Policy
	Config       packconfig.Config
	Suppressions *suppressions.Set
	Stack        Stack
	// Now is the time suppressions expire against; zero means time.Now().
	Now time.Time
	// Pack names the pack in reports; zero means packinfo.Name and packinfo.Version.
	Pack Pack
}

// Evaluate runs every resource-level and stack-level policy over resources.
func Evaluate(policies []policy.Policy, cfg packconfig.Config, sup *suppressions.Set, stack Stack, resources []policy.Resource) Report {
	e := &Evaluator{Policies: policies, Config: cfg, Suppressions: sup, Stack: stack}
	return e.All(resources)
}

// All runs the resource-level policies on each resource and the stack-level policies over all.
func (e *Evaluator) All(resources []policy.Resource) Report {
	b := e.newBuilder(len(resources))
	for _, r := range resources {
		e.resource(b, r)
	}
	e.stack(b, resources)
	return b.finish()
}

// Resource runs the resource-level policies on one resource (the analyzer's Analyze).
func (e *Evaluator) Resource(r policy.Resource) Report {
	b := e.newBuilder(1)
	e.resource(b, r)
	return b.finish()
}

// StackLevel runs the stack-level policies over all resources (the analyzer's AnalyzeStack).
func (e *Evaluator) StackLevel(resources []policy.Resource) Report {
	b := e.newBuilder(len(resources))
	e.stack(b, resources)
	return b.finish()
}

// Applicable reports which enabled resource-level policies read resources of type typ; the
// others are not applicable to it.
func (e *Evaluator) Applicable(typ string) (applicable, notApplicable []string) {
	for _, p := range e.Policies {
		if p.Resource == nil || e.Config.For(p.Metadata).Enforcement == policy.Disabled {
			continue
		}
		if p.Applies(typ) {
			applicable = append(applicable, p.ID)
		} else {
			notApplicable = append(notApplicable, p.ID)
		}
	}
	return applicable, notApplicable
}

func (e *Evaluator) now() time.Time {
	if e.Now.IsZero() {
		return time.Now()
	}
	return e.Now
}

func (e *Evaluator) newBuilder(n int) *builder {
	pack := e.Pack
	if pack.Name == "" {
		pack = Pack{Name: packinfo.Name, Version: packinfo.Version}
	}
	now := e.now()
	return &builder{
		e:   e,
		now: now,
		report: Report{
			Pack:                pack,
			Stack:               e.Stack,
			Resources:           n,
			Findings:            []Finding{},
			Suppressed:          []Suppressed{},
			ExpiredSuppressions: nonNil(e.Suppressions.Expired(now)),
			Disabled:            []string{},
			Outcomes:            []Outcome{},
		},
	}
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

type builder struct {
	e      *Evaluator
	now    time.Time
	report Report
}

func (e *Evaluator) resource(b *builder, r policy.Resource) {
	var secrets []string
	secretsDone := false
	for i := range e.Policies {
		p := &e.Policies[i]
		if p.Resource == nil || !p.Applies(r.Type) {
			continue
		}
		pc := e.Config.For(p.Metadata)
		if pc.Enforcement == policy.Disabled {
			continue
		}
		env := policy.Env{Project: e.Stack.Project, Stack: e.Stack.Name, Params: pc.Params}
		res := runResource(p, env, r)
		if len(res.Messages) > 0 {
			if !secretsDone {
				secrets, secretsDone = secretStrings(r.Properties, nil), true
			}
			res.Messages = redact(res.Messages, secrets)
		}
		b.add(p, pc.Enforcement, LevelResource, r.URN, r.Type, r.Name, res)
	}
}

func (e *Evaluator) stack(b *builder, resources []policy.Resource) {
	resources = stackView(resources)
	byURN := make(map[string]*policy.Resource, len(resources))
	for i := range resources {
		byURN[resources[i].URN] = &resources[i]
	}
	var secrets []string
	secretsDone := false
	for i := range e.Policies {
		p := &e.Policies[i]
		if p.Stack == nil {
			continue
		}
		pc := e.Config.For(p.Metadata)
		if pc.Enforcement == policy.Disabled {
			continue
		}
		env := policy.Env{Project: e.Stack.Project, Stack: e.Stack.Name, Params: pc.Params}
		for _, sr := range runStack(p, env, resources) {
			if len(sr.Messages) > 0 {
				if !secretsDone {
					for j := range resources {
						secrets = secretStrings(resources[j].Properties, secrets)
					}
					secretsDone = true
				}
				sr.Messages = redact(sr.Messages, secrets)
			}
			typ, name := "", ""
			if r, ok := byURN[sr.URN]; ok {
				typ, name = r.Type, r.Name
			} else if urn, err := resource.ParseURN(sr.URN); err == nil {
				typ, name = string(urn.Type()), urn.Name()
			}
			b.add(p, pc.Enforcement, LevelStack, sr.URN, typ, name, sr.Result)
		}
	}
}

// stackView is what stack policies read: each resource's outputs where the source has them
// apart (as the engine's AnalyzeStack shows them), else its properties.
func stackView(resources []policy.Resource) []policy.Resource {
	var out []policy.Resource // a copy, made only when some resource has outputs
	for i, r := range resources {
		if r.Outputs == nil {
			continue
		}
		if out == nil {
			out = slices.Clone(resources)
		}
		out[i].Properties = r.Outputs
	}
	if out == nil {
		return resources
	}
	return out
}

// runResource calls a resource check, turning a panic into an undetermined result.
func runResource(p *policy.Policy, env policy.Env, r policy.Resource) (res policy.Result) {
	defer func() {
		if v := recover(); v != nil {
			res = crashResult(p.ID, v)
		}
	}()
	return normalize(p.Resource(env, r))
}

// runStack calls a stack check, turning a panic into one undetermined result for the stack.
func runStack(p *policy.Policy, env policy.Env, resources []policy.Resource) (out []policy.StackResult) {
	defer func() {
		if v := recover(); v != nil {
			out = []policy.StackResult{{URN: stackURN(env), Result: crashResult(p.ID, v)}}
		}
	}()
	results := p.Stack(env, resources)
	out = make([]policy.StackResult, len(results))
	for i, sr := range results {
		urn := sr.URN
		if urn == "" {
			urn = stackURN(env) // a verdict on the stack as a whole
		}
		out[i] = policy.StackResult{URN: urn, Result: normalize(sr.Result)}
	}
	return out
}

func stackURN(env policy.Env) string {
	return string(resource.CreateURN(env.Project+"-"+env.Stack, "pulumi:pulumi:Stack", "", env.Project, env.Stack))
}

func crashResult(id string, v any) policy.Result {
	// The stack trace goes to stderr for the pack's maintainers. The panic value is not printed
	// there: it may quote a property value, and only the finding's message is redacted.
	_, _ = fmt.Fprintf(stderr, "policy %s panicked (the reason is in its finding)\n%s", id, debug.Stack())
	return policy.UndeterminedBecause("cannot be verified: policy %s failed internally (%v); report this to the policy pack maintainers", id, v)
}

// normalize makes an unexpected status undetermined rather than silently passing.
func normalize(r policy.Result) policy.Result {
	switch r.Status {
	case policy.Pass, policy.Fail, policy.NotApplicable, policy.Undetermined:
		return r
	}
	return policy.UndeterminedBecause("cannot be verified: the policy returned an unknown status %q", r.Status)
}

func (b *builder) add(p *policy.Policy, level policy.Enforcement, kind Level, urn, typ, name string, res policy.Result) {
	out := Outcome{Policy: p.ID, Level: kind, URN: urn, Type: typ, Name: name, Status: res.Status, Messages: res.Messages}
	switch res.Status {
	case policy.Pass:
		b.report.Summary.Pass++
	case policy.NotApplicable:
		b.report.Summary.NotApplicable++
	case policy.Fail, policy.Undetermined:
		f := Finding{
			Policy: p.ID, Title: p.Title, Controls: p.Controls, Severity: p.Severity,
			Enforcement: level, Status: res.Status, Level: kind,
			URN: urn, Type: typ, Name: name, Remediation: p.Remediation,
			Message: message(res),
		}
		if res.Status == policy.Fail {
			b.report.Summary.Fail++
		} else {
			b.report.Summary.Undetermined++
			f.Enforcement = policy.Advisory
		}
		if entry, active, found := b.e.Suppressions.Match(p.ID, urn, b.now); found && active {
			out.Suppressed = true
			b.report.Suppressed = append(b.report.Suppressed, Suppressed{Finding: f, Suppression: Suppression{
				URN: entry.URN, Reason: entry.Reason, Owner: entry.Owner, Expires: entry.Expires,
			}})
		} else {
			b.report.Findings = append(b.report.Findings, f)
		}
	}
	b.report.Outcomes = append(b.report.Outcomes, out)
}

// UndeterminedMarker is in the message of every undetermined verdict: Pulumi's policy
// diagnostics carry no status, so readers of the engine's events recognise them by it.
const UndeterminedMarker = "cannot be verified"

// SuppressedPrefix starts the message of every suppressed finding the analyzer sends (as an
// advisory diagnostic, so the finding stays visible): readers of the engine's events tell
// them from open findings by it.
const SuppressedPrefix = "SUPPRESSED until "

// message joins a result's messages; an undetermined one always says it cannot be verified.
func message(res policy.Result) string {
	msg := strings.Join(res.Messages, "; ")
	if res.Status != policy.Undetermined {
		if msg == "" {
			msg = "the resource does not meet this control"
		}
		return msg
	}
	switch {
	case msg == "":
		return UndeterminedMarker + " until the value is known"
	case strings.Contains(strings.ToLower(msg), UndeterminedMarker):
		return msg
	}
	return UndeterminedMarker + ": " + msg
}

func (b *builder) finish() Report {
	r := &b.report
	for _, p := range b.e.Policies {
		if b.e.Config.For(p.Metadata).Enforcement == policy.Disabled {
			r.Disabled = append(r.Disabled, p.ID)
		}
	}
	sort.Strings(r.Disabled)
	for _, f := range r.Findings {
		if f.Enforcement == policy.Mandatory {
			r.Summary.Mandatory++
		} else {
			r.Summary.Advisory++
		}
	}
	r.Summary.Suppressed = len(r.Suppressed)
	r.Summary.ExpiredSuppressions = len(r.ExpiredSuppressions)
	sort.SliceStable(r.Findings, func(i, j int) bool { return findingLess(r.Findings[i], r.Findings[j]) })
	sort.SliceStable(r.Suppressed, func(i, j int) bool { return findingLess(r.Suppressed[i].Finding, r.Suppressed[j].Finding) })
	sort.SliceStable(r.Outcomes, func(i, j int) bool {
		a, c := r.Outcomes[i], r.Outcomes[j]
		if a.Policy != c.Policy {
			return a.Policy < c.Policy
		}
		return a.URN < c.URN
	})
	return *r
}

func findingLess(a, b Finding) bool {
	if (a.Enforcement == policy.Mandatory) != (b.Enforcement == policy.Mandatory) {
		return a.Enforcement == policy.Mandatory
	}
	if a.Policy != b.Policy {
		return a.Policy < b.Policy
	}
	return a.URN < b.URN
}
