package wafv2

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// WebACLLoggingEnabled: every web ACL of the stack has a logging configuration (stack-level).
var WebACLLoggingEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "wafv2-web-acl-logging-enabled",
		Title: "Every WAF web ACL has a logging configuration",
		Description: "WAF logs show the requests blocked and allowed in front of the API, needed to " +
			"detect and investigate attacks on ePHI. Stack-level: an " +
			"aws:wafv2/webAclLoggingConfiguration must name the web ACL in resourceArn (by property " +
			"dependency, ARN or webacl/<name>/) and have a log destination.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(b)"},
		ResourceTypes: []string{awstypes.WAFv2WebACL, awstypes.WAFv2WebACLLoggingConfiguration},
		Remediation:   "Add an aws.wafv2.WebAclLoggingConfiguration with resourceArn: webAcl.arn and logDestinationConfigs: [<aws-waf-logs-* log group, bucket or stream ARN>].",
		References:    []string{"https://docs.aws.amazon.com/waf/latest/developerguide/logging.html"},
		Engine:        policy.EngineGo,
	},
	Stack: webACLLogging,
}

func webACLLogging(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	configs := s.OfType(awstypes.WAFv2WebACLLoggingConfiguration)
	var out []policy.StackResult
	for _, acl := range s.OfType(awstypes.WAFv2WebACL) {
		found, unresolved := s.ReferredBy(acl, configs, "resourceArn")
		name, _ := props.String(acl.Properties, "name")
		for _, c := range configs {
			if ref, st := props.String(c.Properties, "resourceArn"); st == props.Known && name != "" &&
				strings.Contains(ref, "/webacl/"+name+"/") && !contains(found, c) {
				found = append(found, c)
			}
		}
		out = append(out, policy.StackResult{URN: acl.URN, Result: judge(found, unresolved)})
	}
	return out
}

func judge(found, unresolved []policy.Resource) policy.Result {
	var results []policy.Result
	for _, c := range found {
		set, res := check.Set(c.Properties, "logDestinationConfigs")
		switch {
		case res != nil:
			results = append(results, *check.Within("logging configuration "+c.Name+": ", res))
		case !set:
			results = append(results, policy.Failed("logging configuration %s has no logDestinationConfigs", c.Name))
		default:
			results = append(results, policy.Passed())
		}
	}
	if len(results) > 0 {
		// One complete configuration is enough.
		for _, r := range results {
			if r.Status == policy.Pass {
				return r
			}
		}
		return policy.Merge(results...)
	}
	if len(unresolved) > 0 {
		return policy.UndeterminedBecause("resourceArn of logging configuration %s cannot be verified until the value is known", unresolved[0].Name)
	}
	return policy.Failed("no aws:wafv2/webAclLoggingConfiguration has this web ACL as resourceArn: requests are not logged")
}

func contains(list []policy.Resource, r policy.Resource) bool {
	for _, x := range list {
		if x.URN == r.URN {
			return true
		}
	}
	return false
}
