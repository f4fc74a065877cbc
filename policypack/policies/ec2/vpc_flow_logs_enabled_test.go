package ec2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestVPCFlowLogsEnabled(t *testing.T) {
	good := []pt.Res{
		{Type: awstypes.EC2VPC, Name: "vpc", Props: map[string]any{"cidrBlock": "10.0.0.0/16", "id": "vpc-0abc"}},
		{Type: awstypes.EC2VPC, Name: "mgmt", Props: map[string]any{"cidrBlock": "10.1.0.0/16"}},
		{Type: awstypes.EC2FlowLog, Name: "vpc-flow", Props: map[string]any{"vpcId": "vpc-0abc", "trafficType": "ALL", "logDestination": "arn:aws:logs:us-east-1:111122223333:log-group:/hipaa/flow"}},
		{Type: awstypes.EC2FlowLog, Name: "mgmt-flow", Props: map[string]any{"vpcId": pt.Unknown, "trafficType": "ALL"}, Deps: map[string][]string{"vpcId": {"mgmt"}}},
	}
	pt.RunStack(t, ec2.VPCFlowLogsEnabled, "ec2-vpc-flow-logs-enabled", []string{"164.308(a)(3)(ii)(A)", "164.312(b)"}, good, []pt.StackCase{
		{Name: "no flow log", Remove: []string{"vpc-flow"}, Check: "vpc", Want: policy.Fail, Msg: "no aws:ec2/flowLog has this VPC as vpcId"},
		{Name: "reject only", Target: "vpc-flow", Set: map[string]any{"trafficType": "REJECT"}, Check: "vpc", Want: policy.Fail, Msg: "flow log vpc-flow has trafficType REJECT; it must be ALL"},
		{Name: "traffic type missing", Target: "vpc-flow", Set: map[string]any{"trafficType": pt.Missing}, Check: "vpc", Want: policy.Fail, Msg: "flow log vpc-flow has no trafficType"},
		{Name: "traffic type unknown", Target: "vpc-flow", Set: map[string]any{"trafficType": pt.Unknown}, Check: "vpc", Want: policy.Undetermined, Msg: "flow log vpc-flow: trafficType cannot be verified until the value is known"},
		{Name: "traffic type secret", Target: "vpc-flow", Set: map[string]any{"trafficType": pt.Secret("ACCEPT")}, Check: "vpc", Want: policy.Fail, Msg: "trafficType [secret]"},
		{Name: "traffic type wrong", Target: "vpc-flow", Set: map[string]any{"trafficType": pt.Wrong(true)}, Check: "vpc", Want: policy.Undetermined, Msg: "trafficType is of type bool"},
		{Name: "vpc reference unknown", Target: "vpc-flow", Set: map[string]any{"vpcId": pt.Unknown}, Check: "vpc", Want: policy.Undetermined, Msg: "vpcId of flow log vpc-flow cannot be verified until the value is known"},
		{Name: "flow log of the other vpc only", Target: "mgmt-flow", Set: map[string]any{"trafficType": "REJECT"}, Check: "mgmt", Want: policy.Fail, Msg: "flow log mgmt-flow has trafficType REJECT"},
	})
}
