package ec2_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// network is a VPC with a public subnet (IGW route), a private subnet (NAT route) and an
// isolated subnet (local only), the data stores in private/isolated subnets.
func network() []pt.Res {
	return []pt.Res{
		{Type: awstypes.EC2VPC, Name: "vpc", Props: map[string]any{"cidrBlock": "10.0.0.0/16", "id": "vpc-0abc"}},
		{Type: awstypes.EC2InternetGateway, Name: "igw", Props: map[string]any{"vpcId": "vpc-0abc", "id": "igw-0123"}},
		{Type: awstypes.EC2Subnet, Name: "public-a", Props: map[string]any{"vpcId": "vpc-0abc", "id": "subnet-pub", "cidrBlock": "10.0.0.0/24"}},
		{Type: awstypes.EC2Subnet, Name: "private-a", Props: map[string]any{"vpcId": "vpc-0abc", "id": "subnet-priv", "cidrBlock": "10.0.1.0/24"}},
		{Type: awstypes.EC2Subnet, Name: "isolated-a", Props: map[string]any{"vpcId": "vpc-0abc", "id": "subnet-iso", "cidrBlock": "10.0.2.0/24"}},
		{Type: awstypes.EC2RouteTable, Name: "public-rt", Props: map[string]any{"vpcId": "vpc-0abc", "id": "rtb-pub", "routes": []any{map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0123"}}}},
		{Type: awstypes.EC2RouteTable, Name: "private-rt", Props: map[string]any{"vpcId": "vpc-0abc", "id": "rtb-priv"}},
		{Type: awstypes.EC2Route, Name: "private-default", Props: map[string]any{"routeTableId": "rtb-priv", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0456"}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "public-a-assoc", Props: map[string]any{"subnetId": "subnet-pub", "routeTableId": "rtb-pub"}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "private-a-assoc", Props: map[string]any{"subnetId": pt.Unknown, "routeTableId": pt.Unknown}, Deps: map[string][]string{"subnetId": {"private-a"}, "routeTableId": {"private-rt"}}},
		{Type: awstypes.RDSSubnetGroup, Name: "db-subnets", Props: map[string]any{"name": "hipaa-data-prod", "subnetIds": []any{"subnet-priv", "subnet-iso"}}},
		{Type: awstypes.ElastiCacheSubnetGroup, Name: "cache-subnets", Props: map[string]any{"name": "hipaa-cache-prod", "subnetIds": pt.Unknown}, Deps: map[string][]string{"subnetIds": {"isolated-a"}}},
		{Type: awstypes.RDSCluster, Name: "vitals", Props: map[string]any{"dbSubnetGroupName": "hipaa-data-prod"}},
		{Type: awstypes.ElastiCacheReplicationGroup, Name: "cache", Props: map[string]any{"subnetGroupName": pt.Unknown}, Deps: map[string][]string{"subnetGroupName": {"cache-subnets"}}},
	}
}

func TestDataStoreSubnetsIsolated(t *testing.T) {
	pt.RunStack(t, ec2.DataStoreSubnetsIsolated, "ec2-data-store-subnets-isolated", []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"}, network(), []pt.StackCase{
		{Name: "public subnet in the db group", Target: "db-subnets", Set: map[string]any{"subnetIds": []any{"subnet-priv", "subnet-pub"}}, Want: policy.Fail, Msg: "subnet public-a uses route table public-rt whose routes[0] sends 0.0.0.0/0 to an internet gateway"},
		{Name: "private route switched to the igw", Target: "private-default", Set: map[string]any{"gatewayId": "igw-0123", "natGatewayId": pt.Missing}, Check: "db-subnets", Want: policy.Fail, Msg: "route table private-rt whose route private-default sends 0.0.0.0/0"},
		{Name: "ipv6 default to igw", Target: "private-default", Set: map[string]any{"destinationCidrBlock": pt.Missing, "destinationIpv6CidrBlock": "::/0", "gatewayId": "igw-0123"}, Check: "db-subnets", Want: policy.Fail, Msg: "sends ::/0"},
		{Name: "gateway unknown", Target: "private-default", Set: map[string]any{"gatewayId": pt.Unknown, "natGatewayId": pt.Missing}, Check: "db-subnets", Want: policy.Undetermined, Msg: "gatewayId of route private-default in route table private-rt (subnet private-a) cannot be verified until the value is known"},
		{Name: "gateway unknown but depends on the igw", Check: "db-subnets",
			Remove: []string{"private-default"}, Add: []pt.Res{{Type: awstypes.EC2Route, Name: "private-default-2", Props: map[string]any{"routeTableId": "rtb-priv", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": pt.Unknown}, Deps: map[string][]string{"gatewayId": {"igw"}}}}, Want: policy.Fail, Msg: "route private-default-2"},
		{Name: "subnet outside the stack", Target: "db-subnets", Set: map[string]any{"subnetIds": []any{"subnet-priv", "subnet-elsewhere"}}, Want: policy.Undetermined, Msg: "subnet subnet-elsewhere is not defined in this stack"},
		{Name: "secret subnet id outside the stack", Target: "db-subnets", Set: map[string]any{"subnetIds": pt.Secret([]any{"subnet-hidden"})}, Want: policy.Undetermined, Msg: "subnet [secret] is not defined"},
		{Name: "subnet ids unknown without dependency", Target: "db-subnets", Set: map[string]any{"subnetIds": pt.Unknown}, Want: policy.Undetermined, Msg: "subnetIds cannot be verified until the value is known"},
		{Name: "subnet ids wrong type", Target: "db-subnets", Set: map[string]any{"subnetIds": pt.Wrong("subnet-priv")}, Want: policy.Undetermined, Msg: "subnetIds is of type string"},
		{Name: "subnet ids missing", Target: "db-subnets", Set: map[string]any{"subnetIds": pt.Missing}, Want: policy.Fail, Msg: "subnetIds is empty"},
		{Name: "cache in public subnet through dependency", Remove: []string{"cache-subnets"}, Check: "cache-subnets2",
			Add: []pt.Res{{Type: awstypes.ElastiCacheSubnetGroup, Name: "cache-subnets2", Props: map[string]any{"subnetIds": pt.Unknown}, Deps: map[string][]string{"subnetIds": {"public-a"}}}}, Want: policy.Fail, Msg: "subnet public-a"},
		{Name: "association table unknown, resolved by its dependency", Target: "private-a-assoc", Set: map[string]any{"routeTableId": pt.Unknown}, Check: "db-subnets", Want: policy.Pass},
		{Name: "association subnet unknown without dependency", Remove: []string{"private-a-assoc"}, Check: "db-subnets",
			Add: []pt.Res{{Type: awstypes.EC2RouteTableAssociation, Name: "mystery-assoc", Props: map[string]any{"subnetId": pt.Unknown, "routeTableId": "rtb-pub"}}}, Want: policy.Undetermined, Msg: "subnetId of route table association mystery-assoc cannot be verified"},
		{Name: "main route table is public", Remove: []string{"private-a-assoc"}, Check: "db-subnets",
			Add: []pt.Res{{Type: awstypes.EC2MainRouteTableAssociation, Name: "main", Props: map[string]any{"vpcId": "vpc-0abc", "routeTableId": "rtb-pub"}}}, Want: policy.Fail, Msg: "subnet private-a uses route table public-rt"},
		{Name: "state file: cloud ids resolved by dependencies", Remove: []string{"db-subnets"}, Check: "db-subnets-state",
			Add: []pt.Res{{Type: awstypes.RDSSubnetGroup, Name: "db-subnets-state", Props: map[string]any{"subnetIds": []any{"subnet-0f1e2d", "subnet-0a9b8c"}}, Deps: map[string][]string{"subnetIds": {"private-a", "isolated-a"}}}}, Want: policy.Pass},
		{Name: "state file: public subnet named by dependencies", Remove: []string{"db-subnets"}, Check: "db-subnets-state",
			Add: []pt.Res{{Type: awstypes.RDSSubnetGroup, Name: "db-subnets-state", Props: map[string]any{"subnetIds": []any{"subnet-0f1e2d", "subnet-0a9b8c"}}, Deps: map[string][]string{"subnetIds": {"private-a", "public-a"}}}}, Want: policy.Fail, Msg: "subnet public-a uses route table public-rt"},
		{Name: "state file: fewer dependencies than ids", Remove: []string{"db-subnets"}, Check: "db-subnets-state",
			Add: []pt.Res{{Type: awstypes.RDSSubnetGroup, Name: "db-subnets-state", Props: map[string]any{"subnetIds": []any{"subnet-0f1e2d", "subnet-0a9b8c"}}, Deps: map[string][]string{"subnetIds": {"private-a"}}}}, Want: policy.Undetermined, Msg: "subnet subnet-0f1e2d is not defined in this stack"},
		{Name: "cluster without subnet group", Target: "vitals", Set: map[string]any{"dbSubnetGroupName": pt.Missing}, Want: policy.Fail, Msg: "dbSubnetGroupName is not set: the data store is placed in the default subnet group"},
		{Name: "cluster subnet group unknown", Target: "vitals", Set: map[string]any{"dbSubnetGroupName": pt.Unknown}, Want: policy.Undetermined, Msg: "dbSubnetGroupName cannot be verified"},
	})
}
