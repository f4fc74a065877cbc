package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// regulation lists every standard and implementation specification of the Security Rule with
// its required/addressable designation, written independently of controls.yaml (from Appendix A
// to Subpart C of Part 164 and, for 164.314 and 164.316, the sections' own "(Required)"), so an
// edit of the catalog that drops, adds or re-designates a control fails here.
var regulation = []struct {
	id, title string
	kind      Kind
	d         Designation
}{
	{"164.308(a)(1)(i)", "Security management process", Standard, Required},
	{"164.308(a)(1)(ii)(A)", "Risk analysis", ImplementationSpecification, Required},
	{"164.308(a)(1)(ii)(B)", "Risk management", ImplementationSpecification, Required},
	{"164.308(a)(1)(ii)(C)", "Sanction policy", ImplementationSpecification, Required},
	{"164.308(a)(1)(ii)(D)", "Information system activity review", ImplementationSpecification, Required},
	{"164.308(a)(2)", "Assigned security responsibility", Standard, Required},
	{"164.308(a)(3)(i)", "Workforce security", Standard, Required},
	{"164.308(a)(3)(ii)(A)", "Authorization and/or supervision", ImplementationSpecification, Addressable},
	{"164.308(a)(3)(ii)(B)", "Workforce clearance procedure", ImplementationSpecification, Addressable},
	{"164.308(a)(3)(ii)(C)", "Termination procedures", ImplementationSpecification, Addressable},
	{"164.308(a)(4)(i)", "Information access management", Standard, Required},
	{"164.308(a)(4)(ii)(A)", "Isolating health care clearinghouse functions", ImplementationSpecification, Required},
	{"164.308(a)(4)(ii)(B)", "Access authorization", ImplementationSpecification, Addressable},
	{"164.308(a)(4)(ii)(C)", "Access establishment and modification", ImplementationSpecification, Addressable},
	{"164.308(a)(5)(i)", "Security awareness and training", Standard, Required},
	{"164.308(a)(5)(ii)(A)", "Security reminders", ImplementationSpecification, Addressable},
	{"164.308(a)(5)(ii)(B)", "Protection from malicious software", ImplementationSpecification, Addressable},
	{"164.308(a)(5)(ii)(C)", "Log-in monitoring", ImplementationSpecification, Addressable},
	{"164.308(a)(5)(ii)(D)", "Password management", ImplementationSpecification, Addressable},
	{"164.308(a)(6)(i)", "Security incident procedures", Standard, Required},
	{"164.308(a)(6)(ii)", "Response and reporting", ImplementationSpecification, Required},
	{"164.308(a)(7)(i)", "Contingency plan", Standard, Required},
	{"164.308(a)(7)(ii)(A)", "Data backup plan", ImplementationSpecification, Required},
	{"164.308(a)(7)(ii)(B)", "Disaster recovery plan", ImplementationSpecification, Required},
	{"164.308(a)(7)(ii)(C)", "Emergency mode operation plan", ImplementationSpecification, Required},
	{"164.308(a)(7)(ii)(D)", "Testing and revision procedures", ImplementationSpecification, Addressable},
	{"164.308(a)(7)(ii)(E)", "Applications and data criticality analysis", ImplementationSpecification, Addressable},
	{"164.308(a)(8)", "Evaluation", Standard, Required},
	{"164.308(b)(1)", "Business associate contracts and other arrangements", Standard, Required},
	{"164.308(b)(3)", "Written contract or other arrangement", ImplementationSpecification, Required},
	{"164.310(a)(1)", "Facility access controls", Standard, Required},
	{"164.310(a)(2)(i)", "Contingency operations", ImplementationSpecification, Addressable},
	{"164.310(a)(2)(ii)", "Facility security plan", ImplementationSpecification, Addressable},
	{"164.310(a)(2)(iii)", "Access control and validation procedures", ImplementationSpecification, Addressable},
	{"164.310(a)(2)(iv)", "Maintenance records", ImplementationSpecification, Addressable},
	{"164.310(b)", "Workstation use", Standard, Required},
	{"164.310(c)", "Workstation security", Standard, Required},
	{"164.310(d)(1)", "Device and media controls", Standard, Required},
	{"164.310(d)(2)(i)", "Disposal", ImplementationSpecification, Required},
	{"164.310(d)(2)(ii)", "Media re-use", ImplementationSpecification, Required},
	{"164.310(d)(2)(iii)", "Accountability", ImplementationSpecification, Addressable},
	{"164.310(d)(2)(iv)", "Data backup and storage", ImplementationSpecification, Addressable},
	{"164.312(a)(1)", "Access control", Standard, Required},
	{"164.312(a)(2)(i)", "Unique user identification", ImplementationSpecification, Required},
	{"164.312(a)(2)(ii)", "Emergency access procedure", ImplementationSpecification, Required},
	{"164.312(a)(2)(iii)", "Automatic logoff", ImplementationSpecification, Addressable},
	{"164.312(a)(2)(iv)", "Encryption and decryption", ImplementationSpecification, Addressable},
	{"164.312(b)", "Audit controls", Standard, Required},
	{"164.312(c)(1)", "Integrity", Standard, Required},
	{"164.312(c)(2)", "Mechanism to authenticate electronic protected health information", ImplementationSpecification, Addressable},
	{"164.312(d)", "Person or entity authentication", Standard, Required},
	{"164.312(e)(1)", "Transmission security", Standard, Required},
	{"164.312(e)(2)(i)", "Integrity controls", ImplementationSpecification, Addressable},
	{"164.312(e)(2)(ii)", "Encryption", ImplementationSpecification, Addressable},
	{"164.314(a)(1)", "Business associate contracts or other arrangements", Standard, Required},
	{"164.314(a)(2)(i)", "Business associate contracts", ImplementationSpecification, Required},
	{"164.314(a)(2)(ii)", "Other arrangements", ImplementationSpecification, Required},
	{"164.314(a)(2)(iii)", "Business associate contracts with subcontractors", ImplementationSpecification, Required},
	{"164.314(b)(1)", "Requirements for group health plans", Standard, Required},
	{"164.314(b)(2)(i)", "Implement safeguards", ImplementationSpecification, Required},
	{"164.314(b)(2)(ii)", "Ensure adequate separation", ImplementationSpecification, Required},
	{"164.314(b)(2)(iii)", "Ensure agents implement safeguards", ImplementationSpecification, Required},
	{"164.314(b)(2)(iv)", "Report security incidents", ImplementationSpecification, Required},
	{"164.316(a)", "Policies and procedures", Standard, Required},
	{"164.316(b)(1)", "Documentation", Standard, Required},
	{"164.316(b)(2)(i)", "Time limit", ImplementationSpecification, Required},
	{"164.316(b)(2)(ii)", "Availability", ImplementationSpecification, Required},
	{"164.316(b)(2)(iii)", "Updates", ImplementationSpecification, Required},
}

