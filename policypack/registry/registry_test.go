package registry_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
)

func good() policy.Policy {
	return policy.Policy{
		Metadata: policy.Metadata{
			ID:            "rds-cluster-storage-encrypted",
			Title:         "Aurora clusters encrypt storage",
			Description:   "ePHI at rest must be encrypted.",
			Severity:      policy.SeverityHigh,
			Enforcement:   policy.Mandatory,
			Controls:      []string{"164.312(a)(2)(iv)", "164.308(a)(7)(ii)(A)", "164.312(b)", "164.316(b)(2)(i)"},
			ResourceTypes: []string{"aws:rds/cluster:Cluster"},
			Remediation:   "Set storageEncrypted: true.",
			References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html"},
			Engine:        policy.EngineGo,
			Params: []policy.Param{
				{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 7},
				policy.ProductionStacksParam,
			},
		},
		Resource: func(policy.Env, policy.Resource) policy.Result { return policy.Passed() },
	}
}

func TestCheckAcceptsAGoodPolicy(t *testing.T) {
	assert.Empty(t, registry.Check(good()))
	stack := good()
	stack.Resource = nil
	stack.Stack = func(policy.Env, []policy.Resource) []policy.StackResult { return nil }
	stack.ResourceTypes = nil
	assert.Empty(t, registry.Check(stack), "a stack policy needs no resource types")
}

func TestCheckRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *policy.Policy)
		want   string
	}{
		{"missing id", func(p *policy.Policy) { p.ID = "" }, "missing id"},
		{"reserved id", func(p *policy.Policy) { p.ID = "all" }, `id "all" is reserved`},
		{"camel id", func(p *policy.Policy) { p.ID = "rdsClusterEncrypted" }, "is not kebab case"},
		{"short id", func(p *policy.Policy) { p.ID = "rds-encrypted" }, "is not kebab case"},
		{"trailing dash", func(p *policy.Policy) { p.ID = "rds-cluster-" }, "is not kebab case"},
		{"missing title", func(p *policy.Policy) { p.Title = " " }, "missing title"},
		{"two-line title", func(p *policy.Policy) { p.Title = "a\nb" }, "title must be one line"},
		{"missing description", func(p *policy.Policy) { p.Description = "" }, "missing description"},
		{"missing remediation", func(p *policy.Policy) { p.Remediation = "" }, "missing remediation"},
		{"bad severity", func(p *policy.Policy) { p.Severity = "urgent" }, `severity "urgent" is not low, medium, high or critical`},
		{"disabled default", func(p *policy.Policy) { p.Enforcement = policy.Disabled }, `default enforcement "disabled" is not advisory or mandatory`},
		{"bad engine", func(p *policy.Policy) { p.Engine = "" }, `engine "" is not go or rego`},
		{"no controls", func(p *policy.Policy) { p.Controls = nil }, "no HIPAA controls"},
		{"section sign", func(p *policy.Policy) { p.Controls = []string{"§164.312(a)(2)(iv)"} }, "is not a HIPAA Security Rule citation"},
		{"spaces", func(p *policy.Policy) { p.Controls = []string{"164.312 (a)(1)"} }, "is not a HIPAA Security Rule citation"},
		{"privacy rule", func(p *policy.Policy) { p.Controls = []string{"164.502(a)"} }, "is not a HIPAA Security Rule citation"},
		{"uppercase paragraph", func(p *policy.Policy) { p.Controls = []string{"164.312(A)(1)"} }, "is not a HIPAA Security Rule citation"},
		{"bad roman", func(p *policy.Policy) { p.Controls = []string{"164.312(a)(2)(iiii)"} }, "is not a HIPAA Security Rule citation"},
		{"duplicate control", func(p *policy.Policy) { p.Controls = []string{"164.312(b)", "164.312(b)"} }, `control "164.312(b)" listed twice`},
		{"no references", func(p *policy.Policy) { p.References = nil }, "no references"},
		{"http reference", func(p *policy.Policy) { p.References = []string{"http://example.org"} }, "is not an https URL"},
		{"no check", func(p *policy.Policy) { p.Resource = nil }, "neither a resource nor a stack check"},
		{"both checks", func(p *policy.Policy) {
			p.Stack = func(policy.Env, []policy.Resource) []policy.StackResult { return nil }
		}, "both a resource and a stack check"},
		{"no types", func(p *policy.Policy) { p.ResourceTypes = nil }, "resource check without resource types"},
		{"bad type", func(p *policy.Policy) { p.ResourceTypes = []string{"AWS::RDS::DBCluster"} }, "is not a Pulumi type token"},
		{"lowercase type name", func(p *policy.Policy) { p.ResourceTypes = []string{"aws:rds/cluster:cluster"} }, "is not a Pulumi type token"},
		{"duplicate type", func(p *policy.Policy) {
			p.ResourceTypes = []string{"aws:rds/cluster:Cluster", "aws:rds/cluster:Cluster"}
		}, "listed twice"},
		{"param name", func(p *policy.Policy) { p.Params[0].Name = "min_days" }, "param min_days: name is not lower camel case"},
		{"param missing name", func(p *policy.Policy) { p.Params[0].Name = "" }, "param #0: missing name"},
		{"param reserved", func(p *policy.Policy) { p.Params[0].Name = "enforcementLevel" }, "name is reserved"},
		{"param twice", func(p *policy.Policy) { p.Params[1].Name = "minDays" }, "param minDays: declared twice"},
		{"param description", func(p *policy.Policy) { p.Params[0].Description = "" }, "param minDays: missing description"},
		{"param type", func(p *policy.Policy) { p.Params[0].Type = "number" }, `type "number" is not integer, string, boolean or array`},
		{"param default float", func(p *policy.Policy) { p.Params[0].Default = 7.0 }, "param minDays: default 7 is not of type integer"},
		{"param default nil", func(p *policy.Policy) { p.Params[0].Default = nil }, "default <nil> is not of type integer"},
		{"param strings default", func(p *policy.Policy) { p.Params[1].Default = []any{"prod"} }, "is not of type array"},
		{"param bool default", func(p *policy.Policy) {
			p.Params[0] = policy.Param{Name: "x", Type: policy.ParamBoolean, Description: "d", Default: "true"}
		}, "is not of type boolean"},
		{"param string default", func(p *policy.Policy) {
			p.Params[0] = policy.Param{Name: "x", Type: policy.ParamString, Description: "d", Default: 1}
		}, "is not of type string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			p.Params = append([]policy.Param(nil), p.Params...)
			tt.change(&p)
			errs := registry.Check(p)
			require.Len(t, errs, 1, "exactly one problem: %v", errs)
			assert.Contains(t, errs[0].Error(), tt.want)
		})
	}
}

