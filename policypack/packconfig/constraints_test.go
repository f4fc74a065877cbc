package packconfig_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

func constrainedPolicies() []policy.Policy {
	return []policy.Policy{
		{Metadata: policy.Metadata{ID: "ec2-security-group-no-public-ingress", Enforcement: policy.Mandatory, Params: []policy.Param{
			{Name: "allowedPublicPorts", Type: policy.ParamStrings, Description: "d", Default: []string{"443"}, Pattern: `^[0-9]{1,5}$`},
			{Name: "label", Type: policy.ParamString, Description: "d", Default: "ab", Pattern: `^[a-z]+$`},
		}}},
		{Metadata: policy.Metadata{ID: "rds-cluster-backup-retention-sufficient", Enforcement: policy.Mandatory, Params: []policy.Param{
			{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 7, Minimum: policy.IntPtr(1)},
			policy.ProductionStacksParam,
		}}},
	}
}

func TestParseRejectsValuesBreakingConstraints(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"typo in a port", `{"ec2-security-group-no-public-ingress":{"allowedPublicPorts":["443","44 3"]}}`,
			`"ec2-security-group-no-public-ingress".allowedPublicPorts: element 1: "44 3" does not match the pattern ^[0-9]{1,5}$`},
		{"port not a number", `{"ec2-security-group-no-public-ingress":{"allowedPublicPorts":["https"]}}`,
			`"ec2-security-group-no-public-ingress".allowedPublicPorts: element 0: "https" does not match the pattern ^[0-9]{1,5}$`},
		{"string pattern", `{"ec2-security-group-no-public-ingress":{"label":"A1"}}`,
			`"ec2-security-group-no-public-ingress".label: "A1" does not match the pattern ^[a-z]+$`},
		{"zero days", `{"rds-cluster-backup-retention-sufficient":{"minDays":0}}`,
			`"rds-cluster-backup-retention-sufficient".minDays: 0 is less than the minimum 1`},
		{"negative days", `{"rds-cluster-backup-retention-sufficient":{"minDays":-7}}`,
			`"rds-cluster-backup-retention-sufficient".minDays: -7 is less than the minimum 1`},
		{"no production stacks", `{"rds-cluster-backup-retention-sufficient":{"productionStacks":[]}}`,
			`"rds-cluster-backup-retention-sufficient".productionStacks: expected at least 1 element(s), found 0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := packconfig.Parse([]byte(tt.data), constrainedPolicies())
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func TestParseAcceptsValuesMeetingConstraints(t *testing.T) {
	ps := constrainedPolicies()
	c, err := packconfig.Parse([]byte(`{
	  "ec2-security-group-no-public-ingress": {"allowedPublicPorts": ["443", "8443"], "label": "abc"},
	  "rds-cluster-backup-retention-sufficient": {"minDays": 1, "productionStacks": ["Live"]}
	}`), ps)
	require.NoError(t, err)
	assert.Equal(t, []string{"443", "8443"}, c.For(ps[0].Metadata).Params["allowedPublicPorts"])
	assert.Equal(t, 1, c.For(ps[1].Metadata).Params["minDays"])
	env := c.Env(ps[1].Metadata, "p", "LIVE")
	assert.True(t, env.IsProduction(), "production stack names match case-insensitively")
	env.Stack = "staging"
	assert.False(t, env.IsProduction())
}

func TestCheckConstraints(t *testing.T) {
	minOne := policy.Param{Name: "n", Type: policy.ParamInteger, Minimum: policy.IntPtr(1)}
	require.NoError(t, packconfig.CheckConstraints(minOne, 1))
	require.EqualError(t, packconfig.CheckConstraints(minOne, 0), "0 is less than the minimum 1")
	unconstrained := policy.Param{Name: "s", Type: policy.ParamStrings}
	require.NoError(t, packconfig.CheckConstraints(unconstrained, []string{}))
	bad := policy.Param{Name: "s", Type: policy.ParamString, Pattern: "("}
	err := packconfig.CheckConstraints(bad, "x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `parameter pattern "(" is not a valid regular expression`)
}
