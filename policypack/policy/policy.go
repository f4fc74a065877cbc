// Package policy defines what a HIPAA check is: its metadata (written once, beside its code),
// the resources it reads, the settings it is given and the results it returns.
//
// Go checks and Rego rules are both expressed as a Policy, so the analyzer plugin, the offline
// evaluator, the report generator and the infrastructure tests all share one registry and one
// place where a verdict is computed.
package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Severity ranks how much harm a violation can do.
type Severity string

// Severities, lowest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Enforcement is Pulumi's enforcement level of a policy.
type Enforcement string

// Enforcement levels as Pulumi spells them.
const (
	Advisory  Enforcement = "advisory"
	Mandatory Enforcement = "mandatory"
	Disabled  Enforcement = "disabled"
)

// Engine names where a policy's verdict is computed.
type Engine string

// Engines.
const (
	EngineGo   Engine = "go"
	EngineRego Engine = "rego"
)

// Metadata is everything a policy says about itself. It is written once: for Go checks as a
// struct beside the code, for Rego rules in the rule's METADATA block.
type Metadata struct {
	// ID is kebab case and states the passing condition: <service>-<resource>-<compliant-state>.
	ID string `json:"id"`
	// Title is the compliant state in one line.
	Title string `json:"title"`
	// Description says why the control matters.
	Description string      `json:"description"`
	Severity    Severity    `json:"severity"`
	Enforcement Enforcement `json:"enforcement"`
	// Controls are HIPAA Security Rule citations written like 164.312(a)(2)(iv).
	Controls []string `json:"controls"`
	// ResourceTypes are Pulumi type tokens such as aws:rds/cluster:Cluster.
	ResourceTypes []string `json:"resourceTypes"`
	// Remediation says what to change to comply.
	Remediation string `json:"remediation"`
	// References are AWS documentation URLs.
	References []string `json:"references"`
	Engine     Engine   `json:"engine"`
	// Params are the configurable thresholds of the policy (Pulumi policy config schema).
	Params []Param `json:"params,omitempty"`
}

// Applies reports whether the policy reads resources of type typ.
func (m Metadata) Applies(typ string) bool { return slices.Contains(m.ResourceTypes, typ) }

// ParamType is the JSON schema type of a policy parameter.
type ParamType string

// Parameter types.
const (
	ParamInteger ParamType = "integer"
	ParamString  ParamType = "string"
	ParamBoolean ParamType = "boolean"
	ParamStrings ParamType = "array" // an array of strings
)

// Param is one configurable setting of a policy, with its default.
type Param struct {
	Name        string    `json:"name"`
	Type        ParamType `json:"type"`
	Description string    `json:"description"`
	// Default is int, string, bool or []string according to Type.
	Default any `json:"default"`
	// Minimum, if set, is the least value an integer parameter may take.
	Minimum *int `json:"minimum,omitempty"`
	// Pattern, if set, is a regular expression (Go RE2 syntax) every string parameter, or
	// every element of a string-array parameter, must match.
	Pattern string `json:"pattern,omitempty"`
	// MinItems, if set, is the least number of elements a string-array parameter may have.
	MinItems *int `json:"minItems,omitempty"`
}

// IntPtr returns a pointer to n, for Param.Minimum and Param.MinItems.
func IntPtr(n int) *int { return &n }

// Resource is one resource as the engine (or a state/preview/fixture file) presents it.
// Properties keep Pulumi's own representation: unknown values are computed values, secrets are
// secret values. Use package props to read them.
type Resource struct {
	URN                  string               `json:"urn"`
	Type                 string               `json:"type"`
	Name                 string               `json:"name"`
	Properties           resource.PropertyMap `json:"-"`
	Parent               string               `json:"parent,omitempty"`
	Dependencies         []string             `json:"dependencies,omitempty"`
	PropertyDependencies map[string][]string  `json:"propertyDependencies,omitempty"`
	// Outputs, when the source holds them apart from the inputs (a state export), are what stack
	// policies read instead of Properties: the engine shows resource policies a resource's
	// inputs and stack policies its outputs (arn, repositoryUrl, ... included). Nil otherwise.
	Outputs resource.PropertyMap `json:"-"`
}

// Status is the outcome of one policy on one resource (or on the stack).
type Status string

// Statuses.
const (
	// Pass: the resource meets the control.
	Pass Status = "pass"
	// Fail: the resource breaks the control.
	Fail Status = "fail"
	// NotApplicable: the policy reads this type but the control does not apply to this resource.
	NotApplicable Status = "not-applicable"
	// Undetermined: a value needed for the verdict is unknown (preview) or of a type that cannot
	// be interpreted. Reported as advisory, never as a pass.
	Undetermined Status = "undetermined"
)

