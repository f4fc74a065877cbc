package evidence

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/compliance-docs/report"
)

const canary = "canary-secret-7f3a9c2e"

var asOf = time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)

func TestFromDirReadsTheAuditEvidence(t *testing.T) {
	in, err := FromDir("testdata/audit", Options{AsOf: asOf, Display: "compliance-docs/reports/prod"})
	require.NoError(t, err)
	assert.Equal(t, "prod", in.Scope.Stack, "from summary.json")
	assert.Equal(t, "carepulse", in.Scope.Project)
	assert.Equal(t, "0123456789abcdef0123456789abcdef01234567", in.Scope.Commit)
	assert.Equal(t, []report.SourceTree{{Path: "infrastructure", ID: "1111111111111111111111111111111111111111"},
		{Path: "gate/go.mod", ID: "2222222222222222222222222222222222222222"}}, in.Scope.Sources)
	assert.Equal(t, "pulumi v3.276.0", in.Scope.EngineVersion)
	assert.Equal(t, &report.FileDigest{Path: "policy-config.json", SHA256: "66f0ac644fe7bebaf2b4fe78000738c93aba20de10cba4a2cf4edb195abfbe04"}, in.Scope.PackConfig)
	assert.Equal(t, "compliance-docs/reports/prod/resources.json", in.Scope.Source)
	assert.Equal(t, "fixture", in.Scope.Format)
	require.NotNil(t, in.Engine)
	assert.Equal(t, report.EngineEvidence{PolicyEvents: 3, Mandatory: 2, Advisory: 1,
		Source: "compliance-docs/reports/prod/policy-events.json", Findings: []report.EngineFinding{
			{Policy: "kms-key-rotation-enabled", URN: "urn:pulumi:prod::carepulse::hipaa:keys:Keys$aws:kms/key:Key::keys-legacy", Enforcement: "mandatory"},
			{Policy: "rds-cluster-instance-not-publicly-accessible", URN: "urn:pulumi:prod::carepulse::hipaa:database:Database$aws:rds/clusterInstance:ClusterInstance::database-reader", Enforcement: "mandatory"},
			{Policy: "cloudwatch-log-group-retention-sufficient", URN: "urn:pulumi:prod::carepulse::hipaa:logging:Logging$aws:cloudwatch/logGroup:LogGroup::logging-api-access", Enforcement: "advisory"},
		}}, *in.Engine, "neither the excepted event nor the suppressed one is an open finding")
	assert.Len(t, in.Resources, 8)
	assert.Equal(t, 12, in.SourceLines["urn:pulumi:prod::carepulse::hipaa:keys:Keys$aws:kms/key:Key::keys-legacy"],
		"the line of the resource's urn in resources.json")
	assert.Len(t, in.SourceLines, 8)
	assert.Equal(t, 8, in.Evaluation.Resources)

	in, err = FromDir("testdata/audit", Options{AsOf: asOf, Stack: "other", Commit: "feed"})
	require.NoError(t, err)
	assert.Equal(t, "other", in.Scope.Stack, "flags win over summary.json")
	assert.Equal(t, "feed", in.Scope.Commit)
	assert.Equal(t, "testdata/audit/resources.json", in.Scope.Source)
}

func TestFromDirErrors(t *testing.T) {
	_, err := FromDir(t.TempDir(), Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "has no resources.json (run `make audit STACK=<stack>` first)")

	dir := t.TempDir()
	data, err := os.ReadFile("testdata/audit/resources.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, ResourcesFile), data, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, SummaryFile), []byte(`{"stack": 3`), 0o644))
	_, err = FromDir(dir, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, SummaryFile)+": invalid JSON")

	require.NoError(t, os.WriteFile(filepath.Join(dir, ResourcesFile), []byte(`{"resources": [{"type": 1}]}`), 0o644))
	require.NoError(t, os.Remove(filepath.Join(dir, SummaryFile)))
	_, err = FromDir(dir, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, ResourcesFile), "names the file")
}

// TestReportOfTheRealPack builds the report with the pack's registry over the test evidence:
// every catalog control appears in every format, and the canary secret in none.
func TestReportOfTheRealPack(t *testing.T) {
	in, err := FromDir("testdata/audit", Options{AsOf: asOf, Display: "compliance-docs/reports/prod"})
	require.NoError(t, err)
	r, err := report.Build(in)
	require.NoError(t, err)
	cat, err := catalog.Load()
	require.NoError(t, err)
	require.Len(t, r.Controls, len(cat.Controls))
	assert.Empty(t, r.UnknownControls, "every control a policy cites is in the catalog")
	for _, f := range report.Formats {
		var b bytes.Buffer
		require.NoError(t, report.Render(&b, r, f))
		out := b.String()
		assert.NotContains(t, out, canary, "%s must not contain a secret value", f)
		if f == "sarif" {
			validateSARIF(t, b.Bytes())
			continue // SARIF lists policies and findings, not controls
		}
		for _, c := range cat.Controls {
			assert.Contains(t, out, c.ID, "%s lists %s", f, c.ID)
		}
	}
	for _, c := range r.Controls {
		if c.Status != catalog.Manual {
			assert.NotEqual(t, report.NoPolicy, c.Verdict, "%s is %s but no policy cites it", c.ID, c.Status)
		}
	}
}

