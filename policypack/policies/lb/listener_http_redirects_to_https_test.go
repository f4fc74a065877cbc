package lb_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lb"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestListenerHTTPRedirectsToHTTPS(t *testing.T) {
	id, controls := "lb-listener-http-redirects-to-https", []string{"164.312(a)(2)(iv)", "164.312(e)(1)", "164.312(e)(2)(i)", "164.312(e)(2)(ii)"}
	pt.Run(t, lb.ListenerHTTPRedirectsToHTTPS, id, controls, awstypes.LBListener, redirectListener(), []pt.Case{
		{Name: "forwarding http", Set: map[string]any{"defaultActions[0]": map[string]any{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api/1"}}, Want: policy.Fail, Msg: "defaultActions[0].type is forward"},
		{Name: "redirect to http", Set: map[string]any{"defaultActions[0].redirect.protocol": "HTTP"}, Want: policy.Fail, Msg: "defaultActions[0].redirect.protocol is HTTP"},
		{Name: "redirect protocol missing", Set: map[string]any{"defaultActions[0].redirect.protocol": pt.Missing}, Want: policy.Fail, Msg: "redirect.protocol is not set"},
		{Name: "protocol missing is http", Set: map[string]any{"protocol": pt.Missing}, Want: policy.Pass},
		{Name: "no actions", Set: map[string]any{"defaultActions": pt.Missing}, Want: policy.Fail, Msg: "defaultActions is empty"},
		{Name: "redirect protocol unknown", Set: map[string]any{"defaultActions[0].redirect.protocol": pt.Unknown}, Want: policy.Undetermined, Msg: "defaultActions[0].redirect.protocol cannot be verified until the value is known"},
		{Name: "actions unknown", Set: map[string]any{"defaultActions": pt.Unknown}, Want: policy.Undetermined, Msg: "defaultActions cannot be verified"},
		{Name: "secret redirect", Set: map[string]any{"defaultActions[0].redirect.protocol": pt.Secret("HTTPS")}, Want: policy.Pass},
		{Name: "type wrong", Set: map[string]any{"defaultActions[0].type": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "defaultActions[0].type is of type number"},
		{Name: "tcp listener", Set: map[string]any{"protocol": "TCP"}, Want: policy.Fail, Msg: "protocol is TCP"},
		{Name: "lower-case https", Set: map[string]any{"protocol": "https"}, Want: policy.Pass},
		{Name: "gateway load balancer", Set: map[string]any{"protocol": pt.Missing, "loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/gwy/inspect/1a2b", "defaultActions[0]": map[string]any{"type": "forward"}}, Want: policy.NotApplicable, Msg: "Gateway Load Balancer"},
	})
	pt.Run(t, lb.ListenerHTTPRedirectsToHTTPS, id, controls, awstypes.ALBListener, httpsListener(), []pt.Case{
		{Name: "https listener passes whatever it forwards", Set: map[string]any{"defaultActions": pt.Missing}, Want: policy.Pass},
		{Name: "http forward", Set: map[string]any{"protocol": "HTTP"}, Want: policy.Fail, Msg: "type is forward"},
		{Name: "protocol unknown", Set: map[string]any{"protocol": pt.Unknown}, Want: policy.Undetermined, Msg: "protocol cannot be verified"},
		{Name: "protocol secret", Set: map[string]any{"protocol": pt.Secret("http")}, Want: policy.Fail, Msg: "type is forward"},
		{Name: "protocol bool", Set: map[string]any{"protocol": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "protocol is of type bool"},
	})
}
