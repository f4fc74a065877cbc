package wafv2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/wafv2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestWebACLLoggingEnabled(t *testing.T) {
	aclARN := "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/api-prod/a1b2c3d4"
	good := []pt.Res{
		{Type: awstypes.WAFv2WebACL, Name: "api-acl", Props: map[string]any{"name": "api-prod", "scope": "REGIONAL", "arn": aclARN}},
		{Type: awstypes.WAFv2WebACL, Name: "admin-acl", Props: map[string]any{"name": "admin-prod", "scope": "REGIONAL"}},
		{Type: awstypes.WAFv2WebACLLoggingConfiguration, Name: "api-acl-logging", Props: map[string]any{"resourceArn": aclARN, "logDestinationConfigs": []any{"arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-api"}}},
		{Type: awstypes.WAFv2WebACLLoggingConfiguration, Name: "admin-acl-logging", Props: map[string]any{"resourceArn": pt.Unknown, "logDestinationConfigs": []any{"arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-admin"}}, Deps: map[string][]string{"resourceArn": {"admin-acl"}}},
	}
	pt.RunStack(t, wafv2.WebACLLoggingEnabled, "wafv2-web-acl-logging-enabled", []string{"164.312(b)"}, good, []pt.StackCase{
		{Name: "no logging configuration", Remove: []string{"api-acl-logging"}, Check: "api-acl", Want: policy.Fail, Msg: "no aws:wafv2/webAclLoggingConfiguration has this web ACL as resourceArn"},
		{Name: "configuration for another ACL", Target: "api-acl-logging", Set: map[string]any{"resourceArn": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/other/ffff"}, Check: "api-acl", Want: policy.Fail, Msg: "no aws:wafv2/webAclLoggingConfiguration"},
		{Name: "matched by name in the ARN", Target: "api-acl", Set: map[string]any{"arn": pt.Missing}, Want: policy.Pass},
		{Name: "no destinations", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": pt.Missing}, Check: "api-acl", Want: policy.Fail, Msg: "logging configuration api-acl-logging has no logDestinationConfigs"},
		{Name: "destinations unknown are computed, so set", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": pt.Unknown}, Check: "api-acl", Want: policy.Pass},
		{Name: "destinations empty", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": []any{}}, Check: "api-acl", Want: policy.Fail, Msg: "has no logDestinationConfigs"},
		{Name: "secret destinations", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": pt.Secret([]any{"arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-hidden"})}, Check: "api-acl", Want: policy.Pass},
		{Name: "single destination as a string", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": pt.Wrong("arn:aws:logs:us-east-1:111122223333:log-group:aws-waf-logs-api")}, Check: "api-acl", Want: policy.Pass},
		{Name: "destinations wrong type", Target: "api-acl-logging", Set: map[string]any{"logDestinationConfigs": pt.Wrong(42)}, Check: "api-acl", Want: policy.Undetermined, Msg: "logging configuration api-acl-logging: logDestinationConfigs is of type number"},
		{Name: "reference unknown without dependency", Target: "api-acl-logging", Set: map[string]any{"resourceArn": pt.Unknown}, Check: "api-acl", Want: policy.Undetermined, Msg: "resourceArn of logging configuration api-acl-logging cannot be verified until the value is known"},
	})
}
