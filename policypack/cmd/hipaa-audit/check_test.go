package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// fakePolicies stand in for the pack so these tests check the command itself: flags, file
// handling, formats and exit codes. TestCheckRealPack runs the real registry.
func fakePolicies() ([]policy.Policy, error) {
	return []policy.Policy{
		{
			Metadata: policy.Metadata{
				ID: "kinesis-stream-encryption-enabled", Title: "Kinesis streams are encrypted with KMS",
				Description: "d", Severity: policy.SeverityHigh, Enforcement: policy.Mandatory,
				Controls: []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, ResourceTypes: []string{"aws:kinesis/stream:Stream"},
				Remediation: "Set encryptionType: KMS.", References: []string{"https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html"},
				Engine: policy.EngineGo,
			},
			Resource: func(_ policy.Env, r policy.Resource) policy.Result {
				v, st := props.String(r.Properties, "encryptionType")
				switch st {
				case props.Unknown:
					return policy.UndeterminedBecause("encryptionType cannot be verified until the value is known")
				case props.Known:
					if v == "KMS" {
						return policy.Passed()
					}
				}
				return policy.Failed("encryptionType is %s, not KMS", props.Display(r.Properties, "encryptionType"))
			},
		},
		{
			Metadata: policy.Metadata{
				ID: "kinesis-stream-retention-sufficient", Title: "Kinesis streams keep records long enough",
				Description: "d", Severity: policy.SeverityLow, Enforcement: policy.Advisory,
				Controls: []string{"164.308(a)(7)(ii)(A)"}, ResourceTypes: []string{"aws:kinesis/stream:Stream"},
				Remediation: "Raise retentionPeriod.", References: []string{"https://docs.aws.amazon.com/streams/latest/dev/kinesis-extended-retention.html"},
				Engine: policy.EngineGo,
				Params: []policy.Param{{Name: "minHours", Type: policy.ParamInteger, Description: "hours", Default: 24}},
			},
			Resource: func(env policy.Env, r policy.Resource) policy.Result {
				h, st := props.Int(r.Properties, "retentionPeriod")
				if st == props.Missing {
					h = 24
				}
				if h < env.Int("minHours") {
					return policy.Failed("retention %d hours is below %d", h, env.Int("minHours"))
				}
				return policy.Passed()
			},
		},
	}, nil
}

func useFakePolicies(t *testing.T) {
	t.Helper()
	saved := loadPolicies
	loadPolicies = fakePolicies
	t.Cleanup(func() { loadPolicies = saved })
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

const streams = `{"resources": [
  {"type": "aws:kinesis/stream:Stream", "name": "vitals", "urn": "urn:pulumi:prod::carepulse::aws:kinesis/stream:Stream::vitals",
   "properties": {"encryptionType": "NONE", "retentionPeriod": 24}},
  {"type": "aws:kinesis/stream:Stream", "name": "alerts", "urn": "urn:pulumi:prod::carepulse::aws:kinesis/stream:Stream::alerts",
   "properties": {"encryptionType": "KMS", "retentionPeriod": 168}}
]}`

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCheckExitCodes(t *testing.T) {
	useFakePolicies(t)
	bad := writeFile(t, "bad.json", streams)
	good := writeFile(t, "good.json", `{"resources": [{"type": "aws:kinesis/stream:Stream", "name": "s", "properties": {"encryptionType": "KMS", "retentionPeriod": 48}}]}`)
	advisoryOnly := writeFile(t, "adv.json", `{"resources": [{"type": "aws:kinesis/stream:Stream", "name": "s", "properties": {"encryptionType": "KMS", "retentionPeriod": 1}}]}`)
	preview := writeFile(t, "preview.json", `{"resources": [{"type": "aws:kinesis/stream:Stream", "name": "s", "properties": {"encryptionType": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}}]}`)
	relaxed := writeFile(t, "cfg.json", `{"kinesis-stream-encryption-enabled": "advisory"}`)

	tests := []struct {
		name string
		args []string
		code int
	}{
		{"mandatory finding", []string{"check", bad}, exitMandatory},
		{"clean", []string{"check", good}, exitOK},
		{"advisory only", []string{"check", advisoryOnly}, exitOK},
		{"unknown is advisory", []string{"check", preview}, exitOK},
		{"config lowers the level", []string{"check", "--config", relaxed, bad}, exitOK},
		{"flags after the file", []string{"check", bad, "--format", "json"}, exitMandatory},
		{"help", []string{"check", "-h"}, exitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(tt.args...)
			assert.Equal(t, tt.code, code, stderr)
		})
	}
}

