package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterPerformanceInsightsKey(t *testing.T) {
	id, controls := "rds-cluster-performance-insights-key", []string{"164.312(a)(2)(iv)"}
	pt.Run(t, rds.ClusterPerformanceInsightsKey, id, controls, awstypes.RDSCluster, goodCluster(), []pt.Case{
		{Name: "no key", Set: map[string]any{"performanceInsightsKmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "performanceInsightsKmsKeyId is not set"},
		{Name: "aws managed", Set: map[string]any{"performanceInsightsKmsKeyId": "alias/aws/rds"}, Want: policy.Fail, Msg: "performanceInsightsKmsKeyId is not set to a customer-managed key"},
		{Name: "insights off", Set: map[string]any{"performanceInsightsEnabled": false, "performanceInsightsKmsKeyId": pt.Missing}, Want: policy.NotApplicable, Msg: "performanceInsightsEnabled"},
		{Name: "insights unknown", Set: map[string]any{"performanceInsightsEnabled": pt.Unknown}, Want: policy.Undetermined, Msg: "performanceInsightsEnabled cannot be verified"},
		{Name: "key secret", Set: map[string]any{"performanceInsightsKmsKeyId": pt.Secret(keyARN)}, Want: policy.Pass},
		{Name: "enabled as string", Set: map[string]any{"performanceInsightsEnabled": pt.Wrong("TRUE"), "performanceInsightsKmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "performanceInsightsKmsKeyId"},
		{Name: "key list", Set: map[string]any{"performanceInsightsKmsKeyId": []any{keyARN}}, Want: policy.Undetermined, Msg: "performanceInsightsKmsKeyId is of type array"},
	})
	instance := map[string]any{"clusterIdentifier": "vitals-prod", "instanceClass": "db.serverless", "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": keyARN}
	pt.Run(t, rds.ClusterPerformanceInsightsKey, id, controls, awstypes.RDSClusterInstance, instance, []pt.Case{
		{Name: "instance without key", Set: map[string]any{"performanceInsightsKmsKeyId": pt.Missing}, Want: policy.Fail, Msg: "performanceInsightsKmsKeyId"},
		{Name: "instance key computed", Set: map[string]any{"performanceInsightsKmsKeyId": pt.Unknown}, Want: policy.Pass},
		{Name: "instance secret flag off", Set: map[string]any{"performanceInsightsEnabled": pt.Secret(false)}, Want: policy.NotApplicable, Msg: "performanceInsightsEnabled"},
		{Name: "instance flag number", Set: map[string]any{"performanceInsightsEnabled": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "performanceInsightsEnabled is of type number"},
	})
}
