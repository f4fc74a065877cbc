package catalog_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
)

// citations maps every control cited by a policy of the pack to the citing policies.
func citations(t *testing.T) map[string][]string {
	t.Helper()
	policies, err := registry.All()
	require.NoError(t, err)
	out := map[string][]string{}
	for _, p := range policies {
		for _, c := range p.Controls {
			out[c] = append(out[c], p.ID)
		}
	}
	return out
}

// TestPackControlsAreInTheCatalog is THE test that the pack cites only controls the catalog
// knows: every control ID in any policy's metadata, Go or Rego, is a catalog entry.
func TestPackControlsAreInTheCatalog(t *testing.T) {
	cat, err := catalog.Load()
	require.NoError(t, err)
	cited := citations(t)
	var unknown []string
	for id, policies := range cited {
		if !cat.Has(id) {
			unknown = append(unknown, id+" (cited by "+policies[0]+")")
		}
	}
	sort.Strings(unknown)
	assert.Empty(t, unknown, "controls cited by policies but missing from compliance-docs/catalog/controls.yaml")
}

// TestCatalogStatusMatchesThePack: an automated or partial control is enforced by at least one
// policy; a manual one by none (else its status understates what the pack does).
func TestCatalogStatusMatchesThePack(t *testing.T) {
	cat, err := catalog.Load()
	require.NoError(t, err)
	cited := citations(t)
	for _, ctl := range cat.Controls {
		switch ctl.Status {
		case catalog.Automated, catalog.Partial:
			assert.NotEmpty(t, cited[ctl.ID], "%s is %s in the catalog but no policy of the pack cites it", ctl.ID, ctl.Status)
		case catalog.Manual:
			assert.Empty(t, cited[ctl.ID], "%s is manual in the catalog but policies cite it: make it partial or automated", ctl.ID)
			assert.NotEmpty(t, ctl.Rationale, ctl.ID)
		}
	}
}
