// Package policytest is the test harness of the Go policies. A test starts from a known-good
// resource written as map[string]any, changes one field per case (to a new value, to Missing,
// Unknown, Secret(...) or Wrong(...)), runs the policy and asserts the exact status and a
// message substring; the policy's ID and HIPAA controls are asserted against the values the test
// spells out. Every policy's cases must read a missing, an unknown, a secret and a wrong-type
// value at least once, and no message may contain a secret value the case put in.
package policytest

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

type missingValue struct{}
type unknownValue struct{}

// SecretValue wraps a value that reaches the policy as a Pulumi secret.
type SecretValue struct{ V any }

// WrongTypeValue marks a value of a type the property does not normally have.
type WrongTypeValue struct{ V any }

var (
	// Missing removes the property.
	Missing = missingValue{}
	// Unknown makes the property a computed value (unknown during preview).
	Unknown = unknownValue{}
)

// Secret makes the value a Pulumi secret (resource.MakeSecret).
func Secret(v any) SecretValue { return SecretValue{V: v} }

// Wrong marks v as a value of the wrong type for its property.
func Wrong(v any) WrongTypeValue { return WrongTypeValue{V: v} }

// CanaryMarker starts every canary secret in the tests (e.g. "canary-db-Pa55w0rd"): no message
// of any policy may ever contain it, whatever the case.
const CanaryMarker = "canary-"

// DefaultStack is the stack name cases run in unless they say otherwise. It is a production
// stack under the default productionStacks parameter, so the strictest verdicts apply.
const DefaultStack = "prod"

// Case is one table row of a resource-level policy test.
type Case struct {
	Name string
	// Set maps a property path ("a.b[0].c") to its new value.
	Set map[string]any
	// Edit changes the resource freely (after Set).
	Edit func(props map[string]any)
	// Stack is the stack name (default DefaultStack); Params override parameter defaults.
	Stack  string
	Params map[string]any
	Want   policy.Status
	// Msg must appear in one of the result's messages (required unless Want is pass).
	Msg string
}

// ToPropertyValue converts a test value (with the sentinels of this package) to Pulumi's form.
func ToPropertyValue(v any) resource.PropertyValue {
	switch x := v.(type) {
	case nil, missingValue:
		return resource.NewNullProperty()
	case unknownValue:
		return resource.MakeComputed(resource.NewStringProperty(""))
	case SecretValue:
		return resource.MakeSecret(ToPropertyValue(x.V))
	case WrongTypeValue:
		return ToPropertyValue(x.V)
	case resource.PropertyValue:
		return x
	case bool:
		return resource.NewBoolProperty(x)
	case int:
		return resource.NewNumberProperty(float64(x))
	case float64:
		return resource.NewNumberProperty(x)
	case string:
		return resource.NewStringProperty(x)
	case []string:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			arr[i] = resource.NewStringProperty(e)
		}
		return resource.NewArrayProperty(arr)
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			arr[i] = ToPropertyValue(e)
		}
		return resource.NewArrayProperty(arr)
	case map[string]any:
		return resource.NewObjectProperty(ToPropertyMap(x))
	}
	panic(fmt.Sprintf("policytest: unsupported test value of type %T", v))
}

// ToPropertyMap converts a test resource to a PropertyMap; Missing entries are left out.
func ToPropertyMap(m map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		if _, gone := v.(missingValue); gone {
			continue
		}
		out[resource.PropertyKey(k)] = ToPropertyValue(v)
	}
	return out
}

// Clone deep-copies a test resource.
func Clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return Clone(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneValue(e)
		}
		return out
	case []string:
		return slices.Clone(x)
	}
	return v
}

