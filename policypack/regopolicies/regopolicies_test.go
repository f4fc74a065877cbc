package regopolicies

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
	regorules "github.com/carepulse/hipaa-pipeline/rego"
)

const canary = "canary-5ecret-7a1f"

var loadOnce = sync.OnceValues(Load)

// byID returns the loaded Rego policy with the given ID.
func byID(t testing.TB, id string) policy.Policy {
	t.Helper()
	all, err := loadOnce()
	require.NoError(t, err)
	for _, p := range all {
		if p.ID == id {
			return p
		}
	}
	t.Fatalf("no Rego policy %q", id)
	return policy.Policy{}
}

func unknown() resource.PropertyValue { return resource.MakeComputed(resource.NewProperty("")) }

func secret[T resource.PropertyValueType](v T) resource.PropertyValue {
	return resource.MakeSecret(resource.NewProperty(v))
}

func unknownOutput() resource.PropertyValue {
	return resource.NewProperty(resource.Output{Element: resource.NewNullProperty()})
}

func knownOutput(v resource.PropertyValue, isSecret bool) resource.PropertyValue {
	return resource.NewProperty(resource.Output{Element: v, Known: true, Secret: isSecret})
}

const keyARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// TestAdapter starts from a known-good resource of each policy, changes one field and checks
// that unknown, secret and wrongly typed values reach Rego in the documented form.
func TestAdapter(t *testing.T) {
	dev := policy.Env{Project: "hipaa-pipeline", Stack: "dev"}
	tests := []struct {
		name   string
		policy string
		typ    string
		props  resource.PropertyMap
		env    policy.Env
		want   policy.Result
	}{
		{
			name: "log group with a customer key passes", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": resource.NewProperty(keyARN)},
			want:  policy.Passed(),
		},
		{
			name: "log group key missing fails", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"name": resource.NewProperty("app")},
			want:  policy.Failed("kmsKeyId is not set: the log group is encrypted only with the CloudWatch Logs service-owned key, not a customer-managed KMS key"),
		},
		{
			// A key ID that only has to be set and is computed during preview counts as set
			// (lib.reference_set), as in the Go policies (check.Set, check.CustomerKey).
			name: "computed key is set and passes", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": unknown()},
			want:  policy.Passed(),
		},
		{
			name: "unknown output key is set and passes", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": unknownOutput()},
			want:  policy.Passed(),
		},
		{
			name: "computed customer key of a stream passes", policy: "kinesis-stream-customer-key-encrypted",
			typ:   "aws:kinesis/stream:Stream",
			props: resource.PropertyMap{"encryptionType": resource.NewProperty("KMS"), "kmsKeyId": unknown()},
			want:  policy.Passed(),
		},
		{
			// encryptionType decides the verdict: unknown, it stays undetermined.
			name: "unknown encryption type is undetermined", policy: "kinesis-stream-customer-key-encrypted",
			typ:   "aws:kinesis/stream:Stream",
			props: resource.PropertyMap{"encryptionType": unknown(), "kmsKeyId": unknown()},
			want:  policy.UndeterminedBecause("encryptionType cannot be verified until the value is known"),
		},
		{
			name: "known output key passes", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": knownOutput(resource.NewProperty(keyARN), false)},
			want:  policy.Passed(),
		},
		{
			name: "secret key is read (present) and passes", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": secret(canary)},
			want:  policy.Passed(),
		},
		{
			name: "wrong type key is undetermined", policy: "cloudwatch-log-group-encrypted",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"kmsKeyId": resource.NewProperty(12.0)},
			want:  policy.UndeterminedBecause("kmsKeyId is of type number where a string (a KMS key ARN) was expected; it cannot be interpreted"),
		},
		{
			name: "retention below the default minimum fails", policy: "cloudwatch-log-group-retention-minimum",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"retentionInDays": resource.NewProperty(30.0)},
			want:  policy.Failed("retentionInDays is 30, below the minimum of 365 days: log events are deleted before the audit period ends (0 or unset keeps them forever)"),
		},
		{
			name: "retention threshold comes from env params", policy: "cloudwatch-log-group-retention-minimum",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"retentionInDays": resource.NewProperty(30.0)},
			env:   policy.Env{Stack: "dev", Params: map[string]any{"minRetentionDays": 30}},
			want:  policy.Passed(),
		},
		{
			name: "secret retention is judged, shown as [secret]", policy: "cloudwatch-log-group-retention-minimum",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"retentionInDays": secret(30.0)},
			want:  policy.Failed("retentionInDays is [secret], below the minimum of 365 days: log events are deleted before the audit period ends (0 or unset keeps them forever)"),
		},
		{
			name: "numeric string retention is read", policy: "cloudwatch-log-group-retention-minimum",
			typ:   "aws:cloudwatch/logGroup:LogGroup",
			props: resource.PropertyMap{"retentionInDays": resource.NewProperty("731")},
			want:  policy.Passed(),
		},
		{
			name: "transit encryption as the string true passes", policy: "elasticache-transit-encryption-required",
			typ:   "aws:elasticache/replicationGroup:ReplicationGroup",
			props: resource.PropertyMap{"transitEncryptionEnabled": resource.NewProperty("true"), "transitEncryptionMode": resource.NewProperty("required")},
			want:  policy.Passed(),
		},
		{
			name: "preferred mode fails", policy: "elasticache-transit-encryption-required",
			typ:   "aws:elasticache/replicationGroup:ReplicationGroup",
			props: resource.PropertyMap{"transitEncryptionEnabled": resource.NewProperty(true), "transitEncryptionMode": resource.NewProperty("preferred")},
			want:  policy.Failed(`transitEncryptionMode is "preferred": the group still accepts plaintext connections; set it to "required"`),
		},
		{
			name: "secret transit flag is read", policy: "elasticache-transit-encryption-required",
			typ:   "aws:elasticache/replicationGroup:ReplicationGroup",
			props: resource.PropertyMap{"transitEncryptionEnabled": secret(true)},
			want:  policy.Passed(),
		},
		{
			name: "an object where a boolean is expected is undetermined", policy: "elasticache-transit-encryption-required",
			typ:   "aws:elasticache/replicationGroup:ReplicationGroup",
			props: resource.PropertyMap{"transitEncryptionEnabled": resource.NewProperty(resource.PropertyMap{"value": resource.NewProperty(true)})},
			want:  policy.UndeterminedBecause("transitEncryptionEnabled is of type object where a boolean was expected; it cannot be interpreted"),
		},
		{
			name: "secret AWS-managed Kinesis key fails without showing it", policy: "kinesis-stream-customer-key-encrypted",
			typ:   "aws:kinesis/stream:Stream",
			props: resource.PropertyMap{"encryptionType": resource.NewProperty("KMS"), "kmsKeyId": secret("alias/aws/kinesis")},
			want:  policy.Failed("kmsKeyId is [secret], an AWS-managed key: use a customer-managed key whose policy the organisation controls"),
		},
		{
			name: "ciphertext key from a state file is undetermined", policy: "kinesis-stream-customer-key-encrypted",
			typ:   "aws:kinesis/stream:Stream",
			props: resource.PropertyMap{"encryptionType": resource.NewProperty("KMS"), "kmsKeyId": secret(stackfile.CiphertextPlaceholder)},
			want:  policy.UndeterminedBecause("kmsKeyId is a secret whose value is encrypted in this file; it cannot be verified here"),
		},
		{
			name: "secret output key is judged", policy: "sns-topic-customer-key-encrypted",
			typ:   "aws:sns/topic:Topic",
			props: resource.PropertyMap{"kmsMasterKeyId": knownOutput(resource.NewProperty("alias/aws/sns"), true)},
			want:  policy.Failed("kmsMasterKeyId is [secret], an AWS-managed key: use a customer-managed key whose policy the organisation controls"),
		},
		{
			name: "secrets manager default key fails", policy: "secretsmanager-secret-customer-key-encrypted",
			typ:   "aws:secretsmanager/secret:Secret",
			props: resource.PropertyMap{"name": resource.NewProperty("db")},
			want:  policy.Failed("kmsKeyId is not set: the secret is encrypted with the AWS-managed aws/secretsmanager key"),
		},
		{
			name: "OPTIONS method is not applicable", policy: "apigateway-method-authorization-required",
			typ:   "aws:apigateway/method:Method",
			props: resource.PropertyMap{"httpMethod": resource.NewProperty("OPTIONS"), "authorization": resource.NewProperty("NONE")},
			want:  policy.NotApplicableBecause("OPTIONS methods answer CORS preflight requests, which browsers send without credentials"),
		},
		{
			name: "unknown authorizer is set and passes", policy: "apigateway-method-authorization-required",
			typ:   "aws:apigateway/method:Method",
			props: resource.PropertyMap{"httpMethod": resource.NewProperty("POST"), "authorization": resource.NewProperty("CUSTOM"), "authorizerId": unknown()},
			want:  policy.Passed(),
		},
		{
			name: "unknown authorization is undetermined", policy: "apigateway-method-authorization-required",
			typ:   "aws:apigateway/method:Method",
			props: resource.PropertyMap{"httpMethod": resource.NewProperty("POST"), "authorization": unknown(), "authorizerId": unknown()},
			want:  policy.UndeterminedBecause("authorization cannot be verified until the value is known"),
		},
		{
			name: "secret CIDR inside inline ingress is judged, never shown", policy: "ec2-security-group-no-public-ingress",
			typ: "aws:ec2/securityGroup:SecurityGroup",
			props: resource.PropertyMap{"ingress": resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{
					"protocol": resource.NewProperty("tcp"), "fromPort": resource.NewProperty(5432.0), "toPort": resource.NewProperty(5432.0),
					"cidrBlocks": resource.NewProperty([]resource.PropertyValue{secret("0.0.0.0/0")}),
				}),
			})},
			want: policy.Failed(`ingress[0] allows ingress from [secret] to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`),
		},
		{
			name: "unknown element of a CIDR list is undetermined", policy: "ec2-security-group-no-public-ingress",
			typ: "aws:ec2/securityGroupRule:SecurityGroupRule",
			props: resource.PropertyMap{
				"type": resource.NewProperty("ingress"), "protocol": resource.NewProperty("tcp"),
				"fromPort": resource.NewProperty(22.0), "toPort": resource.NewProperty(22.0),
				"cidrBlocks": resource.NewProperty([]resource.PropertyValue{resource.NewProperty("10.0.0.0/8"), unknown()}),
			},
			want: policy.UndeterminedBecause("cidrBlocks[1] cannot be verified until the value is known"),
		},
		{
			name: "allowed ports come from env params", policy: "ec2-security-group-no-public-ingress",
			typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
			props: resource.PropertyMap{
				"ipProtocol": resource.NewProperty("tcp"), "fromPort": resource.NewProperty(8443.0), "toPort": resource.NewProperty(8443.0),
				"cidrIpv6": resource.NewProperty("::/0"),
			},
			env:  policy.Env{Stack: "dev", Params: map[string]any{"allowedPublicPorts": []string{"443", "8443"}}},
			want: policy.Passed(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := byID(t, tt.policy)
			env := tt.env
			if env.Stack == "" {
				env = dev
			}
			got := p.Resource(env, policy.Resource{
				URN: "urn:pulumi:dev::hipaa-pipeline::" + tt.typ + "::subject", Type: tt.typ, Name: "subject",
				Properties: tt.props,
			})
			if tt.want.Status == policy.Pass {
				tt.want.Messages = nil
				got.Messages = nilIfEmpty(got.Messages)
			}
			assert.Equal(t, tt.want, got)
			for _, m := range got.Messages {
				assert.NotContains(t, m, canary)
			}
		})
	}
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// TestInputForm checks the documented input: unknown sentinel, secret paths, params with
// defaults, stack with its production flag.
func TestInputForm(t *testing.T) {
	r := policy.Resource{
		URN: "urn:pulumi:prod::p::aws:sns/topic:Topic::alarms", Type: "aws:sns/topic:Topic", Name: "alarms",
		Properties: resource.PropertyMap{
			"kmsMasterKeyId": unknown(),
			"policy":         secret("{}"),
			"tags":           resource.NewProperty(resource.PropertyMap{"token": knownOutput(resource.NewProperty("t0k3n-value"), true)}),
			"list":           resource.NewProperty([]resource.PropertyValue{resource.NewProperty("a"), secret(resource.PropertyMap{"x": resource.NewProperty("inner-secret")})}),
		},
	}
	params := []policy.Param{{Name: "minDays", Type: policy.ParamInteger, Default: 365}}
	in := buildInput(policy.Env{Project: "p", Stack: "prod", Params: map[string]any{"other": "x"}}, r, params)
	got, err := ast.JSON(in.value)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"resource": map[string]any{
			"urn": r.URN, "type": r.Type, "name": "alarms",
			"properties": map[string]any{
				"kmsMasterKeyId": UnknownValue,
				"policy":         "{}",
				"tags":           map[string]any{"token": "t0k3n-value"},
				"list":           []any{"a", map[string]any{"x": "inner-secret"}},
			},
			"secret_paths": []any{[]any{"list", json.Number("1")}, []any{"policy"}, []any{"tags", "token"}},
		},
		"params": map[string]any{"minDays": json.Number("365"), "other": "x"},
		"stack":  map[string]any{"name": "prod", "project": "p", "production": true},
	}, normalise(got))
	assert.ElementsMatch(t, []string{"t0k3n-value", "inner-secret"}, in.secrets)
}