func TestCheckBadInput(t *testing.T) {
	useFakePolicies(t)
	bad := writeFile(t, "bad.json", streams)
	broken := writeFile(t, "broken.json", "{\"resources\": [\n{\"type\": ")
	noType := writeFile(t, "notype.json", `{"resources": [{"name": "x"}]}`)
	emptyExport := writeFile(t, "empty.json", `{"version": 3, "deployment": {"manifest": {}, "resources": []}}`)
	badCfg := writeFile(t, "cfg.json", `{"kinesis-stream-retention-sufficient": {"minHours": "a day"}}`)
	farSup := writeFile(t, "far.yaml", "suppressions:\n  - {policy: kinesis-stream-retention-sufficient, urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 2099-01-01}\n")
	badSup := writeFile(t, "sup.yaml", "suppressions:\n  - {policy: nope-nope-nope, urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 2099-01-01}\n")

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "usage: hipaa-audit"},
		{"unknown command", []string{"audit"}, `unknown command "audit"`},
		{"no file", []string{"check"}, "expected exactly one FILE, got 0"},
		{"two files", []string{"check", bad, bad}, "expected exactly one FILE, got 2"},
		{"bad format", []string{"check", "--format", "xml", bad}, `--format "xml" is not text or json`},
		{"unknown flag", []string{"check", "--colour", bad}, "flag provided but not defined: -colour"},
		{"missing file", []string{"check", "/nonexistent/stack.json"}, "reading /nonexistent/stack.json"},
		{"broken JSON", []string{"check", broken}, broken + ": invalid JSON at line 2"},
		{"missing type", []string{"check", noType}, noType + `: resources[0]: missing "type"`},
		{"empty export", []string{"check", emptyExport}, emptyExport + ": no resources to check (an empty stack, or a file of another kind): nothing was verified"},
		{"bad config", []string{"check", "--config", badCfg, bad}, "policy config " + badCfg + `: "kinesis-stream-retention-sufficient".minHours: expected an integer, found a string`},
		{"missing config", []string{"check", "--config", "/nonexistent/cfg.json", bad}, "reading policy config /nonexistent/cfg.json"},
		{"suppression beyond a year", []string{"check", "--suppressions", farSup, bad}, farSup + `: suppressions[0] (policy kinesis-stream-retention-sufficient, urn urn:pulumi:*): expires 2099-01-01 is more than 366 days after`},
		{"bad suppressions", []string{"check", "--suppressions", badSup, bad}, badSup + `: suppressions[0] (policy nope-nope-nope, urn urn:pulumi:*): no policy "nope-nope-nope" in the pack`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout, "nothing is written on error")
			assert.Contains(t, stderr, tt.want)
		})
	}
}

