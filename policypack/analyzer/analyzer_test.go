package analyzer

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

const topicType = "aws:sns/topic:Topic"

var topicEncrypted = policy.Policy{
	Metadata: policy.Metadata{
		ID: "sns-topic-encrypted-with-cmk", Title: "SNS topics are encrypted with a customer key", Description: "why",
		Severity: policy.SeverityMedium, Enforcement: policy.Mandatory, Controls: []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{topicType}, Remediation: "Set kmsMasterKeyId.", References: []string{"https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html"},
		Engine: policy.EngineGo,
		Params: []policy.Param{
			{Name: "forbiddenKeys", Type: policy.ParamStrings, Description: "AWS-managed aliases", Default: []string{"alias/aws/sns"}},
			{Name: "minLength", Type: policy.ParamInteger, Description: "n", Default: 3},
		},
	},
	Resource: func(env policy.Env, r policy.Resource) policy.Result {
		if fifo, _ := props.Bool(r.Properties, "fifoTopic"); fifo {
			return policy.NotApplicableBecause("test: FIFO topics are skipped")
		}
		key, st := props.String(r.Properties, "kmsMasterKeyId")
		switch st {
		case props.Unknown:
			return policy.UndeterminedBecause("kmsMasterKeyId cannot be verified until the value is known")
		case props.Missing:
			return policy.Failed("no kmsMasterKeyId")
		}
		for _, k := range env.Strings("forbiddenKeys") {
			if k == key {
				return policy.Failed("key %s is AWS-managed", key) // prints the value: redaction must catch secrets
			}
		}
		return policy.Passed()
	},
}

var everyTopicHasSubscription = policy.Policy{
	Metadata: policy.Metadata{
		ID: "sns-topic-subscription-present", Title: "t", Description: "d", Severity: policy.SeverityLow,
		Enforcement: policy.Advisory, Controls: []string{"164.312(b)"}, ResourceTypes: []string{topicType},
		Remediation: "r", References: []string{"https://docs.aws.amazon.com/sns/"}, Engine: policy.EngineGo,
	},
	Stack: func(_ policy.Env, rs []policy.Resource) []policy.StackResult {
		var out []policy.StackResult
		for _, r := range rs {
			if r.Type == topicType {
				out = append(out, policy.StackResult{URN: r.URN, Result: policy.Failed("no subscription for %s", r.Name)})
			}
		}
		return out
	},
}

func newServer(t *testing.T, sup *suppressions.Set) *Server {
	t.Helper()
	s := New([]policy.Policy{topicEncrypted, everyTopicHasSubscription}, sup)
	s.now = func() time.Time { return time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC) }
	return s
}

func marshal(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	st, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepOutputValues: true})
	require.NoError(t, err)
	return st
}

const topicURN = "urn:pulumi:prod::carepulse::aws:sns/topic:Topic::alerts"

func analyze(t *testing.T, s *Server, typ string, m resource.PropertyMap) *pulumirpc.AnalyzeResponse {
	t.Helper()
	resp, err := s.Analyze(context.Background(), &pulumirpc.AnalyzeRequest{
		Urn: topicURN, Type: typ, Name: "alerts", Properties: marshal(t, m),
	})
	require.NoError(t, err)
	return resp
}

