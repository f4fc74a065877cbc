package lb

import (
	"slices"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// AllowedPoliciesParam lists the accepted ELB security policies.
const AllowedPoliciesParam = "allowedSslPolicies"

// ListenerTLSPolicyAllowed: HTTPS and TLS listeners negotiate only modern TLS.
var ListenerTLSPolicyAllowed = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "lb-listener-tls-policy-allowed",
		Title: "HTTPS and TLS listeners use an allowed (TLS 1.2+, forward-secret) security policy",
		Description: "ePHI crosses the internet to the load balancer; its listeners must refuse TLS " +
			"1.0/1.1 and weak ciphers. sslPolicy must be one of the allowed ELB security policies; " +
			"when it is not set AWS applies ELBSecurityPolicy-2016-08, which allows TLS 1.0. " +
			"Listeners on other protocols are judged by lb-listener-http-redirects-to-https.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(e)(1)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.LBListener, awstypes.ALBListener},
		Remediation:   "Set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another allowed policy) on every HTTPS/TLS aws.lb.Listener.",
		References:    []string{refListeners, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html"},
		Engine:        policy.EngineGo,
		Params: []policy.Param{{
			Name: AllowedPoliciesParam, Type: policy.ParamStrings,
			Description: "ELB security policies accepted on HTTPS and TLS listeners.",
			Default: []string{
				"ELBSecurityPolicy-TLS13-1-2-2021-06",
				"ELBSecurityPolicy-TLS13-1-3-2021-06",
				"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
				"ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
				"ELBSecurityPolicy-FS-1-2-Res-2019-08",
				"ELBSecurityPolicy-FS-1-2-Res-2020-10",
			},
		}},
	},
	Resource: listenerTLSPolicyAllowed,
}

func listenerTLSPolicyAllowed(env policy.Env, r policy.Resource) policy.Result {
	proto, res := protocol(r)
	if res != nil {
		return *res
	}
	if proto != "HTTPS" && proto != "TLS" {
		return policy.NotApplicableBecause("protocol is %s: no TLS is terminated", check.Show(r.Properties, "protocol", proto))
	}
	sp, present, res := check.String(r.Properties, "sslPolicy")
	if res != nil {
		return *res
	}
	if !present {
		return policy.Failed("sslPolicy is not set: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1")
	}
	if !slices.Contains(env.Strings(AllowedPoliciesParam), sp) {
		return policy.Failed("sslPolicy %s is not an allowed security policy", check.Show(r.Properties, "sslPolicy", sp))
	}
	return policy.Passed()
}
