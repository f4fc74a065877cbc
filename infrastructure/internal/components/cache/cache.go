// Package cache holds the ElastiCache replication group (Redis OSS 7.x or Valkey) that keeps the
// latest vitals: Multi-AZ with automatic failover, encrypted at rest with the cache key and in
// transit (TLS required), users authenticated by IAM through an RBAC user group, logs delivered
// to KMS-encrypted log groups, reachable on 6379 only from the application security groups.
package cache

import (
	"errors"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("cache", "Cache")

// Fixed choices.
const (
	Port = 6379
	// DefaultUserAccess disables the mandatory "default" user: it can run no command at all.
	DefaultUserAccess = "off -@all"
	// AppUserAccess lets the application use every key but no dangerous command (FLUSHALL,
	// CONFIG, DEBUG, ...).
	AppUserAccess = "on ~* +@all -@dangerous"
)

// Args configures the cache.
type Args struct {
	Namer     naming.Namer
	VpcID     pulumi.StringInput
	SubnetIDs pulumi.StringArrayInput
	// AvailabilityZones are the preferred AZs of the nodes, one node per zone.
	AvailabilityZones []string
	// ClientSecurityGroups are the only groups allowed to reach 6379, by a name for the rule.
	ClientSecurityGroups map[string]pulumi.StringInput
	// KmsKeyArn is the cache key (at rest).
	KmsKeyArn pulumi.StringInput
	Logs      logging.Settings
	Config    config.CacheConfig
}

// Cache is the component.
type Cache struct {
	pulumi.ResourceState

	SecurityGroup    *ec2.SecurityGroup
	SubnetGroup      *elasticache.SubnetGroup
	DefaultUser      *elasticache.User
	AppUser          *elasticache.User
	UserGroup        *elasticache.UserGroup
	SlowLogGroup     *cloudwatch.LogGroup
	EngineLogGroup   *cloudwatch.LogGroup
	ReplicationGroup *elasticache.ReplicationGroup

	SecurityGroupID pulumi.StringOutput
	Arn             pulumi.StringOutput
	PrimaryEndpoint pulumi.StringOutput
	AppUserArn      pulumi.StringOutput
	AppUserName     string
}

func (a Args) check() error {
	var errs []error
	if a.VpcID == nil || a.SubnetIDs == nil {
		errs = append(errs, errors.New("the VPC and its isolated subnets are required"))
	}
	if a.KmsKeyArn == nil {
		errs = append(errs, errors.New("the cache KMS key is required"))
	}
	if len(a.ClientSecurityGroups) == 0 {
		errs = append(errs, errors.New("at least one client security group is required"))
	}
	if a.Config.NumNodes < 2 {
		errs = append(errs, fmt.Errorf("%d nodes: at least 2 are required for Multi-AZ failover", a.Config.NumNodes))
	}
	if len(a.AvailabilityZones) < a.Config.NumNodes {
		errs = append(errs, fmt.Errorf("%d nodes need as many availability zones, got %d", a.Config.NumNodes, len(a.AvailabilityZones)))
	}
	return errors.Join(errs...)
}

// New creates the cache component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Cache, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cache: register component: %w", err)
	}
	parent := pulumi.Parent(c)
	n := args.Namer
	cfg := args.Config

	sg, err := ec2.NewSecurityGroup(ctx, naming.Logical(name, "sg"), &ec2.SecurityGroupArgs{
		Name:        pulumi.String(n.Physical("cache", "sg")),
		Description: pulumi.String("ElastiCache: 6379 from the application security groups only"),
		VpcId:       args.VpcID,
		Tags:        n.Tags("cache", "sg"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: security group: %w", err)
	}
	c.SecurityGroup, c.SecurityGroupID = sg, sg.ID().ToStringOutput()
	clients := make([]string, 0, len(args.ClientSecurityGroups))
	for k := range args.ClientSecurityGroups {
		clients = append(clients, k)
	}
	sort.Strings(clients)
	for _, client := range clients {
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Logical(name, "ingress", client), &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId:           sg.ID(),
			Description:               pulumi.String("Redis TLS from the " + client + " tasks"),
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(Port),
			ToPort:                    pulumi.Int(Port),
			ReferencedSecurityGroupId: args.ClientSecurityGroups[client],
			Tags:                      n.Tags("cache", "from", client),
		}, parent); err != nil {
			return nil, fmt.Errorf("cache: ingress from %s: %w", client, err)
		}
	}

	subnets, err := elasticache.NewSubnetGroup(ctx, naming.Logical(name, "subnets"), &elasticache.SubnetGroupArgs{
		Name:        pulumi.String(n.Physical("cache", "subnets")),
		Description: pulumi.String("Isolated data subnets (no internet route)"),
		SubnetIds:   args.SubnetIDs,
		Tags:        n.Tags("cache", "subnets"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: subnet group: %w", err)
	}
	c.SubnetGroup = subnets

	// RBAC: every user group must hold a user named "default"; ours is switched off. The
	// application user authenticates with IAM (short-lived SigV4 tokens), so no password exists.
	userEngine := cfg.Engine
	defaultUser, err := elasticache.NewUser(ctx, naming.Logical(name, "default-user"), &elasticache.UserArgs{
		UserId:             pulumi.String(n.Physical("cache", "default")),
		UserName:           pulumi.String("default"),
		Engine:             pulumi.String(userEngine),
		AccessString:       pulumi.String(DefaultUserAccess),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("no-password-required")},
		Tags:               n.Tags("cache", "default"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: default user: %w", err)
	}
	c.DefaultUser = defaultUser
	appUserName := n.Physical("cache", "app")
	appUser, err := elasticache.NewUser(ctx, naming.Logical(name, "app-user"), &elasticache.UserArgs{
		// IAM authentication requires UserId == UserName.
		UserId:             pulumi.String(appUserName),
		UserName:           pulumi.String(appUserName),
		Engine:             pulumi.String(userEngine),
		AccessString:       pulumi.String(AppUserAccess),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("iam")},
		Tags:               n.Tags("cache", "app"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: app user: %w", err)
	}
	c.AppUser, c.AppUserArn, c.AppUserName = appUser, appUser.Arn, appUserName
	group, err := elasticache.NewUserGroup(ctx, naming.Logical(name, "users"), &elasticache.UserGroupArgs{
		UserGroupId: pulumi.String(n.Physical("cache", "users")),
		Engine:      pulumi.String(userEngine),
		UserIds:     pulumi.StringArray{defaultUser.UserId, appUser.UserId},
		Tags:        n.Tags("cache", "users"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: user group: %w", err)
	}
	c.UserGroup = group

	slow, err := logging.NewLogGroup(ctx, naming.Logical(name, "slow-log"), args.Logs.Args("cache", "slow-log"), parent)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	engineLog, err := logging.NewLogGroup(ctx, naming.Logical(name, "engine-log"), args.Logs.Args("cache", "engine-log"), parent)
	if err != nil {
		return nil, fmt.Errorf("cache: %w", err)
	}
	c.SlowLogGroup, c.EngineLogGroup = slow, engineLog

	rgID := n.Physical("vitals", "cache")
	rg, err := elasticache.NewReplicationGroup(ctx, naming.Logical(name, "replication-group"), &elasticache.ReplicationGroupArgs{
		ReplicationGroupId:       pulumi.String(rgID),
		Description:              pulumi.String("Latest vitals per patient (PHI): Multi-AZ, TLS required, IAM users"),
		Engine:                   pulumi.String(cfg.Engine),
		EngineVersion:            pulumi.String(cfg.EngineVersion),
		NodeType:                 pulumi.String(cfg.NodeType),
		NumCacheClusters:         pulumi.Int(cfg.NumNodes),
		PreferredCacheClusterAzs: pulumi.ToStringArray(args.AvailabilityZones[:cfg.NumNodes]),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		MultiAzEnabled:           pulumi.Bool(true),
		Port:                     pulumi.Int(Port),
		SubnetGroupName:          subnets.Name,
		SecurityGroupIds:         pulumi.StringArray{sg.ID()},
		AtRestEncryptionEnabled:  pulumi.Bool(true),
		KmsKeyId:                 args.KmsKeyArn,
		TransitEncryptionEnabled: pulumi.Bool(true),
		TransitEncryptionMode:    pulumi.String("required"),
		UserGroupIds:             pulumi.StringArray{group.UserGroupId},
		SnapshotRetentionLimit:   pulumi.Int(cfg.SnapshotRetentionDays),
		SnapshotWindow:           pulumi.String(cfg.SnapshotWindow),
		MaintenanceWindow:        pulumi.String(cfg.MaintenanceWindow),
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		ApplyImmediately:         pulumi.Bool(false),
		LogDeliveryConfigurations: elasticache.ReplicationGroupLogDeliveryConfigurationArray{
			elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
				Destination: slow.Name, DestinationType: pulumi.String("cloudwatch-logs"),
				LogFormat: pulumi.String("json"), LogType: pulumi.String("slow-log"),
			},
			elasticache.ReplicationGroupLogDeliveryConfigurationArgs{
				Destination: engineLog.Name, DestinationType: pulumi.String("cloudwatch-logs"),
				LogFormat: pulumi.String("json"), LogType: pulumi.String("engine-log"),
			},
		},
		Tags: n.Tags("vitals", "cache"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cache: replication group: %w", err)
	}
	c.ReplicationGroup = rg
	c.Arn, c.PrimaryEndpoint = rg.Arn, rg.PrimaryEndpointAddress
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"arn": rg.Arn, "primaryEndpoint": rg.PrimaryEndpointAddress}); err != nil {
		return nil, fmt.Errorf("cache: register outputs: %w", err)
	}
	return c, nil
}
