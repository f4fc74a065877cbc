package ec2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestSubnetPublicIPDisabled(t *testing.T) {
	good := map[string]any{"vpcId": "vpc-0abc", "cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": false}
	pt.Run(t, ec2.SubnetPublicIPDisabled, "ec2-subnet-public-ip-disabled", []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"}, awstypes.EC2Subnet, good, []pt.Case{
		{Name: "public ipv4", Set: map[string]any{"mapPublicIpOnLaunch": true}, Want: policy.Fail, Msg: "mapPublicIpOnLaunch is true"},
		{Name: "public ipv6", Set: map[string]any{"assignIpv6AddressOnCreation": true}, Want: policy.Fail, Msg: "assignIpv6AddressOnCreation is true"},
		{Name: "missing is off", Set: map[string]any{"mapPublicIpOnLaunch": pt.Missing}, Want: policy.Pass},
		{Name: "unknown", Set: map[string]any{"mapPublicIpOnLaunch": pt.Unknown}, Want: policy.Undetermined, Msg: "mapPublicIpOnLaunch cannot be verified until the value is known"},
		{Name: "secret", Set: map[string]any{"mapPublicIpOnLaunch": pt.Secret(true)}, Want: policy.Fail, Msg: "mapPublicIpOnLaunch"},
		{Name: "string", Set: map[string]any{"mapPublicIpOnLaunch": pt.Wrong("TRUE")}, Want: policy.Fail, Msg: "mapPublicIpOnLaunch"},
		{Name: "number", Set: map[string]any{"mapPublicIpOnLaunch": pt.Wrong(0)}, Want: policy.Undetermined, Msg: "mapPublicIpOnLaunch is of type number"},
	})
}
