package ec2

import (
	"fmt"
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// SecurityGroupPrefixListSourcesJudged: the prefix lists ingress rules admit are lists of the
// stack, whose entries ec2-managed-prefix-list-no-public-cidr judges (stack-level).
var SecurityGroupPrefixListSourcesJudged = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-security-group-prefix-list-sources-judged",
		Title: "Prefix lists that security groups admit as ingress sources are defined in the stack",
		Description: "ec2-security-group-no-public-ingress reads a managed prefix list used as an " +
			"ingress source as not public, and ec2-managed-prefix-list-no-public-cidr judges the " +
			"entries of the lists defined in the stack. A list defined outside the stack (AWS-" +
			"managed, shared from another account, created elsewhere) would be judged by neither, " +
			"so this stack-level policy looks at every ingress rule that names prefix lists (inline " +
			"ingress[].prefixListIds of aws:ec2/securityGroup, prefixListIds of an ingress " +
			"aws:ec2/securityGroupRule, prefixListId of aws:vpc/securityGroupIngressRule): a list " +
			"that is an aws:ec2/managedPrefixList of the stack (by its id, or through a property " +
			"dependency while the ID is unknown at preview) passes; any other list, and an unknown " +
			"ID that no dependency ties to a list of the stack, is undetermined (advisory): its " +
			"entries cannot be seen and must be reviewed by hand, or the list declared in the " +
			"stack. Rules that name no prefix list are not judged here.",
		Severity:    policy.SeverityHigh,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(e)(1)",
		},
		ResourceTypes: []string{awstypes.EC2SecurityGroup, awstypes.EC2SecurityGroupRule, awstypes.VPCSecurityGroupIngressRule, awstypes.EC2ManagedPrefixList},
		Remediation: "Declare the prefix list in the stack (aws.ec2.ManagedPrefixList with private entries) and reference " +
			"its id, or admit the callers' security group or VPC CIDR instead. A list owned elsewhere: review its " +
			"entries (no public range) and record a suppression with the reason, owner and expiry.",
		References: []string{
			"https://docs.aws.amazon.com/vpc/latest/userguide/managed-prefix-lists.html",
			"https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html",
		},
		Engine: policy.EngineGo,
	},
	Stack: prefixListSourcesJudged,
}

// prefixListRef is one property of a rule that names prefix lists: its path, the top-level
// property whose dependencies resolve it, its known values and whether some are unknown.
type prefixListRef struct {
	path, dep string
	vals      []string
	unknown   bool
}

func prefixListSourcesJudged(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	lists := s.OfType(awstypes.EC2ManagedPrefixList)
	var out []policy.StackResult
	for _, r := range rs {
		refs, res := ingressPrefixListRefs(r)
		switch {
		case res != nil:
			out = append(out, policy.StackResult{URN: r.URN, Result: *res})
		case len(refs) > 0:
			out = append(out, policy.StackResult{URN: r.URN, Result: judgePrefixListRefs(s, r, refs, lists)})
		}
	}
	return out
}

// ingressPrefixListRefs lists the properties of r that name prefix lists as ingress sources.
func ingressPrefixListRefs(r policy.Resource) ([]prefixListRef, *policy.Result) {
	var refs []prefixListRef
	add := func(path, dep string) {
		if vals, unknown := stackref.Values(r.Properties, path); unknown || len(vals) > 0 {
			refs = append(refs, prefixListRef{path: path, dep: dep, vals: vals, unknown: unknown})
		}
	}
	switch r.Type {
	case awstypes.EC2SecurityGroup:
		rules, _, res := check.Objects(r.Properties, "ingress")
		if res != nil {
			return nil, res
		}
		for i := range rules {
			add(fmt.Sprintf("ingress[%d].prefixListIds", i), "ingress")
		}
	case awstypes.EC2SecurityGroupRule:
		// An unknown or missing type may be ingress: judged.
		if typ, _, res := check.String(r.Properties, "type"); res != nil || !strings.EqualFold(typ, "egress") {
			add("prefixListIds", "prefixListIds")
		}
	case awstypes.VPCSecurityGroupIngressRule:
		add("prefixListId", "prefixListId")
	}
	return refs, nil
}

func judgePrefixListRefs(s *stackref.Stack, r policy.Resource, refs []prefixListRef, lists []policy.Resource) policy.Result {
	var outside, unresolved []string
	for _, ref := range refs {
		for _, v := range ref.vals {
			if !slices.ContainsFunc(lists, func(l policy.Resource) bool { return s.Matches(v, l) }) {
				outside = append(outside, fmt.Sprintf("%s %s", ref.path, check.Show(r.Properties, ref.path, v)))
			}
		}
		if ref.unknown {
			deps := r.PropertyDependencies[ref.dep]
			if !slices.ContainsFunc(lists, func(l policy.Resource) bool { return slices.Contains(deps, l.URN) }) {
				unresolved = append(unresolved, ref.path)
			}
		}
	}
	var results []policy.Result
	if len(outside) > 0 {
		results = append(results, policy.UndeterminedBecause("%s: not a prefix list of this stack, so no policy sees its entries; "+
			"review them by hand (no public range) or declare the list in the stack", strings.Join(outside, ", ")))
	}
	if len(unresolved) > 0 {
		results = append(results, policy.UndeterminedBecause("%s cannot be verified until the value is known: no property dependency ties it "+
			"to a prefix list of this stack", strings.Join(unresolved, ", ")))
	}
	if len(results) == 0 {
		return policy.Passed()
	}
	return policy.Merge(results...)
}
