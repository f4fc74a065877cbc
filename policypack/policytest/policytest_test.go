package policytest_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

func TestSetPathAndClone(t *testing.T) {
	good := map[string]any{"a": map[string]any{"b": 1}, "list": []any{map[string]any{"c": "x"}}}
	m := pt.Clone(good)
	pt.SetPath(m, "a.b", 2)
	pt.SetPath(m, "list[0].c", "y")
	pt.SetPath(m, "new.deep", true)
	pt.SetPath(m, "a.gone", pt.Missing)
	pt.SetPath(m, "list", pt.Missing)
	assert.Equal(t, map[string]any{"a": map[string]any{"b": 2}, "new": map[string]any{"deep": true}}, m)
	assert.Equal(t, 1, good["a"].(map[string]any)["b"], "Clone is deep: the original is unchanged")
	assert.Equal(t, "x", good["list"].([]any)[0].(map[string]any)["c"])
}

func TestToPropertyMap(t *testing.T) {
	m := pt.ToPropertyMap(map[string]any{
		"unknown": pt.Unknown,
		"secret":  pt.Secret("canary-value"),
		"wrong":   pt.Wrong("true"),
		"gone":    pt.Missing,
		"nested":  map[string]any{"list": []string{"a"}, "n": 3},
	})
	_, st := props.Get(m, "unknown")
	assert.Equal(t, props.Unknown, st)
	assert.True(t, m["secret"].IsSecret())
	assert.True(t, props.IsSecret(m, "secret"))
	b, st := props.Bool(m, "wrong")
	assert.Equal(t, props.Known, st)
	assert.True(t, b)
	_, present := m["gone"]
	assert.False(t, present)
	n, st := props.Int(m, "nested.n")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 3, n)
	assert.Equal(t, resource.NewStringProperty("a"), m["nested"].ObjectValue()["list"].ArrayValue()[0])
}

func TestEnvOverlaysDefaults(t *testing.T) {
	p := policy.Policy{Metadata: policy.Metadata{Params: []policy.Param{
		{Name: "days", Type: policy.ParamInteger, Default: 7},
		policy.ProductionStacksParam,
	}}}
	env := pt.Env(p, "", map[string]any{"days": 30})
	assert.Equal(t, pt.DefaultStack, env.Stack)
	assert.Equal(t, 30, env.Int("days"))
	assert.True(t, env.IsProduction())
	assert.False(t, pt.Env(p, "dev", nil).IsProduction())
}

func TestBuildStackWiresDependencies(t *testing.T) {
	rs := pt.BuildStack("", []pt.Res{
		{Type: "aws:kms/key:Key", Name: "key"},
		{Type: "aws:rds/cluster:Cluster", Name: "db", Props: map[string]any{"kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"key", "removed"}}},
	})
	require.Len(t, rs, 2)
	keyURN := pt.URN(pt.DefaultStack, "aws:kms/key:Key", "key")
	assert.Equal(t, keyURN, rs[0].URN)
	assert.Equal(t, []string{keyURN}, rs[1].PropertyDependencies["kmsKeyId"], "dependencies on resources not in the stack are dropped")
	assert.Equal(t, []string{keyURN}, rs[1].Dependencies)
}