func TestCheckJSON(t *testing.T) {
	useFakePolicies(t)
	bad := writeFile(t, "bad.json", streams)
	sup := writeFile(t, "sup.yaml", strings.ReplaceAll(`suppressions:
  - policy: kinesis-stream-retention-sufficient
    urn: "urn:pulumi:prod::carepulse::aws:kinesis/stream:Stream::vitals"
    reason: replayed from S3 archive
    owner: data-platform@carepulse.example
    expires: EXPIRES
`, "EXPIRES", time.Now().UTC().AddDate(0, 6, 0).Format("2006-01-02")))
	code, stdout, stderr := runCmd("check", "--format", "json", "--suppressions", sup, "--config",
		writeFile(t, "cfg.json", `{"kinesis-stream-retention-sufficient": {"minHours": 200}}`), bad)
	require.Equal(t, exitMandatory, code, stderr)

	var doc struct {
		Pack      map[string]string `json:"pack"`
		Resources int               `json:"resources"`
		Findings  []struct {
			Policy      string   `json:"policy"`
			Controls    []string `json:"controls"`
			Severity    string   `json:"severity"`
			Enforcement string   `json:"enforcement"`
			URN         string   `json:"urn"`
			Type        string   `json:"type"`
			Name        string   `json:"name"`
			Message     string   `json:"message"`
		} `json:"findings"`
		Suppressed []map[string]any `json:"suppressed"`
		Summary    map[string]int   `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, map[string]string{"name": "hipaa-security-rule", "version": "0.1.0"}, doc.Pack)
	assert.Equal(t, 2, doc.Resources)
	require.Len(t, doc.Findings, 2)
	f := doc.Findings[0]
	assert.Equal(t, "kinesis-stream-encryption-enabled", f.Policy)
	assert.Equal(t, []string{"164.312(a)(2)(iv)", "164.312(e)(2)(ii)"}, f.Controls)
	assert.Equal(t, "high", f.Severity)
	assert.Equal(t, "mandatory", f.Enforcement)
	assert.Equal(t, "urn:pulumi:prod::carepulse::aws:kinesis/stream:Stream::vitals", f.URN)
	assert.Equal(t, "aws:kinesis/stream:Stream", f.Type)
	assert.Equal(t, "vitals", f.Name)
	assert.Equal(t, `encryptionType is "NONE", not KMS`, f.Message)
	g := doc.Findings[1]
	assert.Equal(t, "kinesis-stream-retention-sufficient", g.Policy)
	assert.Equal(t, "alerts", g.Name, "the config raised the threshold to 200 hours; vitals' finding is suppressed")
	assert.Equal(t, "advisory", g.Enforcement)

	require.Len(t, doc.Suppressed, 1)
	assert.Equal(t, "vitals", doc.Suppressed[0]["name"])
	assert.Equal(t, "replayed from S3 archive", doc.Suppressed[0]["suppression"].(map[string]any)["reason"])
	assert.Equal(t, 1, doc.Summary["mandatory"])
	assert.Equal(t, 1, doc.Summary["advisory"])

	// Stable output: the same input gives the same bytes.
	_, again, _ := runCmd("check", "--format", "json", "--suppressions", sup, "--config",
		writeFile(t, "cfg2.json", `{"kinesis-stream-retention-sufficient": {"minHours": 200}}`), bad)
	assert.Equal(t, stdout, again)
}

func TestCheckText(t *testing.T) {
	useFakePolicies(t)
	bad := writeFile(t, "bad.json", streams)
	code, stdout, _ := runCmd("check", bad)
	require.Equal(t, exitMandatory, code)
	assert.Contains(t, stdout, "hipaa-security-rule 0.1.0: stack prod (project carepulse), 2 resource(s) checked")
	assert.Contains(t, stdout, "MANDATORY  kinesis-stream-encryption-enabled  [164.312(a)(2)(iv), 164.312(e)(2)(ii)]  severity high")
	assert.Contains(t, stdout, "    resource: urn:pulumi:prod::carepulse::aws:kinesis/stream:Stream::vitals (aws:kinesis/stream:Stream)")
	assert.Contains(t, stdout, `    encryptionType is "NONE", not KMS`)
	assert.Contains(t, stdout, "    fix: Set encryptionType: KMS.")
	assert.True(t, strings.HasSuffix(stdout, "Summary: 1 mandatory, 0 advisory, 0 suppressed finding(s); 3 pass, 1 fail, 0 undetermined, 0 not applicable\nResult: FAIL (mandatory findings)\n"), stdout)

	code, stdout, _ = runCmd("check", "--stack", "dev", "--project", "other", bad)
	require.Equal(t, exitMandatory, code)
	assert.Contains(t, stdout, "stack dev (project other)")
}
