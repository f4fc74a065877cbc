package ecr_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecr"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestRepositoryScanOnPush(t *testing.T) {
	pt.Run(t, ecr.RepositoryScanOnPush, "ecr-repository-scan-on-push", []string{"164.308(a)(5)(ii)(B)"}, awstypes.ECRRepository, goodRepository(), []pt.Case{
		{Name: "off", Set: map[string]any{"imageScanningConfiguration.scanOnPush": false}, Want: policy.Fail,
			Msg: "imageScanningConfiguration.scanOnPush is not true: pushed images are not scanned"},
		{Name: "flag missing", Set: map[string]any{"imageScanningConfiguration.scanOnPush": pt.Missing}, Want: policy.Fail, Msg: "scanOnPush is not true"},
		{Name: "configuration missing", Set: map[string]any{"imageScanningConfiguration": pt.Missing}, Want: policy.Fail, Msg: "scanOnPush is not true"},
		{Name: "string true", Set: map[string]any{"imageScanningConfiguration.scanOnPush": "true"}, Want: policy.Pass},
		{Name: "string false", Set: map[string]any{"imageScanningConfiguration.scanOnPush": "false"}, Want: policy.Fail, Msg: "scanOnPush is not true"},
		{Name: "unknown", Set: map[string]any{"imageScanningConfiguration.scanOnPush": pt.Unknown}, Want: policy.Undetermined,
			Msg: "imageScanningConfiguration.scanOnPush cannot be verified until the value is known"},
		{Name: "configuration unknown", Set: map[string]any{"imageScanningConfiguration": pt.Unknown}, Want: policy.Undetermined,
			Msg: "cannot be verified until the value is known"},
		{Name: "secret", Set: map[string]any{"imageScanningConfiguration": pt.Secret(map[string]any{"scanOnPush": true})}, Want: policy.Pass},
		{Name: "number", Set: map[string]any{"imageScanningConfiguration.scanOnPush": pt.Wrong(1)}, Want: policy.Undetermined,
			Msg: "imageScanningConfiguration.scanOnPush is of type number"},
		{Name: "configuration as a list of one", Set: map[string]any{"imageScanningConfiguration": pt.Wrong([]any{map[string]any{"scanOnPush": true}})}, Want: policy.Pass},
		{Name: "configuration is a string", Set: map[string]any{"imageScanningConfiguration": pt.Wrong("on")}, Want: policy.Undetermined,
			Msg: "imageScanningConfiguration is of type string"},
	})
}