func TestLoadMatchesTheRegulation(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	require.Len(t, c.Controls, len(regulation), "one entry per standard and implementation specification")
	for i, want := range regulation {
		got := c.Controls[i]
		assert.Equal(t, want.id, got.ID, "position %d (regulation order)", i)
		assert.Equal(t, want.title, got.Title, want.id)
		assert.Equal(t, want.kind, got.Kind, want.id)
		assert.Equal(t, want.d, got.Designation, want.id)
	}
}

func TestLoadedControlsAreConsistent(t *testing.T) {
	c, err := Load()
	require.NoError(t, err)
	seen := map[string]bool{}
	counts := map[Status]int{}
	for _, ctl := range c.Controls {
		assert.True(t, WellFormed(ctl.ID), "%s well formed", ctl.ID)
		assert.False(t, strings.Contains(ctl.ID, "§"), ctl.ID)
		assert.False(t, seen[ctl.ID], "%s unique", ctl.ID)
		seen[ctl.ID] = true
		counts[ctl.Status]++
		if ctl.Kind == ImplementationSpecification {
			parent, ok := c.Get(ctl.Standard)
			require.True(t, ok, "%s: parent standard %s present", ctl.ID, ctl.Standard)
			assert.Equal(t, Standard, parent.Kind, ctl.ID)
		}
		if ctl.Status != Automated {
			assert.NotEmpty(t, ctl.Rationale, "%s (%s) has a rationale", ctl.ID, ctl.Status)
			assert.NotEmpty(t, ctl.Owner, "%s (%s) names who owns the rest", ctl.ID, ctl.Status)
		}
		assert.NotEmpty(t, ctl.Summary, ctl.ID)
	}
	// Every physical safeguard is outside what infrastructure code can show.
	for _, ctl := range c.Controls {
		if ctl.Safeguard == Physical || ctl.Safeguard == Organizational {
			assert.Equal(t, Manual, ctl.Status, ctl.ID)
		}
	}
	assert.Positive(t, counts[Automated])
	assert.Positive(t, counts[Partial])
	assert.Positive(t, counts[Manual])
}

