package cloudtrail_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/cloudtrail"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTrailMultiRegionLogging(t *testing.T) {
	pt.Run(t, cloudtrail.TrailMultiRegionLogging, "cloudtrail-trail-multi-region-logging", []string{"164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.312(b)"}, awstypes.CloudTrailTrail, goodTrail(), []pt.Case{
		{Name: "single region", Set: map[string]any{"isMultiRegionTrail": false}, Want: policy.Fail, Msg: "isMultiRegionTrail is not true"},
		{Name: "missing multi region", Set: map[string]any{"isMultiRegionTrail": pt.Missing}, Want: policy.Fail, Msg: "isMultiRegionTrail"},
		{Name: "logging stopped", Set: map[string]any{"enableLogging": false}, Want: policy.Fail, Msg: "enableLogging is false"},
		{Name: "logging as string", Set: map[string]any{"enableLogging": pt.Wrong("false")}, Want: policy.Fail, Msg: "enableLogging is false"},
		{Name: "unknown", Set: map[string]any{"isMultiRegionTrail": pt.Unknown}, Want: policy.Undetermined, Msg: "isMultiRegionTrail cannot be verified"},
		{Name: "secret", Set: map[string]any{"isMultiRegionTrail": pt.Secret(true)}, Want: policy.Pass},
		{Name: "unknown multi, logging off", Set: map[string]any{"isMultiRegionTrail": pt.Unknown, "enableLogging": false}, Want: policy.Fail, Msg: "enableLogging"},
	})
}
