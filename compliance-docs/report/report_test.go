package report

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

const (
	keyOK    = "urn:pulumi:prod::carepulse::aws:kms/key:Key::keys-stream"
	keyBad   = "urn:pulumi:prod::carepulse::aws:kms/key:Key::keys-legacy"
	keyAccpt = "urn:pulumi:prod::carepulse::aws:kms/key:Key::keys-vendor"
	keyAsym  = "urn:pulumi:prod::carepulse::aws:kms/key:Key::keys-signing"
	cluster  = "urn:pulumi:prod::carepulse::aws:rds/cluster:Cluster::database-cluster"
	bucket   = "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::audit-logs"
)

// testPolicies are small policies with real verdict functions, evaluated by the pack's real
// evaluator, so the report is tested on genuine evaluation output.
func testPolicies() []policy.Policy {
	rotation := policy.Policy{
		Metadata: policy.Metadata{
			ID: "kms-key-rotation-enabled", Title: "KMS keys rotate", Description: "d", Severity: policy.SeverityMedium,
			Enforcement: policy.Mandatory, Controls: []string{"164.312(a)(2)(iv)"}, ResourceTypes: []string{"aws:kms/key:Key"},
			Remediation: "Set enableKeyRotation: true.", References: []string{"https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html"},
			Engine: policy.EngineGo,
		},
		Resource: func(_ policy.Env, r policy.Resource) policy.Result {
			if r.Properties["keySpec"].IsString() && r.Properties["keySpec"].StringValue() != "SYMMETRIC_DEFAULT" {
				return policy.NotApplicableBecause("asymmetric keys cannot rotate")
			}
			if v := r.Properties["enableKeyRotation"]; v.IsBool() && v.BoolValue() {
				return policy.Passed()
			}
			return policy.Failed("enableKeyRotation is not true")
		},
	}
	encrypted := policy.Policy{
		Metadata: policy.Metadata{
			ID: "rds-cluster-storage-encrypted", Title: "Aurora storage is encrypted", Description: "d", Severity: policy.SeverityHigh,
			Enforcement: policy.Mandatory, Controls: []string{"164.312(e)(2)(ii)", "164.312(a)(2)(iv)"}, ResourceTypes: []string{"aws:rds/cluster:Cluster"},
			Remediation: "Set storageEncrypted: true.", References: []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html"},
			Engine: policy.EngineRego,
		},
		Resource: func(_ policy.Env, r policy.Resource) policy.Result {
			v := r.Properties["storageEncrypted"]
			switch {
			case v.IsComputed():
				return policy.UndeterminedBecause("storageEncrypted is unknown until the cluster exists")
			case v.IsBool() && v.BoolValue():
				return policy.Passed()
			}
			return policy.Failed("storageEncrypted is not true")
		},
	}
	deletion := policy.Policy{
		Metadata: policy.Metadata{
			ID: "rds-cluster-deletion-protection-enabled", Title: "Aurora deletion protection", Description: "d", Severity: policy.SeverityLow,
			Enforcement: policy.Advisory, Controls: []string{"164.308(a)(7)(i)"}, ResourceTypes: []string{"aws:rds/cluster:Cluster"},
			Remediation: "Set deletionProtection: true.", References: []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DeleteCluster.html"},
			Engine: policy.EngineGo,
		},
		Resource: func(policy.Env, policy.Resource) policy.Result { return policy.Passed() },
	}
	// A policy whose control has no resource in scope.
	api := policy.Policy{
		Metadata: policy.Metadata{
			ID: "apigateway-method-authorization-required", Title: "API methods require an authorizer", Description: "d",
			Severity: policy.SeverityCritical, Enforcement: policy.Mandatory, Controls: []string{"164.312(d)"},
			ResourceTypes: []string{"aws:apigateway/method:Method"}, Remediation: "Set authorization: CUSTOM.",
			References: []string{"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html"},
			Engine:     policy.EngineRego,
		},
		Resource: func(policy.Env, policy.Resource) policy.Result { return policy.Passed() },
	}
	return []policy.Policy{rotation, encrypted, deletion, api}
}

