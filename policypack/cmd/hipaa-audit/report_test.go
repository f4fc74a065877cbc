package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const reportEvidence = "../../../compliance-docs/evidence/testdata/audit"

func TestReportCommand(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--format", "md", reportEvidence + "/resources.json"}, "# HIPAA Security Rule control mapping: stack prod"},
		{[]string{"report", reportEvidence}, "164.316(b)(2)(iii)"},
		{[]string{"report", "--format", "html", reportEvidence}, "<!DOCTYPE html>"},
	} {
		var out, errOut bytes.Buffer
		code := run(tc.args, &out, &errOut)
		require.Equal(t, exitOK, code, "%v: %s", tc.args, errOut.String())
		assert.Contains(t, out.String(), tc.want, tc.args)
	}

	var out, errOut bytes.Buffer
	require.Equal(t, exitOK, run([]string{"report", "--format", "sarif", "--commit", "abc123", reportEvidence}, &out, &errOut), errOut.String())
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Properties map[string]string `json:"properties"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &sarif))
	assert.Equal(t, "2.1.0", sarif.Version)
	assert.Equal(t, "abc123", sarif.Runs[0].Properties["commit"])
}

func TestReportCommandRejectsBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--format", "pdf", reportEvidence}, `--format "pdf" is not one of md, html, json, sarif`},
		{[]string{"report"}, "expected exactly one FILE, got 0"},
		{[]string{"report", "testdata/does-not-exist.json"}, "testdata/does-not-exist.json"},
	} {
		var out, errOut bytes.Buffer
		assert.Equal(t, exitUsage, run(tc.args, &out, &errOut), tc.args)
		assert.Contains(t, errOut.String(), tc.want, tc.args)
		assert.Empty(t, out.String(), "nothing written on bad input: %v", tc.args)
	}
}
