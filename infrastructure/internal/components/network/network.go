// Package network creates the VPC of the pipeline over the configured availability zones:
//
//   - per AZ a public subnet (load balancers and NAT only), a private subnet (ECS tasks, Lambda)
//     and an isolated data subnet (Aurora, Redis); no subnet auto-assigns public IPs;
//   - the public route table routes 0.0.0.0/0 to the internet gateway; each private route table
//     routes 0.0.0.0/0 to a NAT gateway (one per AZ, or a single one when config allows);
//     each isolated route table has no route at all besides the implicit local one, and a
//     network ACL on the isolated subnets admits traffic from and to the VPC CIDR only, so
//     the data tier stays unreachable even if a route to a gateway were added by mistake;
//   - the default security group is taken over with no rules;
//   - VPC flow logs capture ALL traffic into a KMS-encrypted log group through a dedicated role;
//   - a gateway endpoint for S3 (private route tables) and interface endpoints with private DNS
//     for Kinesis, Secrets Manager, KMS, CloudWatch Logs, ECR api/dkr and STS, behind a security
//     group that admits HTTPS from the VPC only, so PHI and credentials never cross the NAT.
package network

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/policydoc"
)

// TypeToken is the component's type token.
var TypeToken = naming.TypeToken("network", "Network")

// InterfaceEndpointServices are the services reached through interface endpoints (suffixes of
// com.amazonaws.<region>.<service>).
var InterfaceEndpointServices = []string{"kinesis-streams", "secretsmanager", "kms", "logs", "ecr.api", "ecr.dkr", "sts"}

// Args configure the network.
type Args struct {
	Namer             naming.Namer
	AccountID         string
	Region            string
	AvailabilityZones []string
	VpcCidr           string
	// NatGateways is config.NatPerAZ or config.NatSingle.
	NatGateways string
	Logs        logging.Settings
}

// Network is the VPC component.
type Network struct {
	pulumi.ResourceState

	Vpc               *ec2.Vpc
	VpcCidr           string
	AvailabilityZones []string

	PublicSubnets   []*ec2.Subnet
	PrivateSubnets  []*ec2.Subnet
	IsolatedSubnets []*ec2.Subnet

	PublicSubnetIDs   pulumi.StringArray
	PrivateSubnetIDs  pulumi.StringArray
	IsolatedSubnetIDs pulumi.StringArray

	IsolatedNetworkAcl    *ec2.NetworkAcl
	NatGateways           []*ec2.NatGateway
	PrivateRouteTables    []*ec2.RouteTable
	IsolatedRouteTables   []*ec2.RouteTable
	EndpointSecurityGroup *ec2.SecurityGroup
	Endpoints             map[string]*ec2.VpcEndpoint
}