func testResources() []policy.Resource {
	res := func(urn, typ, name string, props resource.PropertyMap) policy.Resource {
		return policy.Resource{URN: urn, Type: typ, Name: name, Properties: props}
	}
	return []policy.Resource{
		res(keyOK, "aws:kms/key:Key", "keys-stream", resource.PropertyMap{"enableKeyRotation": resource.NewProperty(true)}),
		res(keyBad, "aws:kms/key:Key", "keys-legacy", resource.PropertyMap{}),
		res(keyAccpt, "aws:kms/key:Key", "keys-vendor", resource.PropertyMap{"enableKeyRotation": resource.NewProperty(false)}),
		res(keyAsym, "aws:kms/key:Key", "keys-signing", resource.PropertyMap{"keySpec": resource.NewProperty("RSA_2048")}),
		res(cluster, "aws:rds/cluster:Cluster", "database-cluster", resource.PropertyMap{
			"storageEncrypted": resource.MakeComputed(resource.NewProperty("")),
		}),
		res(bucket, "aws:s3/bucket:Bucket", "audit-logs", resource.PropertyMap{}),
	}
}

const testSuppressions = `suppressions:
  - policy: kms-key-rotation-enabled
    urn: "urn:pulumi:prod::carepulse::aws:kms/key:Key::keys-vendor"
    reason: Vendor-managed key material; rotated by the vendor every 90 days (ticket SEC-12).
    owner: security@carepulse.example
    expires: "2027-03-31"
  - policy: kms-key-rotation-enabled
    urn: "urn:pulumi:prod::carepulse::aws:kms/key:Key::old-*"
    reason: Legacy keys being retired.
    owner: security@carepulse.example
    expires: "2026-01-31"
`

func testInput(t *testing.T, resources []policy.Resource) Input {
	t.Helper()
	return testInputWithConfig(t, resources, "")
}

// testInputWithConfig evaluates with a pack configuration (JSON; "" for the defaults) and
// passes the effective enforcement in the metadata, as the evidence package does.
func testInputWithConfig(t *testing.T, resources []policy.Resource, config string) Input {
	t.Helper()
	cat, err := catalog.Load()
	require.NoError(t, err)
	pols := testPolicies()
	sup, err := suppressions.Parse([]byte(testSuppressions), "test suppressions")
	require.NoError(t, err)
	cfg := packconfig.Defaults(pols)
	if config != "" {
		cfg, err = packconfig.Parse([]byte(config), pols)
		require.NoError(t, err)
	}
	ev := &evaluate.Evaluator{
		Policies: pols, Config: cfg, Suppressions: sup,
		Stack: evaluate.Stack{Project: "carepulse", Name: "prod"},
		Now:   time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
		Pack:  evaluate.Pack{Name: "hipaa-security-rule", Version: "0.1.0"},
	}
	meta := make([]policy.Metadata, len(pols))
	for i, p := range pols {
		meta[i] = p.Metadata
		meta[i].Enforcement = cfg.For(p.Metadata).Enforcement
	}
	evaluation := ev.All(resources)
	return Input{
		Catalog: cat, Policies: meta, Resources: resources, Evaluation: evaluation,
		SourceLines: map[string]int{keyBad: 12, keyAccpt: 20},
		Scope: Scope{Stack: "prod", Project: "carepulse", Source: "compliance-docs/reports/prod/resources.json",
			Format: "fixture", PackName: "hipaa-security-rule", PackVersion: "0.1.0", Commit: "0123abcd",
			Sources: []SourceTree{{Path: "infrastructure", ID: "4b825dc6"}, {Path: "policypack", ID: "9f3e01aa"}}},
		Engine: engineSaw(evaluation),
	}
}

// engineSaw is the engine evidence of a run that reported exactly the evaluation's open findings.
func engineSaw(ev evaluate.Report) *EngineEvidence {
	e := &EngineEvidence{Source: "compliance-docs/reports/prod/policy-events.json"}
	for _, f := range ev.Findings {
		e.PolicyEvents++
		e.Findings = append(e.Findings, EngineFinding{Policy: f.Policy, URN: f.URN, Enforcement: string(f.Enforcement)})
		if f.Enforcement == policy.Mandatory {
			e.Mandatory++
		} else {
			e.Advisory++
		}
	}
	return e
}