// TestCommittedReportsAreFresh regenerates every committed report under
// compliance-docs/reports/<stack>/ from its evidence, the way `make docs` does, and fails when
// a committed file differs: run `make docs` after changing the pack, the catalog or the evidence.
func TestCommittedReportsAreFresh(t *testing.T) {
	dirs, err := filepath.Glob("../reports/*/" + ResourcesFile)
	require.NoError(t, err)
	if len(dirs) == 0 {
		t.Skip("no evidence committed under compliance-docs/reports/<stack>/ yet (make audit writes it)")
	}
	for _, res := range dirs {
		dir := filepath.Dir(res)
		stack := filepath.Base(dir)
		t.Run(stack, func(t *testing.T) {
			in, err := FromDir(dir, Options{Display: "compliance-docs/reports/" + stack})
			require.NoError(t, err)
			r, err := report.Build(in)
			require.NoError(t, err)
			fresh := t.TempDir()
			require.NoError(t, report.Write(fresh, r))
			for _, f := range report.Formats {
				name := report.FileNames[f]
				want, err := os.ReadFile(filepath.Join(fresh, name))
				require.NoError(t, err)
				got, err := os.ReadFile(filepath.Join(dir, name))
				require.NoError(t, err, "compliance-docs/reports/%s/%s is missing: run `make docs`", stack, name)
				if f == "sarif" {
					validateSARIF(t, got)
				}
				if !bytes.Equal(want, got) {
					t.Errorf("compliance-docs/reports/%s/%s is stale: run `make docs` (first difference at line %d)",
						stack, name, firstDiffLine(want, got))
				}
			}
		})
	}
}

// validateSARIF checks a SARIF log against the official 2.1.0 schema kept beside the report
// package.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	schemaJSON, err := os.ReadFile("../report/testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	require.NoError(t, c.AddResource(report.SARIFSchemaURI, bytes.NewReader(schemaJSON)))
	schema, err := c.Compile(report.SARIFSchemaURI)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(data, &doc))
	require.NoError(t, schema.Validate(doc))
}

func firstDiffLine(a, b []byte) int {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// TestReportFollowsThePackConfig: the report shows the enforcement the evaluation ran with.
func TestReportFollowsThePackConfig(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		level string
		check func(t *testing.T, r *report.Report)
	}{
		{"advisory", func(t *testing.T, r *report.Report) {
			c := r.Coverage
			assert.Zero(t, c.Policies.Mandatory)
			assert.Equal(t, c.Policies.Total, c.Policies.Advisory)
			assert.Zero(t, c.Findings.Mandatory)
			assert.False(t, c.Blocked)
			assert.Zero(t, c.UndeterminedMandatory)
			for _, p := range r.Policies {
				assert.Equal(t, "advisory", string(p.Enforcement), p.ID)
			}
		}},
		{"disabled", func(t *testing.T, r *report.Report) {
			c := r.Coverage
			assert.Equal(t, c.Policies.Total, c.Policies.Disabled)
			assert.Zero(t, c.Controls.Verdicts[report.NotEvaluated], "disabled policies are not 'no resource in scope'")
			assert.Positive(t, c.Controls.Verdicts[report.Disabled])
			assert.Zero(t, c.Results.Total())
		}},
	} {
		t.Run(tt.level, func(t *testing.T) {
			path := filepath.Join(dir, tt.level+".json")
			require.NoError(t, os.WriteFile(path, []byte(`{"all":"`+tt.level+`"}`), 0o600))
			in, err := FromDir("testdata/audit", Options{AsOf: asOf, ConfigPath: path})
			require.NoError(t, err)
			r, err := report.Build(in)
			require.NoError(t, err)
			tt.check(t, r)
		})
	}
}

func TestSuppressionsAreValidated(t *testing.T) {
	dir := t.TempDir()
	entry := "suppressions:\n  - {policy: %s, urn: 'urn:pulumi:prod::*', reason: r, owner: sec@carepulse.example, expires: %s}\n"
	for _, tt := range []struct {
		name, policy, expires, want string
	}{
		{"beyond a year", "kms-key-rotation-enabled", "2099-01-01", "expires 2099-01-01 is more than 366 days after " + asOf.UTC().Format("2006-01-02")},
		{"unknown policy", "no-such-policy", asOf.AddDate(0, 1, 0).Format("2006-01-02"), `no policy "no-such-policy" in the pack`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name+".yaml")
			require.NoError(t, os.WriteFile(path, []byte(fmt.Sprintf(entry, tt.policy, tt.expires)), 0o600))
			_, err := FromDir("testdata/audit", Options{AsOf: asOf, SuppressionsPath: path})
			require.Error(t, err)
			assert.Contains(t, err.Error(), path+": suppressions[0]")
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
