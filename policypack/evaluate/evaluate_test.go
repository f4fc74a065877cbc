package evaluate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

const (
	bucketType = "aws:s3/bucket:Bucket"
	keyType    = "aws:kms/key:Key"
)

func meta(id string, level policy.Enforcement, types ...string) policy.Metadata {
	return policy.Metadata{
		ID: id, Title: id + " title", Severity: policy.SeverityHigh, Enforcement: level,
		Controls: []string{"164.312(a)(2)(iv)"}, ResourceTypes: types, Remediation: "fix " + id,
		Engine: policy.EngineGo, Params: []policy.Param{{Name: "minDays", Type: policy.ParamInteger, Description: "d", Default: 7}},
	}
}

// encrypted reads the "encrypted" bool: fail when false or missing, undetermined when unknown
// or of the wrong type. Its messages echo the "name" property to exercise redaction.
var encrypted = policy.Policy{
	Metadata: meta("s3-bucket-encryption-enabled", policy.Mandatory, bucketType),
	Resource: func(env policy.Env, r policy.Resource) policy.Result {
		name, _ := props.String(r.Properties, "name")
		v, st := props.Bool(r.Properties, "encrypted")
		switch st {
		case props.Unknown:
			return policy.UndeterminedBecause("encrypted of %s is unknown", name)
		case props.WrongType:
			return policy.UndeterminedBecause("encrypted of %s has the wrong type", name)
		}
		if !v {
			return policy.Failed("bucket %s is not encrypted (min %d)", name, env.Int("minDays"))
		}
		return policy.Passed()
	},
}

var logging = policy.Policy{
	Metadata: meta("s3-bucket-logging-enabled", policy.Advisory, bucketType),
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		if _, st := props.Get(r.Properties, "logging"); st == props.Missing {
			return policy.Failed("no access logging")
		}
		return policy.Passed()
	},
}

var keyRotation = policy.Policy{
	Metadata: meta("kms-key-rotation-enabled", policy.Mandatory, keyType),
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		if spec, _ := props.String(r.Properties, "customerMasterKeySpec"); spec != "" && spec != "SYMMETRIC_DEFAULT" {
			return policy.NotApplicableBecause("asymmetric keys cannot rotate")
		}
		return policy.Passed()
	},
}

var crashing = policy.Policy{
	Metadata: meta("kms-key-crash-tested", policy.Mandatory, keyType),
	Resource: func(env policy.Env, _ policy.Resource) policy.Result {
		env.String("minDays") // wrong parameter type: panics
		return policy.Passed()
	},
}

// everyBucketHasKey is a stack policy: each bucket must depend on a key.
var everyBucketHasKey = policy.Policy{
	Metadata: meta("s3-bucket-key-referenced", policy.Mandatory, bucketType),
	Stack: func(_ policy.Env, rs []policy.Resource) []policy.StackResult {
		var out []policy.StackResult
		for _, r := range rs {
			if r.Type != bucketType {
				continue
			}
			if len(r.Dependencies) == 0 {
				secret, _ := props.String(r.Properties, "name")
				out = append(out, policy.StackResult{URN: r.URN, Result: policy.Failed("bucket %s references no key", secret)})
			} else {
				out = append(out, policy.StackResult{URN: r.URN, Result: policy.Passed()})
			}
		}
		return out
	},
}

func urn(typ, name string) string {
	return string(resource.CreateURN(name, typ, "", "carepulse", "prod"))
}

func bucket(name string, p resource.PropertyMap) policy.Resource {
	return policy.Resource{URN: urn(bucketType, name), Type: bucketType, Name: name, Properties: p}
}

func allPolicies() []policy.Policy {
	return []policy.Policy{encrypted, logging, keyRotation, crashing, everyBucketHasKey}
}

var stack = Stack{Project: "carepulse", Name: "prod"}