func buildTest(t *testing.T) *Report {
	t.Helper()
	r, err := Build(testInput(t, testResources()))
	require.NoError(t, err)
	return r
}

func control(t *testing.T, r *Report, id string) ControlReport {
	t.Helper()
	for _, c := range r.Controls {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("control %s not in report", id)
	return ControlReport{}
}

func TestBuildControlVerdicts(t *testing.T) {
	r := buildTest(t)
	cat, err := catalog.Load()
	require.NoError(t, err)
	require.Len(t, r.Controls, len(cat.Controls))

	enc := control(t, r, "164.312(a)(2)(iv)")
	assert.Equal(t, Fail, enc.Verdict, "keys-legacy fails rotation")
	assert.Equal(t, []string{"kms-key-rotation-enabled", "rds-cluster-storage-encrypted"}, policyIDs(enc.Policies))
	assert.Equal(t, Counts{Pass: 1, Fail: 1, Accepted: 1, NotApplicable: 1, Undetermined: 1}, enc.Counts)
	assert.Equal(t, []string{"keys-legacy"}, resourceNames(enc.Resources, Fail))
	assert.Equal(t, []string{"database-cluster"}, resourceNames(enc.Resources, Undetermined))
	assert.Equal(t, []string{"keys-vendor"}, resourceNames(enc.Resources, Accepted))
	assert.Equal(t, []string{"keys-stream"}, resourceNames(enc.Resources, Pass))
	assert.Equal(t, []string{"keys-signing"}, resourceNames(enc.Resources, NotApplicable))
	require.Len(t, enc.Suppressions, 1)
	s := enc.Suppressions[0]
	assert.Equal(t, "kms-key-rotation-enabled", s.Policy)
	assert.Equal(t, keyAccpt, s.URN)
	assert.Equal(t, "2027-03-31", s.Expires)
	assert.Contains(t, s.Reason, "SEC-12")
	assert.Equal(t, "security@carepulse.example", s.Owner)

	transit := control(t, r, "164.312(e)(2)(ii)")
	assert.Equal(t, Undetermined, transit.Verdict, "the only resource is undetermined")
	assert.Equal(t, Counts{Undetermined: 1}, transit.Counts)

	assert.Equal(t, Pass, control(t, r, "164.308(a)(7)(i)").Verdict)
	assert.Equal(t, NotEvaluated, control(t, r, "164.312(d)").Verdict, "no API method in the stack")
	assert.Equal(t, Manual, control(t, r, "164.310(b)").Verdict)
	assert.Equal(t, NoPolicy, control(t, r, "164.312(b)").Verdict, "automated in the catalog but no test policy cites it")
	assert.Empty(t, r.UnknownControls)
}

func TestBuildTablesAndCoverage(t *testing.T) {
	r := buildTest(t)
	require.Equal(t, []string{"apigateway-method-authorization-required", "kms-key-rotation-enabled",
		"rds-cluster-deletion-protection-enabled", "rds-cluster-storage-encrypted"}, reportPolicyIDs(r))
	rot := r.Policies[1]
	assert.Equal(t, Counts{Pass: 1, Fail: 1, Accepted: 1, NotApplicable: 1}, rot.Counts)
	assert.Equal(t, []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, r.Policies[3].Controls, "controls in regulation order")

	require.Len(t, r.Resources, 6)
	assert.Equal(t, keyBad, r.Resources[0].URN, "sorted by URN")
	assert.Equal(t, bucket, r.Resources[5].URN, "sorted by URN")
	assert.Zero(t, r.Resources[5].Counts.Total(), "no policy reads buckets")
	var legacy ResourceReport
	for _, rr := range r.Resources {
		if rr.URN == keyBad {
			legacy = rr
		}
	}
	assert.Equal(t, []string{"kms-key-rotation-enabled"}, legacy.Failing)

	c := r.Coverage
	assert.Equal(t, 68, c.Controls.Total)
	assert.Equal(t, c.Controls.Total, c.Controls.Automated+c.Controls.Partial+c.Controls.Manual)
	assert.Equal(t, 4, c.Policies.Total)
	assert.Equal(t, 2, c.Policies.Go)
	assert.Equal(t, 2, c.Policies.Rego)
	assert.Equal(t, 3, c.Policies.Mandatory)
	assert.Equal(t, 6, c.Resources.Total)
	assert.Equal(t, 5, c.Resources.Evaluated)
	assert.Equal(t, Counts{Pass: 2, Fail: 1, Accepted: 1, NotApplicable: 1, Undetermined: 1}, c.Results)
	assert.Equal(t, 1, c.Findings.Mandatory, "keys-legacy")
	assert.Equal(t, 1, c.Findings.Advisory, "the undetermined cluster")
	assert.Equal(t, 1, c.Findings.Accepted)
	assert.Equal(t, 1, c.Findings.ExpiredSuppressions)
	assert.True(t, c.Blocked)
	require.Len(t, r.ExpiredSuppressions, 1)
	assert.Equal(t, "2026-01-31", r.ExpiredSuppressions[0].Expires)

	require.Len(t, r.Findings, 3)
	assert.Equal(t, keyBad, r.Findings[0].URN)
	assert.Nil(t, r.Findings[0].Suppression)
	assert.Equal(t, keyAccpt, r.Findings[1].URN)
	require.NotNil(t, r.Findings[1].Suppression)
	assert.Equal(t, policy.Undetermined, r.Findings[2].Status)
	assert.Equal(t, policy.Advisory, r.Findings[2].Enforcement)
}

func TestBuildUndeterminedMandatoryChecks(t *testing.T) {
	r := buildTest(t)
	assert.Equal(t, 1, r.Coverage.UndeterminedMandatory, "database-cluster's encryption is unknown at preview")
	assert.Equal(t, []string{"rds-cluster-storage-encrypted"}, r.Coverage.UndeterminedPolicies)
	assert.Equal(t, gateLine(r), r.Coverage.Gate, "the JSON carries the headline")

	// Without the failing key the gate passes, and the headline still says what is undetermined.
	var rs []policy.Resource
	for _, res := range testResources() {
		if res.URN != keyBad {
			rs = append(rs, res)
		}
	}
	in := testInput(t, rs) // the engine ran over the same resources
	r, err := Build(in)
	require.NoError(t, err)
	assert.False(t, r.Coverage.Blocked)
	assert.Equal(t, "Deploy gate: PASS: no mandatory violation; 1 advisory, 1 accepted. 1 undetermined verdict(s) of 1 mandatory polic(ies) "+
		"at preview (values known only after deployment; reported as advisory, not as passes): "+
		"rds-cluster-storage-encrypted.", r.Coverage.Gate)

	// When the engine's own findings differ, the headline names the difference; an engine block
	// is a block.
	cluster := "urn:pulumi:prod::carepulse::aws:rds/cluster:Cluster::database-cluster"
	extra := EngineFinding{Policy: "kms-key-rotation-enabled", URN: keyBad, Enforcement: "advisory"}
	asMandatory := EngineFinding{Policy: "rds-cluster-storage-encrypted", URN: cluster, Enforcement: "mandatory"}
	// Findings are matched on the full URN: a resource of the same name and another type is
	// another resource.
	require.Equal(t, []EngineFinding{{Policy: "rds-cluster-storage-encrypted", URN: cluster, Enforcement: "advisory"}}, in.Engine.Findings)
	sameNameOtherType := EngineFinding{Policy: "rds-cluster-storage-encrypted", URN: "urn:pulumi:prod::carepulse::aws:rds/clusterInstance:ClusterInstance::database-cluster", Enforcement: "advisory"}
	for _, tt := range []struct {
		engine EngineEvidence
		want   string
	}{
		{EngineEvidence{PolicyEvents: 2, Advisory: 2, Findings: append(slices.Clone(in.Engine.Findings), extra)},
			"Deploy gate: PASS: no mandatory violation; 1 advisory, 1 accepted. 1 undetermined verdict(s) of 1 mandatory polic(ies) " +
				"at preview (values known only after deployment; reported as advisory, not as passes): rds-cluster-storage-encrypted. " +
				"The Pulumi engine itself reported 0 mandatory and 2 advisory; reported by the engine only: kms-key-rotation-enabled on keys-legacy (advisory)."},
		{EngineEvidence{PolicyEvents: 1, Advisory: 1, Findings: []EngineFinding{sameNameOtherType}},
			"Deploy gate: PASS: no mandatory violation; 1 advisory, 1 accepted. 1 undetermined verdict(s) of 1 mandatory polic(ies) " +
				"at preview (values known only after deployment; reported as advisory, not as passes): rds-cluster-storage-encrypted. " +
				"The Pulumi engine itself reported 0 mandatory and 1 advisory; reported by the engine only: rds-cluster-storage-encrypted on database-cluster (advisory); " +
				"reported by this evaluation only: rds-cluster-storage-encrypted on database-cluster (advisory)."},
		{EngineEvidence{PolicyEvents: 1, Mandatory: 1, Findings: []EngineFinding{asMandatory}},
			"Deploy gate: BLOCKED: the Pulumi engine reported 1 mandatory violation(s); this evaluation found none; 1 advisory, 1 accepted. " +
				"1 undetermined verdict(s) of 1 mandatory polic(ies) at preview (values known only after deployment; reported as advisory, not as passes): " +
				"rds-cluster-storage-encrypted. The Pulumi engine itself reported 1 mandatory and 0 advisory; " +
				"reported by the engine only: rds-cluster-storage-encrypted on database-cluster (mandatory); reported by this evaluation only: rds-cluster-storage-encrypted on database-cluster (advisory)."},
	} {
		in.Engine = &tt.engine
		r, err := Build(in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, r.Coverage.Gate)
	}
}

func TestBuildUsesTheEffectiveEnforcement(t *testing.T) {
	r, err := Build(testInputWithConfig(t, testResources(), `{"all":"advisory"}`)) // the engine ran with the same config
	require.NoError(t, err)
	c := r.Coverage
	assert.Equal(t, 0, c.Policies.Mandatory)
	assert.Equal(t, 4, c.Policies.Advisory)
	assert.Equal(t, 0, c.Policies.Disabled)
	assert.False(t, c.Blocked, "an advisory failure does not block")
	assert.Equal(t, 0, c.Findings.Mandatory)
	assert.Equal(t, 2, c.Findings.Advisory, "keys-legacy and the undetermined cluster")
	assert.Equal(t, 0, c.UndeterminedMandatory, "no policy is mandatory")
	for _, p := range r.Policies {
		assert.Equal(t, policy.Advisory, p.Enforcement, p.ID)
	}
	for _, p := range control(t, r, "164.312(a)(2)(iv)").Policies {
		assert.Equal(t, policy.Advisory, p.Enforcement, p.ID)
	}
	assert.Equal(t, Fail, control(t, r, "164.312(a)(2)(iv)").Verdict, "advisory failures still fail the control")
	var md bytes.Buffer
	require.NoError(t, Markdown(&md, r))
	assert.Contains(t, md.String(), "| Policies of the pack | 4 | 2 | 2 | 0 | 4 | 0 |")
	assert.Contains(t, md.String(), "**Deploy gate: PASS: no mandatory violation; 2 advisory, 1 accepted.**")

	r, err = Build(testInputWithConfig(t, testResources(), `{"all":"disabled"}`))
	require.NoError(t, err)
	c = r.Coverage
	assert.Equal(t, 4, c.Policies.Disabled)
	assert.Equal(t, 0, c.Policies.Mandatory+c.Policies.Advisory)
	assert.Equal(t, Disabled, control(t, r, "164.312(a)(2)(iv)").Verdict)
	assert.Equal(t, Disabled, control(t, r, "164.312(d)").Verdict, "disabled, not out of scope")
	assert.Zero(t, c.Controls.Verdicts[NotEvaluated])
	assert.Equal(t, 4, c.Controls.Verdicts[Disabled], "the four controls the test policies cite")
	assert.Contains(t, c.Gate, "4 polic(ies) disabled by config.")
	md.Reset()
	require.NoError(t, Markdown(&md, r))
	assert.Contains(t, md.String(), "| disabled by config | 4 |")
	assert.Contains(t, md.String(), "Every policy of this control is disabled by the pack configuration")
	assert.NotContains(t, md.String(), "no resource in scope |")
}

func TestBuildRejectsBadInput(t *testing.T) {
	in := testInput(t, testResources())
	in.Catalog = nil
	_, err := Build(in)
	assert.ErrorContains(t, err, "no catalog")

	in = testInput(t, testResources())
	in.Policies = in.Policies[1:]
	_, err = Build(in)
	assert.ErrorContains(t, err, "policy kms-key-rotation-enabled, which is not in the pack")

	in = testInput(t, testResources())
	in.Scope.Stack = ""
	_, err = Build(in)
	assert.ErrorContains(t, err, "no stack")
}

func TestBuildFlagsControlsMissingFromTheCatalog(t *testing.T) {
	in := testInput(t, testResources())
	in.Policies[0].Controls = []string{"164.312(d)", "164.312(f)"}
	r, err := Build(in)
	require.NoError(t, err)
	assert.Equal(t, []string{"164.312(f)"}, r.UnknownControls)
	var md bytes.Buffer
	require.NoError(t, Markdown(&md, r))
	assert.Contains(t, md.String(), "policies cite controls missing from the catalog: 164.312(f)")
}

func TestOutputsAreStable(t *testing.T) {
	first := renderAll(t, buildTest(t))
	// The same evidence in another order renders the same bytes.
	rs := testResources()
	for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
		rs[i], rs[j] = rs[j], rs[i]
	}
	in := testInput(t, rs)
	for i, j := 0, len(in.Policies)-1; i < j; i, j = i+1, j-1 {
		in.Policies[i], in.Policies[j] = in.Policies[j], in.Policies[i]
	}
	r, err := Build(in)
	require.NoError(t, err)
	second := renderAll(t, r)
	for f := range first {
		assert.Equal(t, string(first[f]), string(second[f]), f)
		assert.NotContains(t, string(first[f]), time.Now().UTC().Format("2006-01-02"), "%s: no date unless given", f)
	}
}

