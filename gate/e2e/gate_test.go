package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/gate/audit"
)

var engineVersion = audit.Version{Name: "pulumi"}

func evidence(t *testing.T, s *audit.Stack, run *audit.Run) *audit.Evidence {
	t.Helper()
	ev, err := run.Evidence(audit.Meta{Stack: s.Name(), Project: s.Project, Engine: engineVersion,
		Provider: audit.Version{Name: "aws"}, Offline: true, BaseDir: setup.root})
	require.NoError(t, err)
	return ev
}

// TestStacksPassThePack: our own deploy passes our own pack, through the engine.
func TestStacksPassThePack(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			s := open(t, env(t), stack, nil)
			run, err := s.Preview(context.Background(), audit.Policy{Packs: []string{setup.pack}}, engineOutput(t))
			require.NoError(t, err)
			require.NoError(t, run.Err, "the engine refused the %s preview", stack)
			ev := evidence(t, s, run)
			assert.False(t, run.Blocked())
			assert.Equal(t, "pass", ev.Summary.Verdict)
			assert.Zero(t, ev.Summary.Mandatory, "mandatory findings: %+v", ev.Events.Findings)
			// The pack really ran: the engine reported it and analyzed the resources.
			assert.NotEmpty(t, ev.Events.Pack.Name)
			assert.Greater(t, len(ev.Events.Analyzed), 50)
			assert.Greater(t, len(ev.Summary.PoliciesPassed), 10)
			assert.Greater(t, ev.Summary.Resources, 50)
			// Dependencies come from the preview's plan.
			deps := 0
			for _, r := range ev.Resources {
				deps += len(r.Dependencies)
			}
			assert.Positive(t, deps)

			// resources.json is a fixture `hipaa-audit check` reads, with the same verdict.
			dir := t.TempDir()
			require.NoError(t, ev.Write(dir))
			out, err := exec.Command(setup.hipaaAudit, "check", "--format", "json", filepath.Join(dir, "resources.json")).Output()
			require.NoError(t, err, "hipaa-audit check rejected or failed resources.json: %s", out)
			var rep checkReport
			require.NoError(t, json.Unmarshal(out, &rep))
			assert.Equal(t, ev.Summary.Resources, rep.Resources)
			assert.Zero(t, rep.Summary.Mandatory)
		})
	}
}

// variant breaks one control of the real prod program.
type variant struct {
	name    string
	typ     string
	nameHas string
	change  func(pulumi.Map)
	policy  string
}

func variants() []variant {
	return []variant{
		{
			name: "unencrypted stream", typ: "aws:kinesis/stream:Stream",
			change: func(p pulumi.Map) {
				p["encryptionType"] = pulumi.String("NONE")
				delete(p, "kmsKeyId")
			},
			policy: "kinesis-stream-customer-key-encrypted",
		},
		{
			name: "redis transit mode preferred", typ: "aws:elasticache/replicationGroup:ReplicationGroup",
			change: func(p pulumi.Map) { p["transitEncryptionMode"] = pulumi.String("preferred") },
			policy: "elasticache-transit-encryption-required",
		},
		{
			name: "security group open on 5432", typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
			nameHas: "database",
			change: func(p pulumi.Map) {
				p["cidrIpv4"] = pulumi.String("0.0.0.0/0")
				delete(p, "referencedSecurityGroupId")
				p["fromPort"] = pulumi.Int(5432)
				p["toPort"] = pulumi.Int(5432)
			},
			policy: "ec2-security-group-no-public-ingress",
		},
		{
			name: "log group without KMS", typ: "aws:cloudwatch/logGroup:LogGroup",
			change: func(p pulumi.Map) { delete(p, "kmsKeyId") },
			policy: "cloudwatch-log-group-encrypted",
		},
		{
			name: "prod aurora at 0 ACU", typ: "aws:rds/cluster:Cluster",
			change: func(p pulumi.Map) {
				if sc, ok := p["serverlessv2ScalingConfiguration"].(pulumi.Map); ok {
					sc["minCapacity"] = pulumi.Float64(0)
					return
				}
				p["serverlessv2ScalingConfiguration"] = pulumi.Map{"minCapacity": pulumi.Float64(0), "maxCapacity": pulumi.Float64(8)}
			},
			policy: "rds-cluster-production-serverless-always-on",
		},
		{
			name: "api method without authorization", typ: "aws:apigateway/method:Method",
			change: func(p pulumi.Map) {
				p["authorization"] = pulumi.String("NONE")
				delete(p, "authorizerId")
			},
			policy: "apigateway-method-authorization-required",
		},
		{
			name: "key without rotation", typ: "aws:kms/key:Key",
			change: func(p pulumi.Map) { p["enableKeyRotation"] = pulumi.Bool(false) },
			policy: "kms-key-rotation-enabled",
		},
	}
}