func TestVerdictsBecomeFindings(t *testing.T) {
	var stderrBuf bytes.Buffer
	stderr = &stderrBuf
	resources := []policy.Resource{
		bucket("good", resource.PropertyMap{"encrypted": resource.NewProperty(true), "logging": resource.NewProperty("x")}),
		bucket("plain", resource.PropertyMap{"name": resource.NewProperty("plain-bucket")}),
		bucket("preview", resource.PropertyMap{"encrypted": resource.MakeComputed(resource.NewProperty("")), "logging": resource.NewProperty("x")}),
		{URN: urn(keyType, "asym"), Type: keyType, Name: "asym", Properties: resource.PropertyMap{"customerMasterKeySpec": resource.NewProperty("RSA_2048")}},
		{URN: urn("aws:sns/topic:Topic", "t"), Type: "aws:sns/topic:Topic", Name: "t"},
	}
	resources[0].Dependencies = []string{urn(keyType, "asym")}
	r := Evaluate(allPolicies(), packconfig.Defaults(allPolicies()), nil, stack, resources)

	assert.Equal(t, Pack{Name: "hipaa-security-rule", Version: "0.1.0"}, r.Pack)
	assert.Equal(t, 5, r.Resources)
	assert.Equal(t, stack, r.Stack)

	type row struct {
		Policy, Name string
		Status       policy.Status
		Enforcement  policy.Enforcement
	}
	var got []row
	for _, f := range r.Findings {
		got = append(got, row{f.Policy, f.Name, f.Status, f.Enforcement})
	}
	assert.Equal(t, []row{
		// mandatory first, then by policy and URN
		{"s3-bucket-encryption-enabled", "plain", policy.Fail, policy.Mandatory},
		{"s3-bucket-key-referenced", "plain", policy.Fail, policy.Mandatory},
		{"s3-bucket-key-referenced", "preview", policy.Fail, policy.Mandatory},
		{"kms-key-crash-tested", "asym", policy.Undetermined, policy.Advisory},
		{"s3-bucket-encryption-enabled", "preview", policy.Undetermined, policy.Advisory},
		{"s3-bucket-logging-enabled", "plain", policy.Fail, policy.Advisory},
	}, got)

	byKey := map[string]Finding{}
	for _, f := range r.Findings {
		byKey[f.Policy+"/"+f.Name] = f
	}
	plain := byKey["s3-bucket-encryption-enabled/plain"]
	assert.Equal(t, "bucket plain-bucket is not encrypted (min 7)", plain.Message)
	assert.Equal(t, []string{"164.312(a)(2)(iv)"}, plain.Controls)
	assert.Equal(t, policy.SeverityHigh, plain.Severity)
	assert.Equal(t, urn(bucketType, "plain"), plain.URN)
	assert.Equal(t, bucketType, plain.Type)
	assert.Equal(t, "fix s3-bucket-encryption-enabled", plain.Remediation)
	assert.Equal(t, LevelResource, plain.Level)
	assert.Equal(t, LevelStack, byKey["s3-bucket-key-referenced/plain"].Level)

	assert.Equal(t, "cannot be verified: encrypted of  is unknown", byKey["s3-bucket-encryption-enabled/preview"].Message)
	crash := byKey["kms-key-crash-tested/asym"].Message
	assert.Contains(t, crash, "cannot be verified: policy kms-key-crash-tested failed internally")
	assert.Contains(t, crash, `policy parameter "minDays" is not a string (got int)`)
	assert.Contains(t, stderrBuf.String(), "policy kms-key-crash-tested panicked")

	assert.Equal(t, Summary{Mandatory: 3, Advisory: 3, Pass: 4, Fail: 4, NotApplicable: 1, Undetermined: 2}, r.Summary)

	// Every outcome is kept, passes and not-applicable included, sorted by policy then URN.
	var outcomes []string
	for _, o := range r.Outcomes {
		outcomes = append(outcomes, fmt.Sprintf("%s %s %s", o.Policy, o.Name, o.Status))
	}
	assert.Equal(t, []string{
		"kms-key-crash-tested asym undetermined",
		"kms-key-rotation-enabled asym not-applicable",
		"s3-bucket-encryption-enabled good pass",
		"s3-bucket-encryption-enabled plain fail",
		"s3-bucket-encryption-enabled preview undetermined",
		"s3-bucket-key-referenced good pass",
		"s3-bucket-key-referenced plain fail",
		"s3-bucket-key-referenced preview fail",
		"s3-bucket-logging-enabled good pass",
		"s3-bucket-logging-enabled plain fail",
		"s3-bucket-logging-enabled preview pass",
	}, outcomes)
}

func TestWrongTypeIsUndeterminedAdvisory(t *testing.T) {
	r := Evaluate([]policy.Policy{encrypted}, packconfig.Defaults([]policy.Policy{encrypted}), nil, stack,
		[]policy.Resource{bucket("b", resource.PropertyMap{"encrypted": resource.NewProperty(3.0)})})
	require.Len(t, r.Findings, 1)
	assert.Equal(t, policy.Advisory, r.Findings[0].Enforcement)
	assert.Equal(t, "cannot be verified: encrypted of  has the wrong type", r.Findings[0].Message)
	assert.Equal(t, 0, r.Summary.Mandatory)
}