func TestMarkdownHasEveryControlAndSection(t *testing.T) {
	r := buildTest(t)
	var b bytes.Buffer
	require.NoError(t, Markdown(&b, r))
	md := b.String()
	for _, c := range r.Controls {
		assert.Contains(t, md, "| ["+c.ID+"](#"+githubSlug(c.ID+" "+c.Title)+") | ", "overview row of %s", c.ID)
		assert.Contains(t, md, "### "+c.ID+" ", "details of %s", c.ID)
	}
	for _, h := range []string{"## Summary", "## Controls", "## Policies", "## Resources", "## Findings", "## Scope and method", "## Availability"} {
		assert.Contains(t, md, "\n"+h+"\n")
	}
	assert.Contains(t, md, "**Deploy gate: BLOCKED: 1 mandatory finding(s), 1 advisory, 1 accepted. "+
		"1 undetermined verdict(s) of 1 mandatory polic(ies) at preview (values known only after deployment; reported as advisory, "+
		"not as passes): rds-cluster-storage-encrypted.**")
	assert.Contains(t, md, "Vendor-managed key material; rotated by the vendor every 90 days (ticket SEC-12).")
	assert.Contains(t, md, "Commit of the evidence run: 0123abcd")
	assert.Contains(t, md, "Policy pack config of the engine's run: none (the pack's defaults)")
	assert.Contains(t, md, "Sources of the evidence run (git object IDs: in a checkout of the commit holding this report, "+
		"`git rev-parse HEAD:infrastructure` gives the first, and the repository's tests check that they all match): infrastructure 4b825dc6, policypack 9f3e01aa")
	assert.Contains(t, md, "Mandatory violations: engine 1, offline evaluation 1 (agree)")
	assert.Contains(t, md, "cannot see: runtime drift", "says what it cannot see")
	assert.Contains(t, md, "workforce procedures")
	assert.Contains(t, md, "physical safeguards")
	assert.Contains(t, md, "NOT met by SLA arithmetic")
	// Table rows have the same number of cells as their header.
	for _, table := range strings.Split(md, "\n\n") {
		lines := strings.Split(strings.TrimSpace(table), "\n")
		if len(lines) < 2 || !strings.HasPrefix(lines[0], "|") || !strings.HasPrefix(lines[1], "|-") {
			continue
		}
		want := cells(lines[0])
		for _, l := range lines[1:] {
			assert.Equal(t, want, cells(l), "row %q", l)
		}
	}
}

