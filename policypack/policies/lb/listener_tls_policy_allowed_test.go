package lb_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lb"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestListenerTLSPolicyAllowed(t *testing.T) {
	cases := []pt.Case{
		{Name: "old policy", Set: map[string]any{"sslPolicy": "ELBSecurityPolicy-2016-08"}, Want: policy.Fail, Msg: "sslPolicy ELBSecurityPolicy-2016-08 is not an allowed"},
		{Name: "ext1 is not allowed", Set: map[string]any{"sslPolicy": "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"}, Want: policy.Fail, Msg: "sslPolicy"},
		{Name: "missing", Set: map[string]any{"sslPolicy": pt.Missing}, Want: policy.Fail, Msg: "sslPolicy is not set"},
		{Name: "unknown", Set: map[string]any{"sslPolicy": pt.Unknown}, Want: policy.Undetermined, Msg: "sslPolicy cannot be verified until the value is known"},
		{Name: "secret allowed", Set: map[string]any{"sslPolicy": pt.Secret("ELBSecurityPolicy-TLS13-1-3-2021-06")}, Want: policy.Pass},
		{Name: "wrong type", Set: map[string]any{"sslPolicy": pt.Wrong([]any{"ELBSecurityPolicy-TLS13-1-2-2021-06"})}, Want: policy.Undetermined, Msg: "sslPolicy is of type array"},
		{Name: "TLS on NLB", Set: map[string]any{"protocol": "TLS", "sslPolicy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"}, Want: policy.Pass},
		{Name: "configured allow list", Set: map[string]any{"sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}, Params: map[string]any{lb.AllowedPoliciesParam: []any{"ELBSecurityPolicy-TLS13-1-3-2021-06"}}, Want: policy.Fail, Msg: "not an allowed"},
		{Name: "http listener", Set: map[string]any{"protocol": "HTTP", "sslPolicy": pt.Missing}, Want: policy.NotApplicable, Msg: "protocol is HTTP"},
		{Name: "protocol unknown", Set: map[string]any{"protocol": pt.Unknown}, Want: policy.Undetermined, Msg: "protocol cannot be verified"},
	}
	id, controls := "lb-listener-tls-policy-allowed", []string{"164.312(e)(1)", "164.312(e)(2)(ii)"}
	pt.Run(t, lb.ListenerTLSPolicyAllowed, id, controls, awstypes.LBListener, httpsListener(), cases)
	pt.Run(t, lb.ListenerTLSPolicyAllowed, id, controls, awstypes.ALBListener, httpsListener(), cases)
}
