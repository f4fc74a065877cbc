package apigateway

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// DomainNameTLS12: custom domains accept TLS 1.2 or newer only.
var DomainNameTLS12 = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "apigateway-domain-name-tls-1-2",
		Title: "API Gateway custom domains require TLS 1.2 or newer",
		Description: "Clinical devices reach the API through its custom domain; TLS 1.0 and 1.1 are " +
			"deprecated and must be refused. REST domains (securityPolicy) must use TLS_1_2 or a " +
			"TLS 1.3 policy; an unset securityPolicy is left to the service default and not relied " +
			"on. HTTP API domains read domainNameConfiguration.securityPolicy.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(e)(1)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.APIGatewayDomainName, awstypes.APIGatewayV2DomainName},
		Remediation:   `Set securityPolicy: "TLS_1_2" on aws.apigateway.DomainName (domainNameConfiguration.securityPolicy on aws.apigatewayv2.DomainName).`,
		References:    []string{"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html"},
		Engine:        policy.EngineGo,
	},
	Resource: domainNameTLS12,
}

func domainNameTLS12(_ policy.Env, r policy.Resource) policy.Result {
	path := "securityPolicy"
	if r.Type == awstypes.APIGatewayV2DomainName {
		path = "domainNameConfiguration.securityPolicy"
	}
	sp, present, res := check.String(r.Properties, path)
	if res != nil {
		return *res
	}
	switch {
	case !present:
		return policy.Failed("%s is not set: the domain may accept TLS 1.0; set TLS_1_2", path)
	case sp == "TLS_1_2", strings.HasPrefix(sp, "SecurityPolicy_TLS13_"), strings.HasPrefix(sp, "SecurityPolicy_TLS12_"):
		return policy.Passed()
	}
	return policy.Failed("%s is %s: TLS versions before 1.2 are accepted", path, check.Show(r.Properties, path, sp))
}