func TestAnalyzeDiagnostics(t *testing.T) {
	s := newServer(t, nil)
	resp := analyze(t, s, topicType, resource.PropertyMap{"kmsMasterKeyId": resource.NewProperty("alias/aws/sns")})
	require.Len(t, resp.Diagnostics, 1)
	d := resp.Diagnostics[0]
	assert.Equal(t, "sns-topic-encrypted-with-cmk", d.PolicyName)
	assert.Equal(t, "hipaa-security-rule", d.PolicyPackName)
	assert.Equal(t, "0.1.0", d.PolicyPackVersion)
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d.EnforcementLevel)
	assert.Equal(t, pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM, d.Severity)
	assert.Equal(t, topicURN, d.Urn)
	assert.Equal(t, "SNS topics are encrypted with a customer key", d.Description)
	assert.Equal(t, "[HIPAA 164.312(a)(2)(iv), 164.312(e)(2)(ii)] key alias/aws/sns is AWS-managed\nFix: Set kmsMasterKeyId.", d.Message)
	assert.Empty(t, resp.NotApplicable, "the only resource policy applies")

	resp = analyze(t, s, topicType, resource.PropertyMap{"kmsMasterKeyId": resource.NewProperty("arn:aws:kms:us-east-1:1:key/x")})
	assert.Empty(t, resp.Diagnostics)

	resp = analyze(t, s, topicType, resource.PropertyMap{"fifoTopic": resource.NewProperty(true)})
	assert.Empty(t, resp.Diagnostics)
	require.Len(t, resp.NotApplicable, 1)
	assert.Equal(t, "sns-topic-encrypted-with-cmk", resp.NotApplicable[0].PolicyName)
	assert.Equal(t, "test: FIFO topics are skipped", resp.NotApplicable[0].Reason)

	resp = analyze(t, s, "aws:s3/bucket:Bucket", resource.PropertyMap{})
	assert.Empty(t, resp.Diagnostics)
	require.Len(t, resp.NotApplicable, 1, "policies for other types are not applicable, so Pulumi does not count them as passed")
	assert.Equal(t, "does not apply to resources of type aws:s3/bucket:Bucket", resp.NotApplicable[0].Reason)
}

func TestAnalyzeUnknownIsAdvisory(t *testing.T) {
	s := newServer(t, nil)
	resp := analyze(t, s, topicType, resource.PropertyMap{"kmsMasterKeyId": resource.MakeComputed(resource.NewProperty(""))})
	require.Len(t, resp.Diagnostics, 1)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, resp.Diagnostics[0].EnforcementLevel)
	assert.Contains(t, resp.Diagnostics[0].Message, "kmsMasterKeyId cannot be verified until the value is known")
	assert.NotContains(t, resp.Diagnostics[0].Message, "Fix:", "nothing to fix yet")

	// An unknown output value (as newer engines send) is unknown too.
	resp = analyze(t, s, topicType, resource.PropertyMap{"kmsMasterKeyId": resource.NewProperty(resource.Output{Element: resource.NewNullProperty()})})
	require.Len(t, resp.Diagnostics, 1)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, resp.Diagnostics[0].EnforcementLevel)
}

func TestAnalyzeRedactsSecrets(t *testing.T) {
	const canary = "CANARY-0b9e-analyzer-secret"
	s := newServer(t, nil)
	_, err := s.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"sns-topic-encrypted-with-cmk": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY, Properties: mustStruct(t, map[string]any{"forbiddenKeys": []any{canary}})},
	}})
	require.NoError(t, err)
	resp := analyze(t, s, topicType, resource.PropertyMap{"kmsMasterKeyId": resource.MakeSecret(resource.NewProperty(canary))})
	require.Len(t, resp.Diagnostics, 1)
	assert.NotContains(t, resp.Diagnostics[0].String(), canary)
	assert.Contains(t, resp.Diagnostics[0].Message, "key [secret] is AWS-managed")
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	st, err := structpb.NewStruct(m)
	require.NoError(t, err)
	return st
}