func TestConfigLevelsAndParams(t *testing.T) {
	ps := allPolicies()
	cfg, err := packconfig.Parse([]byte(`{
	  "all": "advisory",
	  "s3-bucket-encryption-enabled": {"enforcementLevel": "mandatory", "minDays": 30},
	  "s3-bucket-logging-enabled": "disabled"
	}`), ps)
	require.NoError(t, err)
	r := Evaluate(ps, cfg, nil, stack, []policy.Resource{bucket("plain", nil)})
	var levels []string
	for _, f := range r.Findings {
		levels = append(levels, f.Policy+"="+string(f.Enforcement))
	}
	assert.Equal(t, []string{"s3-bucket-encryption-enabled=mandatory", "s3-bucket-key-referenced=advisory"}, levels)
	assert.Equal(t, "bucket  is not encrypted (min 30)", r.Findings[0].Message)
	assert.Equal(t, []string{"s3-bucket-logging-enabled"}, r.Disabled)
	for _, o := range r.Outcomes {
		assert.NotEqual(t, "s3-bucket-logging-enabled", o.Policy, "disabled policies do not run")
	}
}

func TestSuppressions(t *testing.T) {
	sup, err := suppressions.Parse([]byte(`suppressions:
  - policy: s3-bucket-encryption-enabled
    urn: "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::legacy-*"
    reason: read-only archive, re-encrypted by 2027 project
    owner: ciso@carepulse.example
    expires: 2027-03-31
  - policy: s3-bucket-logging-enabled
    urn: "urn:pulumi:prod::carepulse::*"
    reason: old acceptance
    owner: former-ciso@carepulse.example
    expires: 2026-01-01
`), "test.yaml")
	require.NoError(t, err)
	ps := []policy.Policy{encrypted, logging}
	e := &Evaluator{Policies: ps, Config: packconfig.Defaults(ps), Suppressions: sup, Stack: stack,
		Now: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)}
	r := e.All([]policy.Resource{bucket("legacy-1", nil), bucket("new", nil)})

	require.Len(t, r.Suppressed, 1)
	s := r.Suppressed[0]
	assert.Equal(t, "s3-bucket-encryption-enabled", s.Policy)
	assert.Equal(t, urn(bucketType, "legacy-1"), s.URN)
	assert.Equal(t, Suppression{URN: "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::legacy-*",
		Reason: "read-only archive, re-encrypted by 2027 project", Owner: "ciso@carepulse.example", Expires: "2027-03-31"}, s.Suppression)

	var names []string
	for _, f := range r.Findings {
		names = append(names, f.Policy+"/"+f.Name)
	}
	assert.Equal(t, []string{"s3-bucket-encryption-enabled/new", "s3-bucket-logging-enabled/legacy-1", "s3-bucket-logging-enabled/new"}, names,
		"the expired entry suppresses nothing")
	require.Len(t, r.ExpiredSuppressions, 1)
	assert.Equal(t, "former-ciso@carepulse.example", r.ExpiredSuppressions[0].Owner)
	assert.Equal(t, 1, r.Summary.Mandatory)
	assert.Equal(t, 1, r.Summary.Suppressed)
	assert.Equal(t, 1, r.Summary.ExpiredSuppressions)

	// After the expiry date the finding comes back.
	e.Now = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	r = e.All([]policy.Resource{bucket("legacy-1", nil)})
	assert.Empty(t, r.Suppressed)
	assert.Equal(t, 1, r.Summary.Mandatory)
}

func TestSecretsAreRedactedFromMessages(t *testing.T) {
	const canary = "CANARY-d41d8cd98f00-secret"
	resources := []policy.Resource{
		bucket("s", resource.PropertyMap{"name": resource.MakeSecret(resource.NewProperty(canary))}),
		bucket("o", resource.PropertyMap{"name": resource.NewProperty(resource.Output{
			Element: resource.NewProperty("prefix-" + canary), Known: true, Secret: true,
		})}),
	}
	ps := []policy.Policy{encrypted, everyBucketHasKey}
	r := Evaluate(ps, packconfig.Defaults(ps), nil, stack, resources)
	require.Len(t, r.Findings, 4)
	out, err := json.Marshal(r)
	require.NoError(t, err)
	assert.NotContains(t, string(out), canary)
	assert.NotContains(t, string(out), "CANARY")
	assert.Contains(t, string(out), "bucket [secret] is not encrypted")
}

func TestPanickingStackPolicyIsUndetermined(t *testing.T) {
	p := everyBucketHasKey
	p.Stack = func(policy.Env, []policy.Resource) []policy.StackResult { panic("boom") }
	stderr = &bytes.Buffer{}
	r := Evaluate([]policy.Policy{p}, packconfig.Defaults([]policy.Policy{p}), nil, stack, nil)
	require.Len(t, r.Findings, 1)
	f := r.Findings[0]
	assert.Equal(t, policy.Undetermined, f.Status)
	assert.Equal(t, policy.Advisory, f.Enforcement)
	assert.Equal(t, "urn:pulumi:prod::carepulse::pulumi:pulumi:Stack::carepulse-prod", f.URN)
	assert.Equal(t, "pulumi:pulumi:Stack", f.Type)
	assert.Contains(t, f.Message, "failed internally (boom)")
}