func TestValidate(t *testing.T) {
	a, b := good(), good()
	b.Title = "again"
	err := registry.Validate([]policy.Policy{a, b})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rds-cluster-storage-encrypted: ID used twice (policies #0 and #1)")

	c := good()
	c.ID, c.Severity = "", "x"
	err = registry.Validate([]policy.Policy{good(), c})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `policy #1 ("Aurora clusters encrypt storage"): missing id`)
	assert.Contains(t, msg, `policy #1 ("Aurora clusters encrypt storage"): severity "x"`)
	assert.Equal(t, 2, strings.Count(msg, "\n")+1, "one line per problem")

	require.NoError(t, registry.Validate([]policy.Policy{good()}))
}

// TestAll checks the pack's real registry: Go and Rego policies together, all valid, unique
// and sorted.
func TestAll(t *testing.T) {
	all, err := registry.All()
	require.NoError(t, err)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].ID, all[i].ID, "sorted and unique")
	}
	again, err := registry.All()
	require.NoError(t, err)
	assert.Len(t, again, len(all))
}

func TestCheckParamConstraints(t *testing.T) {
	tests := []struct {
		name string
		prm  policy.Param
		want string
	}{
		{"default below minimum", policy.Param{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 0, Minimum: policy.IntPtr(1)},
			"param minDays: default breaks its own constraints: 0 is less than the minimum 1"},
		{"default breaks pattern", policy.Param{Name: "ports", Type: policy.ParamStrings, Description: "d", Default: []string{"x"}, Pattern: `^[0-9]+$`},
			`param ports: default breaks its own constraints: element 0: "x" does not match the pattern ^[0-9]+$`},
		{"minimum on a string", policy.Param{Name: "label", Type: policy.ParamString, Description: "d", Default: "a", Minimum: policy.IntPtr(1)},
			"param label: minimum is only for integer params, not string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			p.Params = []policy.Param{tt.prm}
			errs := registry.Check(p)
			require.Len(t, errs, 1)
			assert.Equal(t, tt.want, errs[0].Error())
		})
	}
}

func TestKnown(t *testing.T) {
	other := good()
	other.ID = "kms-key-rotation-enabled"
	known := registry.Known([]policy.Policy{good(), other})
	for id, want := range map[string]bool{
		"rds-cluster-storage-encrypted": true, "kms-key-rotation-enabled": true,
		"rds-cluster-storage": false, "": false, "KMS-KEY-ROTATION-ENABLED": false,
	} {
		assert.Equal(t, want, known(id), id)
	}
}
