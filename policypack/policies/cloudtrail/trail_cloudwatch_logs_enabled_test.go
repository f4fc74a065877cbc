package cloudtrail_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/cloudtrail"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTrailCloudWatchLogsEnabled(t *testing.T) {
	pt.Run(t, cloudtrail.TrailCloudWatchLogsEnabled, "cloudtrail-trail-cloudwatch-logs-enabled", []string{"164.308(a)(3)(ii)(A)", "164.312(b)"}, awstypes.CloudTrailTrail, goodTrail(), []pt.Case{
		{Name: "no group", Set: map[string]any{"cloudWatchLogsGroupArn": pt.Missing}, Want: policy.Fail, Msg: "cloudWatchLogsGroupArn is not set"},
		{Name: "no role", Set: map[string]any{"cloudWatchLogsRoleArn": ""}, Want: policy.Fail, Msg: "cloudWatchLogsRoleArn is not set"},
		{Name: "group computed (unknown) is set", Set: map[string]any{"cloudWatchLogsGroupArn": pt.Unknown}, Want: policy.Pass},
		{Name: "group unknown, role missing", Set: map[string]any{"cloudWatchLogsGroupArn": pt.Unknown, "cloudWatchLogsRoleArn": pt.Missing}, Want: policy.Fail, Msg: "cloudWatchLogsRoleArn is not set"},
		{Name: "secret group", Set: map[string]any{"cloudWatchLogsGroupArn": pt.Secret("arn:aws:logs:us-east-1:111122223333:log-group:hidden:*")}, Want: policy.Pass},
		{Name: "wrong type", Set: map[string]any{"cloudWatchLogsRoleArn": pt.Wrong(false)}, Want: policy.Undetermined, Msg: "cloudWatchLogsRoleArn is of type bool"},
	})
}