// New creates the network.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Network, error) {
	vpcCidr, err := netip.ParsePrefix(args.VpcCidr)
	if err != nil {
		return nil, fmt.Errorf("network: vpc CIDR %q: %w", args.VpcCidr, err)
	}
	layout, err := Layout(vpcCidr, len(args.AvailabilityZones))
	if err != nil {
		return nil, fmt.Errorf("network: %w", err)
	}
	if args.NatGateways != config.NatPerAZ && args.NatGateways != config.NatSingle {
		return nil, fmt.Errorf("network: NAT layout %q (allowed: %s, %s)", args.NatGateways, config.NatPerAZ, config.NatSingle)
	}

	n := &Network{VpcCidr: args.VpcCidr, AvailabilityZones: args.AvailabilityZones, Endpoints: map[string]*ec2.VpcEndpoint{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, n, opts...); err != nil {
		return nil, fmt.Errorf("network component: %w", err)
	}
	parent := pulumi.Parent(n)
	nm := args.Namer
	ln := func(parts ...string) string { return naming.Logical(name, parts...) }

	n.Vpc, err = ec2.NewVpc(ctx, ln("vpc"), &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.VpcCidr),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true), // required by interface endpoints' private DNS
		InstanceTenancy:    pulumi.String("default"),
		Tags:               nm.Tags("vpc"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: vpc: %w", err)
	}
	vpcID := n.Vpc.ID()

	// The default security group, taken over with no ingress and no egress rules.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, ln("default", "sg"), &ec2.DefaultSecurityGroupArgs{
		VpcId: vpcID,
		Tags:  nm.Tags("default", "sg"),
	}, parent); err != nil {
		return nil, fmt.Errorf("network: default security group: %w", err)
	}

	igw, err := ec2.NewInternetGateway(ctx, ln("igw"), &ec2.InternetGatewayArgs{
		VpcId: vpcID,
		Tags:  nm.Tags("igw"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: internet gateway: %w", err)
	}

	// Subnets.
	for i, az := range args.AvailabilityZones {
		letter := naming.AZLetter(az)
		for _, t := range Tiers {
			s, err := ec2.NewSubnet(ctx, ln(t.String(), "subnet", letter), &ec2.SubnetArgs{
				VpcId:                       vpcID,
				AvailabilityZone:            pulumi.String(az),
				CidrBlock:                   pulumi.String(layout[t][i].String()),
				MapPublicIpOnLaunch:         pulumi.Bool(false),
				AssignIpv6AddressOnCreation: pulumi.Bool(false),
				Tags:                        nm.TagsWith(map[string]string{"tier": t.String()}, t.String(), "subnet", letter),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("network: %s subnet %s: %w", t, az, err)
			}
			switch t {
			case Public:
				n.PublicSubnets = append(n.PublicSubnets, s)
				n.PublicSubnetIDs = append(n.PublicSubnetIDs, s.ID().ToStringOutput())
			case Private:
				n.PrivateSubnets = append(n.PrivateSubnets, s)
				n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, s.ID().ToStringOutput())
			case Isolated:
				n.IsolatedSubnets = append(n.IsolatedSubnets, s)
				n.IsolatedSubnetIDs = append(n.IsolatedSubnetIDs, s.ID().ToStringOutput())
			}
		}
	}

	// Public routing: one table, default route to the internet gateway.
	publicRT, err := ec2.NewRouteTable(ctx, ln("public", "rt"), &ec2.RouteTableArgs{
		VpcId: vpcID,
		Tags:  nm.Tags("public", "rt"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: public route table: %w", err)
	}
	if _, err := ec2.NewRoute(ctx, ln("public", "default", "route"), &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("network: public default route: %w", err)
	}
	for i, s := range n.PublicSubnets {
		if _, err := ec2.NewRouteTableAssociation(ctx, ln("public", "rta", naming.AZLetter(args.AvailabilityZones[i])), &ec2.RouteTableAssociationArgs{
			RouteTableId: publicRT.ID(),
			SubnetId:     s.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network: public route table association: %w", err)
		}
	}

	// NAT gateways: one per AZ, or one in the first AZ.
	natCount := len(args.AvailabilityZones)
	if args.NatGateways == config.NatSingle {
		natCount = 1
	}
	for i := range natCount {
		letter := naming.AZLetter(args.AvailabilityZones[i])
		eip, err := ec2.NewEip(ctx, ln("nat", "eip", letter), &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   nm.Tags("nat", "eip", letter),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, fmt.Errorf("network: NAT elastic IP: %w", err)
		}
		nat, err := ec2.NewNatGateway(ctx, ln("nat", letter), &ec2.NatGatewayArgs{
			AllocationId:     eip.ID(),
			SubnetId:         n.PublicSubnets[i].ID(),
			ConnectivityType: pulumi.String("public"),
			Tags:             nm.Tags("nat", letter),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: NAT gateway: %w", err)
		}
		n.NatGateways = append(n.NatGateways, nat)
	}

	// Private routing: a table per AZ, default route to the AZ's NAT (or the single NAT).
	// Isolated routing: a table per AZ with no routes at all.
	for i, az := range args.AvailabilityZones {
		letter := naming.AZLetter(az)
		prt, err := ec2.NewRouteTable(ctx, ln("private", "rt", letter), &ec2.RouteTableArgs{
			VpcId: vpcID,
			Tags:  nm.Tags("private", "rt", letter),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: private route table: %w", err)
		}
		nat := n.NatGateways[min(i, len(n.NatGateways)-1)]
		if _, err := ec2.NewRoute(ctx, ln("private", "default", "route", letter), &ec2.RouteArgs{
			RouteTableId:         prt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nat.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network: private default route: %w", err)
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, ln("private", "rta", letter), &ec2.RouteTableAssociationArgs{
			RouteTableId: prt.ID(),
			SubnetId:     n.PrivateSubnets[i].ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network: private route table association: %w", err)
		}
		n.PrivateRouteTables = append(n.PrivateRouteTables, prt)

		irt, err := ec2.NewRouteTable(ctx, ln("isolated", "rt", letter), &ec2.RouteTableArgs{
			VpcId: vpcID,
			Tags:  nm.Tags("isolated", "rt", letter),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("network: isolated route table: %w", err)
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, ln("isolated", "rta", letter), &ec2.RouteTableAssociationArgs{
			RouteTableId: irt.ID(),
			SubnetId:     n.IsolatedSubnets[i].ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("network: isolated route table association: %w", err)
		}
		n.IsolatedRouteTables = append(n.IsolatedRouteTables, irt)
	}

	// Isolated network ACL: VPC-internal traffic only, both directions (stateless).
	n.IsolatedNetworkAcl, err = ec2.NewNetworkAcl(ctx, ln("isolated", "nacl"), &ec2.NetworkAclArgs{
		VpcId:     vpcID,
		SubnetIds: n.IsolatedSubnetIDs,
		Ingress: ec2.NetworkAclIngressArray{ec2.NetworkAclIngressArgs{
			RuleNo: pulumi.Int(100), Action: pulumi.String("allow"), Protocol: pulumi.String("-1"),
			CidrBlock: pulumi.String(args.VpcCidr), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
		}},
		Egress: ec2.NetworkAclEgressArray{ec2.NetworkAclEgressArgs{
			RuleNo: pulumi.Int(100), Action: pulumi.String("allow"), Protocol: pulumi.String("-1"),
			CidrBlock: pulumi.String(args.VpcCidr), FromPort: pulumi.Int(0), ToPort: pulumi.Int(0),
		}},
		Tags: nm.Tags("isolated", "nacl"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("network: isolated network ACL: %w", err)
	}

	if err := n.flowLogs(ctx, name, args, parent); err != nil {
		return nil, err
	}
	if err := n.endpoints(ctx, name, args, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":             vpcID,
		"publicSubnetIds":   n.PublicSubnetIDs,
		"privateSubnetIds":  n.PrivateSubnetIDs,
		"isolatedSubnetIds": n.IsolatedSubnetIDs,
	}); err != nil {
		return nil, fmt.Errorf("network component outputs: %w", err)
	}
	return n, nil
}

// flowLogs sends ALL traffic records of the VPC to a KMS-encrypted log group.
func (n *Network) flowLogs(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	nm := args.Namer
	ln := func(parts ...string) string { return naming.Logical(name, parts...) }
	lg, err := logging.NewLogGroup(ctx, ln("flow", "logs"), args.Logs.Args("network", "flow-logs"), parent)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	trust := policydoc.AssumeRole("vpc-flow-logs.amazonaws.com", args.AccountID)
	trust.Statement[0].Condition["ArnLike"] = map[string]any{
		"aws:SourceArn": fmt.Sprintf("arn:aws:ec2:%s:%s:vpc-flow-log/*", args.Region, args.AccountID),
	}
	role, err := iam.NewRole(ctx, ln("flow", "logs", "role"), &iam.RoleArgs{
		Name:             pulumi.String(nm.Physical("flow-logs")),
		Description:      pulumi.String("Delivers VPC flow logs to their encrypted log group"),
		AssumeRolePolicy: pulumi.String(trust.MustJSON()),
		Tags:             nm.Tags("flow-logs"),
	}, parent)
	if err != nil {
		return fmt.Errorf("network: flow logs role: %w", err)
	}
	doc := policydoc.Output(func(arns []string) policydoc.Document {
		return policydoc.New(policydoc.Statement{
			Sid:      "WriteFlowLogsToTheirLogGroupOnly",
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: []string{arns[0], arns[0] + ":log-stream:*"},
		})
	}, lg.Arn)
	pol, err := iam.NewPolicy(ctx, ln("flow", "logs", "policy"), &iam.PolicyArgs{
		Name:        pulumi.String(nm.Physical("flow-logs")),
		Description: pulumi.String("Write VPC flow logs to their log group"),
		Policy:      doc,
		Tags:        nm.Tags("flow-logs"),
	}, parent)
	if err != nil {
		return fmt.Errorf("network: flow logs policy: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, ln("flow", "logs", "attachment"), &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pol.Arn,
	}, parent); err != nil {
		return fmt.Errorf("network: flow logs policy attachment: %w", err)
	}
	if _, err := ec2.NewFlowLog(ctx, ln("flow", "log"), &ec2.FlowLogArgs{
		VpcId:                  n.Vpc.ID(),
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         lg.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   nm.Tags("flow-log"),
	}, parent); err != nil {
		return fmt.Errorf("network: flow log: %w", err)
	}
	return nil
}

// endpoints creates the S3 gateway endpoint and the interface endpoints.
func (n *Network) endpoints(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	nm := args.Namer
	ln := func(parts ...string) string { return naming.Logical(name, parts...) }
	sg, err := ec2.NewSecurityGroup(ctx, ln("endpoints", "sg"), &ec2.SecurityGroupArgs{
		Name:        pulumi.String(nm.Physical("endpoints")),
		Description: pulumi.String("Interface VPC endpoints: HTTPS from inside the VPC only"),
		VpcId:       n.Vpc.ID(),
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from the VPC"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  pulumi.StringArray{pulumi.String(args.VpcCidr)},
		}},
		Tags: nm.Tags("endpoints"),
	}, parent)
	if err != nil {
		return fmt.Errorf("network: endpoint security group: %w", err)
	}
	n.EndpointSecurityGroup = sg

	var privateRTs pulumi.StringArray
	for _, rt := range n.PrivateRouteTables {
		privateRTs = append(privateRTs, rt.ID().ToStringOutput())
	}
	s3, err := ec2.NewVpcEndpoint(ctx, ln("s3", "endpoint"), &ec2.VpcEndpointArgs{
		VpcId:           n.Vpc.ID(),
		ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.s3", args.Region)),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   privateRTs,
		Tags:            nm.Tags("s3", "endpoint"),
	}, parent)
	if err != nil {
		return fmt.Errorf("network: s3 gateway endpoint: %w", err)
	}
	n.Endpoints["s3"] = s3

	for _, svc := range InterfaceEndpointServices {
		ep, err := ec2.NewVpcEndpoint(ctx, ln(svc, "endpoint"), &ec2.VpcEndpointArgs{
			VpcId:             n.Vpc.ID(),
			ServiceName:       pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", args.Region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         n.PrivateSubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID().ToStringOutput()},
			Tags:              nm.Tags(svc, "endpoint"),
		}, parent)
		if err != nil {
			return fmt.Errorf("network: %s interface endpoint: %w", svc, err)
		}
		n.Endpoints[svc] = ep
	}
	return nil
}
