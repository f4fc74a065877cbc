package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/gate/audit"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, f flags)
	}{
		{name: "stack from flag, defaults", args: []string{"-stack", "prod"}, check: func(t *testing.T, f flags) {
			assert.Equal(t, "prod", f.stack)
			assert.True(t, f.offline)
			assert.Equal(t, filepath.Join("compliance-docs", "reports", "prod"), f.out)
			assert.Equal(t, "bin/policypack/hipaa-policy-pack", f.pack)
		}},
		{name: "stack from STACK, AUDIT_OFFLINE=0", env: map[string]string{"STACK": "dev", "AUDIT_OFFLINE": "0"},
			check: func(t *testing.T, f flags) {
				assert.Equal(t, "dev", f.stack)
				assert.False(t, f.offline)
			}},
		{name: "no stack", env: map[string]string{"STACK": ""}, wantErr: "no stack"},
		{name: "stray argument", args: []string{"-stack", "dev", "extra"}, wantErr: "unexpected arguments: extra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("STACK", "")
			t.Setenv("AUDIT_OFFLINE", "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			f, err := parse(tt.args, io.Discard)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, f)
		})
	}
}

func TestRunRefusesAMissingStandin(t *testing.T) {
	var stderr strings.Builder
	code := run(context.Background(), []string{"-stack", "prod", "-pulumi-home", t.TempDir()}, io.Discard, &stderr)
	assert.Equal(t, exitError, code)
	assert.Contains(t, stderr.String(), "the stand-in aws provider is not installed")
}

func TestPrintVerdictCountsUndeterminedChecks(t *testing.T) {
	unknown := "[HIPAA 164.312(b)] containerDefinitions cannot be verified until the value is known"
	tests := []struct {
		name     string
		findings []audit.Finding
		want     []string
		notWant  string
	}{
		{"nothing undetermined", []audit.Finding{{Policy: "a", Enforcement: audit.Advisory, Message: "advisory failure"}},
			[]string{"PASS: the Pulumi engine lets this deployment through. No mandatory violation.\n"}, "undetermined checks:"},
		{"two undetermined checks", []audit.Finding{
			{Policy: "b", URN: "u1", Enforcement: audit.Advisory, Message: unknown},
			{Policy: "a", URN: "u2", Enforcement: audit.Advisory, Message: unknown},
		}, []string{
			"undetermined checks:  2 of the advisory findings (values known only after deployment; not passes): a, b\n",
			"PASS: the Pulumi engine lets this deployment through. No mandatory violation; 2 checks undetermined at preview",
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &audit.Evidence{Summary: audit.Summary{Stack: "prod", Verdict: "pass", Advisory: len(tt.findings)},
				Events: audit.PolicyEvents{Findings: tt.findings}}
			var b strings.Builder
			printVerdict(&b, ev, flags{out: "compliance-docs/reports/prod"})
			for _, w := range tt.want {
				assert.Contains(t, b.String(), w)
			}
			if tt.notWant != "" {
				assert.NotContains(t, b.String(), tt.notWant)
			}
		})
	}
}