// TestBrokenControlsAreBlocked: each variant breaks one control of the real prod program; the
// engine must refuse the preview and name the policy and the broken resource.
func TestBrokenControlsAreBlocked(t *testing.T) {
	e := env(t)
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			var hit broken
			s := open(t, e, "prod", breaking(v.typ, v.nameHas, v.change, &hit))
			run, err := s.Preview(context.Background(), audit.Policy{Packs: []string{setup.pack}}, engineOutput(t))
			require.NoError(t, err)
			require.NotEmpty(t, hit.Name(), "the transform found no %s resource to break", v.typ)
			require.Error(t, run.Err, "the engine let the broken program through")
			assert.True(t, run.Blocked())
			ev := evidence(t, s, run)
			var named []string
			for _, f := range ev.Events.Findings {
				if f.Enforcement == audit.Mandatory && !f.Excepted {
					named = append(named, f.Policy+" "+f.URN)
				}
			}
			sort.Strings(named)
			// The finding names the policy and exactly the resource the transform broke.
			want := v.policy + " "
			found := false
			for _, n := range named {
				if strings.HasPrefix(n, want) && strings.HasSuffix(n, v.typ+"::"+hit.Name()) {
					found = true
				}
			}
			assert.True(t, found, "no mandatory %s finding on %s %s; mandatory findings: %v", v.policy, v.typ, hit.Name(), named)
		})
	}
}

