package lambda

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// PermissionSourceARNSet: permissions granted to AWS services (or everyone) are scoped to one
// source resource.
var PermissionSourceARNSet = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "lambda-permission-source-arn-set",
		Title: "Lambda permissions for AWS service principals carry a sourceArn",
		Description: "A permission for apigateway.amazonaws.com (or any service) without sourceArn " +
			"lets that service invoke the function on behalf of any account's resource (confused " +
			"deputy): anyone's API could call the authorizer. A wildcard principal must be scoped by " +
			"sourceArn or principalOrgId. Permissions for IAM principals are not applicable.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"},
		ResourceTypes: []string{awstypes.LambdaPermission},
		Remediation:   `Set sourceArn on the aws.lambda.Permission (e.g. api.executionArn + "/*/*" or the authorizer ARN pattern).`,
		References:    []string{"https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html", "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html"},
		Engine:        policy.EngineGo,
	},
	Resource: permissionSourceARNSet,
}

func permissionSourceARNSet(_ policy.Env, r policy.Resource) policy.Result {
	principal, present, res := check.String(r.Properties, "principal")
	if res != nil {
		return *res
	}
	service := strings.HasSuffix(principal, ".amazonaws.com") || strings.HasSuffix(principal, ".amazonaws.com.cn")
	switch {
	case !present:
		return policy.UndeterminedBecause("principal is not set; the permission cannot be judged")
	case principal != "*" && !service:
		return policy.NotApplicableBecause("principal is an account or IAM principal, not a service")
	}
	hasSource, res := check.Set(r.Properties, "sourceArn")
	if res != nil {
		return *res
	}
	if hasSource {
		return policy.Passed()
	}
	if principal == "*" {
		hasOrg, res := check.Set(r.Properties, "principalOrgId")
		if res != nil {
			return *res
		}
		if hasOrg {
			return policy.Passed()
		}
		return policy.Failed("principal is * and neither sourceArn nor principalOrgId is set: anyone may invoke the function")
	}
	return policy.Failed("sourceArn is not set for service principal %s: the service may invoke the function for any account's resource", check.Show(r.Properties, "principal", principal))
}