func TestConstantsMatchStackfileAndLib(t *testing.T) {
	assert.Equal(t, stackfile.UnknownValue, UnknownValue)
	assert.Equal(t, stackfile.CiphertextPlaceholder, CiphertextValue)
	files, err := regorules.Files()
	require.NoError(t, err)
	lib := files["lib/values.rego"]
	assert.Contains(t, lib, `unknown := "`+UnknownValue+`"`)
	assert.Contains(t, lib, `ciphertext := "`+CiphertextValue+`"`)
}

func TestProductionFlag(t *testing.T) {
	assert.True(t, isProduction(policy.Env{Stack: "production"}))
	assert.False(t, isProduction(policy.Env{Stack: "dev"}))
	assert.True(t, isProduction(policy.Env{Stack: "live", Params: map[string]any{"productionStacks": []any{"live"}}}))
	assert.False(t, isProduction(policy.Env{Stack: "prod", Params: map[string]any{"productionStacks": []string{"live"}}}))
	assert.True(t, isProduction(policy.Env{Stack: "PROD"}), "stack names match case-insensitively")
	assert.True(t, isProduction(policy.Env{Stack: "live", Params: map[string]any{"productionStacks": []string{"Live"}}}))
}

// TestCanaryNeverInMessages evaluates every Rego policy on resources of each of its types
// whose every property is a secret canary (scalars, lists and inline rules), and on a rule that
// quotes its input: no message may contain the canary.
func TestCanaryNeverInMessages(t *testing.T) {
	all, err := loadOnce()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	keys := []string{"kmsKeyId", "kmsMasterKeyId", "retentionInDays", "transitEncryptionEnabled",
		"transitEncryptionMode", "encryptionType", "authorization", "authorizerId", "httpMethod",
		"apiKeyRequired", "type", "protocol", "ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6"}
	for _, p := range all {
		for _, typ := range p.ResourceTypes {
			// One value that is at once an AWS-managed key alias, an open CIDR and an
			// unrecognised enum, so that every rule has something to say about it.
			value := "alias/aws/" + canary + "/0"
			props := resource.PropertyMap{}
			for _, k := range keys {
				props[resource.PropertyKey(k)] = secret(value)
			}
			props["cidrBlocks"] = resource.NewProperty([]resource.PropertyValue{secret(value)})
			props["ingress"] = resource.NewProperty([]resource.PropertyValue{secret(resource.PropertyMap{
				"protocol": resource.NewProperty(value), "fromPort": resource.NewProperty(value),
				"toPort": resource.NewProperty(value), "cidrBlocks": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(value)}),
			})})
			got := p.Resource(policy.Env{Stack: "dev"}, policy.Resource{Type: typ, Name: "subject", Properties: props})
			assert.NotEqual(t, policy.Pass, got.Status, "%s on %s: the canary value cannot pass", p.ID, typ)
			assert.NotEmpty(t, got.Messages, "%s on %s", p.ID, typ)
			for _, m := range got.Messages {
				assert.NotContains(t, m, "canary", "%s on %s", p.ID, typ)
			}
		}
	}

	// A faulty rule that interpolates its input: the adapter redacts the secret.
	leaky := map[string]string{
		"lib/values.rego": mustFile(t, "lib/values.rego"),
		"hipaa/test/test_leaky_rule_quotes.rego": metadataBlock("test-leaky-rule-quotes", "aws:sns/topic:Topic") +
			"package hipaa.test.test_leaky_rule_quotes\n\n" +
			"deny contains sprintf(\"key is %s\", [input.resource.properties.kmsMasterKeyId])\n\n" +
			"undetermined contains \"never\" if false\n",
	}
	ps, err := LoadFiles(leaky)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	got := ps[0].Resource(policy.Env{Stack: "dev"}, policy.Resource{Type: "aws:sns/topic:Topic",
		Properties: resource.PropertyMap{"kmsMasterKeyId": secret(canary)}})
	assert.Equal(t, policy.Failed("key is [secret]"), got)
}

