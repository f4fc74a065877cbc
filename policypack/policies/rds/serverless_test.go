package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// serverlessCases are shared by the production and advisory twins; stack is where they apply.
func serverlessCases(stack string) []pt.Case {
	return []pt.Case{
		{Name: "min capacity zero", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.Fail, Msg: "serverlessv2ScalingConfiguration.minCapacity is 0"},
		{Name: "auto pause", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.secondsUntilAutoPause": 600}, Want: policy.Fail, Msg: "secondsUntilAutoPause is 600"},
		{Name: "not serverless v2", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration": pt.Missing}, Want: policy.NotApplicable, Msg: "serverlessv2ScalingConfiguration is not set"},
		{Name: "min capacity unknown", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Unknown}, Want: policy.Undetermined, Msg: "serverlessv2ScalingConfiguration.minCapacity cannot be verified"},
		{Name: "min capacity unknown but pause set fails", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Unknown, "serverlessv2ScalingConfiguration.secondsUntilAutoPause": 300}, Want: policy.Fail, Msg: "secondsUntilAutoPause is 300"},
		{Name: "config unknown", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration": pt.Unknown}, Want: policy.Undetermined, Msg: "serverlessv2ScalingConfiguration cannot be verified"},
		{Name: "min capacity string zero", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Wrong("0")}, Want: policy.Fail, Msg: "minCapacity is 0"},
		{Name: "min capacity bool", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Wrong(false)}, Want: policy.Undetermined, Msg: "minCapacity is of type bool"},
		{Name: "secret min capacity", Stack: stack, Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": pt.Secret(0)}, Want: policy.Fail, Msg: "minCapacity is 0"},
	}
}

func TestClusterProductionServerlessAlwaysOn(t *testing.T) {
	cases := append(serverlessCases("prod"),
		pt.Case{Name: "dev stack is the advisory twin's", Stack: "dev", Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.NotApplicable, Msg: "stack dev is not a production stack"})
	pt.Run(t, rds.ClusterProductionServerlessAlwaysOn, "rds-cluster-production-serverless-always-on", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.RDSCluster, goodCluster(), cases)
}

func TestClusterServerlessAlwaysOn(t *testing.T) {
	cases := append(serverlessCases("dev"),
		pt.Case{Name: "prod stack is the mandatory twin's", Stack: "prod", Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.NotApplicable, Msg: "stack prod is a production stack"})
	runAllowingNotApplicableBase(t, cases)
}

func runAllowingNotApplicableBase(t *testing.T, cases []pt.Case) {
	t.Helper()
	pt.RunIn(t, "dev", rds.ClusterServerlessAlwaysOn, "rds-cluster-serverless-always-on", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.RDSCluster, goodCluster(), cases)
}