func TestWellFormed(t *testing.T) {
	for id, want := range map[string]bool{
		"164.312(a)(2)(iv)":    true,
		"164.308(a)(7)(ii)(A)": true,
		"164.312(b)":           true,
		"164.316(b)(2)(i)":     true,
		"§164.312(b)":          false,
		"164.312 (b)":          false,
		"164.312(a)(2)(IV)":    false,
		"164.312(a)(iv)":       false,
		"164.502(a)":           false,
		"164.312":              false,
		"164.312(e)(2)(ii)(a)": false,
		"164.312(e)(1)(2)":     false,
		"":                     false,
	} {
		assert.Equal(t, want, WellFormed(id), id)
	}
}

func TestParseRejectsBadCatalogs(t *testing.T) {
	const good = `controls:
  - {id: 164.312(a)(1), title: Access control, safeguard: technical, kind: standard, designation: R, status: automated, summary: s}
  - {id: 164.312(a)(2)(iv), title: Encryption and decryption, safeguard: technical, kind: implementation-specification, standard: 164.312(a)(1), designation: A, status: manual, owner: customer, summary: s, rationale: r}
`
	_, err := Parse([]byte(good))
	require.NoError(t, err)
	for name, tc := range map[string]struct{ from, to, want string }{
		"malformed id":           {"id: 164.312(a)(2)(iv)", "id: §164.312(a)(2)(iv)", "not written like"},
		"duplicate id":           {"id: 164.312(a)(2)(iv)", "id: 164.312(a)(1)", "duplicate id"},
		"missing parent":         {"standard: 164.312(a)(1)", "standard: 164.312(e)(1)", "parent standard 164.312(e)(1) is not in the catalog"},
		"parent of other branch": {"id: 164.312(a)(2)(iv)", "id: 164.312(e)(2)(iv)", "is not a paragraph of its standard"},
		"no rationale":           {"rationale: r", "rationale: ''", "needs a rationale"},
		"no owner":               {"owner: customer", "owner: ''", "needs an owner"},
		"bad status":             {"status: manual", "status: done", `status "done"`},
		"bad designation":        {"designation: A", "designation: X", `designation "X"`},
		"wrong safeguard":        {"safeguard: technical, kind: standard", "safeguard: physical, kind: standard", "safeguard \"physical\", want \"technical\""},
		"unknown field":          {"summary: s}", "summary: s, policies: [x]}", "field policies not found"},
		"addressable standard":   {"kind: standard, designation: R", "kind: standard, designation: A", "standards are required"},
	} {
		t.Run(name, func(t *testing.T) {
			bad := strings.Replace(good, tc.from, tc.to, 1)
			require.NotEqual(t, good, bad, "the case must change the catalog")
			_, err := Parse([]byte(bad))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
