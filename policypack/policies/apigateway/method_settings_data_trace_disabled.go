package apigateway

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MethodSettingsDataTraceDisabled: full request/response bodies are never logged.
var MethodSettingsDataTraceDisabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigateway-method-settings-data-trace-disabled",
		Title: "API Gateway method settings do not log full requests and responses",
		Description: "Data trace writes whole request and response bodies, i.e. patient vitals and " +
			"tokens, into CloudWatch Logs, where far more people can read them than the data store. " +
			"settings.dataTraceEnabled must not be true (it defaults to false).",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(A)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.APIGatewayMethodSettings},
		Remediation:   "Set settings.dataTraceEnabled: false (or leave it unset) on the aws.apigateway.MethodSettings.",
		References:    []string{refLogging},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		on, res := check.Bool(r.Properties, "settings.dataTraceEnabled", false)
		if res != nil {
			return *res
		}
		if on {
			return policy.Failed("settings.dataTraceEnabled is true: request and response bodies (ePHI) are written to the execution log")
		}
		return policy.Passed()
	},
}