// cells counts the unescaped pipes of a table row.
func cells(row string) int { return strings.Count(strings.ReplaceAll(row, `\|`, ""), "|") }

func TestGithubSlug(t *testing.T) {
	assert.Equal(t, "164312a2iv-encryption-and-decryption", githubSlug("164.312(a)(2)(iv) Encryption and decryption"))
	assert.Equal(t, "164308a3iia-authorization-andor-supervision", githubSlug("164.308(a)(3)(ii)(A) Authorization and/or supervision"))
	assert.Equal(t, "164310d2ii-media-re-use", githubSlug("164.310(d)(2)(ii) Media re-use"))
}

func TestMarkdownEscapesCells(t *testing.T) {
	in := testInput(t, testResources())
	in.Policies[1].Title = "KMS | keys <rotate>"
	r, err := Build(in)
	require.NoError(t, err)
	var b bytes.Buffer
	require.NoError(t, Markdown(&b, r))
	assert.Contains(t, b.String(), `KMS \| keys &lt;rotate&gt;`)
	assert.NotContains(t, b.String(), "<rotate>")
}

// assetRef finds references to network assets: src/href attributes, CSS url() and @import
// pointing at http(s) or protocol-relative URLs, and any <script>, <link>, <img> or <iframe>.
var assetRef = regexp.MustCompile(`(?i)(src\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?\s*(https?:)?//|@import|<script|<link|<img|<iframe|<object|<embed)`)

