package regopolicies_test

import (
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/regopolicies"
	regorules "github.com/carepulse/hipaa-pipeline/rego"
)

// TestRegoConventions checks what no Rego linter here can: every rule file lives at
// hipaa/<service>/<id with underscores>.rego with package hipaa.<service>.<id with
// underscores>, has a _test.rego beside it in package <package>_test that reads unknown and
// secret values, and its METADATA is complete, with control IDs from the catalog.
func TestRegoConventions(t *testing.T) {
	files, err := regorules.Files()
	require.NoError(t, err)
	rules, _, err := regopolicies.Compile(files)
	require.NoError(t, err)
	require.NotEmpty(t, rules)
	cat, err := catalog.Load()
	require.NoError(t, err)

	ruleFiles := map[string]bool{}
	for _, r := range rules {
		ruleFiles[r.File] = true
		id := r.Metadata.ID
		service, _, _ := strings.Cut(id, "-")
		base := strings.ReplaceAll(id, "-", "_")
		assert.Equal(t, path.Join("hipaa", service, base+".rego"), r.File, "file of %s", id)
		assert.Equal(t, "data.hipaa."+service+"."+base, r.Package, "package of %s", id)

		errs := registry.Check(policy.Policy{Metadata: r.Metadata, Resource: func(policy.Env, policy.Resource) policy.Result { return policy.Passed() }})
		assert.Empty(t, errs, "metadata of %s", r.File)
		for _, c := range r.Metadata.Controls {
			assert.True(t, cat.Has(c), "%s: control %s is not in the catalog", id, c)
		}

		testFile := strings.TrimSuffix(r.File, ".rego") + regorules.TestSuffix
		src, err := fs.ReadFile(regorules.Source, testFile)
		if !assert.NoError(t, err, "%s has no %s beside it", r.File, testFile) {
			continue
		}
		test := string(src)
		testPkg := "package " + strings.TrimPrefix(r.Package, "data.") + "_test"
		assert.True(t, strings.HasPrefix(test, testPkg+"\n"), "%s must start with %q", testFile, testPkg)
		assert.Contains(t, test, "import "+r.Package+" as rule", testFile)
		assert.Contains(t, test, "lib.unknown", "%s never reads an unknown value", testFile)
		assert.Contains(t, test, "t.with_secrets(", "%s never reads a secret value", testFile)
		assert.Contains(t, test, "wrong_type", "%s never reads a value of the wrong type", testFile)
	}

	// Every .rego file under hipaa/ that is not a test is a rule (loaded above), and every test
	// file has its rule.
	err = fs.WalkDir(regorules.Source, "hipaa", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch {
		case strings.HasSuffix(p, regorules.TestSuffix):
			rule := strings.TrimSuffix(p, regorules.TestSuffix) + ".rego"
			assert.True(t, ruleFiles[rule], "%s tests no rule (%s is missing)", p, rule)
		case strings.HasSuffix(p, ".rego"):
			assert.True(t, ruleFiles[p], "%s is not a loaded rule", p)
		default:
			t.Errorf("%s: only .rego files belong under hipaa/", p)
		}
		return nil
	})
	require.NoError(t, err)
}