func TestConfigure(t *testing.T) {
	s := newServer(t, nil)
	ctx := context.Background()
	_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		"sns-topic-encrypted-with-cmk":   {EnforcementLevel: pulumirpc.EnforcementLevel_ADVISORY, Properties: mustStruct(t, map[string]any{"minLength": 5.0})},
		"sns-topic-subscription-present": {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED},
	}})
	require.NoError(t, err)
	resp := analyze(t, s, topicType, resource.PropertyMap{})
	require.Len(t, resp.Diagnostics, 1)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, resp.Diagnostics[0].EnforcementLevel)
	assert.Empty(t, resp.NotApplicable, "the disabled policy is a stack policy: not listed by Analyze")

	info, err := s.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, info.Policies[0].EnforcementLevel, "info reports the configured level")
	assert.Equal(t, pulumirpc.EnforcementLevel_DISABLED, info.Policies[1].EnforcementLevel)

	stackResp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{{Urn: topicURN, Type: topicType, Name: "alerts"}}})
	require.NoError(t, err)
	assert.Empty(t, stackResp.Diagnostics, "disabled policies do not run")
	require.Len(t, stackResp.NotApplicable, 1, "and are not counted as passed by the engine")
	assert.Equal(t, "sns-topic-subscription-present", stackResp.NotApplicable[0].PolicyName)
	assert.Equal(t, "disabled by the policy pack config", stackResp.NotApplicable[0].Reason)

	tests := []struct {
		name string
		cfg  map[string]*pulumirpc.PolicyConfig
		want string
	}{
		{"unknown policy", map[string]*pulumirpc.PolicyConfig{"s3-nope-nope": {}}, `"s3-nope-nope": no policy with this ID in the pack`},
		{"bad param", map[string]*pulumirpc.PolicyConfig{"sns-topic-encrypted-with-cmk": {Properties: mustStruct(t, map[string]any{"minLength": "x"})}},
			`"sns-topic-encrypted-with-cmk".minLength: expected an integer, found a string`},
		{"remediate", map[string]*pulumirpc.PolicyConfig{"sns-topic-encrypted-with-cmk": {EnforcementLevel: pulumirpc.EnforcementLevel_REMEDIATE}},
			"enforcement level remediate is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: tt.cfg})
			require.Error(t, err)
			assert.Equal(t, codes.InvalidArgument, status.Code(err))
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestGetAnalyzerInfo(t *testing.T) {
	s := newServer(t, nil)
	info, err := s.GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "hipaa-security-rule", info.Name)
	assert.Equal(t, "0.1.0", info.Version)
	assert.True(t, info.SupportsConfig)
	require.Len(t, info.Policies, 2)
	p := info.Policies[0]
	assert.Equal(t, "sns-topic-encrypted-with-cmk", p.Name)
	assert.Equal(t, "SNS topics are encrypted with a customer key", p.DisplayName)
	assert.Equal(t, "why", p.Description)
	assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, p.EnforcementLevel)
	assert.Equal(t, pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM, p.Severity)
	assert.Equal(t, pulumirpc.PolicyType_POLICY_TYPE_RESOURCE, p.PolicyType)
	assert.Equal(t, "Set kmsMasterKeyId.", p.RemediationSteps)
	assert.Equal(t, "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html", p.Url)
	assert.Equal(t, "HIPAA Security Rule", p.Framework.Name)
	assert.Equal(t, "164.312(a)(2)(iv), 164.312(e)(2)(ii)", p.Framework.Reference)
	assert.Equal(t, []string{"hipaa", "go", "sns", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, p.Tags)
	schema := p.ConfigSchema.Properties.AsMap()
	assert.Equal(t, map[string]any{"type": "array", "description": "AWS-managed aliases", "default": []any{"alias/aws/sns"},
		"items": map[string]any{"type": "string"}}, schema["forbiddenKeys"])
	assert.Equal(t, map[string]any{"type": "integer", "description": "n", "default": 3.0}, schema["minLength"])
	assert.Equal(t, pulumirpc.PolicyType_POLICY_TYPE_STACK, info.Policies[1].PolicyType)
}

func TestAnalyzeStack(t *testing.T) {
	s := newServer(t, nil)
	ctx := context.Background()
	_, err := s.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: "carepulse"})
	require.NoError(t, err)
	resp, err := s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Urn: topicURN, Type: topicType, Name: "alerts", Properties: marshal(t, resource.PropertyMap{}),
			Dependencies: []string{"urn:x"}, PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{"a": {Urns: []string{"urn:x"}}}},
	}})
	require.NoError(t, err)
	require.Len(t, resp.Diagnostics, 1, "only stack-level policies run in AnalyzeStack")
	assert.Equal(t, "sns-topic-subscription-present", resp.Diagnostics[0].PolicyName)
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, resp.Diagnostics[0].EnforcementLevel)
	assert.Empty(t, resp.NotApplicable)

	resp, err = s.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{})
	require.NoError(t, err)
	require.Len(t, resp.NotApplicable, 1, "a stack policy that judged nothing is not applicable")
	assert.Equal(t, "sns-topic-subscription-present", resp.NotApplicable[0].PolicyName)
}

func TestSuppressedFindingStaysVisible(t *testing.T) {
	sup, err := suppressions.Parse([]byte(`suppressions:
  - {policy: sns-topic-encrypted-with-cmk, urn: "urn:pulumi:prod::carepulse::*", reason: alerts carry no PHI, owner: sec@carepulse.example, expires: 2027-06-30}
`), "t.yaml")
	require.NoError(t, err)
	s := newServer(t, sup)
	resp := analyze(t, s, topicType, resource.PropertyMap{})
	require.Len(t, resp.Diagnostics, 1)
	d := resp.Diagnostics[0]
	assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d.EnforcementLevel, "suppressed: shown, never blocking")
	assert.True(t, strings.HasPrefix(d.Message, "SUPPRESSED until 2027-06-30 (owner sec@carepulse.example; reason: alerts carry no PHI): [HIPAA"), d.Message)
}

