package regopolicies

import (
	"context"
	"sort"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	regorules "github.com/carepulse/hipaa-pipeline/rego"
)

// benchResources is one realistic resource per rule (keyed by policy ID).
func benchResources() map[string]policy.Resource {
	res := func(typ string, props resource.PropertyMap) policy.Resource {
		return policy.Resource{URN: "urn:pulumi:dev::hipaa-pipeline::" + typ + "::bench", Type: typ, Name: "bench", Properties: props}
	}
	s := func(v string) resource.PropertyValue { return resource.NewProperty(v) }
	n := func(v float64) resource.PropertyValue { return resource.NewProperty(v) }
	return map[string]policy.Resource{
		"cloudwatch-log-group-encrypted": res("aws:cloudwatch/logGroup:LogGroup", resource.PropertyMap{
			"name": s("app"), "kmsKeyId": s(keyARN), "retentionInDays": n(365)}),
		"cloudwatch-log-group-retention-minimum": res("aws:cloudwatch/logGroup:LogGroup", resource.PropertyMap{
			"name": s("app"), "kmsKeyId": s(keyARN), "retentionInDays": n(30)}),
		"elasticache-transit-encryption-required": res("aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{
			"transitEncryptionEnabled": resource.NewProperty(true), "transitEncryptionMode": s("preferred"), "engine": s("redis")}),
		"apigateway-method-authorization-required": res("aws:apigateway/method:Method", resource.PropertyMap{
			"httpMethod": s("POST"), "authorization": resource.MakeComputed(s("")), "authorizerId": resource.MakeComputed(s(""))}),
		"ec2-security-group-no-public-ingress": res("aws:ec2/securityGroup:SecurityGroup", resource.PropertyMap{
			"ingress": resource.NewProperty([]resource.PropertyValue{
				resource.NewProperty(resource.PropertyMap{"protocol": s("tcp"), "fromPort": n(443), "toPort": n(443),
					"cidrBlocks": resource.NewProperty([]resource.PropertyValue{s("0.0.0.0/0")})}),
				resource.NewProperty(resource.PropertyMap{"protocol": s("tcp"), "fromPort": n(22), "toPort": n(22),
					"cidrBlocks": resource.NewProperty([]resource.PropertyValue{s("0.0.0.0/0")})}),
			})}),
		"kinesis-stream-customer-key-encrypted": res("aws:kinesis/stream:Stream", resource.PropertyMap{
			"encryptionType": s("KMS"), "kmsKeyId": resource.MakeSecret(s(keyARN))}),
		"sns-topic-customer-key-encrypted":             res("aws:sns/topic:Topic", resource.PropertyMap{"kmsMasterKeyId": s("alias/aws/sns")}),
		"secretsmanager-secret-customer-key-encrypted": res("aws:secretsmanager/secret:Secret", resource.PropertyMap{"name": s("db")}),
	}
}

// BenchmarkRego compares the pack's way (one query per rule prepared at load, reused) with
// compiling the rules for every evaluation, on the same rules and inputs. One op evaluates
// every rule once on its resource.
func BenchmarkRego(b *testing.B) {
	files, err := regorules.Files()
	require.NoError(b, err)
	resources := benchResources()
	env := policy.Env{Project: "hipaa-pipeline", Stack: "dev"}

	b.Run("prepared", func(b *testing.B) {
		all, err := LoadFiles(files)
		require.NoError(b, err)
		require.Len(b, all, len(resources))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			for _, p := range all {
				if got := p.Resource(env, resources[p.ID]); got.Status == "" {
					b.Fatal("no status")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(all)), "ns/eval")
	})

	b.Run("compile-per-call", func(b *testing.B) {
		rules, _, err := Compile(files)
		require.NoError(b, err)
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		var modules []*ast.Module
		for _, name := range names {
			m, err := ast.ParseModuleWithOpts(name, files[name], ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
			require.NoError(b, err)
			modules = append(modules, m)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			for _, r := range rules {
				opts := []func(*rego.Rego){rego.Query(query(r))}
				for _, m := range modules {
					opts = append(opts, rego.ParsedModule(m))
				}
				in := buildInput(env, resources[r.Metadata.ID], r.Metadata.Params)
				opts = append(opts, rego.ParsedInput(in.value))
				rs, err := rego.New(opts...).Eval(context.Background())
				if err != nil || len(rs) != 1 {
					b.Fatalf("%s: %v (%d results)", r.File, err, len(rs))
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rules)), "ns/eval")
	})
}

// TestBenchResourcesGiveTheExpectedVerdicts keeps the benchmark honest: its inputs exercise
// passes, failures and an undetermined value, and both ways give the same sets.
func TestBenchResourcesGiveTheExpectedVerdicts(t *testing.T) {
	want := map[string]policy.Status{
		"cloudwatch-log-group-encrypted":               policy.Pass,
		"cloudwatch-log-group-retention-minimum":       policy.Fail,
		"elasticache-transit-encryption-required":      policy.Fail,
		"apigateway-method-authorization-required":     policy.Undetermined,
		"ec2-security-group-no-public-ingress":         policy.Fail,
		"kinesis-stream-customer-key-encrypted":        policy.Pass,
		"sns-topic-customer-key-encrypted":             policy.Fail,
		"secretsmanager-secret-customer-key-encrypted": policy.Fail,
	}
	env := policy.Env{Stack: "dev"}
	for id, r := range benchResources() {
		assert := require.New(t)
		p := byID(t, id)
		assert.Equal(want[id], p.Resource(env, r).Status, id)
	}
}