// TestPolicyPackConfigMakesAPolicyAdvisory: --policy-pack-config with enforcementLevel
// advisory turns the engine's block into a warning.
func TestPolicyPackConfigMakesAPolicyAdvisory(t *testing.T) {
	v := variants()[2] // the open security group
	cfg := filepath.Join(t.TempDir(), "policy-config.json")
	b, err := json.Marshal(map[string]any{v.policy: map[string]any{"enforcementLevel": "advisory"}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(cfg, b, 0o600))

	var hit broken
	s := open(t, env(t), "prod", breaking(v.typ, v.nameHas, v.change, &hit))
	run, err := s.Preview(context.Background(), audit.Policy{Packs: []string{setup.pack}, Configs: []string{cfg}}, engineOutput(t))
	require.NoError(t, err)
	require.NotEmpty(t, hit.Name())
	require.NoError(t, run.Err, "the engine still blocked with %s advisory", v.policy)
	ev := evidence(t, s, run)
	var levels []string
	for _, f := range ev.Events.Findings {
		if f.Policy == v.policy && strings.HasSuffix(f.URN, "::"+hit.Name()) {
			levels = append(levels, f.Enforcement)
		}
	}
	assert.Contains(t, levels, audit.Advisory)
	assert.NotContains(t, levels, audit.Mandatory)
}

type checkReport struct {
	Resources int `json:"resources"`
	Findings  []struct {
		Policy      string `json:"policy"`
		URN         string `json:"urn"`
		Enforcement string `json:"enforcement"`
		Message     string `json:"message"`
	} `json:"findings"`
	Summary struct {
		Mandatory int `json:"mandatory"`
		Advisory  int `json:"advisory"`
	} `json:"summary"`
}

// TestUpThenExportPassesHipaaAuditCheck: `up` of the compliant prod stack succeeds through the
// engine with the pack; `pulumi stack export` of the result gets the same verdicts from
// `hipaa-audit check`.
func TestUpThenExportPassesHipaaAuditCheck(t *testing.T) {
	s := open(t, env(t), "prod", nil)
	run, err := s.Up(context.Background(), audit.Policy{Packs: []string{setup.pack}}, engineOutput(t))
	require.NoError(t, err)
	require.NoError(t, run.Err, "up failed")
	ev := evidence(t, s, run)
	require.Zero(t, ev.Summary.Mandatory)

	// A second preview of the deployed stack changes nothing: the stand-in's Diff reports no
	// change for unchanged inputs, as AWS would.
	again, err := s.Preview(context.Background(), audit.Policy{Packs: []string{setup.pack}}, engineOutput(t))
	require.NoError(t, err)
	require.NoError(t, again.Err)
	changed := []string{}
	for _, e := range again.Events {
		if p := e.ResourcePreEvent; p != nil && p.Metadata.Op != apitype.OpSame {
			changed = append(changed, string(p.Metadata.Op)+" "+p.Metadata.URN)
		}
	}
	assert.Empty(t, changed)

	export := filepath.Join(t.TempDir(), "prod-export.json")
	require.NoError(t, s.ExportTo(context.Background(), export))
	cmd := exec.Command(setup.hipaaAudit, "check", "--format", "json", export)
	out, err := cmd.Output()
	require.NoError(t, err, "hipaa-audit check exited non-zero: %s", out)
	var rep checkReport
	require.NoError(t, json.Unmarshal(out, &rep))
	assert.Zero(t, rep.Summary.Mandatory)
	assert.Greater(t, rep.Resources, 50)

	// Same verdicts: the engine's findings on up and the offline check's findings agree.
	engine := map[string]bool{}
	for _, f := range ev.Events.Findings {
		engine[f.Policy+" "+f.URN+" "+f.Enforcement] = true
	}
	offline := map[string]bool{}
	for _, f := range rep.Findings {
		offline[f.Policy+" "+f.URN+" "+f.Enforcement] = true
	}
	if !assert.Equal(t, keys(engine), keys(offline)) {
		for _, f := range rep.Findings {
			t.Logf("hipaa-audit check: %s %s %s: %s", f.Policy, f.Enforcement, f.URN, f.Message)
		}
		kept := filepath.Join(os.TempDir(), "gate-e2e-prod-export.json")
		if b, err := os.ReadFile(export); err == nil && os.WriteFile(kept, b, 0o600) == nil {
			t.Logf("the export is kept in %s", kept)
		}
	}
}

func keys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSecretsNeverInEvidence: a secret input (a canary) reaches the pack as a secret and is
// never written in clear, neither in the evidence files nor in the engine's output.
func TestSecretsNeverInEvidence(t *testing.T) {
	const canary = "canary-8f3e1d7c-never-print-me"
	var hit broken
	prog := breaking("aws:kinesis/stream:Stream", "", func(p pulumi.Map) {
		p["tags"] = pulumi.Map{"canary": pulumi.ToSecret(pulumi.String(canary))}
	}, &hit)
	s := open(t, env(t), "prod", prog)
	var out strings.Builder
	run, err := s.Preview(context.Background(), audit.Policy{Packs: []string{setup.pack}}, &out)
	require.NoError(t, err)
	require.NotEmpty(t, hit.Name())
	require.NoError(t, run.Err, out.String())
	ev := evidence(t, s, run)
	dir := t.TempDir()
	require.NoError(t, ev.Write(dir))

	var stream map[string]any
	for _, name := range []string{"resources.json", "policy-events.json", "summary.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.NotContains(t, string(b), canary, name)
		if name == "resources.json" {
			var fx struct {
				Resources []map[string]any `json:"resources"`
			}
			require.NoError(t, json.Unmarshal(b, &fx))
			for _, r := range fx.Resources {
				if strings.HasSuffix(r["urn"].(string), "::"+hit.Name()) {
					stream = r
				}
			}
		}
	}
	assert.NotContains(t, out.String(), canary)
	require.NotNil(t, stream, "the stream is not in resources.json")
	tags := stream["properties"].(map[string]any)["tags"]
	// The secret is recorded as present and secret (Pulumi's secret signature), value withheld.
	assert.Contains(t, toJSON(t, tags), "1b47061264138c4ac30d75fd1eb44270")
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestAuditCommand runs the command `make audit` runs, for prod, into a temporary evidence
// folder: exit status 0, the engine's output and the verdict printed, the three files written.
func TestAuditCommand(t *testing.T) {
	out := t.TempDir()
	cmd := exec.Command(setup.audit, "-stack", "prod", "-policy-pack", setup.pack, "-out", out,
		"-cli-root", setup.cliRoot, "-cli-version", setup.cliVersion,
		"-pulumi-home", setup.pulumiHome, "-backend-dir", t.TempDir())
	cmd.Dir = setup.root
	cmd.Env = append(os.Environ(), "AUDIT_OFFLINE=")
	stdout, err := cmd.Output()
	require.NoError(t, err, "audit failed: %s", stdout)
	assert.Contains(t, string(stdout), "Policies:")
	assert.Contains(t, string(stdout), "PASS: the Pulumi engine lets this deployment through.")
	assert.NotContains(t, string(stdout), "Update plan written")
	var sum audit.Summary
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
	assert.Equal(t, "pass", sum.Verdict)
	assert.Equal(t, "prod", sum.Stack)
	assert.True(t, sum.Offline)
	assert.Nil(t, sum.PackConfig, "the pack ran with its defaults")
	assert.Equal(t, strings.TrimPrefix(setup.cliVersion, "v"), sum.Engine.Version)
	require.Len(t, sum.Sources, len(audit.SourcePaths), "the evidence names its sources")
	for i, src := range sum.Sources {
		assert.Equal(t, audit.SourcePaths[i], src.Path)
		assert.Regexp(t, `^[0-9a-f]{40}$`, src.ID, src.Path)
	}
	for _, f := range []string{"resources.json", "policy-events.json"} {
		_, err := os.Stat(filepath.Join(out, f))
		require.NoError(t, err)
	}
}

// TestAuditCommandBlocked: with a stricter pack config (KMS rotation period at most 90 days,
// the program rotates yearly) the engine blocks; the command exits 1, names the keys and still
// writes complete evidence (dependencies from a preview without the pack).
func TestAuditCommandBlocked(t *testing.T) {
	out := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "strict.json")
	require.NoError(t, os.WriteFile(cfg,
		[]byte(`{"kms-key-rotation-enabled": {"enforcementLevel": "mandatory", "maxRotationPeriodInDays": 90}}`), 0o600))
	cmd := exec.Command(setup.audit, "-stack", "prod", "-policy-pack", setup.pack, "-policy-pack-config", cfg,
		"-out", out, "-cli-root", setup.cliRoot, "-cli-version", setup.cliVersion,
		"-pulumi-home", setup.pulumiHome, "-backend-dir", t.TempDir())
	cmd.Dir = setup.root
	cmd.Env = append(os.Environ(), "AUDIT_OFFLINE=")
	stdout, err := cmd.Output()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "audit: %s", stdout)
	assert.Equal(t, 1, exit.ExitCode(), "%s", stdout)
	assert.Contains(t, string(stdout), "MANDATORY kms-key-rotation-enabled")
	assert.Contains(t, string(stdout), "BLOCKED: the Pulumi engine refused this deployment")

	var sum audit.Summary
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &sum))
	assert.Equal(t, "blocked", sum.Verdict)
	assert.Positive(t, sum.Mandatory)
	cfgData, err := os.ReadFile(cfg)
	require.NoError(t, err)
	digest := sha256.Sum256(cfgData)
	require.NotNil(t, sum.PackConfig, "the evidence names the config the engine ran with")
	assert.Equal(t, audit.FileDigest{Path: filepath.ToSlash(cfg), SHA256: hex.EncodeToString(digest[:])}, *sum.PackConfig)
	b, err = os.ReadFile(filepath.Join(out, "resources.json"))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"dependencies"`)
}
