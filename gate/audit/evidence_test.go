package audit

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	stackURN  = "urn:pulumi:prod::p::pulumi:pulumi:Stack::p-prod"
	streamURN = "urn:pulumi:prod::p::aws:kinesis/stream:Stream::vitals"
	keyURN    = "urn:pulumi:prod::p::aws:kms/key:Key::k"
)

func pre(urn, typ string, inputs map[string]any) apitype.EngineEvent {
	return apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: apitype.StepEventMetadata{
		Op: apitype.OpCreate, URN: urn, Type: typ,
		New: &apitype.StepEventStateMetadata{URN: urn, Type: typ, Parent: stackURN, Inputs: inputs},
	}}}
}

func violation(policy, urn, level string) apitype.EngineEvent {
	return apitype.EngineEvent{PolicyEvent: &apitype.PolicyEvent{
		PolicyName: policy, ResourceURN: urn, EnforcementLevel: level, Message: "  msg " + policy + "\n",
		PolicyPackName: "hipaa", PolicyPackVersion: "1.0.0",
	}}
}

func sampleEvents() []apitype.EngineEvent {
	return []apitype.EngineEvent{
		pre(stackURN, "pulumi:pulumi:Stack", nil),
		pre("urn:pulumi:prod::p::pulumi:providers:aws::default", "pulumi:providers:aws", nil),
		pre(streamURN, "aws:kinesis/stream:Stream", map[string]any{
			"encryptionType": "KMS",
			"kmsKeyId":       "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
			"password": map[string]any{
				"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
				"ciphertext":                       "[secret]",
			},
			"code": map[string]any{
				"4dabf18193072939515e22adb298388d": archiveSig, "path": "/repo/bin/a.zip", "hash": "abc",
			},
		}),
		pre(keyURN, "aws:kms/key:Key", map[string]any{"enableKeyRotation": false}),
		violation("kms-key-rotation-enabled", keyURN, "mandatory"),
		violation("kinesis-stream-customer-key-encrypted", streamURN, "advisory"),
		{PolicyAnalyzeSummaryEvent: &apitype.PolicyAnalyzeSummaryEvent{
			ResourceURN: streamURN, PolicyPackName: "hipaa", PolicyPackVersion: "1.0.0",
			Passed: []string{"b-policy", "a-policy"}, Failed: []string{"kinesis-stream-customer-key-encrypted"},
		}},
		{PolicyAnalyzeSummaryEvent: &apitype.PolicyAnalyzeSummaryEvent{
			ResourceURN: keyURN, PolicyPackName: "hipaa", PolicyPackVersion: "1.0.0",
			Failed: []string{"kms-key-rotation-enabled"},
		}},
		{PolicyAnalyzeStackSummaryEvent: &apitype.PolicyAnalyzeStackSummaryEvent{
			PolicyPackName: "hipaa", PolicyPackVersion: "1.0.0", Passed: []string{"stack-policy"},
		}},
	}
}

func TestBlocked(t *testing.T) {
	tests := []struct {
		name string
		run  Run
		want bool
	}{
		{"mandatory violation and engine error", Run{Events: sampleEvents(), Err: errors.New("preview failed")}, true},
		{"mandatory violation but engine succeeded", Run{Events: sampleEvents()}, false},
		{"engine error without mandatory violation", Run{Events: []apitype.EngineEvent{
			violation("x", streamURN, "advisory")}, Err: errors.New("program crashed")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.run.Blocked())
		})
	}
}