// SetPath sets the value at a dotted path, creating objects on the way. Missing deletes it.
func SetPath(m map[string]any, path string, v any) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		panic(fmt.Sprintf("policytest: bad path %q: %v", path, err))
	}
	var cur any = m
	for i, key := range p {
		last := i == len(p)-1
		switch c := cur.(type) {
		case map[string]any:
			k := key.(string)
			if last {
				if _, gone := v.(missingValue); gone {
					delete(c, k)
				} else {
					c[k] = v
				}
				return
			}
			next, ok := c[k]
			if !ok || next == nil {
				if _, isIndex := p[i+1].(int); isIndex {
					next = []any{}
				} else {
					next = map[string]any{}
				}
				c[k] = next
			}
			cur = next
		case []any:
			idx := key.(int)
			if idx >= len(c) {
				panic(fmt.Sprintf("policytest: index %d out of range in %q", idx, path))
			}
			if last {
				c[idx] = v
				return
			}
			cur = c[idx]
		default:
			panic(fmt.Sprintf("policytest: cannot descend into %T at %q", cur, path))
		}
	}
}

// URN builds the URN of a test resource.
func URN(stack, typ, name string) string {
	return fmt.Sprintf("urn:pulumi:%s::hipaa-pipeline::%s::%s", stack, typ, name)
}

// Env returns the environment of a case: the policy's parameter defaults overlaid with params.
func Env(p policy.Policy, stack string, params map[string]any) policy.Env {
	if stack == "" {
		stack = DefaultStack
	}
	vals := map[string]any{}
	for _, prm := range p.Params {
		vals[prm.Name] = prm.Default
	}
	maps.Copy(vals, params)
	return policy.Env{Project: "hipaa-pipeline", Stack: stack, Params: vals}
}

