// Package dptest holds the helpers of the data-plane component tests: it runs the whole program
// for a stack under the recording mocks (internal/mocktest) and looks up what the foundation
// created (keys, subnets), so each assertion compares exact values.
package dptest

import (
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

// Stacks are the committed stacks every data-plane test covers.
var Stacks = []string{"dev", "prod"}

var (
	mu    sync.Mutex
	cache = map[string]*mocktest.Recorded{}
)

// Stack runs the program for a committed stack (Pulumi.<stack>.yaml) once per test binary.
func Stack(t testing.TB, stack string) *mocktest.Recorded {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if rec, ok := cache[stack]; ok {
		return rec
	}
	rec, err := mocktest.RunStack(program.Run, stack)
	require.NoError(t, err, "stack %s under mocks", stack)
	cache[stack] = rec
	return rec
}

// Run runs the program for a stack with some config keys changed ("" deletes a key).
func Run(t testing.TB, stack string, changes map[string]string) (*mocktest.Recorded, error) {
	t.Helper()
	dir, err := mocktest.InfrastructureDir()
	require.NoError(t, err)
	project, cfg, err := mocktest.StackConfig(dir, stack)
	require.NoError(t, err)
	for k, v := range changes {
		if v == "" {
			delete(cfg, k)
		} else {
			cfg[k] = v
		}
	}
	return mocktest.Run(program.Run, mocktest.Options{Project: project, Stack: stack, Config: cfg})
}

// One returns the resource of a type and logical name, failing the test when absent.
func One(t testing.TB, rec *mocktest.Recorded, typ, name string) mocktest.Resource {
	t.Helper()
	r, ok := rec.One(typ, name)
	require.True(t, ok, "%s %s not registered", typ, name)
	return r
}

// Only returns the single resource of a type, failing the test when there is not exactly one.
func Only(t testing.TB, rec *mocktest.Recorded, typ string) mocktest.Resource {
	t.Helper()
	rs := rec.OfType(typ)
	require.Len(t, rs, 1, "resources of type %s", typ)
	return rs[0]
}

// Out returns a string output of a resource (its mock state), "" when absent.
func Out(r mocktest.Resource, key string) string {
	v, ok := r.Outputs[propertyKey(key)]
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// Arn returns a resource's mock ARN.
func Arn(r mocktest.Resource) string { return Out(r, "arn") }

// KeyArn returns the ARN of the foundation's KMS key of a domain (stream, database, ...).
func KeyArn(t testing.TB, rec *mocktest.Recorded, domain string) string {
	t.Helper()
	arn := Arn(One(t, rec, "aws:kms/key:Key", "keys-"+domain+"-key"))
	require.NotEmpty(t, arn)
	return arn
}

// SubnetIDs returns the IDs of the network's subnets of a tier (public, private, isolated),
// sorted.
func SubnetIDs(t testing.TB, rec *mocktest.Recorded, tier string) []string {
	t.Helper()
	var ids []string
	for _, s := range rec.OfType("aws:ec2/subnet:Subnet") {
		if strings.HasPrefix(s.Name, "network-"+tier+"-subnet-") {
			ids = append(ids, s.ID)
		}
	}
	require.NotEmpty(t, ids, "%s subnets", tier)
	sort.Strings(ids)
	return ids
}

// Sorted returns a sorted copy.
func Sorted(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}

// Component returns the single component resource of a type token.
func Component(t testing.TB, rec *mocktest.Recorded, typ string) mocktest.Resource {
	t.Helper()
	c := Only(t, rec, typ)
	require.False(t, c.Custom, "%s is a component", typ)
	return c
}

// RequireParent checks that every resource of the given types has the component as parent.
func RequireParent(t testing.TB, rec *mocktest.Recorded, component mocktest.Resource, types ...string) {
	t.Helper()
	for _, typ := range types {
		rs := rec.OfType(typ)
		require.NotEmpty(t, rs, "resources of type %s", typ)
		for _, r := range rs {
			require.Equal(t, component.URN, r.Parent, "%s %s is parented to %s", typ, r.Name, component.Type)
		}
	}
}

// RequireChildren checks that the component has children and that every resource whose logical
// name starts with "<component name>-" is its direct child.
func RequireChildren(t testing.TB, rec *mocktest.Recorded, component mocktest.Resource) {
	t.Helper()
	kids := rec.Find(func(r mocktest.Resource) bool { return strings.HasPrefix(r.Name, component.Name+"-") })
	require.NotEmpty(t, kids, "children of %s", component.Name)
	for _, r := range kids {
		require.Equal(t, component.URN, r.Parent, "%s %s is parented to %s %s", r.Type, r.Name, component.Type, component.Name)
	}
}

// Num reads a number input of a recorded resource, failing the test when it is not one.
func Num(t testing.TB, r mocktest.Resource, path string) float64 {
	t.Helper()
	v, ok := r.Num(path)
	require.True(t, ok, "%s %s: %s is a number", r.Type, r.Name, path)
	return v
}

// Bool reads a boolean input of a recorded resource, failing the test when it is not one.
func Bool(t testing.TB, r mocktest.Resource, path string) bool {
	t.Helper()
	v, ok := r.Bool(path)
	require.True(t, ok, "%s %s: %s is a bool", r.Type, r.Name, path)
	return v
}
