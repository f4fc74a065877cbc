package apigateway

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// StageXRayTracingEnabled: API stages are traced with X-Ray.
var StageXRayTracingEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigateway-stage-xray-tracing-enabled",
		Title: "API Gateway stages have X-Ray tracing enabled",
		Description: "Tracing follows a request through the authorizer and back ends, which helps " +
			"review activity and investigate incidents. xrayTracingEnabled defaults to false.",
		Severity:      policy.SeverityLow,
		Enforcement:   policy.Advisory,
		Controls:      []string{"164.312(b)"},
		ResourceTypes: []string{awstypes.APIGatewayStage},
		Remediation:   "Set xrayTracingEnabled: true on the aws.apigateway.Stage.",
		References:    []string{"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-xray.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		on, res := check.Bool(r.Properties, "xrayTracingEnabled", false)
		if res != nil {
			return *res
		}
		if !on {
			return policy.Failed("xrayTracingEnabled is not true")
		}
		return policy.Passed()
	},
}
