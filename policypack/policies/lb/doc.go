// Package lb holds the policies on load balancer listeners.
package lb

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

const refListeners = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html"

// protocol reads the listener protocol; the provider default is HTTP for an Application Load
// Balancer (a listener without protocol on an NLB is rejected by AWS).
func protocol(r policy.Resource) (string, *policy.Result) {
	p, present, res := check.String(r.Properties, "protocol")
	if res != nil {
		return "", res
	}
	if !present {
		// Gateway Load Balancer listeners have no protocol: they carry GENEVE.
		if arn, _, _ := check.String(r.Properties, "loadBalancerArn"); strings.Contains(arn, ":loadbalancer/gwy/") {
			return "GENEVE", nil
		}
		return "HTTP", nil
	}
	return strings.ToUpper(p), nil
}