func TestHTMLIsSelfContained(t *testing.T) {
	r := buildTest(t)
	var b bytes.Buffer
	require.NoError(t, HTML(&b, r))
	page := b.String()
	assert.False(t, assetRef.MatchString(page), "network asset: %q", assetRef.FindString(page))
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	// The summary comes before the controls table.
	sum, ctl := strings.Index(page, `id="summary"`), strings.Index(page, `id="controls"`)
	require.Positive(t, sum)
	assert.Less(t, sum, ctl)
	assert.Contains(t, page, "Deploy gate: BLOCKED")
	for _, c := range r.Controls {
		assert.Contains(t, page, "<code>"+c.ID+"</code>", c.ID)
	}
	// Values are escaped.
	in := testInput(t, testResources())
	in.Policies[1].Title = `<script>alert(1)</script>`
	r2, err := Build(in)
	require.NoError(t, err)
	b.Reset()
	require.NoError(t, HTML(&b, r2))
	assert.NotContains(t, b.String(), "<script>alert")
	// The detector itself finds what it must.
	for _, bad := range []string{`<img src="https://x/y.png">`, `background:url(https://x/y.png)`, `<link rel="stylesheet" href="//cdn/x.css">`, `@import "x.css"`} {
		assert.True(t, assetRef.MatchString(bad), bad)
	}
}

