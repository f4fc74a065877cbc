// Package iamdoc reads IAM-style policy documents (IAM policies, bucket policies) once parsed
// from JSON: statements, their effect, actions, resources, principals and conditions.
package iamdoc

import (
	"fmt"
	"strings"
)

// Statement is one statement of a policy document. Action and Resource hold a single string
// or a list in the document; both are normalised to lists.
type Statement struct {
	Effect      string
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	Principal   any
	Condition   map[string]any
}

// Statements returns the statements of a parsed document. The error names the statement and
// field that cannot be read, never their content.
func Statements(doc any) ([]Statement, error) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is not a JSON object")
	}
	var raw []any
	switch s := obj["Statement"].(type) {
	case nil:
		return nil, nil
	case []any:
		raw = s
	case map[string]any:
		raw = []any{s}
	default:
		return nil, fmt.Errorf("field Statement is neither an object nor a list")
	}
	out := make([]Statement, 0, len(raw))
	for i, r := range raw {
		m, ok := r.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("field Statement[%d] is not an object", i)
		}
		st := Statement{Principal: m["Principal"]}
		st.Effect, _ = m["Effect"].(string)
		for field, dst := range map[string]*[]string{"Action": &st.Action, "NotAction": &st.NotAction, "Resource": &st.Resource, "NotResource": &st.NotResource} {
			list, ok := stringList(m[field])
			if !ok {
				return nil, fmt.Errorf("field Statement[%d].%s is neither a string nor a list of strings", i, field)
			}
			*dst = list
		}
		if c, ok := m["Condition"].(map[string]any); ok {
			st.Condition = c
		}
		out = append(out, st)
	}
	return out, nil
}

func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// Allows reports whether the statement's effect is Allow.
func (s Statement) Allows() bool { return strings.EqualFold(s.Effect, "Allow") }

// Denies reports whether the statement's effect is Deny.
func (s Statement) Denies() bool { return strings.EqualFold(s.Effect, "Deny") }

// HasAction reports whether the statement lists an action equal (case-insensitive) to one of want.
func (s Statement) HasAction(want ...string) bool {
	for _, a := range s.Action {
		for _, w := range want {
			if strings.EqualFold(strings.TrimSpace(a), w) {
				return true
			}
		}
	}
	return false
}

// HasResource reports whether the statement lists the resource r.
func (s Statement) HasResource(r string) bool {
	for _, x := range s.Resource {
		if strings.TrimSpace(x) == r {
			return true
		}
	}
	return false
}

// AnyPrincipal reports whether the principal is everyone ("*" or {"AWS": "*"}).
func (s Statement) AnyPrincipal() bool {
	switch p := s.Principal.(type) {
	case string:
		return p == "*"
	case map[string]any:
		list, _ := stringList(p["AWS"])
		for _, x := range list {
			if x == "*" {
				return true
			}
		}
	}
	return false
}

// ConditionValues returns the values of condition key (case-insensitive) under operator op
// (case-insensitive, with or without an IfExists suffix), as strings.
func (s Statement) ConditionValues(op, key string) []string {
	var out []string
	for o, block := range s.Condition {
		if !strings.EqualFold(strings.TrimSuffix(o, "IfExists"), op) {
			continue
		}
		b, ok := block.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range b {
			if !strings.EqualFold(k, key) {
				continue
			}
			switch x := v.(type) {
			case []any:
				for _, e := range x {
					out = append(out, fmt.Sprint(e))
				}
			default:
				out = append(out, fmt.Sprint(x))
			}
		}
	}
	return out
}
