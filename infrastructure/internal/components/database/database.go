// Package database holds the Aurora PostgreSQL Serverless v2 cluster of the pipeline: encrypted
// with the database key, TLS forced, IAM authentication, an RDS-managed master secret (no
// password ever passes through the program), a writer and readers in distinct AZs on the
// isolated subnets, reachable on 5432 only from the application security groups.
package database

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/iampolicy"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("database", "Database")

// Fixed choices of the cluster.
const (
	Engine           = "aurora-postgresql"
	EngineMode       = "provisioned" // Serverless v2 runs as provisioned + db.serverless instances
	InstanceClass    = "db.serverless"
	Port             = 5432
	ParameterFamily  = "aurora-postgresql16"
	LogExport        = "postgresql"
	MonitoringPolicy = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
)

// Args configures the database.
type Args struct {
	Namer naming.Namer
	// Production turns on deletion protection and the final snapshot.
	Production bool
	VpcID      pulumi.StringInput
	// IsolatedSubnetIDs are the data subnets (no route to the internet).
	IsolatedSubnetIDs pulumi.StringArrayInput
	// AvailabilityZones are the AZs of the instances: the writer in the first, reader i in the
	// (i+1)th.
	AvailabilityZones []string
	// ClientSecurityGroups are the only groups allowed to reach 5432, by a name for the rule.
	ClientSecurityGroups map[string]pulumi.StringInput
	// KmsKeyArn is the database key (storage and Performance Insights).
	KmsKeyArn pulumi.StringInput
	// SecretsKmsKeyArn encrypts the RDS-managed master user secret.
	SecretsKmsKeyArn pulumi.StringInput
	Config           config.DatabaseConfig
}

// Database is the component.
type Database struct {
	pulumi.ResourceState

	SecurityGroup  *ec2.SecurityGroup
	SubnetGroup    *rds.SubnetGroup
	ParameterGroup *rds.ClusterParameterGroup
	Cluster        *rds.Cluster
	Instances      []*rds.ClusterInstance
	MonitoringRole *iam.Role

	SecurityGroupID pulumi.StringOutput
	ClusterArn      pulumi.StringOutput
	// ClusterResourceID is the cluster-resource-id used in rds-db:connect ARNs.
	ClusterResourceID pulumi.StringOutput
	Endpoint          pulumi.StringOutput
	ReaderEndpoint    pulumi.StringOutput
	// MasterUserSecretArn is the ARN (never the value) of the RDS-managed master secret.
	MasterUserSecretArn pulumi.StringOutput
}

func (a Args) check() error {
	var errs []error
	if a.VpcID == nil || a.IsolatedSubnetIDs == nil {
		errs = append(errs, errors.New("the VPC and its isolated subnets are required"))
	}
	if a.KmsKeyArn == nil || a.SecretsKmsKeyArn == nil {
		errs = append(errs, errors.New("the database and secrets KMS keys are required"))
	}
	if len(a.ClientSecurityGroups) == 0 {
		errs = append(errs, errors.New("at least one client security group is required"))
	}
	if len(a.AvailabilityZones) < a.Config.ReaderCount+1 {
		errs = append(errs, fmt.Errorf("%d instances need %d availability zones, got %d", a.Config.ReaderCount+1, a.Config.ReaderCount+1, len(a.AvailabilityZones)))
	}
	return errors.Join(errs...)
}

// ClusterParameters are the cluster parameters: TLS forced for every connection, DDL statements
// and slow statements logged (data-modifying statements are not, they carry PHI values).
func ClusterParameters(c config.DatabaseConfig) map[string]string {
	return map[string]string{
		"rds.force_ssl":              "1",
		"ssl_min_protocol_version":   "TLSv1.2",
		"log_statement":              c.LogStatement,
		"log_min_duration_statement": strconv.Itoa(c.LogMinDurationMs),
		"log_connections":            "1",
		"log_disconnections":         "1",
	}
}

// ParameterOrder lists ClusterParameters' names in a stable order.
var ParameterOrder = []string{"rds.force_ssl", "ssl_min_protocol_version", "log_statement", "log_min_duration_statement", "log_connections", "log_disconnections"}

