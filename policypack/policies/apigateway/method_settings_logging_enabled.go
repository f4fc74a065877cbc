package apigateway

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MethodSettingsLoggingEnabled: execution logging is ERROR or INFO.
var MethodSettingsLoggingEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigateway-method-settings-logging-enabled",
		Title: "API Gateway method settings log execution at ERROR or INFO level",
		Description: "Execution logs record authorizer decisions and integration errors, needed to " +
			"review activity on the API. settings.loggingLevel defaults to OFF.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(b)"},
		ResourceTypes: []string{awstypes.APIGatewayMethodSettings},
		Remediation:   `Set settings.loggingLevel to "ERROR" or "INFO" on the aws.apigateway.MethodSettings (methodPath "*/*").`,
		References:    []string{refLogging},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		lvl, present, res := check.String(r.Properties, "settings.loggingLevel")
		if res != nil {
			return *res
		}
		if !present {
			return policy.Failed("settings.loggingLevel is not set (OFF): no execution logs are written")
		}
		switch strings.ToUpper(lvl) {
		case "ERROR", "INFO":
			return policy.Passed()
		}
		return policy.Failed("settings.loggingLevel is %s, not ERROR or INFO", check.Show(r.Properties, "settings.loggingLevel", lvl))
	},
}
