package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterServerlessAlwaysOn(t *testing.T) {
	cases := append(serverlessCases("dev"),
		pt.Case{Name: "prod stack is the mandatory twin's", Stack: "prod", Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.NotApplicable, Msg: "stack prod is a production stack"})
	// The known-good cluster must pass on a development stack, where this twin applies.
	pt.RunIn(t, "dev", rds.ClusterServerlessAlwaysOn, "rds-cluster-serverless-always-on", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.RDSCluster, goodCluster(), cases)
}