var controlPattern = regexp.MustCompile(`^164\.(308|310|312|314|316)\([a-e]\)(\([0-9]+\))?(\((i|ii|iii|iv|v|vi)\))?(\([A-Z]\))?$`)
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)+$`)

// CheckMetadata asserts the policy's ID and controls are exactly those the test spells out and
// that the rest of its metadata is complete and well-formed.
func CheckMetadata(t *testing.T, p policy.Policy, id string, controls []string) {
	t.Helper()
	assert.Equal(t, id, p.ID, "policy ID")
	assert.Equal(t, controls, p.Controls, "HIPAA controls of %s", id)
	assert.Regexp(t, idPattern, p.ID)
	assert.NotEmpty(t, p.Title, "title")
	assert.NotEmpty(t, p.Description, "description")
	assert.Contains(t, []policy.Severity{policy.SeverityLow, policy.SeverityMedium, policy.SeverityHigh, policy.SeverityCritical}, p.Severity)
	assert.Contains(t, []policy.Enforcement{policy.Advisory, policy.Mandatory}, p.Enforcement)
	assert.Equal(t, policy.EngineGo, p.Engine)
	assert.NotEmpty(t, p.Controls)
	for _, c := range p.Controls {
		assert.Regexp(t, controlPattern, c, "control ID")
	}
	assert.NotEmpty(t, p.ResourceTypes, "resource types")
	for _, typ := range p.ResourceTypes {
		assert.Regexp(t, `^aws:[a-zA-Z0-9]+/[a-zA-Z0-9]+:[A-Za-z0-9]+$`, typ)
	}
	assert.NotEmpty(t, p.Remediation, "remediation")
	assert.NotEmpty(t, p.References, "references")
	for _, ref := range p.References {
		assert.True(t, strings.HasPrefix(ref, "https://docs.aws.amazon.com/") || strings.HasPrefix(ref, "https://www.pulumi.com/"), "reference %s", ref)
	}
	for _, prm := range p.Params {
		assert.NotEmpty(t, prm.Name)
		assert.NotEmpty(t, prm.Description)
		assert.NotNil(t, prm.Default, "default of %s", prm.Name)
	}
	assert.True(t, (p.Resource == nil) != (p.Stack == nil), "exactly one of Resource and Stack")
}

// coverage records which kinds of values the cases of one policy read.
type coverage struct{ missing, unknown, secret, wrong bool }

func (c *coverage) note(v any, goodHas bool, good any) {
	switch x := v.(type) {
	case missingValue:
		if goodHas {
			c.missing = true
		}
	case unknownValue:
		c.unknown = true
	case SecretValue:
		c.secret = true
		c.note(x.V, goodHas, good)
	case WrongTypeValue:
		c.wrong = true
	default:
		if goodHas && good != nil && kind(v) != kind(good) {
			c.wrong = true
		}
	}
}

func kind(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case int, float64:
		return "number"
	case string:
		return "string"
	case []any, []string:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func (c coverage) assertComplete(t *testing.T, id string) {
	t.Helper()
	assert.True(t, c.missing, "%s: no case reads a missing value (set a property of the good resource to Missing)", id)
	assert.True(t, c.unknown, "%s: no case reads an unknown value", id)
	assert.True(t, c.secret, "%s: no case reads a secret value", id)
	assert.True(t, c.wrong, "%s: no case reads a value of the wrong type", id)
}

func lookupTest(m map[string]any, path string) (any, bool) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		return nil, false
	}
	var cur any = m
	for _, key := range p {
		switch c := cur.(type) {
		case map[string]any:
			k, _ := key.(string)
			v, ok := c[k]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, _ := key.(int)
			if i < 0 || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// secretStrings collects string values wrapped in Secret in v.
func secretStrings(v any, inSecret bool, out *[]string) {
	switch x := v.(type) {
	case SecretValue:
		secretStrings(x.V, true, out)
	case WrongTypeValue:
		secretStrings(x.V, inSecret, out)
	case string:
		if inSecret && len(x) >= 4 {
			*out = append(*out, x)
		}
	case []any:
		for _, e := range x {
			secretStrings(e, inSecret, out)
		}
	case map[string]any:
		for _, e := range x {
			secretStrings(e, inSecret, out)
		}
	}
}

// assertResult checks one verdict against the expected status and message.
func assertResult(t *testing.T, got policy.Result, want policy.Status, msg string, secrets []string) {
	t.Helper()
	assert.Equal(t, want, got.Status, "status (messages: %q)", got.Messages)
	switch got.Status {
	case policy.Pass:
		assert.Empty(t, got.Messages, "a pass carries no messages")
	default:
		assert.NotEmpty(t, got.Messages, "a %s result says why", got.Status)
	}
	if want != policy.Pass {
		require.NotEmpty(t, msg, "test case must name the message substring it expects")
		assert.True(t, slices.ContainsFunc(got.Messages, func(m string) bool { return strings.Contains(m, msg) }),
			"no message contains %q: %q", msg, got.Messages)
	}
	for _, m := range got.Messages {
		for _, s := range secrets {
			assert.NotContains(t, m, s, "a message leaks a secret value")
		}
		assert.NotContains(t, m, CanaryMarker, "a message leaks a canary secret")
	}
}

// Run runs a resource-level policy over the known-good resource (which must pass in the default
// stack) and over each case.
func Run(t *testing.T, p policy.Policy, id string, controls []string, typ string, good map[string]any, cases []Case) {
	t.Helper()
	RunIn(t, DefaultStack, p, id, controls, typ, good, cases)
}

// RunIn is Run with another base stack: the known-good resource must pass there, and cases
// without a Stack run there.
func RunIn(t *testing.T, stack string, p policy.Policy, id string, controls []string, typ string, good map[string]any, cases []Case) {
	t.Helper()
	CheckMetadata(t, p, id, controls)
	require.NotNil(t, p.Resource, "%s is not a resource-level policy", id)
	require.True(t, p.Applies(typ), "%s does not read %s", id, typ)
	eval := func(caseStack string, params map[string]any, m map[string]any) policy.Result {
		if caseStack == "" {
			caseStack = stack
		}
		env := Env(p, caseStack, params)
		r := policy.Resource{URN: URN(env.Stack, typ, "subject"), Type: typ, Name: "subject", Properties: ToPropertyMap(m)}
		return p.Resource(env, r)
	}
	t.Run("known-good passes", func(t *testing.T) {
		assertResult(t, eval("", nil, Clone(good)), policy.Pass, "", nil)
	})
	var cov coverage
	for _, c := range cases {
		props := Clone(good)
		var secrets []string
		for path, v := range c.Set {
			old, had := lookupTest(good, path)
			cov.note(v, had, old)
			secretStrings(v, false, &secrets)
			SetPath(props, path, v)
		}
		if c.Edit != nil {
			c.Edit(props)
		}
		t.Run(c.Name, func(t *testing.T) {
			assertResult(t, eval(c.Stack, c.Params, props), c.Want, c.Msg, secrets)
		})
	}
	cov.assertComplete(t, id)
}

// Res is one resource of a test stack. Deps maps a property to the names of the resources it
// was computed from (Pulumi's propertyDependencies).
type Res struct {
	Type  string
	Name  string
	Props map[string]any
	Deps  map[string][]string
}

// StackCase is one table row of a stack-level policy test.
type StackCase struct {
	Name string
	// Target is the resource whose properties Set changes.
	Target string
	Set    map[string]any
	// Add and Remove change the set of resources (Remove by name).
	Add    []Res
	Remove []string
	Stack  string
	Params map[string]any
	// Check is the resource whose verdict is asserted (default Target).
	Check string
	Want  policy.Status
	Msg   string
}

// BuildStack turns test resources into policy resources.
func BuildStack(stack string, rs []Res) []policy.Resource {
	if stack == "" {
		stack = DefaultStack
	}
	urns := map[string]string{}
	for _, r := range rs {
		urns[r.Name] = URN(stack, r.Type, r.Name)
	}
	out := make([]policy.Resource, 0, len(rs))
	for _, r := range rs {
		pr := policy.Resource{URN: urns[r.Name], Type: r.Type, Name: r.Name, Properties: ToPropertyMap(r.Props)}
		if len(r.Deps) > 0 {
			pr.PropertyDependencies = map[string][]string{}
			for prop, names := range r.Deps {
				for _, n := range names {
					u, ok := urns[n]
					if !ok {
						continue // the case removed the resource depended on
					}
					pr.PropertyDependencies[prop] = append(pr.PropertyDependencies[prop], u)
					if !slices.Contains(pr.Dependencies, u) {
						pr.Dependencies = append(pr.Dependencies, u)
					}
				}
			}
		}
		out = append(out, pr)
	}
	return out
}

func findResult(rs []policy.StackResult, urn string) (policy.Result, bool) {
	for _, r := range rs {
		if r.URN == urn {
			return r.Result, true
		}
	}
	return policy.Result{}, false
}

// RunStack runs a stack-level policy over the known-good stack (every resource it judges must
// pass, and it must judge at least one) and over each case.
func RunStack(t *testing.T, p policy.Policy, id string, controls []string, good []Res, cases []StackCase) {
	t.Helper()
	CheckMetadata(t, p, id, controls)
	require.NotNil(t, p.Stack, "%s is not a stack-level policy", id)
	t.Run("known-good passes", func(t *testing.T) {
		got := p.Stack(Env(p, "", nil), BuildStack("", good))
		require.NotEmpty(t, got, "the known-good stack has resources the policy judges")
		for _, r := range got {
			assert.Equal(t, policy.Pass, r.Status, "%s: %q", r.URN, r.Messages)
		}
	})
	var cov coverage
	for _, c := range cases {
		var rs []Res
		var secrets []string
		var targetType string
		for _, r := range good {
			if slices.Contains(c.Remove, r.Name) {
				continue
			}
			r.Props = Clone(r.Props)
			if r.Name == c.Target {
				targetType = r.Type
				for path, v := range c.Set {
					old, had := lookupTest(r.Props, path)
					cov.note(v, had, old)
					secretStrings(v, false, &secrets)
					SetPath(r.Props, path, v)
				}
			}
			rs = append(rs, r)
		}
		rs = append(rs, c.Add...)
		check := c.Check
		if check == "" {
			check = c.Target
		}
		checkType := targetType
		for _, r := range rs {
			if r.Name == check {
				checkType = r.Type
			}
		}
		if len(c.Set) > 0 && targetType == "" {
			panic(fmt.Sprintf("policytest: case %q targets unknown resource %q", c.Name, c.Target))
		}
		t.Run(c.Name, func(t *testing.T) {
			env := Env(p, c.Stack, c.Params)
			got := p.Stack(env, BuildStack(env.Stack, rs))
			res, ok := findResult(got, URN(env.Stack, checkType, check))
			require.True(t, ok, "no verdict for %s (verdicts: %v)", check, got)
			assertResult(t, res, c.Want, c.Msg, secrets)
		})
	}
	cov.assertComplete(t, id)
}