func TestUnknownStatusIsUndetermined(t *testing.T) {
	p := encrypted
	p.Resource = func(policy.Env, policy.Resource) policy.Result { return policy.Result{Status: "ok"} }
	r := Evaluate([]policy.Policy{p}, packconfig.Defaults([]policy.Policy{p}), nil, stack, []policy.Resource{bucket("b", nil)})
	require.Len(t, r.Findings, 1)
	assert.Equal(t, `cannot be verified: the policy returned an unknown status "ok"`, r.Findings[0].Message)
}

func TestApplicable(t *testing.T) {
	ps := allPolicies()
	cfg, err := packconfig.Parse([]byte(`{"kms-key-crash-tested": "disabled"}`), ps)
	require.NoError(t, err)
	e := &Evaluator{Policies: ps, Config: cfg}
	app, na := e.Applicable(keyType)
	assert.Equal(t, []string{"kms-key-rotation-enabled"}, app)
	assert.Equal(t, []string{"s3-bucket-encryption-enabled", "s3-bucket-logging-enabled"}, na, "stack and disabled policies are left out")
}

func TestJSONFieldNames(t *testing.T) {
	r := Evaluate([]policy.Policy{encrypted}, packconfig.Defaults([]policy.Policy{encrypted}), nil, stack, []policy.Resource{bucket("b", nil)})
	data, err := json.Marshal(r)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, map[string]any{"name": "hipaa-security-rule", "version": "0.1.0"}, doc["pack"])
	assert.Equal(t, float64(1), doc["resources"])
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, k := range []string{"policy", "controls", "severity", "enforcement", "urn", "type", "name", "message"} {
		assert.Contains(t, f, k)
	}
	assert.Equal(t, []any{}, doc["suppressed"])
	summary := doc["summary"].(map[string]any)
	assert.Equal(t, float64(1), summary["mandatory"])
	assert.Equal(t, float64(0), summary["advisory"])
}

func TestStackResultWithoutURNIsOnTheStack(t *testing.T) {
	p := everyBucketHasKey
	p.Stack = func(policy.Env, []policy.Resource) []policy.StackResult {
		return []policy.StackResult{{Result: policy.Failed("the stack has no trail")}}
	}
	r := Evaluate([]policy.Policy{p}, packconfig.Defaults([]policy.Policy{p}), nil, stack, nil)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, "urn:pulumi:prod::carepulse::pulumi:pulumi:Stack::carepulse-prod", r.Findings[0].URN)
	assert.Equal(t, "carepulse-prod", r.Findings[0].Name)
	assert.Equal(t, policy.Mandatory, r.Findings[0].Enforcement)
}

// TestStackPoliciesReadOutputsWhereTheSourceHasThem: as in the engine, resource policies read a
// deployed resource's inputs and stack policies its outputs (a state export keeps both).
func TestStackPoliciesReadOutputsWhereTheSourceHasThem(t *testing.T) {
	seen := map[string]string{}
	read := func(level string, r policy.Resource) {
		arn, st := props.String(r.Properties, "arn")
		seen[level+" "+r.Name] = fmt.Sprintf("%s %s", st, arn)
	}
	p := policy.Policy{
		Metadata: meta("s3-bucket-arn-read", policy.Advisory, bucketType),
		Resource: func(_ policy.Env, r policy.Resource) policy.Result { read("resource", r); return policy.Passed() },
		Stack: func(_ policy.Env, rs []policy.Resource) []policy.StackResult {
			for _, r := range rs {
				read("stack", r)
			}
			return nil
		},
	}
	in := resource.PropertyMap{"bucket": resource.NewProperty("logs")}
	rs := []policy.Resource{
		{URN: "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::deployed", Type: bucketType, Name: "deployed", Properties: in,
			Outputs: resource.PropertyMap{"bucket": resource.NewProperty("logs"), "arn": resource.NewProperty("arn:aws:s3:::logs")}},
		{URN: "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::planned", Type: bucketType, Name: "planned", Properties: in},
	}
	Evaluate([]policy.Policy{p}, packconfig.Defaults([]policy.Policy{p}), nil, stack, rs)
	assert.Equal(t, map[string]string{
		"resource deployed": "missing ", "resource planned": "missing ",
		"stack deployed": "known arn:aws:s3:::logs", "stack planned": "missing ",
	}, seen)
	assert.Nil(t, rs[0].Properties["arn"].V, "the caller's resources are not changed")
}
