package suppressions_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

const sample = `
suppressions:
  - policy: vpc-flow-logs-enabled
    urn: "urn:pulumi:dev::carepulse::*aws:ec2/vpc:Vpc::*"
    reason: dev VPC carries synthetic data only
    owner: platform-team@carepulse.example
    expires: 2027-01-31
  - policy: vpc-flow-logs-enabled
    urn: "urn:pulumi:prod::carepulse::*"
    reason: migration window
    owner: ciso@carepulse.example
    expires: 2026-11-30
`

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMatchAndExpiry(t *testing.T) {
	s, err := suppressions.Parse([]byte(sample), "s.yaml")
	require.NoError(t, err)
	require.Len(t, s.Entries, 2)
	devVPC := "urn:pulumi:dev::carepulse::hipaa:network:Network$aws:ec2/vpc:Vpc::net-vpc"

	e, active, found := s.Match("vpc-flow-logs-enabled", devVPC, day("2027-01-31T23:59:59Z"))
	assert.True(t, found)
	assert.True(t, active, "valid through the whole expiry day")
	assert.Equal(t, "platform-team@carepulse.example", e.Owner)

	_, active, found = s.Match("vpc-flow-logs-enabled", devVPC, day("2027-02-01T00:00:00Z"))
	assert.True(t, found)
	assert.False(t, active, "expired the next day")

	_, _, found = s.Match("other-policy-id", devVPC, day("2026-12-01T00:00:00Z"))
	assert.False(t, found, "policy must match exactly")
	_, _, found = s.Match("vpc-flow-logs-enabled", "urn:pulumi:staging::carepulse::aws:ec2/vpc:Vpc::x", day("2026-12-01T00:00:00Z"))
	assert.False(t, found, "URN pattern must match")

	e, active, found = s.Match("vpc-flow-logs-enabled", "urn:pulumi:prod::carepulse::aws:ec2/vpc:Vpc::x", day("2026-12-03T00:00:00Z"))
	assert.True(t, found)
	assert.False(t, active)
	assert.Equal(t, "2026-11-30", e.Expires)

	expired := s.Expired(day("2026-12-03T00:00:00Z"))
	require.Len(t, expired, 1)
	assert.Equal(t, "ciso@carepulse.example", expired[0].Owner)
}

