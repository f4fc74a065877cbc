package network

import (
	"fmt"
	"net/netip"
)

// Tier is a subnet tier.
type Tier int

// Tiers, in layout order.
const (
	// Public subnets hold load balancers and NAT gateways only.
	Public Tier = iota
	// Private subnets hold ECS tasks and Lambda functions; their default route is a NAT gateway.
	Private
	// Isolated subnets hold Aurora and Redis; their route table has no route out of the VPC.
	Isolated
)

// Tiers lists the tiers in layout order.
var Tiers = []Tier{Public, Private, Isolated}

func (t Tier) String() string {
	switch t {
	case Public:
		return "public"
	case Private:
		return "private"
	case Isolated:
		return "isolated"
	}
	return fmt.Sprintf("tier-%d", int(t))
}

// LayoutBits is how many bits the layout adds to the VPC prefix: the VPC is cut into 16 equal
// blocks and each tier owns 4 consecutive ones (one per AZ, up to 4 AZs), leaving 4 spare blocks.
// A /16 VPC gives /20 subnets (4091 usable addresses each).
const LayoutBits = 4

// MaxAZs is the number of AZs the layout supports (blocks per tier).
const MaxAZs = 4

// SubnetCIDR returns the block of a tier in the az-th availability zone:
// block index = tier*MaxAZs + az.
func SubnetCIDR(vpc netip.Prefix, tier Tier, az int) (netip.Prefix, error) {
	if !vpc.Addr().Is4() {
		return netip.Prefix{}, fmt.Errorf("subnet layout: %s is not an IPv4 block", vpc)
	}
	if vpc.Bits()+LayoutBits > 28 {
		return netip.Prefix{}, fmt.Errorf("subnet layout: %s is too small (subnets would be smaller than /28)", vpc)
	}
	if az < 0 || az >= MaxAZs {
		return netip.Prefix{}, fmt.Errorf("subnet layout: AZ index %d out of range 0..%d", az, MaxAZs-1)
	}
	if tier < Public || tier > Isolated {
		return netip.Prefix{}, fmt.Errorf("subnet layout: unknown tier %d", int(tier))
	}
	bits := vpc.Bits() + LayoutBits
	block := uint32(int(tier)*MaxAZs + az)
	base := vpc.Masked().Addr().As4()
	n := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	n += block << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return netip.PrefixFrom(addr, bits), nil
}

// Layout returns the CIDR of every tier in each of azCount AZs: out[tier][az].
func Layout(vpc netip.Prefix, azCount int) (map[Tier][]netip.Prefix, error) {
	if azCount < 1 || azCount > MaxAZs {
		return nil, fmt.Errorf("subnet layout: %d AZs (allowed: 1..%d)", azCount, MaxAZs)
	}
	out := map[Tier][]netip.Prefix{}
	for _, t := range Tiers {
		for az := range azCount {
			p, err := SubnetCIDR(vpc, t, az)
			if err != nil {
				return nil, err
			}
			out[t] = append(out[t], p)
		}
	}
	return out, nil
}
