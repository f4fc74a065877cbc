package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// serverlessAlwaysOn judges a Serverless v2 cluster's capacity: it must not scale to zero
// (minCapacity 0) nor auto-pause (secondsUntilAutoPause), since a paused writer takes seconds to
// resume and drops the monitoring pipeline's writes meanwhile.
func serverlessAlwaysOn(r policy.Resource) policy.Result {
	const cfg = "serverlessv2ScalingConfiguration"
	_, present, res := check.Object(r.Properties, cfg)
	if res != nil {
		return *res
	}
	if !present {
		return policy.NotApplicableBecause("%s is not set: not an Aurora Serverless v2 cluster", cfg)
	}
	var results []policy.Result
	minCap, minSet, res := check.Number(r.Properties, cfg+".minCapacity")
	switch {
	case res != nil:
		results = append(results, *res)
	case minSet && minCap == 0:
		results = append(results, policy.Failed("%s.minCapacity is 0: the cluster scales to zero and pauses", cfg))
	}
	pause, pauseSet, res := check.Int(r.Properties, cfg+".secondsUntilAutoPause")
	switch {
	case res != nil:
		results = append(results, *res)
	case pauseSet:
		results = append(results, policy.Failed("%s.secondsUntilAutoPause is %s: the cluster is configured to auto-pause", cfg, check.Show(r.Properties, cfg+".secondsUntilAutoPause", pause)))
	}
	results = append(results, policy.Passed())
	return policy.Merge(results...)
}