func TestSARIFValidatesAgainstTheSchema(t *testing.T) {
	schemaJSON, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	require.NoError(t, c.AddResource(SARIFSchemaURI, bytes.NewReader(schemaJSON)))
	schema, err := c.Compile(SARIFSchemaURI)
	require.NoError(t, err)

	r := buildTest(t)
	var b bytes.Buffer
	require.NoError(t, SARIF(&b, r))
	var doc any
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	require.NoError(t, schema.Validate(doc))

	var log sarifLog
	require.NoError(t, json.Unmarshal(b.Bytes(), &log))
	require.Len(t, log.Runs, 1)
	run := log.Runs[0]
	require.Len(t, run.Tool.Driver.Rules, 4)
	rule := run.Tool.Driver.Rules[3]
	assert.Equal(t, "rds-cluster-storage-encrypted", rule.ID)
	assert.Equal(t, []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, rule.Properties.HIPAAControls)
	assert.Contains(t, rule.Properties.Tags, "164.312(e)(2)(ii)")
	assert.Equal(t, "error", rule.DefaultConfiguration.Level)
	require.Len(t, run.Results, 3)
	res := run.Results[0]
	assert.Equal(t, "kms-key-rotation-enabled", res.RuleID)
	assert.Equal(t, 1, res.RuleIndex)
	assert.Equal(t, "error", res.Level)
	assert.Equal(t, keyBad, res.Locations[0].LogicalLocations[0].FullyQualifiedName)
	require.NotNil(t, res.Locations[0].PhysicalLocation, "code scanning needs a physical location")
	assert.Equal(t, "compliance-docs/reports/prod/resources.json", res.Locations[0].PhysicalLocation.ArtifactLocation.URI)
	assert.Equal(t, 12, res.Locations[0].PhysicalLocation.Region.StartLine)
	assert.Nil(t, run.Results[2].Locations[0].PhysicalLocation.Region, "line unknown: no region")
	assert.Empty(t, res.Suppressions)
	require.Len(t, run.Results[1].Suppressions, 1)
	assert.Equal(t, "accepted", run.Results[1].Suppressions[0].Status)
	assert.Equal(t, "open", run.Results[2].Kind, "undetermined")
	assert.Equal(t, "none", run.Results[2].Level)

	// The schema rejects what it must (the validation is not vacuous).
	var broken map[string]any
	require.NoError(t, json.Unmarshal(b.Bytes(), &broken))
	broken["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)["level"] = "fatal"
	assert.Error(t, schema.Validate(broken))
}

func TestJSONRoundTrips(t *testing.T) {
	r := buildTest(t)
	var b bytes.Buffer
	require.NoError(t, JSON(&b, r))
	var back Report
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, r.Coverage, back.Coverage)
	assert.Len(t, back.Controls, 68)
	assert.Equal(t, "164.308(a)(1)(i)", back.Controls[0].ID)
}

