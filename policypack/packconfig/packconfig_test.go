package packconfig_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

func testPolicies() []policy.Policy {
	return []policy.Policy{
		{Metadata: policy.Metadata{ID: "logs-group-retention-sufficient", Enforcement: policy.Mandatory, Params: []policy.Param{
			{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 365},
		}}},
		{Metadata: policy.Metadata{ID: "lb-listener-tls-required", Enforcement: policy.Advisory, Params: []policy.Param{
			{Name: "allowedPolicies", Type: policy.ParamStrings, Description: "d", Default: []string{"TLS13"}},
			{Name: "label", Type: policy.ParamString, Description: "d", Default: "x"},
			{Name: "strict", Type: policy.ParamBoolean, Description: "d", Default: false},
			policy.ProductionStacksParam,
		}}},
	}
}

func TestDefaults(t *testing.T) {
	ps := testPolicies()
	c := packconfig.Defaults(ps)
	pc := c.For(ps[0].Metadata)
	assert.Equal(t, policy.Mandatory, pc.Enforcement)
	assert.Equal(t, map[string]any{"minDays": 365}, pc.Params)
	env := c.Env(ps[1].Metadata, "carepulse", "prod")
	assert.Equal(t, []string{"TLS13"}, env.Strings("allowedPolicies"))
	assert.True(t, env.IsProduction())
	assert.Equal(t, "carepulse", env.Project)
}

func TestParse(t *testing.T) {
	ps := testPolicies()
	c, err := packconfig.Parse([]byte(`{
	  "all": "advisory",
	  "logs-group-retention-sufficient": {"enforcementLevel": "mandatory", "minDays": 400},
	  "lb-listener-tls-required": {"allowedPolicies": ["A", "B"], "strict": true, "productionStacks": ["live"]}
	}`), ps)
	require.NoError(t, err)
	logs := c.For(ps[0].Metadata)
	assert.Equal(t, policy.Mandatory, logs.Enforcement, "a policy's own level overrides all")
	assert.Equal(t, 400, logs.Params["minDays"])
	lb := c.For(ps[1].Metadata)
	assert.Equal(t, policy.Advisory, lb.Enforcement, "all applies")
	assert.Equal(t, []string{"A", "B"}, lb.Params["allowedPolicies"])
	assert.Equal(t, true, lb.Params["strict"])
	assert.Equal(t, "x", lb.Params["label"], "defaults kept for parameters not given")
	env := c.Env(ps[1].Metadata, "p", "prod")
	assert.False(t, env.IsProduction())
	env.Stack = "live"
	assert.True(t, env.IsProduction())

	// Defaults are not modified by a parsed config.
	assert.Equal(t, 365, packconfig.Defaults(ps).For(ps[0].Metadata).Params["minDays"])

	c, err = packconfig.Parse([]byte(`{"all": {"enforcementLevel": "disabled"}}`), ps)
	require.NoError(t, err)
	assert.Equal(t, policy.Disabled, c.For(ps[0].Metadata).Enforcement)
	assert.Equal(t, policy.Disabled, c.For(ps[1].Metadata).Enforcement)
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"not json", `{"all": }`, "invalid JSON at offset 9"},
		{"not object", `[]`, "expected a JSON object of policy settings"},
		{"trailing", `{} {}`, "unexpected data after the JSON object"},
		{"unknown policy", `{"s3-bucket-nope": "mandatory"}`, `"s3-bucket-nope": no policy with this ID in the pack`},
		{"bad level", `{"logs-group-retention-sufficient": "block"}`, `"logs-group-retention-sufficient": enforcement level "block" is not one of advisory, mandatory, disabled`},
		{"remediate", `{"all": "remediate"}`, `"all": enforcement level "remediate"`},
		{"level not string", `{"logs-group-retention-sufficient": {"enforcementLevel": 1}}`, `"logs-group-retention-sufficient".enforcementLevel: expected a string, found a number`},
		{"entry type", `{"logs-group-retention-sufficient": 3}`, `"logs-group-retention-sufficient": expected an enforcement level string or an object, found a number`},
		{"unknown param", `{"logs-group-retention-sufficient": {"maxDays": 3}}`, `"logs-group-retention-sufficient": unknown parameter "maxDays" (known: [minDays])`},
		{"int as string", `{"logs-group-retention-sufficient": {"minDays": "365"}}`, `"logs-group-retention-sufficient".minDays: expected an integer, found a string`},
		{"fraction", `{"logs-group-retention-sufficient": {"minDays": 36.5}}`, `"logs-group-retention-sufficient".minDays: expected an integer, found 36.5`},
		{"bool", `{"lb-listener-tls-required": {"strict": "yes"}}`, `"lb-listener-tls-required".strict: expected a boolean, found a string`},
		{"string", `{"lb-listener-tls-required": {"label": 1}}`, `"lb-listener-tls-required".label: expected a string, found a number`},
		{"array", `{"lb-listener-tls-required": {"allowedPolicies": "TLS13"}}`, `"lb-listener-tls-required".allowedPolicies: expected an array of strings, found a string`},
		{"array element", `{"lb-listener-tls-required": {"allowedPolicies": ["a", 2]}}`, `"lb-listener-tls-required".allowedPolicies: element 1: expected a string, found a number`},
		{"param in all", `{"all": {"minDays": 3}}`, `"all": only "enforcementLevel" may be set for all policies, found "minDays"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := packconfig.Parse([]byte(tt.data), testPolicies())
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "policy-config.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"nope-nope-nope": "advisory"}`), 0o600))
	_, err := packconfig.Load(path, testPolicies())
	require.Error(t, err)
	assert.Equal(t, "policy config "+path+`: "nope-nope-nope": no policy with this ID in the pack`, err.Error())

	require.NoError(t, os.WriteFile(path, []byte(`{"logs-group-retention-sufficient": {"minDays": 30}}`), 0o600))
	c, err := packconfig.Load(path, testPolicies())
	require.NoError(t, err)
	assert.Equal(t, 30, c.For(testPolicies()[0].Metadata).Params["minDays"])
}

func TestFromMapAcceptsEngineValues(t *testing.T) {
	// The analyzer receives numbers as float64 and arrays as []any (from protobuf structs).
	c, err := packconfig.FromMap(map[string]any{
		"logs-group-retention-sufficient": map[string]any{"enforcementLevel": "advisory", "minDays": float64(90)},
		"lb-listener-tls-required":        map[string]any{"allowedPolicies": []any{"P"}},
	}, testPolicies())
	require.NoError(t, err)
	pc := c.For(testPolicies()[0].Metadata)
	assert.Equal(t, policy.Advisory, pc.Enforcement)
	assert.Equal(t, 90, pc.Params["minDays"])
	assert.Equal(t, []string{"P"}, c.For(testPolicies()[1].Metadata).Params["allowedPolicies"])
}
