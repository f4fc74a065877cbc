package regopolicies

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// packageAnnotations returns the METADATA block of the module's package.
func packageAnnotations(m *ast.Module) (*ast.Annotations, error) {
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			return a, nil
		}
	}
	return nil, errors.New("no METADATA block above the package declaration")
}

// metadataOf turns a rule's package METADATA (title, description and the custom fields id,
// severity, enforcement, controls, resource_types, remediation, references, params) into
// policy.Metadata. The error lists every missing or malformed field.
func metadataOf(a *ast.Annotations) (policy.Metadata, error) {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	c := a.Custom
	str := func(key string) string {
		v, ok := c[key]
		if !ok {
			fail("custom.%s is missing", key)
			return ""
		}
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			fail("custom.%s must be a non-empty string", key)
			return ""
		}
		return strings.TrimSpace(s)
	}
	strs := func(key string) []string {
		v, ok := c[key]
		if !ok {
			fail("custom.%s is missing", key)
			return nil
		}
		out, err := stringList(v)
		if err != nil || len(out) == 0 {
			fail("custom.%s must be a non-empty list of strings", key)
		}
		return out
	}
	md := policy.Metadata{
		Title:         strings.TrimSpace(a.Title),
		Description:   strings.TrimSpace(a.Description),
		ID:            str("id"),
		Severity:      policy.Severity(str("severity")),
		Enforcement:   policy.Enforcement(str("enforcement")),
		Controls:      strs("controls"),
		ResourceTypes: strs("resource_types"),
		Remediation:   str("remediation"),
		References:    strs("references"),
		Engine:        policy.EngineRego,
	}
	if md.Title == "" {
		fail("title is missing")
	}
	if md.Description == "" {
		fail("description is missing")
	}
	if v, ok := c["params"]; ok {
		params, err := paramsOf(v)
		if err != nil {
			fail("custom.params: %w", err)
		}
		md.Params = params
	}
	known := map[string]bool{"id": true, "severity": true, "enforcement": true, "controls": true,
		"resource_types": true, "remediation": true, "references": true, "params": true}
	for k := range c {
		if !known[k] {
			fail("custom.%s is not a known field", k)
		}
	}
	return md, errors.Join(errs...)
}

func stringList(v any) ([]string, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("not a list (%T)", v)
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, fmt.Errorf("element %d is not a non-empty string", i)
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out, nil
}

// paramsOf reads custom.params: a list of {name, type, default, description} with the
// optional constraints minimum (integer), pattern (string or array items) and min_items (array).
func paramsOf(v any) ([]policy.Param, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("must be a list, got %T", v)
	}
	out := make([]policy.Param, 0, len(list))
	var errs []error
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			errs = append(errs, fmt.Errorf("param %d is not an object", i))
			continue
		}
		name, _ := m["name"].(string)
		typ, _ := m["type"].(string)
		desc, _ := m["description"].(string)
		p := policy.Param{Name: name, Type: policy.ParamType(typ), Description: strings.TrimSpace(desc)}
		if name == "" {
			errs = append(errs, fmt.Errorf("param %d has no name", i))
		}
		def, err := defaultOf(p.Type, m["default"])
		if err != nil {
			errs = append(errs, fmt.Errorf("param %q: %w", name, err))
		}
		p.Default = def
		if err := constraintsOf(&p, m); err != nil {
			errs = append(errs, fmt.Errorf("param %q: %w", name, err))
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// defaultOf converts a YAML default to the Go type policy.Param expects for typ.
func defaultOf(typ policy.ParamType, v any) (any, error) {
	if v == nil {
		return nil, errors.New("no default")
	}
	switch typ {
	case policy.ParamInteger:
		if n, ok := wholeNumber(v); ok {
			return n, nil
		}
	case policy.ParamString:
		if s, ok := v.(string); ok {
			return s, nil
		}
	case policy.ParamBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case policy.ParamStrings:
		if s, err := stringList(v); err == nil {
			return s, nil
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			return []string{}, nil
		}
	default:
		return nil, fmt.Errorf("type %q is not integer, string, boolean or array", typ)
	}
	return nil, fmt.Errorf("default %v (%T) is not of type %s", v, v, typ)
}

func wholeNumber(v any) (int, bool) {
	var f float64
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		f = float64(x)
	case uint64:
		f = float64(x)
	case float64:
		f = x
	case json.Number:
		n, err := x.Float64()
		if err != nil {
			return 0, false
		}
		f = n
	default:
		return 0, false
	}
	if f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
}

// constraintsOf reads a param's optional constraints: minimum (integers), pattern (a regular
// expression for strings and array items) and min_items (arrays).
func constraintsOf(p *policy.Param, m map[string]any) error {
	var errs []error
	if v, ok := m["minimum"]; ok {
		n, whole := wholeNumber(v)
		switch {
		case p.Type != policy.ParamInteger:
			errs = append(errs, fmt.Errorf("minimum is only for integer params, not %s", p.Type))
		case !whole:
			errs = append(errs, fmt.Errorf("minimum %v is not an integer", v))
		default:
			p.Minimum = &n
		}
	}
	if v, ok := m["pattern"]; ok {
		s, isString := v.(string)
		switch {
		case p.Type != policy.ParamString && p.Type != policy.ParamStrings:
			errs = append(errs, fmt.Errorf("pattern is only for string and array params, not %s", p.Type))
		case !isString || s == "":
			errs = append(errs, fmt.Errorf("pattern must be a non-empty string"))
		default:
			if _, err := regexp.Compile(s); err != nil {
				errs = append(errs, fmt.Errorf("pattern: %w", err))
			} else {
				p.Pattern = s
			}
		}
	}
	if v, ok := m["min_items"]; ok {
		n, whole := wholeNumber(v)
		switch {
		case p.Type != policy.ParamStrings:
			errs = append(errs, fmt.Errorf("min_items is only for array params, not %s", p.Type))
		case !whole || n < 0:
			errs = append(errs, fmt.Errorf("min_items %v is not a non-negative integer", v))
		default:
			p.MinItems = &n
		}
	}
	for k := range m {
		switch k {
		case "name", "type", "description", "default", "minimum", "pattern", "min_items":
		default:
			errs = append(errs, fmt.Errorf("unknown field %q", k))
		}
	}
	return errors.Join(errs...)
}
