package cloudtrail_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/cloudtrail"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTrailLogFileValidationEnabled(t *testing.T) {
	pt.Run(t, cloudtrail.TrailLogFileValidationEnabled, "cloudtrail-trail-log-file-validation-enabled", []string{"164.312(c)(1)", "164.312(c)(2)"}, awstypes.CloudTrailTrail, goodTrail(), []pt.Case{
		{Name: "off", Set: map[string]any{"enableLogFileValidation": false}, Want: policy.Fail, Msg: "enableLogFileValidation is not true"},
		{Name: "missing", Set: map[string]any{"enableLogFileValidation": pt.Missing}, Want: policy.Fail, Msg: "enableLogFileValidation"},
		{Name: "unknown", Set: map[string]any{"enableLogFileValidation": pt.Unknown}, Want: policy.Undetermined, Msg: "enableLogFileValidation cannot be verified"},
		{Name: "secret", Set: map[string]any{"enableLogFileValidation": pt.Secret(false)}, Want: policy.Fail, Msg: "enableLogFileValidation"},
		{Name: "string", Set: map[string]any{"enableLogFileValidation": pt.Wrong("true")}, Want: policy.Pass},
		{Name: "garbage string", Set: map[string]any{"enableLogFileValidation": pt.Wrong("enabled")}, Want: policy.Undetermined, Msg: "enableLogFileValidation is of type string"},
	})
}
