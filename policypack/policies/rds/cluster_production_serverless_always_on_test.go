package rds_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestClusterProductionServerlessAlwaysOn(t *testing.T) {
	cases := append(serverlessCases("prod"),
		pt.Case{Name: "dev stack is the advisory twin's", Stack: "dev", Set: map[string]any{"serverlessv2ScalingConfiguration.minCapacity": 0}, Want: policy.NotApplicable, Msg: "stack dev is not a production stack"})
	pt.Run(t, rds.ClusterProductionServerlessAlwaysOn, "rds-cluster-production-serverless-always-on", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, awstypes.RDSCluster, goodCluster(), cases)
}