func TestGlob(t *testing.T) {
	s, err := suppressions.Parse([]byte(`suppressions:
  - {policy: a-b-c, urn: "urn:pulumi:?ev::p::aws:s3/bucket:Bucket::logs-*", reason: r, owner: sec@carepulse.example, expires: 2099-01-01}
`), "x")
	require.NoError(t, err)
	e := s.Entries[0]
	assert.True(t, e.Matches("a-b-c", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs-1"))
	assert.False(t, e.Matches("a-b-c", "urn:pulumi:prod::p::aws:s3/bucket:Bucket::logs-1"))
	assert.False(t, e.Matches("a-b-c", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::data"))
	assert.False(t, e.Matches("a-b-c", "urn:pulumi:dev::pXaws:s3/bucket:Bucket::logs-1"), "dots and colons are literal")
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"missing fields", "suppressions:\n  - policy: a-b-c\n    urn: 'urn:pulumi:*'\n", "x.yaml: suppressions[0]: missing reason, owner, expires"},
		{"bad date", "suppressions:\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 31/01/2027}\n", `suppressions[0]: expires "31/01/2027" is not a date like 2027-01-31`},
		{"wildcard policy", "suppressions:\n  - {policy: '*', urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 2027-01-01}\n", `suppressions[0]: policy "*" is not a policy ID`},
		{"owner not an address", "suppressions:\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: r, owner: bob, expires: 2027-01-01}\n", `suppressions[0]: owner "bob" is not an e-mail address`},
		{"owner with a display name", "suppressions:\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: r, owner: 'Bob <bob@carepulse.example>', expires: 2027-01-01}\n", `owner "Bob <bob@carepulse.example>" is not an e-mail address`},
		{"bare pattern", "suppressions:\n  - {policy: a-b-c, urn: '*', reason: r, owner: sec@carepulse.example, expires: 2027-01-01}\n", `suppressions[0]: urn "*" must start with urn:pulumi:`},
		{"unknown field", "suppressions:\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 2027-01-01, until: x}\n", "field until not found"},
		{"second entry", "suppressions:\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: r, owner: sec@carepulse.example, expires: 2027-01-01}\n  - {policy: a-b-c, urn: 'urn:pulumi:*', reason: ' ', owner: sec@carepulse.example, expires: 2027-01-01}\n", "suppressions[1]: missing reason"},
		{"not yaml", "suppressions: [", "x.yaml: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := suppressions.Parse([]byte(tt.data), "x.yaml")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCheckPolicies(t *testing.T) {
	s, err := suppressions.Parse([]byte(sample), "s.yaml")
	require.NoError(t, err)
	require.NoError(t, s.CheckPolicies(func(id string) bool { return id == "vpc-flow-logs-enabled" }))
	err = s.CheckPolicies(func(string) bool { return false })
	require.Error(t, err)
	assert.Contains(t, err.Error(), `s.yaml: suppressions[0] (policy vpc-flow-logs-enabled, urn urn:pulumi:dev::carepulse::*aws:ec2/vpc:Vpc::*): no policy "vpc-flow-logs-enabled" in the pack`)
}

func TestCheckHorizon(t *testing.T) {
	s, err := suppressions.Parse([]byte(sample), "s.yaml")
	require.NoError(t, err)
	// The latest entry expires 2027-01-31: at most 366 days after the day of the evaluation.
	tests := []struct {
		name string
		now  time.Time
		want string
	}{
		{"exactly 366 days ahead", time.Date(2026, 1, 30, 0, 0, 0, 0, time.UTC), ""},
		{"late on that day", time.Date(2026, 1, 30, 23, 59, 0, 0, time.UTC), ""},
		{"the day before", time.Date(2026, 1, 29, 23, 59, 0, 0, time.UTC),
			"s.yaml: suppressions[0] (policy vpc-flow-logs-enabled, urn urn:pulumi:dev::carepulse::*aws:ec2/vpc:Vpc::*): expires 2027-01-31 is more than 366 days after 2026-01-29: " +
				"an accepted finding must be reviewed at least once a year (164.308(a)(8)); set expires to 2027-01-30 or earlier"},
		{"day read in UTC", time.Date(2026, 1, 30, 1, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)), "after 2026-01-29"},
		{"expired entries are no concern", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.CheckHorizon(tt.now)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	known := func(id string) bool { return id == "vpc-flow-logs-enabled" }
	require.NoError(t, s.Validate(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), known))
	assert.ErrorContains(t, s.Validate(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), func(string) bool { return false }), "no policy")
	assert.ErrorContains(t, s.Validate(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), known), "more than 366 days")
	var none *suppressions.Set
	assert.NoError(t, none.Validate(time.Now(), known))
}

func TestPackFileIsValidAndEmptyFilesAreEmpty(t *testing.T) {
	s, err := suppressions.Pack()
	require.NoError(t, err)
	require.NoError(t, s.CheckHorizon(time.Now()), "the pack's own suppressions must expire within a year")
	assert.Equal(t, suppressions.PackFileName, s.Source)
	empty, err := suppressions.Parse(nil, "empty.yaml")
	require.NoError(t, err)
	assert.Empty(t, empty.Entries)
	var none *suppressions.Set
	_, _, found := none.Match("a", "b", time.Now())
	assert.False(t, found)
}

func TestOpen(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	known := func(id string) bool { return id == "vpc-flow-logs-enabled" }
	dir := t.TempDir()
	file := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(file, []byte(sample), 0o600))

	s, err := suppressions.Open("", now, known)
	require.NoError(t, err)
	assert.Equal(t, suppressions.PackFileName, s.Source, "no path: the pack's own list")

	s, err = suppressions.Open(file, now, known)
	require.NoError(t, err)
	assert.Equal(t, file, s.Source)
	assert.Len(t, s.Entries, 2)

	_, err = suppressions.Open(file, now, func(string) bool { return false })
	assert.ErrorContains(t, err, file+`: suppressions[0] (policy vpc-flow-logs-enabled, urn urn:pulumi:dev::carepulse::*aws:ec2/vpc:Vpc::*): no policy "vpc-flow-logs-enabled" in the pack`)
	_, err = suppressions.Open(file, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), known)
	assert.ErrorContains(t, err, "expires 2027-01-31 is more than 366 days after 2025-06-01")
	_, err = suppressions.Open(filepath.Join(dir, "missing.yaml"), now, known)
	assert.ErrorContains(t, err, "reading suppressions")
}
