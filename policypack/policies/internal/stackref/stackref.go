// Package stackref resolves references between the resources of a stack for stack-level
// policies. A property refers to another resource either through Pulumi's property
// dependencies (always present for outputs of another resource, even when the value is still
// unknown during preview) or through its value (an ID, name or ARN also found on the target).
package stackref

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// Stack indexes the resources of a stack.
type Stack struct {
	All    []policy.Resource
	byURN  map[string]int        // URN -> position in All, built on first use
	ids    map[string][]string   // URN -> known identity values, filled on first use
	values map[valueKey]refValue // (URN, path) -> values of a referring property
	index  map[string]*refIndex  // (path, referrer types) -> reverse index of references
}

// refIndex is the reverse index of one property over a set of referring resources.
type refIndex struct {
	byDep      map[string][]int // target URN -> referrers (positions) depending on it
	byValue    map[string][]int // value, or its part after the last "/" or ":" -> referrers
	unresolved []int            // referrers with an unknown value and no dependency
	referrers  []policy.Resource
}

type valueKey struct{ urn, path string }

type refValue struct {
	vals    []string
	unknown bool
}

// New wraps the resources of a stack; its indexes are built on first use.
func New(rs []policy.Resource) *Stack {
	s := &Stack{
		All: rs,
		ids: map[string][]string{}, values: map[valueKey]refValue{}, index: map[string]*refIndex{},
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

// Judge gives each of the resources its own verdict, in their order: the shape of a stack
// policy that judges resources one by one with the whole stack at hand.
func Judge(rs []policy.Resource, judge func(policy.Resource) policy.Result) []policy.StackResult {
	out := make([]policy.StackResult, 0, len(rs))
	for _, r := range rs {
		out = append(out, policy.StackResult{URN: r.URN, Result: judge(r)})
	}
	return out
}

// ByURN returns the resource with that URN.
func (s *Stack) ByURN(urn string) (policy.Resource, bool) {
	if s.byURN == nil {
		s.byURN = make(map[string]int, len(s.All))
		for i, r := range s.All {
			s.byURN[r.URN] = i
		}
	}
	i, ok := s.byURN[urn]
	if !ok {
		return policy.Resource{}, false
	}
	return s.All[i], true
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
			e, _, est := props.Value(e)
			switch {
			case est == props.Unknown:
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
	if target.URN == "" {
		return matchesAny(ref, identities(target))
	}
	ids, ok := s.ids[target.URN]
	if !ok {
		ids = identities(target)
		s.ids[target.URN] = ids
	}
	return matchesAny(ref, ids)
}

// valuesOf is Values, cached per resource and path.
func (s *Stack) valuesOf(r policy.Resource, path string) ([]string, bool) {
	if r.URN == "" {
		return Values(r.Properties, path)
	}
	k := valueKey{r.URN, path}
	v, ok := s.values[k]
	if !ok {
		v.vals, v.unknown = Values(r.Properties, path)
		s.values[k] = v
	}
	return v.vals, v.unknown
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
	vals, unknown := s.valuesOf(from, path)
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
// unresolved lists referrers whose reference is unknown and could not be resolved. The
// referrers are indexed once per path and set of types (and count), so that asking for every
// target of a stack stays linear: pass an OfType list of this stack, not an ad-hoc subset.
func (s *Stack) ReferredBy(target policy.Resource, referrers []policy.Resource, path string) (found, unresolved []policy.Resource) {
	idx := s.indexOf(referrers, path)
	seen := map[int]bool{}
	var hits []int
	add := func(i int) {
		if !seen[i] {
			seen[i] = true
			hits = append(hits, i)
		}
	}
	for _, i := range idx.byDep[target.URN] {
		add(i)
	}
	ids := identities(target)
	if target.URN != "" {
		if cached, ok := s.ids[target.URN]; ok {
			ids = cached
		} else {
			s.ids[target.URN] = ids
		}
	}
	for _, id := range ids {
		for _, key := range []string{id, lastPart(id, "/"), lastPart(id, ":")} {
			for _, i := range idx.byValue[key] {
				if seen[i] {
					continue
				}
				vals, _ := s.valuesOf(idx.referrers[i], path)
				for _, v := range vals {
					if matchesAny(v, ids) {
						add(i)
						break
					}
				}
			}
		}
	}
	slices.Sort(hits)
	for _, i := range hits {
		found = append(found, idx.referrers[i])
	}
	for _, i := range idx.unresolved {
		if !seen[i] {
			unresolved = append(unresolved, idx.referrers[i])
		}
	}
	return found, unresolved
}

// lastPart returns what follows the last sep in s ("" when there is none).
func lastPart(s, sep string) string {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[i+len(sep):]
	}
	return ""
}

// indexOf builds (once) the reverse index of path over referrers.
func (s *Stack) indexOf(referrers []policy.Resource, path string) *refIndex {
	types := make([]string, 0, 4)
	for _, r := range referrers {
		if !slices.Contains(types, r.Type) {
			types = append(types, r.Type)
		}
	}
	slices.Sort(types)
	key := path + "|" + strings.Join(types, ",") + "|" + strconv.Itoa(len(referrers))
	if idx, ok := s.index[key]; ok {
		return idx
	}
	top := path
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	idx := &refIndex{byDep: map[string][]int{}, byValue: map[string][]int{}, referrers: referrers}
	for i, r := range referrers {
		deps := r.PropertyDependencies[top]
		for _, d := range deps {
			idx.byDep[d] = append(idx.byDep[d], i)
		}
		vals, unknown := s.valuesOf(r, path)
		for _, v := range vals {
			for _, k := range []string{v, lastPart(v, "/"), lastPart(v, ":")} {
				if k != "" {
					idx.byValue[k] = append(idx.byValue[k], i)
				}
			}
		}
		if unknown && len(deps) == 0 {
			idx.unresolved = append(idx.unresolved, i)
		}
	}
	s.index[key] = idx
	return idx
}
