package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