func TestEvidence(t *testing.T) {
	run := &Run{Events: sampleEvents(), Err: errors.New("preview failed"), Plan: &apitype.DeploymentPlanV1{
		ResourcePlans: map[resource.URN]apitype.ResourcePlanV1{
			streamURN: {Goal: &apitype.GoalV1{
				Dependencies:         []resource.URN{keyURN},
				PropertyDependencies: map[resource.PropertyKey][]resource.URN{"kmsKeyId": {keyURN}},
			}},
		},
	}}
	ev, err := run.Evidence(Meta{Stack: "prod", Project: "p", Offline: true, BaseDir: "/repo"})
	require.NoError(t, err)

	require.Len(t, ev.Resources, 2, "the stack and the provider are left out")
	assert.Equal(t, keyURN, ev.Resources[1].URN)
	stream := ev.Resources[0]
	assert.Equal(t, "aws:kinesis/stream:Stream", stream.Type)
	assert.Equal(t, "vitals", stream.Name)
	assert.Equal(t, stackURN, stream.Parent)
	assert.Equal(t, []string{keyURN}, stream.Dependencies)
	assert.Equal(t, map[string][]string{"kmsKeyId": {keyURN}}, stream.PropertyDependencies)
	assert.True(t, stream.Properties["kmsKeyId"].IsComputed())
	assert.True(t, stream.Properties["password"].IsSecret())
	// Archives stay plain objects in the fixture reader; the path is made relative.
	assert.Equal(t, "bin/a.zip", stream.Properties["code"].ObjectValue()["path"].StringValue())

	assert.Equal(t, Pack{Name: "hipaa", Version: "1.0.0"}, ev.Events.Pack)
	require.Len(t, ev.Events.Findings, 2)
	assert.Equal(t, Finding{Policy: "kinesis-stream-customer-key-encrypted", URN: streamURN, Enforcement: Advisory,
		Message: "msg kinesis-stream-customer-key-encrypted"}, ev.Events.Findings[0])
	assert.Equal(t, Mandatory, ev.Events.Findings[1].Enforcement)
	assert.Equal(t, []string{"a-policy", "b-policy"}, ev.Events.Analyzed[0].Passed)

	s := ev.Summary
	assert.Equal(t, "blocked", s.Verdict)
	assert.Equal(t, 2, s.Resources)
	assert.Equal(t, 1, s.Mandatory)
	assert.Equal(t, 1, s.Advisory)
	assert.Equal(t, 3, s.ChecksPassed)
	assert.Equal(t, []string{"a-policy", "b-policy", "stack-policy"}, s.PoliciesPassed)
	assert.Equal(t, []string{"kinesis-stream-customer-key-encrypted", "kms-key-rotation-enabled"}, s.PoliciesFailed)
}

func TestEvidenceWriteIsStableAndHidesSecrets(t *testing.T) {
	write := func() map[string]string {
		run := &Run{Events: sampleEvents()}
		ev, err := run.Evidence(Meta{Stack: "prod", Project: "p"})
		require.NoError(t, err)
		dir := t.TempDir()
		require.NoError(t, ev.Write(dir))
		out := map[string]string{}
		for _, n := range []string{"resources.json", "policy-events.json", "summary.json"} {
			b, err := os.ReadFile(filepath.Join(dir, n))
			require.NoError(t, err)
			out[n] = string(b)
		}
		return out
	}
	a, b := write(), write()
	assert.Equal(t, a, b)
	assert.Contains(t, a["resources.json"], "1b47061264138c4ac30d75fd1eb44270")
	assert.False(t, strings.Contains(a["summary.json"], "timestamp"))
}

func TestHidePlanNotice(t *testing.T) {
	var b strings.Builder
	w := hidePlanNotice(&b)
	_, err := w.Write([]byte("Resources:\n    + 3 to create\n\nUpdate plan written to '/tmp/x'\nRun `pulumi up --plan='/tmp/x'` to"))
	require.NoError(t, err)
	_, err = w.Write([]byte(" constrain\ndone\nlast line without newline"))
	require.NoError(t, err)
	require.NoError(t, w.Flush())
	assert.Equal(t, "Resources:\n    + 3 to create\n\ndone\nlast line without newline", b.String())
}

func TestUndetermined(t *testing.T) {
	undetermined := "[HIPAA 164.312(b)] containerDefinitions cannot be verified until the value is known"
	tests := []struct {
		name         string
		findings     []Finding
		wantChecks   int
		wantPolicies []string
	}{
		{"none", nil, 0, []string{}},
		{"failures only", []Finding{{Policy: "a", URN: keyURN, Enforcement: Mandatory, Message: "rotation disabled"}}, 0, []string{}},
		{"two checks of one policy, one of another, one excepted", []Finding{
			{Policy: "b", URN: keyURN, Enforcement: Advisory, Message: undetermined},
			{Policy: "b", URN: streamURN, Enforcement: Advisory, Message: undetermined},
			{Policy: "a", URN: streamURN, Enforcement: Advisory, Message: undetermined},
			{Policy: "c", URN: streamURN, Enforcement: Advisory, Message: undetermined, Excepted: true},
			{Policy: "d", URN: streamURN, Enforcement: Advisory, Message: "advisory failure"},
		}, 3, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks, policies := PolicyEvents{Findings: tt.findings}.Undetermined()
			assert.Equal(t, tt.wantChecks, checks)
			assert.Equal(t, tt.wantPolicies, policies)
		})
	}
}
