package iam

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/iamdoc"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// PolicyNoAdminStatements: no IAM policy grants every action on every resource.
var PolicyNoAdminStatements = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "iam-policy-no-admin-statements",
		Title: "IAM policies grant no administrator-equivalent access",
		Description: "A statement allowing Action \"*\" (or \"iam:*\", or everything but a NotAction list) " +
			"on Resource \"*\" (or on everything but a NotResource list) gives the ECS tasks or Lambda " +
			"functions that carry it full control of the account and all ePHI, defeating least " +
			"privilege and workforce access controls. Managed policies (aws:iam/policy), inline role, " +
			"user and group policies and a role's inlinePolicies are read (their documents arrive as " +
			"JSON strings); attaching the AWS managed AdministratorAccess, IAMFullAccess or " +
			"PowerUserAccess policy (role managedPolicyArns or a *PolicyAttachment) also fails.",
		Severity:    policy.SeverityCritical,
		Enforcement: policy.Mandatory,
		Controls: []string{
			"164.308(a)(3)(i)", "164.308(a)(3)(ii)(A)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)",
			"164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)",
		},
		ResourceTypes: []string{
			awstypes.IAMPolicy, awstypes.IAMRolePolicy, awstypes.IAMUserPolicy, awstypes.IAMGroupPolicy, awstypes.IAMRole,
			awstypes.IAMRolePolicyAttachment, awstypes.IAMUserPolicyAttachment, awstypes.IAMGroupPolicyAttachment, awstypes.IAMPolicyAttachment,
		},
		Remediation: "Replace the statement with the specific actions and resource ARNs the workload needs; attach " +
			"scoped policies instead of the AWS managed AdministratorAccess, IAMFullAccess or PowerUserAccess.",
		References: []string{"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"},
		Engine:     policy.EngineGo,
	},
	Resource: policyNoAdminStatements,
}

// adminManagedPolicy matches the AWS managed policies that grant administrator-equivalent
// access (full access, or full IAM which can grant itself anything), in any partition.
var adminManagedPolicy = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/(AdministratorAccess|IAMFullAccess|PowerUserAccess)$`)

func policyNoAdminStatements(_ policy.Env, r policy.Resource) policy.Result {
	switch r.Type {
	case awstypes.IAMRole:
		return judgeRole(r.Properties)
	case awstypes.IAMRolePolicyAttachment, awstypes.IAMUserPolicyAttachment, awstypes.IAMGroupPolicyAttachment, awstypes.IAMPolicyAttachment:
		return judgeAttachment(r.Properties)
	}
	return judgeDocument(r.Properties, "policy")
}

func judgeRole(m resourceProps) policy.Result {
	inline, _, res := check.Objects(m, "inlinePolicies")
	if res != nil {
		return *res
	}
	arns, _, res := check.Strings(m, "managedPolicyArns")
	if res != nil {
		return *res
	}
	if len(inline) == 0 && len(arns) == 0 {
		return policy.NotApplicableBecause("inlinePolicies and managedPolicyArns are empty: the role carries no policy documents here")
	}
	results := []policy.Result{policy.Passed()}
	for i, a := range arns {
		if name := adminPolicyName(a); name != "" {
			results = append(results, policy.Failed("managedPolicyArns[%d] is the AWS managed %s policy (administrator-equivalent access)", i, name))
		}
	}
	for i, p := range inline {
		prefix := fmt.Sprintf("inlinePolicies[%d].", i)
		res := judgeDocument(p, "policy")
		if res.Status != policy.Pass {
			for j, msg := range res.Messages {
				res.Messages[j] = prefix + msg
			}
		}
		results = append(results, res)
	}
	return policy.Merge(results...)
}

func judgeAttachment(m resourceProps) policy.Result {
	_, st := props.Get(m, "policyArn")
	switch st {
	case props.Missing:
		return policy.UndeterminedBecause("policyArn is not set: the attached policy cannot be identified")
	case props.Unknown:
		// AWS managed policy ARNs are literal strings, known at preview; an unknown ARN is the
		// output of another resource, whose own document this policy judges.
		return policy.NotApplicableBecause("policyArn is not known until apply: it is the output of another resource (a policy created in this program is judged on its own)")
	}
	arn, _, res := check.String(m, "policyArn")
	if res != nil {
		return *res
	}
	if name := adminPolicyName(arn); name != "" {
		return policy.Failed("policyArn is the AWS managed %s policy (administrator-equivalent access)", name)
	}
	return policy.Passed()
}

// adminPolicyName returns the name of the administrator-equivalent AWS managed policy arn
// refers to, or "".
func adminPolicyName(arn string) string {
	m := adminManagedPolicy.FindStringSubmatch(strings.TrimSpace(arn))
	if m == nil {
		return ""
	}
	return m[1]
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
		if !s.Allows() {
			continue
		}
		everyResource := s.HasResource("*") || len(s.NotResource) > 0
		if !everyResource {
			continue
		}
		scope := `Resource "*"`
		if !s.HasResource("*") {
			scope = "every resource outside NotResource"
		}
		switch {
		case len(s.NotAction) > 0:
			return policy.Failed("%s Statement[%d] allows every action outside NotAction on %s (administrator-equivalent access)", path, i, scope)
		case s.HasAction("*", "*:*"):
			return policy.Failed("%s Statement[%d] allows Action \"*\" on %s (full administrator access)", path, i, scope)
		case s.HasAction("iam:*"):
			return policy.Failed("%s Statement[%d] allows Action \"iam:*\" on %s (full IAM control, which can grant itself anything)", path, i, scope)
		}
	}
	return policy.Passed()
}

type resourceProps = resource.PropertyMap