// New creates the database component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Database, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	d := &Database{}
	if err := ctx.RegisterComponentResource(TypeToken, name, d, opts...); err != nil {
		return nil, fmt.Errorf("database: register component: %w", err)
	}
	parent := pulumi.Parent(d)
	n := args.Namer
	cfg := args.Config

	sg, err := ec2.NewSecurityGroup(ctx, naming.Logical(name, "sg"), &ec2.SecurityGroupArgs{
		Name:        pulumi.String(n.Physical("database", "sg")),
		Description: pulumi.String("Aurora PostgreSQL: 5432 from the application security groups only"),
		VpcId:       args.VpcID,
		Tags:        n.Tags("database", "sg"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("database: security group: %w", err)
	}
	d.SecurityGroup, d.SecurityGroupID = sg, sg.ID().ToStringOutput()
	for _, client := range sortedKeys(args.ClientSecurityGroups) {
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, naming.Logical(name, "ingress", client), &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId:           sg.ID(),
			Description:               pulumi.String("PostgreSQL from the " + client + " tasks"),
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(Port),
			ToPort:                    pulumi.Int(Port),
			ReferencedSecurityGroupId: args.ClientSecurityGroups[client],
			Tags:                      n.Tags("database", "from", client),
		}, parent); err != nil {
			return nil, fmt.Errorf("database: ingress from %s: %w", client, err)
		}
	}

	subnets, err := rds.NewSubnetGroup(ctx, naming.Logical(name, "subnets"), &rds.SubnetGroupArgs{
		Name:        pulumi.String(n.Physical("database", "subnets")),
		Description: pulumi.String("Isolated data subnets (no internet route)"),
		SubnetIds:   args.IsolatedSubnetIDs,
		Tags:        n.Tags("database", "subnets"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("database: subnet group: %w", err)
	}
	d.SubnetGroup = subnets

	params := ClusterParameters(cfg)
	var pgParams rds.ClusterParameterGroupParameterArray
	for _, k := range ParameterOrder {
		pgParams = append(pgParams, rds.ClusterParameterGroupParameterArgs{
			Name: pulumi.String(k), Value: pulumi.String(params[k]), ApplyMethod: pulumi.String("pending-reboot"),
		})
	}
	pg, err := rds.NewClusterParameterGroup(ctx, naming.Logical(name, "params"), &rds.ClusterParameterGroupArgs{
		Name:        pulumi.String(n.Physical("database", "params")),
		Family:      pulumi.String(ParameterFamily),
		Description: pulumi.String("TLS forced; DDL and slow statements logged"),
		Parameters:  pgParams,
		Tags:        n.Tags("database", "params"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("database: cluster parameter group: %w", err)
	}
	d.ParameterGroup = pg

	monitoring, err := iam.NewRole(ctx, naming.Logical(name, "monitoring-role"), &iam.RoleArgs{
		Name:             pulumi.String(n.Physical("database", "monitoring")),
		Description:      pulumi.String("Enhanced monitoring of the Aurora instances"),
		AssumeRolePolicy: pulumi.String(iampolicy.AssumeRole("monitoring.rds.amazonaws.com", "")),
		Tags:             n.Tags("database", "monitoring"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("database: monitoring role: %w", err)
	}
	d.MonitoringRole = monitoring
	if _, err := iam.NewRolePolicyAttachment(ctx, naming.Logical(name, "monitoring-policy"), &iam.RolePolicyAttachmentArgs{
		Role: monitoring.Name, PolicyArn: pulumi.String(MonitoringPolicy),
	}, parent); err != nil {
		return nil, fmt.Errorf("database: monitoring policy: %w", err)
	}

	scaling := &rds.ClusterServerlessv2ScalingConfigurationArgs{
		MinCapacity: pulumi.Float64(cfg.MinCapacity),
		MaxCapacity: pulumi.Float64(cfg.MaxCapacity),
	}
	if cfg.MinCapacity == 0 && cfg.SecondsUntilAutoPause > 0 {
		scaling.SecondsUntilAutoPause = pulumi.Int(cfg.SecondsUntilAutoPause)
	}
	clusterID := n.Physical("vitals", "db")
	ca := &rds.ClusterArgs{
		ClusterIdentifier:                pulumi.String(clusterID),
		Engine:                           pulumi.String(Engine),
		EngineMode:                       pulumi.String(EngineMode),
		EngineVersion:                    pulumi.String(cfg.EngineVersion),
		DatabaseName:                     pulumi.String(cfg.DatabaseName),
		MasterUsername:                   pulumi.String(cfg.MasterUsername),
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         args.SecretsKmsKeyArn,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		StorageEncrypted:                 pulumi.Bool(true),
		KmsKeyId:                         args.KmsKeyArn,
		Port:                             pulumi.Int(Port),
		DbSubnetGroupName:                subnets.Name,
		VpcSecurityGroupIds:              pulumi.StringArray{sg.ID()},
		DbClusterParameterGroupName:      pg.Name,
		Serverlessv2ScalingConfiguration: scaling,
		BackupRetentionPeriod:            pulumi.Int(cfg.BackupRetentionDays),
		PreferredBackupWindow:            pulumi.String(cfg.BackupWindow),
		PreferredMaintenanceWindow:       pulumi.String(cfg.MaintenanceWindow),
		CopyTagsToSnapshot:               pulumi.Bool(true),
		EnabledCloudwatchLogsExports:     pulumi.ToStringArray([]string{LogExport}),
		DeletionProtection:               pulumi.Bool(args.Production),
		SkipFinalSnapshot:                pulumi.Bool(!args.Production),
		Tags:                             n.Tags("vitals", "db"),
	}
	if args.Production {
		ca.FinalSnapshotIdentifier = pulumi.String(clusterID + "-final")
	}
	cluster, err := rds.NewCluster(ctx, naming.Logical(name, "cluster"), ca, parent)
	if err != nil {
		return nil, fmt.Errorf("database: cluster: %w", err)
	}
	d.Cluster = cluster

	for i := 0; i <= cfg.ReaderCount; i++ {
		role := "writer"
		if i > 0 {
			role = "reader-" + strconv.Itoa(i)
		}
		inst, err := rds.NewClusterInstance(ctx, naming.Logical(name, role), &rds.ClusterInstanceArgs{
			Identifier:                         pulumi.String(n.Physical("vitals", "db", role)),
			ClusterIdentifier:                  cluster.ID(),
			Engine:                             pulumi.String(Engine),
			EngineVersion:                      cluster.EngineVersion,
			InstanceClass:                      pulumi.String(InstanceClass),
			AvailabilityZone:                   pulumi.String(args.AvailabilityZones[i]),
			PubliclyAccessible:                 pulumi.Bool(false),
			DbSubnetGroupName:                  subnets.Name,
			PromotionTier:                      pulumi.Int(i),
			AutoMinorVersionUpgrade:            pulumi.Bool(true),
			CopyTagsToSnapshot:                 pulumi.Bool(true),
			PerformanceInsightsEnabled:         pulumi.Bool(true),
			PerformanceInsightsKmsKeyId:        args.KmsKeyArn,
			PerformanceInsightsRetentionPeriod: pulumi.Int(cfg.PerformanceRetention),
			MonitoringInterval:                 pulumi.Int(cfg.MonitoringInterval),
			MonitoringRoleArn:                  monitoring.Arn,
			Tags:                               n.Tags("vitals", "db", role),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("database: instance %s: %w", role, err)
		}
		d.Instances = append(d.Instances, inst)
	}

	d.ClusterArn = cluster.Arn
	d.ClusterResourceID = cluster.ClusterResourceId
	d.Endpoint = cluster.Endpoint
	d.ReaderEndpoint = cluster.ReaderEndpoint
	d.MasterUserSecretArn = cluster.MasterUserSecrets.ApplyT(func(s []rds.ClusterMasterUserSecret) (string, error) {
		if len(s) == 0 || s[0].SecretArn == nil || *s[0].SecretArn == "" {
			return "", fmt.Errorf("database: cluster %s reports no RDS-managed master user secret (manageMasterUserPassword is on)", clusterID)
		}
		return *s[0].SecretArn, nil
	}).(pulumi.StringOutput)
	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"clusterArn": d.ClusterArn, "endpoint": d.Endpoint, "readerEndpoint": d.ReaderEndpoint,
	}); err != nil {
		return nil, fmt.Errorf("database: register outputs: %w", err)
	}
	return d, nil
}
