package audit

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommittedEvidenceIsFromTheseSources: the evidence in compliance-docs/reports/<stack> was
// produced from the sources as they are now. A change to the program, the pack, its Rego
// rules or the runner needs `make audit STACK=<stack>` (then `make docs`) before it is
// committed, so the reports auditors read never describe other code than the code beside them.
// git reads the sources in a child process and most of them lie outside this module, which go
// test's result cache does not watch: `make test` runs with -count=1, and so must a bare go test
// of this package after an edit elsewhere.
func TestCommittedEvidenceIsFromTheseSources(t *testing.T) {
	if _, err := git(".", nil, "rev-parse", "--show-toplevel"); err != nil {
		t.Skipf("not a git checkout, so the sources have no object IDs to compare: %v", err)
	}
	now, err := SourceTrees("../..", SourcePaths) // the project root, from gate/audit
	require.NoError(t, err)
	summaries, err := filepath.Glob("../../compliance-docs/reports/*/summary.json")
	require.NoError(t, err)
	require.NotEmpty(t, summaries, "no evidence in compliance-docs/reports/<stack>/summary.json")
	for _, path := range summaries {
		stack := filepath.Base(filepath.Dir(path))
		t.Run(stack, func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			var sum Summary
			require.NoError(t, json.Unmarshal(data, &sum), path)
			var stale []string
			recorded := map[string]string{}
			for _, s := range sum.Sources {
				recorded[s.Path] = s.ID
			}
			for _, s := range now {
				if recorded[s.Path] != s.ID {
					stale = append(stale, s.Path)
				}
			}
			assert.Empty(t, stale, "the evidence of stack %s comes from other sources than these (%s): run `make audit STACK=%s` and `make docs`, and commit the result",
				stack, strings.Join(stale, ", "), stack)
		})
	}
}
