package apigateway

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// StageAccessLoggingEnabled: every API stage writes access logs.
var StageAccessLoggingEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigateway-stage-access-logging-enabled",
		Title: "API Gateway stages write access logs",
		Description: "Access logs record who called which resource, from where and with what result: " +
			"the API's audit trail of access to ePHI. accessLogSettings needs both destinationArn " +
			"and format (REST and HTTP API stages alike). A destination computed from another resource " +
			"(unknown during preview) counts as set.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(1)(ii)(D)", "164.312(b)"},
		ResourceTypes: []string{awstypes.APIGatewayStage, awstypes.APIGatewayV2Stage},
		Remediation:   "Set accessLogSettings {destinationArn: <encrypted log group ARN>, format: <JSON format with requestId, identity, status>} on the aws.apigateway.Stage.",
		References:    []string{refLogging},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		results := []policy.Result{policy.Passed()}
		for _, p := range []string{"accessLogSettings.destinationArn", "accessLogSettings.format"} {
			present, res := check.Set(r.Properties, p)
			switch {
			case res != nil:
				results = append(results, *res)
			case !present:
				results = append(results, policy.Failed("%s is not set: the stage writes no access log", p))
			}
		}
		return policy.Merge(results...)
	},
}
