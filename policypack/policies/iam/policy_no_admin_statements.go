package iam

import (
	"fmt"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/iamdoc"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// PolicyNoAdminStatements: no IAM policy grants every action on every resource.
var PolicyNoAdminStatements = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "iam-policy-no-admin-statements",
		Title: "IAM policies grant no \"*\" action on \"*\" resources",
		Description: "A statement allowing Action \"*\" on Resource \"*\" gives the ECS tasks or Lambda " +
			"functions that carry it full control of the account and all ePHI, defeating least " +
			"privilege and workforce access controls. Managed policies (aws:iam/policy), inline role " +
			"policies (aws:iam/rolePolicy) and a role's inlinePolicies are read; their documents " +
			"arrive as JSON strings.",
		Severity:    policy.SeverityCritical,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(3)(ii)(A)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)",
			"164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)",
		},
		ResourceTypes: []string{awstypes.IAMPolicy, awstypes.IAMRolePolicy, awstypes.IAMRole},
		Remediation:   "Replace the statement with the specific actions and resource ARNs the workload needs.",
		References:    []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"},
		Engine:        policy.EngineGo,
	},
	Resource: policyNoAdminStatements,
}

func policyNoAdminStatements(_ policy.Env, r policy.Resource) policy.Result {
	if r.Type != awstypes.IAMRole {
		return judgeDocument(r.Properties, "policy")
	}
	inline, _, res := check.Objects(r.Properties, "inlinePolicies")
	if res != nil {
		return *res
	}
	if len(inline) == 0 {
		return policy.NotApplicableBecause("inlinePolicies is empty: the role has no inline policy documents")
	}
	results := []policy.Result{policy.Passed()}
	for i, p := range inline {
		prefix := fmt.Sprintf("inlinePolicies[%d].", i)
		res := judgeDocument(p, "policy")
		if res.Status != policy.Pass {
			for j, m := range res.Messages {
				res.Messages[j] = prefix + m
			}
		}
		results = append(results, res)
	}
	return policy.Merge(results...)
}

func judgeDocument(m resourceProps, path string) policy.Result {
	doc, present, res := check.JSON(m, path)
	if res != nil {
		return *res
	}
	if !present {
		return policy.Passed() // an empty document grants nothing
	}
	stmts, err := iamdoc.Statements(doc)
	if err != nil {
		return policy.UndeterminedBecause("%s cannot be interpreted: %v", path, err)
	}
	for i, s := range stmts {
		if s.Allows() && s.HasAction("*", "*:*") && s.HasResource("*") {
			return policy.Failed("%s Statement[%d] allows Action \"*\" on Resource \"*\" (full administrator access)", path, i)
		}
	}
	return policy.Passed()
}

type resourceProps = resource.PropertyMap
