package apigateway_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestDomainNameTLS12(t *testing.T) {
	id, controls := "apigateway-domain-name-tls-1-2", []string{"164.312(e)(1)", "164.312(e)(2)(ii)"}
	pt.Run(t, apigateway.DomainNameTLS12, id, controls, awstypes.APIGatewayDomainName,
		map[string]any{"domainName": "api.carepulse.example", "securityPolicy": "TLS_1_2", "regionalCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/1"}, []pt.Case{
			{Name: "tls 1.0", Set: map[string]any{"securityPolicy": "TLS_1_0"}, Want: policy.Fail, Msg: "securityPolicy is TLS_1_0"},
			{Name: "missing", Set: map[string]any{"securityPolicy": pt.Missing}, Want: policy.Fail, Msg: "securityPolicy is not set"},
			{Name: "tls 1.3 policy", Set: map[string]any{"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09"}, Want: policy.Pass},
			{Name: "unknown", Set: map[string]any{"securityPolicy": pt.Unknown}, Want: policy.Undetermined, Msg: "securityPolicy cannot be verified until the value is known"},
			{Name: "secret old", Set: map[string]any{"securityPolicy": pt.Secret("TLS_1_0")}, Want: policy.Fail, Msg: "securityPolicy is [secret]"},
			{Name: "wrong type", Set: map[string]any{"securityPolicy": pt.Wrong(1.2)}, Want: policy.Undetermined, Msg: "securityPolicy is of type number"},
		})
	pt.Run(t, apigateway.DomainNameTLS12, id, controls, awstypes.APIGatewayV2DomainName,
		map[string]any{"domainName": "api.carepulse.example", "domainNameConfiguration": map[string]any{"securityPolicy": "TLS_1_2", "endpointType": "REGIONAL", "certificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/1"}}, []pt.Case{
			{Name: "v2 missing", Set: map[string]any{"domainNameConfiguration.securityPolicy": pt.Missing}, Want: policy.Fail, Msg: "domainNameConfiguration.securityPolicy is not set"},
			{Name: "v2 config unknown", Set: map[string]any{"domainNameConfiguration": pt.Unknown}, Want: policy.Undetermined, Msg: "domainNameConfiguration.securityPolicy cannot be verified"},
			{Name: "v2 secret", Set: map[string]any{"domainNameConfiguration.securityPolicy": pt.Secret("TLS_1_2")}, Want: policy.Pass},
			{Name: "v2 wrong", Set: map[string]any{"domainNameConfiguration.securityPolicy": pt.Wrong(false)}, Want: policy.Undetermined, Msg: "is of type bool"},
		})
}
