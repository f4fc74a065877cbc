package cidr_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/cidr"
)

func TestPublic(t *testing.T) {
	for _, tc := range []struct {
		in      string
		public  bool
		invalid bool
	}{
		{in: "0.0.0.0/0", public: true},
		{in: "::/0", public: true},
		{in: "0.0.0.0/1", public: true},
		{in: "128.0.0.0/1", public: true},
		{in: "8.8.8.8/32", public: true},
		{in: " 203.0.113.0/24 ", public: true},
		{in: "10.0.0.0/8"},
		{in: "10.20.0.0/16"},
		{in: "10.0.0.1/8"},
		{in: "8.0.0.0/7", public: true},
		{in: "172.16.0.0/12"},
		{in: "172.31.255.0/24"},
		{in: "172.32.0.0/16", public: true},
		{in: "172.0.0.0/8", public: true},
		{in: "192.168.1.0/24"},
		{in: "100.64.0.0/10"},
		{in: "127.0.0.1/32"},
		{in: "169.254.169.254/32"},
		{in: "fd12:3456::/48"},
		{in: "fe80::/64"},
		{in: "::1/128"},
		{in: "2001:db8::/32", public: true},
		{in: "10.0.0.1", invalid: true},
		{in: "not-a-cidr", invalid: true},
		{in: "10.0.0.0/33", invalid: true},
		{in: "", invalid: true},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := cidr.Public(tc.in)
			if tc.invalid {
				require.Error(t, err)
				if tc.in != "" {
					assert.NotContains(t, err.Error(), tc.in, "the error does not quote the value")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.public, got)
		})
	}
}

// TestSameRangesAsTheSecurityGroupRule keeps PrivateRanges equal to private_ranges of the Rego
// rule, so the prefix-list policy and the security-group rule agree on what "public" means.
func TestSameRangesAsTheSecurityGroupRule(t *testing.T) {
	src, err := os.ReadFile("../../../../rego/hipaa/ec2/ec2_security_group_no_public_ingress.rego")
	require.NoError(t, err)
	block := regexp.MustCompile(`(?s)private_ranges := \[(.*?)\]`).FindSubmatch(src)
	require.NotNil(t, block, "private_ranges not found in the Rego rule")
	var rego []string
	for _, m := range regexp.MustCompile(`"([^"]+)"`).FindAllSubmatch(block[1], -1) {
		rego = append(rego, string(m[1]))
	}
	assert.Equal(t, rego, cidr.PrivateRanges, "the Go and Rego private ranges differ: %s", strings.Join(rego, ", "))
}