// Result is a verdict with the reasons for it. Messages never contain secret values.
type Result struct {
	Status   Status   `json:"status"`
	Messages []string `json:"messages,omitempty"`
}

// Passed is the passing result.
func Passed() Result { return Result{Status: Pass} }

// Failed is a failing result with a message.
func Failed(format string, args ...any) Result {
	return Result{Status: Fail, Messages: []string{fmt.Sprintf(format, args...)}}
}

// NotApplicableBecause is a not-applicable result with its reason.
func NotApplicableBecause(format string, args ...any) Result {
	return Result{Status: NotApplicable, Messages: []string{fmt.Sprintf(format, args...)}}
}

// UndeterminedBecause is an undetermined result with its reason.
func UndeterminedBecause(format string, args ...any) Result {
	return Result{Status: Undetermined, Messages: []string{fmt.Sprintf(format, args...)}}
}

// Merge combines results of several sub-checks of one resource: any failure fails (with every
// failure's message), else any undetermined is undetermined, else pass if any passed, else
// not-applicable.
func Merge(results ...Result) Result {
	var out Result
	rank := map[Status]int{NotApplicable: 0, Pass: 1, Undetermined: 2, Fail: 3}
	out.Status = NotApplicable
	for _, r := range results {
		if rank[r.Status] > rank[out.Status] {
			out.Status = r.Status
			out.Messages = nil
		}
		if r.Status == out.Status {
			out.Messages = append(out.Messages, r.Messages...)
		}
	}
	if out.Status == Pass {
		out.Messages = nil
	}
	return out
}

// StackResult is a verdict of a stack-level policy on one resource of the stack. An empty URN
// means the stack as a whole (reported on the stack's pulumi:pulumi:Stack URN).
type StackResult struct {
	URN string `json:"urn"`
	Result
}

// Env is what a policy is evaluated in: the stack and the policy's own parameter values
// (defaults overlaid with the user's policy config).
type Env struct {
	Project string
	Stack   string
	Params  map[string]any
}

// Int returns an integer parameter.
func (e Env) Int(name string) int {
	switch v := e.Params[name].(type) {
	case int:
		return v
	case float64:
		return int(v)
	case int64:
		return int(v)
	}
	panic(fmt.Sprintf("policy parameter %q is not an integer (got %T)", name, e.Params[name]))
}

// String returns a string parameter.
func (e Env) String(name string) string {
	v, ok := e.Params[name].(string)
	if !ok {
		panic(fmt.Sprintf("policy parameter %q is not a string (got %T)", name, e.Params[name]))
	}
	return v
}

// Bool returns a boolean parameter.
func (e Env) Bool(name string) bool {
	v, ok := e.Params[name].(bool)
	if !ok {
		panic(fmt.Sprintf("policy parameter %q is not a boolean (got %T)", name, e.Params[name]))
	}
	return v
}

// Strings returns a string-array parameter.
func (e Env) Strings(name string) []string {
	switch v := e.Params[name].(type) {
	case []string:
		return v
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				panic(fmt.Sprintf("policy parameter %q has a non-string element (%T)", name, x))
			}
			out = append(out, s)
		}
		return out
	}
	panic(fmt.Sprintf("policy parameter %q is not a list of strings (got %T)", name, e.Params[name]))
}

// ProductionStacksParam is the parameter every production-sensitive policy declares.
var ProductionStacksParam = Param{
	Name:        "productionStacks",
	Type:        ParamStrings,
	Description: "Stack names whose availability tier is production.",
	Default:     []string{"prod", "production"},
	MinItems:    IntPtr(1),
}

// IsProduction reports whether the stack is named in the productionStacks parameter. Names
// are compared case-insensitively, so "Prod" and "PROD" are production too.
func (e Env) IsProduction() bool {
	return IsProductionStack(e.Strings(ProductionStacksParam.Name), e.Stack)
}

// IsProductionStack reports whether stack is one of the production stack names, compared
// case-insensitively and ignoring surrounding spaces.
func IsProductionStack(productionStacks []string, stack string) bool {
	stack = strings.TrimSpace(stack)
	return slices.ContainsFunc(productionStacks, func(s string) bool {
		return strings.EqualFold(strings.TrimSpace(s), stack)
	})
}

// Policy is one check with its metadata. Exactly one of Resource and Stack is set.
type Policy struct {
	Metadata
	// Resource decides one resource whose type is in ResourceTypes.
	Resource func(env Env, r Resource) Result
	// Stack decides across all resources of the stack (AnalyzeStack); it returns a result for
	// each resource it judged.
	Stack func(env Env, resources []Resource) []StackResult
}