func TestAvailabilityArithmetic(t *testing.T) {
	a := ComputeAvailability()
	require.Len(t, a.Paths, 2)
	ingest := a.Paths[0]
	// 0.9995 * 0.9995 * 0.999 * 0.9999^3
	assert.Equal(t, "99.770", ingest.Composite)
	assert.Equal(t, "99.3", ingest.DowntimeMinutes)
	assert.False(t, ingest.MeetsTarget)
	read := a.Paths[1]
	// 0.9995 * 0.9995 * 0.9999^4
	assert.Equal(t, "99.860", read.Composite)
	assert.False(t, read.MeetsTarget)
	assert.False(t, a.MetBySLA)
	assert.Equal(t, "4.3", a.TargetDowntime)
	assert.Contains(t, a.Conclusion, "NOT met by SLA arithmetic")
	for _, p := range a.Paths {
		for _, s := range p.Services {
			assert.NotEmpty(t, s.PageDate, s.Service)
			assert.True(t, strings.HasPrefix(s.Page, "https://aws.amazon.com/"), s.Page)
		}
	}
	// A path of services at or above the target meets it.
	assert.True(t, newPath("x", "y", slaAurora).MeetsTarget)
	assert.False(t, newPath("x", "y", slaAurora, slaNLB).MeetsTarget)
}

func TestRenderAndWrite(t *testing.T) {
	r := buildTest(t)
	assert.ErrorContains(t, Render(&bytes.Buffer{}, r, "pdf"), `unknown report format "pdf"`)
	dir := t.TempDir()
	require.NoError(t, Write(dir, r))
	files := renderAll(t, r)
	for f, want := range files {
		got, err := os.ReadFile(dir + "/" + FileNames[f])
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), f)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4, "no temporary files left")
}

func renderAll(t *testing.T, r *Report) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range Formats {
		var b bytes.Buffer
		require.NoError(t, Render(&b, r, f))
		out[f] = b.Bytes()
	}
	return out
}

func policyIDs(ps []PolicyRef) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func reportPolicyIDs(r *Report) []string {
	var out []string
	for _, p := range r.Policies {
		out = append(out, p.ID)
	}
	return out
}
