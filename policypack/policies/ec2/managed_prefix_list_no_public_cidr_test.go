package ec2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

var prefixListControls = []string{
	"164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(A)",
	"164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)",
}

func TestManagedPrefixListNoPublicCIDR(t *testing.T) {
	const canary = "canary-prefix-list-7e4b"
	good := map[string]any{"name": "clinic-networks", "addressFamily": "IPv4", "maxEntries": 5, "entries": []any{
		map[string]any{"cidr": "10.20.0.0/16", "description": "clinic VPN"},
		map[string]any{"cidr": "192.168.10.0/24", "description": "on-premises monitors"},
	}}
	pt.Run(t, ec2.ManagedPrefixListNoPublicCIDR, "ec2-managed-prefix-list-no-public-cidr", prefixListControls, awstypes.EC2ManagedPrefixList, good, []pt.Case{
		{Name: "the whole internet", Set: map[string]any{"entries[1].cidr": "0.0.0.0/0"}, Want: policy.Fail, Msg: "entries[1].cidr is 0.0.0.0/0, a public range"},
		{Name: "one public address", Set: map[string]any{"entries[0].cidr": "203.0.113.7/32"}, Want: policy.Fail, Msg: "entries[0].cidr is 203.0.113.7/32, a public range"},
		{Name: "half the internet", Set: map[string]any{"entries[0].cidr": "128.0.0.0/1"}, Want: policy.Fail, Msg: "a public range"},
		{Name: "wider than a private range", Set: map[string]any{"entries[0].cidr": "172.0.0.0/8"}, Want: policy.Fail, Msg: "172.0.0.0/8, a public range"},
		{Name: "IPv6 any", Set: map[string]any{"addressFamily": "IPv6", "entries": []any{map[string]any{"cidr": "::/0"}}}, Want: policy.Fail, Msg: "entries[0].cidr is ::/0"},
		{Name: "IPv6 unique local", Set: map[string]any{"addressFamily": "IPv6", "entries": []any{map[string]any{"cidr": "fd00:1234::/48"}}}, Want: policy.Pass},
		{Name: "carrier-grade NAT and link-local", Set: map[string]any{"entries": []any{map[string]any{"cidr": "100.64.0.0/10"}, map[string]any{"cidr": "169.254.0.0/16"}}}, Want: policy.Pass},
		{Name: "every public entry is named", Set: map[string]any{"entries[0].cidr": "8.8.8.8/32", "entries[1].cidr": "1.1.1.1/32"}, Want: policy.Fail, Msg: "entries[1].cidr is 1.1.1.1/32"},
		{Name: "public beats unknown", Set: map[string]any{"entries[0].cidr": pt.Unknown, "entries[1].cidr": "0.0.0.0/0"}, Want: policy.Fail, Msg: "entries[1].cidr is 0.0.0.0/0"},
		{Name: "secret public CIDR is not shown", Set: map[string]any{"entries[0].cidr": pt.Secret("0.0.0.0/0")}, Want: policy.Fail, Msg: "entries[0].cidr is [secret], a public range"},
		{Name: "secret private CIDR", Set: map[string]any{"entries[0].cidr": pt.Secret("10.1.0.0/16")}, Want: policy.Pass},
		{Name: "CIDR unknown at preview", Set: map[string]any{"entries[0].cidr": pt.Unknown}, Want: policy.Undetermined, Msg: "entries[0].cidr cannot be verified until the value is known"},
		{Name: "CIDR of the wrong type", Set: map[string]any{"entries[0].cidr": pt.Wrong(10)}, Want: policy.Undetermined, Msg: "entries[0].cidr is of type number"},
		{Name: "not a CIDR block", Set: map[string]any{"entries[0].cidr": "10.0.0.1"}, Want: policy.Undetermined, Msg: "entries[0].cidr is 10.0.0.1, not a valid CIDR block"},
		{Name: "secret invalid CIDR is not shown", Set: map[string]any{"entries[0].cidr": pt.Secret(canary)}, Want: policy.Undetermined, Msg: "entries[0].cidr is [secret], not a valid CIDR block"},
		{Name: "entry without a CIDR", Set: map[string]any{"entries[0].cidr": pt.Missing}, Want: policy.Undetermined, Msg: "entries[0].cidr is not set"},
		{Name: "entries unknown at preview", Set: map[string]any{"entries": pt.Unknown}, Want: policy.Undetermined, Msg: "entries cannot be verified until the value is known"},
		{Name: "entries of the wrong type", Set: map[string]any{"entries": pt.Wrong("10.0.0.0/8")}, Want: policy.Undetermined, Msg: "entries is of type string"},
		{Name: "an entry of the wrong type", Set: map[string]any{"entries[1]": pt.Wrong("0.0.0.0/0")}, Want: policy.Undetermined, Msg: "entries[1] is of type string"},
		{Name: "no inline entries", Set: map[string]any{"entries": pt.Missing}, Want: policy.NotApplicable, Msg: "judged on their own"},
		{Name: "empty entries", Set: map[string]any{"entries": []any{}}, Want: policy.NotApplicable, Msg: "no inline entries"},
	})
}

func TestManagedPrefixListEntryNoPublicCIDR(t *testing.T) {
	good := map[string]any{"prefixListId": "pl-0a1b2c3d4e5f60718", "cidr": "10.30.0.0/16", "description": "clinic VPN"}
	pt.Run(t, ec2.ManagedPrefixListNoPublicCIDR, "ec2-managed-prefix-list-no-public-cidr", prefixListControls, awstypes.EC2ManagedPrefixListEntry, good, []pt.Case{
		{Name: "the whole internet", Set: map[string]any{"cidr": "0.0.0.0/0"}, Want: policy.Fail, Msg: "cidr is 0.0.0.0/0, a public range"},
		{Name: "IPv6 public", Set: map[string]any{"cidr": "2001:db8::/32"}, Want: policy.Fail, Msg: "cidr is 2001:db8::/32, a public range"},
		{Name: "private, host bits set", Set: map[string]any{"cidr": "10.30.0.1/16"}, Want: policy.Pass},
		{Name: "list unknown at preview does not matter", Set: map[string]any{"prefixListId": pt.Unknown}, Want: policy.Pass},
		{Name: "CIDR unknown at preview", Set: map[string]any{"cidr": pt.Unknown}, Want: policy.Undetermined, Msg: "cidr cannot be verified until the value is known"},
		{Name: "CIDR of the wrong type", Set: map[string]any{"cidr": pt.Wrong([]any{"0.0.0.0/0"})}, Want: policy.Undetermined, Msg: "cidr is of type array"},
		{Name: "secret public CIDR is not shown", Set: map[string]any{"cidr": pt.Secret("0.0.0.0/0")}, Want: policy.Fail, Msg: "cidr is [secret], a public range"},
		{Name: "CIDR missing", Set: map[string]any{"cidr": pt.Missing}, Want: policy.Undetermined, Msg: "cidr is not set; what this entry holds cannot be told"},
		{Name: "empty CIDR", Set: map[string]any{"cidr": ""}, Want: policy.Undetermined, Msg: "cidr is not set"},
		{Name: "garbage", Set: map[string]any{"cidr": "anywhere"}, Want: policy.Undetermined, Msg: "cidr is anywhere, not a valid CIDR block"},
	})
}
