package compute

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// SecurityGroupsTypeToken is the Pulumi type of the application security groups.
var SecurityGroupsTypeToken = naming.TypeToken("compute", "SecurityGroups")

// SecurityGroupsArgs configures the application security groups.
type SecurityGroupsArgs struct {
	Namer naming.Namer
	VpcID pulumi.StringInput
}

// SecurityGroups are the groups of the application tasks, created before the data stores so the
// database and cache can admit exactly these groups. They start without rules: the compute
// component adds the egress it needs, the data stores and the API add the ingress they allow.
type SecurityGroups struct {
	pulumi.ResourceState

	Processor *ec2.SecurityGroup
	ReadAPI   *ec2.SecurityGroup

	ProcessorID pulumi.StringOutput
	ReadAPIID   pulumi.StringOutput
}

// NewSecurityGroups creates the processor and read-API (API backend) security groups.
func NewSecurityGroups(ctx *pulumi.Context, name string, args SecurityGroupsArgs, opts ...pulumi.ResourceOption) (*SecurityGroups, error) {
	if args.VpcID == nil {
		return nil, errors.New("compute security groups: the VPC ID is required")
	}
	c := &SecurityGroups{}
	if err := ctx.RegisterComponentResource(SecurityGroupsTypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("compute security groups: register component: %w", err)
	}
	mk := func(part, desc string) (*ec2.SecurityGroup, error) {
		// Egress is managed by separate rule resources; Pulumi removes AWS's default allow-all.
		sg, err := ec2.NewSecurityGroup(ctx, naming.Logical(name, part), &ec2.SecurityGroupArgs{
			Name:        pulumi.String(args.Namer.Physical(part, "sg")),
			Description: pulumi.String(desc),
			VpcId:       args.VpcID,
			Tags:        args.Namer.Tags(part, "sg"),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, fmt.Errorf("compute security groups: %s: %w", part, err)
		}
		return sg, nil
	}
	var err error
	if c.Processor, err = mk("processor", "Stream processor tasks: no ingress"); err != nil {
		return nil, err
	}
	if c.ReadAPI, err = mk("read-api", "Read API tasks (API backend): TLS from the internal NLB only"); err != nil {
		return nil, err
	}
	c.ProcessorID, c.ReadAPIID = c.Processor.ID().ToStringOutput(), c.ReadAPI.ID().ToStringOutput()
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"processorId": c.ProcessorID, "readApiId": c.ReadAPIID}); err != nil {
		return nil, fmt.Errorf("compute security groups: register outputs: %w", err)
	}
	return c, nil
}