func TestRemediateChangesNothing(t *testing.T) {
	s := newServer(t, nil)
	resp, err := s.Remediate(context.Background(), &pulumirpc.AnalyzeRequest{Urn: topicURN, Type: topicType})
	require.NoError(t, err)
	assert.Empty(t, resp.Remediations)
	assert.Len(t, resp.NotApplicable, 2)
}

func TestEngineAddress(t *testing.T) {
	assert.Equal(t, "127.0.0.1:5000", EngineAddress([]string{"127.0.0.1:5000"}))
	assert.Equal(t, "127.0.0.1:5000", EngineAddress([]string{"--logtostderr", "-v=9", "--tracing", "tcp://x:1", "127.0.0.1:5000"}))
	assert.Equal(t, "", EngineAddress(nil))
}

// TestConcurrentCalls: the engine analyzes resources in parallel; configuration may arrive
// meanwhile. Run with -race.
func TestConcurrentCalls(t *testing.T) {
	s := newServer(t, nil)
	ctx := context.Background()
	props := marshal(t, resource.PropertyMap{"kmsMasterKeyId": resource.NewProperty("alias/aws/sns")})
	done := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func(i int) {
			if i%5 == 0 {
				_, err := s.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
					"sns-topic-encrypted-with-cmk": {EnforcementLevel: pulumirpc.EnforcementLevel_MANDATORY},
				}})
				done <- err
				return
			}
			resp, err := s.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: topicURN, Type: topicType, Name: "alerts", Properties: props})
			if err == nil && len(resp.Diagnostics) != 1 {
				err = status.Errorf(codes.Internal, "want 1 diagnostic, got %d", len(resp.Diagnostics))
			}
			done <- err
		}(i)
	}
	for i := 0; i < 20; i++ {
		require.NoError(t, <-done)
	}
}

func TestStackFromURNWithoutConfigureStack(t *testing.T) {
	assert.Equal(t, evaluate.Stack{Project: "carepulse", Name: "prod"}, stackOr(evaluate.Stack{}, topicURN))
	assert.Equal(t, evaluate.Stack{Project: "p", Name: "dev"}, stackOr(evaluate.Stack{Project: "p", Name: "dev"}, topicURN), "ConfigureStack wins")
	assert.Equal(t, evaluate.Stack{}, stackOr(evaluate.Stack{}, "not-a-urn"))

	// A production-only policy sees the stack of the URN.
	prodOnly := topicEncrypted
	prodOnly.ID = "sns-topic-production-only"
	prodOnly.Params = []policy.Param{policy.ProductionStacksParam}
	prodOnly.Resource = func(env policy.Env, _ policy.Resource) policy.Result {
		if env.IsProduction() {
			return policy.Failed("production stack %s", env.Stack)
		}
		return policy.Passed()
	}
	s := New([]policy.Policy{prodOnly}, nil)
	resp := analyze(t, s, topicType, resource.PropertyMap{})
	require.Len(t, resp.Diagnostics, 1)
	assert.Contains(t, resp.Diagnostics[0].Message, "production stack prod")
}

func TestConfigSchemaPublishesConstraints(t *testing.T) {
	schema, err := configSchema([]policy.Param{
		{Name: "ports", Type: policy.ParamStrings, Description: "p", Default: []string{"443"}, Pattern: `^[0-9]{1,5}$`},
		{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 7, Minimum: policy.IntPtr(1)},
		policy.ProductionStacksParam,
	})
	require.NoError(t, err)
	got := schema.Properties.AsMap()
	assert.Equal(t, map[string]any{"type": "array", "description": "p", "default": []any{"443"},
		"items": map[string]any{"type": "string", "pattern": `^[0-9]{1,5}$`}}, got["ports"])
	assert.Equal(t, map[string]any{"type": "integer", "description": "d", "default": 7.0, "minimum": 1.0}, got["minDays"])
	assert.Equal(t, 1.0, got["productionStacks"].(map[string]any)["minItems"])
}
