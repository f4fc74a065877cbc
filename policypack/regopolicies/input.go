package regopolicies

import (
	"math"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// The one form in which unknown and secret values reach Rego (rego/README.md; lib/values.rego
// holds the same strings).
const (
	// UnknownValue stands for a value that is not known yet (computed during preview): Pulumi's
	// own sentinel string.
	UnknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	// CiphertextValue is what an encrypted secret of a state file holds once read (package
	// stackfile gives it this content): present, secret, unreadable.
	CiphertextValue = "[secret ciphertext]"
)

// input is the document a rule evaluates, built once per resource and policy evaluation.
type input struct {
	value ast.Value
	// secrets are the string values found at secret paths, kept to redact any message that
	// would quote one (a safety net: the rules never interpolate secret values).
	secrets []string
}

// buildInput renders {"resource": {...}, "params": {...}, "stack": {...}} for one resource.
func buildInput(env policy.Env, r policy.Resource, params []policy.Param) input {
	c := converter{}
	props := c.object(r.Properties, nil, false)
	paths := make([]*ast.Term, len(c.paths))
	for i, p := range c.paths {
		paths[i] = ast.ArrayTerm(p...)
	}
	res := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("urn"), ast.StringTerm(r.URN)},
		[2]*ast.Term{ast.StringTerm("type"), ast.StringTerm(r.Type)},
		[2]*ast.Term{ast.StringTerm("name"), ast.StringTerm(r.Name)},
		[2]*ast.Term{ast.StringTerm("properties"), ast.NewTerm(props)},
		[2]*ast.Term{ast.StringTerm("secret_paths"), ast.ArrayTerm(paths...)},
	)
	stack := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("name"), ast.StringTerm(env.Stack)},
		[2]*ast.Term{ast.StringTerm("project"), ast.StringTerm(env.Project)},
		[2]*ast.Term{ast.StringTerm("production"), ast.BooleanTerm(isProduction(env))},
	)
	doc := ast.NewObject(
		[2]*ast.Term{ast.StringTerm("resource"), ast.NewTerm(res)},
		[2]*ast.Term{ast.StringTerm("params"), ast.NewTerm(paramsValue(env, params))},
		[2]*ast.Term{ast.StringTerm("stack"), ast.NewTerm(stack)},
	)
	return input{value: doc, secrets: c.secretStrings}
}

// paramsValue is the policy's parameters: each declared default, overlaid with env.Params.
func paramsValue(env policy.Env, params []policy.Param) ast.Value {
	merged := make(map[string]any, len(params)+len(env.Params))
	for _, p := range params {
		merged[p.Name] = p.Default
	}
	for k, v := range env.Params {
		merged[k] = v
	}
	obj := ast.NewObject()
	for k, v := range merged {
		obj.Insert(ast.StringTerm(k), ast.NewTerm(goValue(v)))
	}
	return obj
}

// goValue converts a parameter value (the types policy config produces) to Rego.
func goValue(v any) ast.Value {
	switch x := v.(type) {
	case nil:
		return ast.Null{}
	case bool:
		return ast.Boolean(x)
	case string:
		return ast.String(x)
	case int:
		return ast.IntNumberTerm(x).Value
	case int64:
		return ast.IntNumberTerm(int(x)).Value
	case float64:
		return ast.FloatNumberTerm(x).Value
	case []string:
		terms := make([]*ast.Term, len(x))
		for i, s := range x {
			terms[i] = ast.StringTerm(s)
		}
		return ast.NewArray(terms...)
	}
	if val, err := ast.InterfaceToValue(v); err == nil {
		return val
	}
	return ast.Null{}
}

// isProduction applies the productionStacks parameter (or its default) to the stack name.
func isProduction(env policy.Env) bool {
	stacks, _ := policy.ProductionStacksParam.Default.([]string)
	switch v := env.Params[policy.ProductionStacksParam.Name].(type) {
	case []string:
		stacks = v
	case []any:
		stacks = stacks[:0:0]
		for _, e := range v {
			if s, ok := e.(string); ok {
				stacks = append(stacks, s)
			}
		}
	}
	return policy.IsProductionStack(stacks, env.Stack)
}

// converter renders Pulumi property values as Rego values: unknown (computed, unknown outputs)
// as UnknownValue, secrets unwrapped with their path recorded, known outputs unwrapped.
type converter struct {
	paths         [][]*ast.Term
	secretStrings []string
}

// object converts an object; secret says it lies inside a secret (its members stay secret).
func (c *converter) object(m resource.PropertyMap, path []*ast.Term, secret bool) ast.Value {
	obj := ast.NewObject()
	for k, v := range m {
		key := ast.StringTerm(string(k))
		obj.Insert(key, ast.NewTerm(c.value(v, append(path[:len(path):len(path)], key), secret)))
	}
	return obj
}

func (c *converter) value(v resource.PropertyValue, path []*ast.Term, secret bool) ast.Value {
	switch {
	case v.IsSecret():
		c.markSecret(path, secret)
		return c.value(v.SecretValue().Element, path, true)
	case v.IsOutput():
		o := v.OutputValue()
		if o.Secret {
			c.markSecret(path, secret)
		}
		if !o.Known {
			return ast.String(UnknownValue)
		}
		return c.value(o.Element, path, secret || o.Secret)
	case v.IsComputed():
		return ast.String(UnknownValue)
	case v.IsNull():
		return ast.Null{}
	case v.IsBool():
		return ast.Boolean(v.BoolValue())
	case v.IsNumber():
		f := v.NumberValue()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return ast.Null{}
		}
		return ast.FloatNumberTerm(f).Value
	case v.IsString():
		s := v.StringValue()
		if secret && len(strings.TrimSpace(s)) >= 4 && s != CiphertextValue {
			c.secretStrings = append(c.secretStrings, s)
		}
		return ast.String(s)
	case v.IsArray():
		arr := v.ArrayValue()
		terms := make([]*ast.Term, len(arr))
		for i, e := range arr {
			terms[i] = ast.NewTerm(c.value(e, append(path[:len(path):len(path)], ast.IntNumberTerm(i)), secret))
		}
		return ast.NewArray(terms...)
	case v.IsObject():
		return c.object(v.ObjectValue(), path, secret)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		id := ast.Value(ast.Null{})
		if ref.ID.HasValue() {
			id = c.value(ref.ID, append(path[:len(path):len(path)], ast.StringTerm("id")), secret)
		}
		return ast.NewObject(
			[2]*ast.Term{ast.StringTerm("urn"), ast.StringTerm(string(ref.URN))},
			[2]*ast.Term{ast.StringTerm("id"), ast.NewTerm(id)},
		)
	case v.IsAsset():
		return ast.NewObject([2]*ast.Term{ast.StringTerm("hash"), ast.StringTerm(v.AssetValue().Hash)})
	case v.IsArchive():
		return ast.NewObject([2]*ast.Term{ast.StringTerm("hash"), ast.StringTerm(v.ArchiveValue().Hash)})
	}
	return ast.Null{}
}

// markSecret records path as secret unless an enclosing value already is.
func (c *converter) markSecret(path []*ast.Term, inside bool) {
	if inside {
		return
	}
	c.paths = append(c.paths, slices.Clone(path))
}
