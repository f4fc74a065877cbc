package api

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/apigateway"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// Private integration settings.
const (
	ListenerPort = 443
	// ListenerTLSPolicy allows TLS 1.3 and 1.2 with forward-secret ciphers only.
	ListenerTLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	HealthCheckPath   = "/healthz"
)

// newBackend creates the private path to the read API: an internal NLB in the private subnets
// with a TLS listener, a TLS target group of the read-API tasks, security group rules (443 from
// the VPC to the NLB, the target port from the NLB to the tasks) and the REST VPC link.
func (c *API) newBackend(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	n := args.Namer
	sg, err := ec2.NewSecurityGroup(ctx, naming.Logical(name, "nlb-sg"), &ec2.SecurityGroupArgs{
		Name:        pulumi.String(n.Physical("read-api", "nlb", "sg")),
		Description: pulumi.String("Internal NLB of the read API: TLS from the VPC link, to the read-API tasks"),
		VpcId:       args.VpcID,
		Tags:        n.Tags("read-api", "nlb", "sg"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: nlb security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Logical(name, "nlb-ingress-vpc"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: sg.ID(), Description: pulumi.String("TLS from the API Gateway VPC link (inside the VPC)"),
		IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(ListenerPort), ToPort: pulumi.Int(ListenerPort), CidrIpv4: args.VpcCidr,
		Tags: n.Tags("read-api", "nlb", "from", "vpc"),
	}, parent); err != nil {
		return fmt.Errorf("api: nlb ingress: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, naming.Logical(name, "nlb-egress-tasks"), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(), Description: pulumi.String("TLS to the read-API tasks"),
		IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(args.ReadAPIPort), ToPort: pulumi.Int(args.ReadAPIPort),
		ReferencedSecurityGroupId: args.ReadAPISecurityGroupID,
		Tags:                      n.Tags("read-api", "nlb", "to", "tasks"),
	}, parent); err != nil {
		return fmt.Errorf("api: nlb egress: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Logical(name, "read-api-ingress-nlb"), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: args.ReadAPISecurityGroupID, Description: pulumi.String("TLS from the internal NLB"),
		IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(args.ReadAPIPort), ToPort: pulumi.Int(args.ReadAPIPort),
		ReferencedSecurityGroupId: sg.ID(),
		Tags:                      n.Tags("read-api", "from", "nlb"),
	}, parent); err != nil {
		return fmt.Errorf("api: read-api ingress: %w", err)
	}

	nlb, err := lb.NewLoadBalancer(ctx, naming.Logical(name, "nlb"), &lb.LoadBalancerArgs{
		Name:                         pulumi.String(n.Physical("read-api", "nlb")),
		LoadBalancerType:             pulumi.String("network"),
		Internal:                     pulumi.Bool(true),
		Subnets:                      args.PrivateSubnetIDs,
		SecurityGroups:               pulumi.StringArray{sg.ID()},
		EnableCrossZoneLoadBalancing: pulumi.Bool(true),
		EnableDeletionProtection:     pulumi.Bool(args.Production),
		Tags:                         n.Tags("read-api", "nlb"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: nlb: %w", err)
	}
	c.LoadBalancer = nlb

	tg, err := lb.NewTargetGroup(ctx, naming.Logical(name, "targets"), &lb.TargetGroupArgs{
		Name:                pulumi.String(n.Physical("read-api", "tls")),
		Protocol:            pulumi.String("TLS"),
		Port:                pulumi.Int(args.ReadAPIPort),
		TargetType:          pulumi.String("ip"),
		VpcId:               args.VpcID,
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled: pulumi.Bool(true), Protocol: pulumi.String("HTTPS"), Path: pulumi.String(HealthCheckPath),
			Port: pulumi.String("traffic-port"), HealthyThreshold: pulumi.Int(3), UnhealthyThreshold: pulumi.Int(3), Interval: pulumi.Int(10),
		},
		Tags: n.Tags("read-api", "tls"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: target group: %w", err)
	}
	c.TargetGroup = tg

	listener, err := lb.NewListener(ctx, naming.Logical(name, "listener"), &lb.ListenerArgs{
		LoadBalancerArn: nlb.Arn,
		Port:            pulumi.Int(ListenerPort),
		Protocol:        pulumi.String("TLS"),
		SslPolicy:       pulumi.String(ListenerTLSPolicy),
		CertificateArn:  pulumi.String(args.ReadAPICertificateArn),
		DefaultActions: lb.ListenerDefaultActionArray{lb.ListenerDefaultActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: tg.Arn,
		}},
		Tags: n.Tags("read-api", "listener"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: listener: %w", err)
	}
	c.Listener = listener
	c.TargetGroupArn = pulumi.All(tg.Arn, listener.Arn).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput)

	link, err := apigateway.NewVpcLink(ctx, naming.Logical(name, "vpc-link"), &apigateway.VpcLinkArgs{
		Name:        pulumi.String(n.Physical("read-api", "link")),
		Description: pulumi.String("Private integration to the read API's internal NLB"),
		TargetArn:   nlb.Arn,
		Tags:        n.Tags("read-api", "link"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: vpc link: %w", err)
	}
	c.VpcLink = link
	return nil
}
