package catalog_test

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
)

// citations maps every control cited by a policy of the pack to the citing policies.
func citations(t *testing.T) map[string][]string {
	cited, _ := citationsByEnforcement(t)
	return cited
}

// citationsByEnforcement also returns the controls cited by mandatory policies.
func citationsByEnforcement(t *testing.T) (all, mandatory map[string][]string) {
	t.Helper()
	policies, err := registry.All()
	require.NoError(t, err)
	all, mandatory = map[string][]string{}, map[string][]string{}
	for _, p := range policies {
		for _, c := range p.Controls {
			all[c] = append(all[c], p.ID)
			if p.Enforcement == policy.Mandatory {
				mandatory[c] = append(mandatory[c], p.ID)
			}
		}
	}
	return all, mandatory
}

// TestAutomatedControlsAreEnforced: "automated" means a deploy that breaks the control is
// blocked, so at least one mandatory policy enforces it.
func TestAutomatedControlsAreEnforced(t *testing.T) {
	cat, err := catalog.Load()
	require.NoError(t, err)
	_, mandatory := citationsByEnforcement(t)
	for _, ctl := range cat.Controls {
		if ctl.Status == catalog.Automated {
			assert.NotEmpty(t, mandatory[ctl.ID], "%s is automated but no mandatory policy enforces it", ctl.ID)
		}
	}
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
