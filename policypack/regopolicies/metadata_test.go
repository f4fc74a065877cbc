package regopolicies

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

func TestMetadataOfARealRule(t *testing.T) {
	p := byID(t, "cloudwatch-log-group-retention-minimum")
	assert.Equal(t, policy.Metadata{
		ID:    "cloudwatch-log-group-retention-minimum",
		Title: "CloudWatch log groups keep events at least the minimum retention period, or forever",
		Description: "Audit controls need the logs to exist when an incident or an access review looks back. " +
			"A log group whose retentionInDays is below the configured minimum (365 days by default) " +
			"deletes the evidence too early. 0 or an absent value means the events never expire, which " +
			"is compliant. A value CloudWatch Logs does not accept is a failure, since the deployment " +
			"would not get the retention it states.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(b)"},
		ResourceTypes: []string{"aws:cloudwatch/logGroup:LogGroup"},
		Remediation: "Set retentionInDays to one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, " +
			"90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) that is at " +
			"least the minimum, or leave it unset (never expire).",
		References: []string{
			"https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
			"https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html",
		},
		Engine: policy.EngineRego,
		Params: []policy.Param{{
			Name: "minRetentionDays", Type: policy.ParamInteger, Default: 365, Minimum: policy.IntPtr(1),
			Description: "Smallest allowed retention of a log group, in days (0 or unset, never expire, always passes).",
		}},
	}, p.Metadata)
	require.NotNil(t, p.Resource)
	assert.Nil(t, p.Stack)

	ports := byID(t, "ec2-security-group-no-public-ingress")
	require.Len(t, ports.Params, 1)
	assert.Equal(t, policy.Param{
		Name: "allowedPublicPorts", Type: policy.ParamStrings, Default: []string{"443"}, Pattern: `^[0-9]{1,5}$`,
		Description: "TCP ports that may accept ingress from public sources (port numbers written as strings).",
	}, ports.Params[0])
	assert.Len(t, ports.ResourceTypes, 3)
}

func TestLoadAllRules(t *testing.T) {
	all, err := loadOnce()
	require.NoError(t, err)
	ids := make([]string, 0, len(all))
	for _, p := range all {
		ids = append(ids, p.ID)
		assert.Equal(t, policy.EngineRego, p.Engine, p.ID)
	}
	assert.ElementsMatch(t, []string{
		"apigateway-method-authorization-required",
		"cloudwatch-log-group-encrypted",
		"cloudwatch-log-group-retention-minimum",
		"ec2-security-group-no-public-ingress",
		"elasticache-transit-encryption-required",
		"kinesis-stream-customer-key-encrypted",
		"secretsmanager-secret-customer-key-encrypted",
		"sns-topic-customer-key-encrypted",
	}, ids)
}

// TestLoadErrorsNameTheFile feeds broken rules to the loader: each error names the file and
// what is wrong, and nothing is loaded.
func TestLoadErrorsNameTheFile(t *testing.T) {
	const file = "hipaa/test/test_rule_broken.rego"
	const pkg = "package hipaa.test.test_rule_broken\n\n"
	const sets = "deny contains \"x\" if input.resource.properties.a == 1\n\nundetermined contains \"y\" if input.resource.properties.a == 2\n"
	good := metadataBlock("test-rule-broken", "aws:sns/topic:Topic")
	tests := []struct {
		name, src string
		want      []string
	}{
		{"syntax error", good + pkg + "deny contains if {\n", []string{"parsing Rego file " + file}},
		{"no METADATA", pkg + sets, []string{file, "no METADATA block above the package declaration"}},
		{"missing field", replace(good, "#   severity: low\n", "") + pkg + sets, []string{file, "custom.severity is missing"}},
		{"unknown field", replace(good, "#   severity: low\n", "#   severity: low\n#   owner: me\n") + pkg + sets, []string{file, "custom.owner is not a known field"}},
		{"controls not a list", replace(good, `#   controls: ["164.312(b)"]`, "#   controls: 164.312(b)") + pkg + sets, []string{file, "custom.controls must be a non-empty list of strings"}},
		{"bad param default", good + "#   params:\n#     - name: days\n#       type: integer\n#       default: a year\n#       description: d\n" + pkg + sets, []string{file, `param "days": default a year (string) is not of type integer`}},
		{"minimum on a string param", good + "#   params:\n#     - name: label\n#       type: string\n#       default: x\n#       minimum: 1\n#       description: d\n" + pkg + sets, []string{file, `param "label": minimum is only for integer params, not string`}},
		{"bad pattern", good + "#   params:\n#     - name: ports\n#       type: array\n#       default: [\"1\"]\n#       pattern: \"(\"\n#       description: d\n" + pkg + sets, []string{file, `param "ports": pattern: error parsing regexp`}},
		{"unknown param field", good + "#   params:\n#     - name: days\n#       type: integer\n#       default: 1\n#       maximum: 9\n#       description: d\n" + pkg + sets, []string{file, `param "days": unknown field "maximum"`}},
		{"no undetermined set", good + pkg + "deny contains \"x\" if input.resource.properties.a == 1\n", []string{file, `defines no "undetermined" set`}},
		{"compile error", good + pkg + sets + "\ndeny contains data.lib.nope(1) if true\n", []string{"compiling Rego rules", file}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps, err := LoadFiles(map[string]string{"lib/values.rego": mustFile(t, "lib/values.rego"), file: tt.src})
			require.Error(t, err)
			assert.Nil(t, ps)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// replace replaces old (which must occur) by new in s.
func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("replace: " + old + " not found")
	}
	return strings.Replace(s, old, new, 1)
}
