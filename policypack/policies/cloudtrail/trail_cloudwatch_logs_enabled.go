package cloudtrail

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TrailCloudWatchLogsEnabled: trail events are delivered to CloudWatch Logs.
var TrailCloudWatchLogsEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:            "cloudtrail-trail-cloudwatch-logs-enabled",
		Title:         "CloudTrail delivers events to CloudWatch Logs",
		Description:   "Delivery to CloudWatch Logs lets metric filters and alarms act on security events within minutes, as information system activity review requires. Both cloudWatchLogsGroupArn and cloudWatchLogsRoleArn must be set.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(ii)(A)", "164.312(b)"},
		ResourceTypes: []string{awstypes.CloudTrailTrail},
		Remediation:   "Set cloudWatchLogsGroupArn (the log group ARN ending in :*) and cloudWatchLogsRoleArn on the aws.cloudtrail.Trail.",
		References:    []string{"https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		var results []policy.Result
		for _, p := range []string{"cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"} {
			present, res := check.Set(r.Properties, p)
			switch {
			case res != nil:
				results = append(results, *res)
			case !present:
				results = append(results, policy.Failed("%s is not set: events are not delivered to CloudWatch Logs", p))
			}
		}
		return policy.Merge(append(results, policy.Passed())...)
	},
}
