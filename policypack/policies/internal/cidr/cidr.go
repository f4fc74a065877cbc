// Package cidr says whether a CIDR block is public, with the same notion of "public" as the
// Rego rule ec2-security-group-no-public-ingress (rego/hipaa/ec2/ec2_security_group_no_public_ingress.rego,
// private_ranges): a block is public unless it lies entirely within a private or reserved
// range. A test keeps the two lists equal.
package cidr

import (
	"fmt"
	"net/netip"
	"strings"
)

// PrivateRanges are the private and reserved ranges a block may lie in without being public,
// in the order the Rego rule lists them.
var PrivateRanges = []string{
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"fc00::/7", "fe80::/10", "::1/128",
}

var privatePrefixes = func() []netip.Prefix {
	out := make([]netip.Prefix, len(PrivateRanges))
	for i, r := range PrivateRanges {
		out[i] = netip.MustParsePrefix(r)
	}
	return out
}()

// Public reports whether the CIDR block s (surrounding spaces ignored; host bits may be set,
// as in 10.0.0.1/8, which the Rego rule's net.cidr_is_valid also accepts) is public: not
// entirely within one of PrivateRanges. 0.0.0.0/0, ::/0, 0.0.0.0/1 and 8.8.8.8/32 are public.
// A string that is not a CIDR block (a bare address included) is an error that does not quote
// it.
func Public(s string) (bool, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return false, fmt.Errorf("not a valid CIDR block")
	}
	p = p.Masked()
	for _, r := range privatePrefixes {
		if r.Addr().Is4() == p.Addr().Is4() && r.Bits() <= p.Bits() && r.Contains(p.Addr()) {
			return false, nil
		}
	}
	return true, nil
}
