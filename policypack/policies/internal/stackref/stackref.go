// Package stackref resolves references between the resources of a stack for stack-level
// policies. A property refers to another resource either through Pulumi's property
// dependencies (always present for outputs of another resource, even when the value is still
// unknown during preview) or through its value (an ID, name or ARN also found on the target).
package stackref

import (
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// Stack indexes the resources of a stack.
type Stack struct {
	All    []policy.Resource
	byURN  map[string]policy.Resource
	byType map[string][]policy.Resource
	ids    map[string][]string // URN -> known identity values
}

// New indexes resources.
func New(rs []policy.Resource) *Stack {
	s := &Stack{All: rs, byURN: map[string]policy.Resource{}, byType: map[string][]policy.Resource{}, ids: map[string][]string{}}
	for _, r := range rs {
		s.byURN[r.URN] = r
		s.byType[r.Type] = append(s.byType[r.Type], r)
		s.ids[r.URN] = identities(r)
	}
	return s
}

// OfType returns the resources of any of the given types, in stack order.
func (s *Stack) OfType(types ...string) []policy.Resource {
	var out []policy.Resource
	for _, r := range s.All {
		if slices.Contains(types, r.Type) {
			out = append(out, r)
		}
	}
	return out
}

// ByURN returns the resource with that URN.
func (s *Stack) ByURN(urn string) (policy.Resource, bool) {
	r, ok := s.byURN[urn]
	return r, ok
}

// IdentityProps are the properties under which a resource is referred to by value.
var IdentityProps = []string{"id", "arn", "name", "keyId", "bucket", "identifier", "clusterIdentifier"}

// Values returns the known string values of a property that is a string or a list of strings.
// unknown is true when the property (or an element of it) is not known yet.
func Values(m resource.PropertyMap, path string) (vals []string, unknown bool) {
	v, st := props.Get(m, path)
	switch st {
	case props.Unknown:
		return nil, true
	case props.Missing:
		return nil, false
	}
	if v.IsString() {
		return []string{v.StringValue()}, false
	}
	if v.IsArray() {
		for _, e := range v.ArrayValue() {
			for e.IsSecret() {
				e = e.SecretValue().Element
			}
			if e.IsOutput() && e.OutputValue().Known {
				e = e.OutputValue().Element
			}
			switch {
			case e.IsComputed() || e.IsOutput():
				unknown = true
			case e.IsString():
				vals = append(vals, e.StringValue())
			}
		}
	}
	return vals, unknown
}

// identities returns the known, non-empty identity values of a resource.
func identities(r policy.Resource) []string {
	var out []string
	for _, p := range IdentityProps {
		if id, st := props.String(r.Properties, p); st == props.Known && id != "" {
			out = append(out, id)
		}
	}
	return out
}

// Matches reports whether a reference value names the target: equal to one of its identity
// properties, or an ARN ending in "/<id>" or ":<id>" of one of them.
func Matches(ref string, target policy.Resource) bool { return matchesAny(ref, identities(target)) }

func matchesAny(ref string, ids []string) bool {
	if ref == "" {
		return false
	}
	for _, id := range ids {
		if ref == id || strings.HasSuffix(ref, "/"+id) || strings.HasSuffix(id, "/"+ref) || strings.HasSuffix(ref, ":"+id) {
			return true
		}
	}
	return false
}

// Matches is the package function Matches, with the identities indexed by New (computed on
// the fly for resources not in the stack).
func (s *Stack) Matches(ref string, target policy.Resource) bool {
	ids, ok := s.ids[target.URN]
	if !ok || target.URN == "" {
		ids = identities(target)
	}
	return matchesAny(ref, ids)
}

// Refs returns the resources among candidates that property path of from refers to, through
// property dependencies or by value. unresolved is true when some referring value is unknown
// and no property dependency says what it refers to.
func (s *Stack) Refs(from policy.Resource, path string, candidates []policy.Resource) (found []policy.Resource, unresolved bool) {
	top := path
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	deps := from.PropertyDependencies[top]
	for _, c := range candidates {
		if slices.Contains(deps, c.URN) {
			found = append(found, c)
		}
	}
	vals, unknown := Values(from.Properties, path)
	for _, v := range vals {
		for _, c := range candidates {
			if s.Matches(v, c) && !slices.ContainsFunc(found, func(f policy.Resource) bool { return f.URN == c.URN }) {
				found = append(found, c)
			}
		}
	}
	return found, unknown && len(found) == 0 && len(deps) == 0
}

// ReferredBy returns the resources among referrers whose property path refers to target.
// unresolved lists referrers whose reference is unknown and could not be resolved.
func (s *Stack) ReferredBy(target policy.Resource, referrers []policy.Resource, path string) (found, unresolved []policy.Resource) {
	for _, r := range referrers {
		hits, unk := s.Refs(r, path, []policy.Resource{target})
		switch {
		case len(hits) > 0:
			found = append(found, r)
		case unk:
			unresolved = append(unresolved, r)
		}
	}
	return found, unresolved
}