func mustFile(t *testing.T, name string) string {
	t.Helper()
	files, err := regorules.Files()
	require.NoError(t, err)
	src, ok := files[name]
	require.True(t, ok, name)
	return src
}

// metadataBlock is a complete METADATA block for test rules.
func metadataBlock(id, typ string) string {
	return strings.Join([]string{
		"# METADATA",
		"# title: Test rule " + id,
		"# description: A rule used by the adapter tests.",
		"# custom:",
		"#   id: " + id,
		"#   severity: low",
		"#   enforcement: advisory",
		"#   controls: [\"164.312(b)\"]",
		"#   resource_types: [\"" + typ + "\"]",
		"#   remediation: Nothing to do.",
		"#   references: [\"https://docs.aws.amazon.com/\"]",
		"",
	}, "\n")
}

// normalise turns numbers into json.Number and sorts secret_paths, so the input compares as
// plain JSON.
func normalise(v any) any {
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var out any
	_ = dec.Decode(&out)
	if m, ok := out.(map[string]any); ok {
		if r, ok := m["resource"].(map[string]any); ok {
			if paths, ok := r["secret_paths"].([]any); ok {
				sort.Slice(paths, func(i, j int) bool {
					a, _ := json.Marshal(paths[i])
					b, _ := json.Marshal(paths[j])
					return string(a) < string(b)
				})
			}
		}
	}
	return out
}

// TestConcurrentEvaluation shares the prepared queries between goroutines, as the analyzer
// does, and expects the same results as one at a time.
func TestConcurrentEvaluation(t *testing.T) {
	all, err := loadOnce()
	require.NoError(t, err)
	resources := benchResources()
	env := policy.Env{Stack: "dev"}
	want := map[string]policy.Result{}
	for _, p := range all {
		want[p.ID] = p.Resource(env, resources[p.ID])
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(all)*20)
	for range 8 {
		wg.Go(func() {
			for range 20 {
				for _, p := range all {
					if got := p.Resource(env, resources[p.ID]); !assert.ObjectsAreEqual(want[p.ID], got) {
						errs <- p.ID
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s: concurrent result differs", id)
	}
}
