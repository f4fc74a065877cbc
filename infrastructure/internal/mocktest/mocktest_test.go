package mocktest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type comp struct{ pulumi.ResourceState }

func TestRunRecordsTypeNameInputsParent(t *testing.T) {
	rec, err := Run(func(ctx *pulumi.Context) error {
		c := &comp{}
		if err := ctx.RegisterComponentResource("hipaa:test:Comp", "net", c); err != nil {
			return err
		}
		vpc, err := ec2.NewVpc(ctx, "net-vpc", &ec2.VpcArgs{
			CidrBlock: pulumi.String("10.0.0.0/16"),
			Tags:      pulumi.StringMap{"Name": pulumi.String("hipaa-vpc-dev")},
		}, pulumi.Parent(c))
		if err != nil {
			return err
		}
		_, err = ec2.NewSubnet(ctx, "net-subnet", &ec2.SubnetArgs{
			VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.0.0/20"),
			MapPublicIpOnLaunch: pulumi.Bool(false),
		}, pulumi.Parent(c))
		return err
	}, Options{Stack: "dev", Config: map[string]string{"hipaa-pipeline:accountId": "444455556666"}})
	require.NoError(t, err)
	require.Len(t, rec.Resources, 3)
	assert.Equal(t, map[string]int{"hipaa:test:Comp": 1, "aws:ec2/vpc:Vpc": 1, "aws:ec2/subnet:Subnet": 1}, rec.Counts())

	c := rec.OfType("hipaa:test:Comp")[0]
	assert.False(t, c.Custom)
	assert.Equal(t, "urn:pulumi:dev::hipaa-pipeline::hipaa:test:Comp::net", c.URN)
	assert.Equal(t, "", c.Parent)

	vpc, ok := rec.One("aws:ec2/vpc:Vpc", "net-vpc")
	require.True(t, ok)
	assert.Equal(t, c.URN, vpc.Parent)
	assert.Equal(t, "urn:pulumi:dev::hipaa-pipeline::hipaa:test:Comp$aws:ec2/vpc:Vpc::net-vpc", vpc.URN)
	assert.Equal(t, "10.0.0.0/16", vpc.Str("cidrBlock"))
	assert.Equal(t, "hipaa-vpc-dev", vpc.Str("tags.Name"))
	assert.Regexp(t, `^vpc-[0-9a-f]{8}$`, vpc.ID)
	assert.Equal(t, "arn:aws:ec2:eu-west-1:444455556666:vpc/net-vpc", vpc.Outputs["arn"].StringValue())

	sn := rec.Named("net-subnet")
	require.Len(t, sn, 1)
	assert.Equal(t, vpc.ID, sn[0].Str("vpcId"), "dependent resources see the mock ID")
	b, ok := sn[0].Bool("mapPublicIpOnLaunch")
	assert.True(t, ok)
	assert.False(t, b)
	_, ok = sn[0].Bool("cidrBlock")
	assert.False(t, ok, "wrong type reads as absent")
	assert.False(t, sn[0].Has("tags.Name"))
	assert.Len(t, rec.Children(c.URN), 2)
	assert.Contains(t, rec.Summary(), "   3  total")
}

func TestCallAnswersIdentityAndRefusesOthers(t *testing.T) {
	var account string
	rec, err := Run(func(ctx *pulumi.Context) error {
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		account = id.AccountId
		_, err = aws.GetAvailabilityZones(ctx, nil)
		return err
	}, Options{Stack: "dev"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unexpected invoke aws:index/getAvailabilityZones:getAvailabilityZones")
	assert.Equal(t, DefaultAccount, account)
	assert.Equal(t, []string{"aws:index/getCallerIdentity:getCallerIdentity", "aws:index/getAvailabilityZones:getAvailabilityZones"}, rec.Calls)
}

func TestStackConfig(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte("name: proj\nruntime: go\n"), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.s.yaml"), []byte(`config:
  aws:region: eu-west-1
  proj:count: 3
  proj:flag: true
  plain: text
  proj:list:
    - a
    - b
  aws:defaultTags:
    tags:
      owner: me
`), 0o600))
	project, cfg, err := StackConfig(dir, "s")
	require.NoError(t, err)
	assert.Equal(t, "proj", project)
	assert.Equal(t, map[string]string{
		"aws:region":      "eu-west-1",
		"proj:count":      "3",
		"proj:flag":       "true",
		"proj:plain":      "text",
		"proj:list":       `["a","b"]`,
		"aws:defaultTags": `{"tags":{"owner":"me"}}`,
	}, cfg)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.sec.yaml"), []byte("config:\n  proj:pw:\n    secure: AAAA\n"), 0o600))
	_, _, err = StackConfig(dir, "sec")
	assert.ErrorContains(t, err, "secure values are not supported")
	_, _, err = StackConfig(dir, "missing")
	assert.Error(t, err)
}

func TestCommittedStackConfig(t *testing.T) {
	dir, err := InfrastructureDir()
	require.NoError(t, err)
	project, cfg, err := StackConfig(dir, "prod")
	require.NoError(t, err)
	assert.Equal(t, "hipaa-pipeline", project)
	assert.Equal(t, "prod", cfg["hipaa-pipeline:environment"])
	assert.Equal(t, `["eu-west-1a","eu-west-1b","eu-west-1c"]`, cfg["hipaa-pipeline:availabilityZones"])
}
