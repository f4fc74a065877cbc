package network

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSubnetCIDR(t *testing.T) {
	for _, tc := range []struct {
		vpc  string
		tier Tier
		az   int
		want string
	}{
		{"10.20.0.0/16", Public, 0, "10.20.0.0/20"},
		{"10.20.0.0/16", Public, 2, "10.20.32.0/20"},
		{"10.20.0.0/16", Private, 0, "10.20.64.0/20"},
		{"10.20.0.0/16", Private, 3, "10.20.112.0/20"},
		{"10.20.0.0/16", Isolated, 0, "10.20.128.0/20"},
		{"10.20.0.0/16", Isolated, 2, "10.20.160.0/20"},
		{"172.16.0.0/20", Private, 1, "172.16.5.0/24"},
		{"192.168.10.0/24", Isolated, 3, "192.168.10.176/28"},
	} {
		got, err := SubnetCIDR(netip.MustParsePrefix(tc.vpc), tc.tier, tc.az)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got.String(), "%s %s az %d", tc.vpc, tc.tier, tc.az)
	}
}

func TestSubnetCIDRErrors(t *testing.T) {
	for _, tc := range []struct {
		vpc  string
		tier Tier
		az   int
		want string
	}{
		{"10.0.0.0/25", Public, 0, "subnet layout: 10.0.0.0/25 is too small (subnets would be smaller than /28)"},
		{"10.0.0.0/16", Public, 4, "subnet layout: AZ index 4 out of range 0..3"},
		{"10.0.0.0/16", Tier(7), 0, "subnet layout: unknown tier 7"},
		{"fd00::/48", Public, 0, "subnet layout: fd00::/48 is not an IPv4 block"},
	} {
		_, err := SubnetCIDR(netip.MustParsePrefix(tc.vpc), tc.tier, tc.az)
		assert.EqualError(t, err, tc.want)
	}
}

func TestLayoutHasNoOverlaps(t *testing.T) {
	vpc := netip.MustParsePrefix("10.20.0.0/16")
	l, err := Layout(vpc, 4)
	require.NoError(t, err)
	var all []netip.Prefix
	for _, tier := range Tiers {
		require.Len(t, l[tier], 4)
		all = append(all, l[tier]...)
	}
	for i, a := range all {
		assert.True(t, vpc.Contains(a.Addr()), "%s inside the VPC", a)
		for _, b := range all[i+1:] {
			assert.False(t, a.Overlaps(b), "%s overlaps %s", a, b)
		}
	}
	_, err = Layout(vpc, 5)
	assert.EqualError(t, err, "subnet layout: 5 AZs (allowed: 1..4)")
	_, err = Layout(vpc, 0)
	assert.EqualError(t, err, "subnet layout: 0 AZs (allowed: 1..4)")
}

func TestTierString(t *testing.T) {
	assert.Equal(t, "public", Public.String())
	assert.Equal(t, "private", Private.String())
	assert.Equal(t, "isolated", Isolated.String())
	assert.Equal(t, "tier-9", Tier(9).String())
}
