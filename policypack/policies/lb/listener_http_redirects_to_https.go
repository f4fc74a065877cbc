package lb

import (
	"fmt"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ListenerHTTPRedirectsToHTTPS: listeners are HTTPS/TLS, or plain HTTP that only redirects to
// HTTPS.
var ListenerHTTPRedirectsToHTTPS = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "lb-listener-http-redirects-to-https",
		Title: "Load balancer listeners are HTTPS/TLS, or HTTP listeners that only redirect to HTTPS",
		Description: "A plain HTTP (or TCP/UDP) listener that forwards requests carries ePHI " +
			"unencrypted. HTTP is accepted only when every default action is a redirect with " +
			"protocol HTTPS; protocol defaults to HTTP.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.LBListener, awstypes.ALBListener},
		Remediation:   `Use protocol HTTPS (TLS on NLBs) with a certificate, or make the HTTP listener's only default action {type: "redirect", redirect: {protocol: "HTTPS", port: "443", statusCode: "HTTP_301"}}.`,
		References:    []string{refListeners, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions"},
		Engine:        policy.EngineGo,
	},
	Resource: listenerHTTPRedirectsToHTTPS,
}

func listenerHTTPRedirectsToHTTPS(_ policy.Env, r policy.Resource) policy.Result {
	proto, res := protocol(r)
	if res != nil {
		return *res
	}
	switch proto {
	case "HTTPS", "TLS":
		return policy.Passed()
	case "HTTP":
	case "GENEVE":
		return policy.NotApplicableBecause("a Gateway Load Balancer listener (GENEVE) passes traffic to inspection appliances and terminates no client connections")
	default:
		return policy.Failed("protocol is %s: traffic reaches the targets unencrypted; use TLS", check.Show(r.Properties, "protocol", proto))
	}
	actions, _, res := check.Objects(r.Properties, "defaultActions")
	if res != nil {
		return *res
	}
	if len(actions) == 0 {
		return policy.Failed("protocol is HTTP and defaultActions is empty: it must redirect to HTTPS")
	}
	results := []policy.Result{policy.Passed()}
	for i, a := range actions {
		prefix := fmt.Sprintf("defaultActions[%d].", i)
		typ, _, res := check.String(a, "type")
		if res != nil {
			results = append(results, *check.Within(prefix, res))
			continue
		}
		if !strings.EqualFold(typ, "redirect") {
			results = append(results, policy.Failed("protocol is %s and %stype is %s, not a redirect to HTTPS: requests are served unencrypted", check.Show(r.Properties, "protocol", proto), prefix, check.Show(a, "type", typ)))
			continue
		}
		to, present, res := check.String(a, "redirect.protocol")
		switch {
		case res != nil:
			results = append(results, *check.Within(prefix, res))
		case !present:
			results = append(results, policy.Failed("%sredirect.protocol is not set: the redirect keeps the request's protocol (HTTP)", prefix))
		case !strings.EqualFold(to, "HTTPS"):
			results = append(results, policy.Failed("%sredirect.protocol is %s, not HTTPS", prefix, check.Show(a, "redirect.protocol", to)))
		}
	}
	return policy.Merge(results...)
}
