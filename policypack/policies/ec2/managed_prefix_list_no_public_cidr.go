package ec2

import (
	"fmt"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/cidr"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ManagedPrefixListNoPublicCIDR: the prefix lists of the account hold no public CIDR blocks.
var ManagedPrefixListNoPublicCIDR = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-managed-prefix-list-no-public-cidr",
		Title: "Managed prefix lists of the account hold only private or reserved CIDR blocks",
		Description: "ec2-security-group-no-public-ingress reads a managed prefix list used as a " +
			"source as not public, because it cannot see the list's entries; this policy judges " +
			"the entries of the lists defined in the stack, so such a list cannot bring a public " +
			"range into a security-group rule. An ingress rule admitting a list defined outside the " +
			"stack (AWS-managed, shared from another account, created elsewhere), whose entries no " +
			"policy sees, is reported undetermined by ec2-security-group-prefix-list-sources-judged. " +
			"An entry is public with exactly the notion of that rule (one list of " +
			"ranges, shared by a test): unless it lies entirely within IPv4 10.0.0.0/8, " +
			"172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16 or IPv6 " +
			"fc00::/7, fe80::/10, ::1/128. Entries are judged in both forms Pulumi offers: inline " +
			"entries[].cidr of aws:ec2/managedPrefixList and cidr of " +
			"aws:ec2/managedPrefixListEntry. A CIDR still unknown at preview, of the wrong type or " +
			"not a valid CIDR block is undetermined. The policy cannot tell how a list is used, so " +
			"a list referenced only by egress rules or routes (a partner's public range the " +
			"pipeline calls out to) is caught too. That is deliberate and the policy stays " +
			"mandatory: the security-group rule's trust in prefix lists rests on this one, a list " +
			"can be added to an ingress rule later without touching the list, and an egress-only " +
			"public list is rare here and is recorded as a suppression (owner, reason \"egress " +
			"only\", expiry) that an auditor can read, rather than passing silently.",
		Severity:    policy.SeverityHigh,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)", "164.308(a)(4)(ii)(A)",
			"164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)",
		},
		ResourceTypes: []string{awstypes.EC2ManagedPrefixList, awstypes.EC2ManagedPrefixListEntry},
		Remediation: "Keep only VPC or on-premises private ranges in aws.ec2.ManagedPrefixList entries (and " +
			"aws.ec2.ManagedPrefixListEntry cidr); reach public callers through the internet-facing load " +
			"balancer instead. A list used only for egress to a public range: record a suppression for it " +
			"(policy ec2-managed-prefix-list-no-public-cidr, its URN, reason, owner, expiry) and never " +
			"reference it from an ingress rule.",
		References: []string{
			"https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html",
			"https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
		},
		Engine: policy.EngineGo,
	},
	Resource: managedPrefixListNoPublicCIDR,
}

func managedPrefixListNoPublicCIDR(_ policy.Env, r policy.Resource) policy.Result {
	if r.Type == awstypes.EC2ManagedPrefixListEntry {
		return prefixListCIDR(r, "cidr", "this entry")
	}
	entries, present, res := check.Objects(r.Properties, "entries")
	if res != nil {
		return *res
	}
	if !present || len(entries) == 0 {
		return policy.NotApplicableBecause("the list has no inline entries; entries added as aws:ec2/managedPrefixListEntry resources are judged on their own")
	}
	results := make([]policy.Result, 0, len(entries))
	for i := range entries {
		path := fmt.Sprintf("entries[%d].cidr", i)
		results = append(results, prefixListCIDR(r, path, fmt.Sprintf("entries[%d]", i)))
	}
	return policy.Merge(results...)
}

// prefixListCIDR judges the CIDR block at path of one entry (label names it in messages).
func prefixListCIDR(r policy.Resource, path, label string) policy.Result {
	block, present, res := check.String(r.Properties, path)
	if res != nil {
		return *res
	}
	if !present {
		return policy.UndeterminedBecause("%s is not set; what %s holds cannot be told", path, label)
	}
	shown := check.Show(r.Properties, path, block)
	public, err := cidr.Public(block)
	if err != nil {
		return policy.UndeterminedBecause("%s is %s, not a valid CIDR block; whether it is public cannot be told", path, shown)
	}
	if public {
		return policy.Failed("%s is %s, a public range: a security group rule using this list as its source is open to the internet", path, shown)
	}
	return policy.Passed()
}
