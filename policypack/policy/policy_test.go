package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

func TestMerge(t *testing.T) {
	pass, na := policy.Passed(), policy.NotApplicableBecause("n/a")
	fail1, fail2 := policy.Failed("a %d", 1), policy.Failed("b")
	und := policy.UndeterminedBecause("u")
	assert.Equal(t, policy.Result{Status: policy.NotApplicable}, policy.Merge())
	assert.Equal(t, policy.Result{Status: policy.Pass}, policy.Merge(na, pass, pass))
	assert.Equal(t, policy.Result{Status: policy.Undetermined, Messages: []string{"u"}}, policy.Merge(pass, und, na))
	assert.Equal(t, policy.Result{Status: policy.Fail, Messages: []string{"a 1", "b"}}, policy.Merge(fail1, und, pass, fail2))
	assert.Equal(t, policy.Result{Status: policy.NotApplicable, Messages: []string{"n/a", "n/a"}}, policy.Merge(na, na))
}

func TestEnv(t *testing.T) {
	env := policy.Env{Stack: "prod", Params: map[string]any{
		"i": 3, "f": 4.0, "i64": int64(5), "s": "x", "b": true, "ss": []string{"a"}, "anys": []any{"prod", "live"}, "bad": []any{1},
		policy.ProductionStacksParam.Name: []any{"prod"},
	}}
	assert.Equal(t, 3, env.Int("i"))
	assert.Equal(t, 4, env.Int("f"))
	assert.Equal(t, 5, env.Int("i64"))
	assert.Equal(t, "x", env.String("s"))
	assert.True(t, env.Bool("b"))
	assert.Equal(t, []string{"a"}, env.Strings("ss"))
	assert.Equal(t, []string{"prod", "live"}, env.Strings("anys"))
	assert.True(t, env.IsProduction())
	env.Stack = "dev"
	assert.False(t, env.IsProduction())
	assert.Panics(t, func() { env.Int("s") })
	assert.Panics(t, func() { env.String("i") })
	assert.Panics(t, func() { env.Bool("s") })
	assert.Panics(t, func() { env.Strings("s") })
	assert.Panics(t, func() { env.Strings("bad") })
}

func TestApplies(t *testing.T) {
	m := policy.Metadata{ResourceTypes: []string{"aws:rds/cluster:Cluster"}}
	assert.True(t, m.Applies("aws:rds/cluster:Cluster"))
	assert.False(t, m.Applies("aws:rds/clusterInstance:ClusterInstance"))
}

func TestIsProductionStackIgnoresCase(t *testing.T) {
	tests := []struct {
		stack string
		want  bool
	}{
		{"prod", true}, {"Prod", true}, {"PRODUCTION", true}, {" prod ", true},
		{"dev", false}, {"prod-eu", false}, {"", false},
	}
	for _, tt := range tests {
		t.Run(tt.stack, func(t *testing.T) {
			assert.Equal(t, tt.want, policy.IsProductionStack([]string{"prod", "Production"}, tt.stack))
			env := policy.Env{Stack: tt.stack, Params: map[string]any{
				policy.ProductionStacksParam.Name: []string{"prod", "Production"},
			}}
			assert.Equal(t, tt.want, env.IsProduction())
		})
	}
	assert.False(t, policy.IsProductionStack(nil, "prod"))
}
