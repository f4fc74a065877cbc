package ec2

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// VPCFlowLogsEnabled: every VPC of the stack has a flow log capturing all traffic (stack-level).
var VPCFlowLogsEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ec2-vpc-flow-logs-enabled",
		Title: "Every VPC has a flow log capturing ALL traffic",
		Description: "Flow logs record which addresses talked to the ePHI subnets, accepted and " +
			"rejected, for incident investigation. Stack-level: an aws:ec2/flowLog whose vpcId names " +
			"the VPC (property dependency or ID) must exist with trafficType ALL (ACCEPT or REJECT " +
			"alone leaves half the picture out).",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(ii)(A)", "164.312(b)"},
		ResourceTypes: []string{awstypes.EC2VPC, awstypes.EC2FlowLog},
		Remediation:   `Add an aws.ec2.FlowLog {vpcId: vpc.id, trafficType: "ALL", logDestination: <encrypted log group or bucket>} for each VPC.`,
		References:    []string{"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html"},
		Engine:        policy.EngineGo,
	},
	Stack: vpcFlowLogs,
}

func vpcFlowLogs(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	logs := s.OfType(awstypes.EC2FlowLog)
	return stackref.Judge(s.OfType(awstypes.EC2VPC), func(vpc policy.Resource) policy.Result {
		return judgeFlowLogs(s.ReferredBy(vpc, logs, "vpcId"))
	})
}

func judgeFlowLogs(found, unresolved []policy.Resource) policy.Result {
	var results []policy.Result
	for _, l := range found {
		traffic, present, res := check.String(l.Properties, "trafficType")
		switch {
		case res != nil:
			results = append(results, *check.Within("flow log "+l.Name+": ", res))
		case !present:
			results = append(results, policy.Failed("flow log %s has no trafficType; it must be ALL", l.Name))
		case strings.EqualFold(traffic, "ALL"):
			return policy.Passed()
		default:
			results = append(results, policy.Failed("flow log %s has trafficType %s; it must be ALL", l.Name, check.Show(l.Properties, "trafficType", traffic)))
		}
	}
	if len(unresolved) > 0 {
		// The unresolved flow log may be the one capturing ALL traffic.
		return policy.UndeterminedBecause("vpcId of flow log %s cannot be verified until the value is known", unresolved[0].Name)
	}
	if len(results) == 0 {
		return policy.Failed("no aws:ec2/flowLog has this VPC as vpcId: its traffic is not recorded")
	}
	return policy.Merge(results...)
}
