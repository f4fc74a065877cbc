package database_test

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
)

type want struct {
	minACU, maxACU  float64
	autoPause       float64 // 0: not set
	readers         int
	backupDays      float64
	production      bool
	minDurationMs   string
	piRetentionDays float64
}

var wants = map[string]want{
	"dev":  {minACU: 0, maxACU: 4, autoPause: 600, readers: 1, backupDays: 7, production: false, minDurationMs: "1000", piRetentionDays: 7},
	"prod": {minACU: 2, maxACU: 32, autoPause: 0, readers: 2, backupDays: 35, production: true, minDurationMs: "500", piRetentionDays: 31},
}

func TestAuroraCluster(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			w := wants[stack]
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:database:Database")
			dptest.RequireChildren(t, rec, comp)
			c := dptest.Only(t, rec, "aws:rds/cluster:Cluster")

			assert.Equal(t, "hipaa-vitals-db-"+stack, c.Str("clusterIdentifier"))
			assert.Equal(t, "aurora-postgresql", c.Str("engine"))
			assert.Equal(t, "provisioned", c.Str("engineMode"))
			assert.Equal(t, "16.6", c.Str("engineVersion"))

			assert.Equal(t, w.minACU, dptest.Num(t, c, "serverlessv2ScalingConfiguration.minCapacity"))
			assert.Equal(t, w.maxACU, dptest.Num(t, c, "serverlessv2ScalingConfiguration.maxCapacity"))
			if w.autoPause > 0 {
				assert.Equal(t, w.autoPause, dptest.Num(t, c, "serverlessv2ScalingConfiguration.secondsUntilAutoPause"))
			} else {
				assert.Greater(t, dptest.Num(t, c, "serverlessv2ScalingConfiguration.minCapacity"), 0.0, "prod never scales to zero")
				assert.False(t, c.Has("serverlessv2ScalingConfiguration.secondsUntilAutoPause"), "no auto-pause in prod")
			}

			assert.True(t, dptest.Bool(t, c, "storageEncrypted"))
			assert.Equal(t, dptest.KeyArn(t, rec, "database"), c.Str("kmsKeyId"))
			assert.True(t, dptest.Bool(t, c, "manageMasterUserPassword"))
			assert.Equal(t, dptest.KeyArn(t, rec, "secrets"), c.Str("masterUserSecretKmsKeyId"))
			assert.False(t, c.Has("masterPassword"), "no master password anywhere")
			assert.Equal(t, "vitals_admin", c.Str("masterUsername"))
			assert.True(t, dptest.Bool(t, c, "iamDatabaseAuthenticationEnabled"))
			assert.Equal(t, w.backupDays, dptest.Num(t, c, "backupRetentionPeriod"))
			assert.Equal(t, "02:00-03:00", c.Str("preferredBackupWindow"))
			assert.Equal(t, "sun:04:00-sun:05:00", c.Str("preferredMaintenanceWindow"))
			assert.Equal(t, w.production, dptest.Bool(t, c, "deletionProtection"))
			assert.Equal(t, !w.production, dptest.Bool(t, c, "skipFinalSnapshot"))
			if w.production {
				assert.Equal(t, "hipaa-vitals-db-prod-final", c.Str("finalSnapshotIdentifier"))
			} else {
				assert.False(t, c.Has("finalSnapshotIdentifier"))
			}
			assert.True(t, dptest.Bool(t, c, "copyTagsToSnapshot"))
			assert.Equal(t, []string{"postgresql"}, c.Strs("enabledCloudwatchLogsExports"))
			assert.Equal(t, 5432.0, dptest.Num(t, c, "port"))

			pg := dptest.Only(t, rec, "aws:rds/clusterParameterGroup:ClusterParameterGroup")
			assert.Equal(t, pg.Str("name"), c.Str("dbClusterParameterGroupName"))
			sub := dptest.Only(t, rec, "aws:rds/subnetGroup:SubnetGroup")
			assert.Equal(t, sub.Str("name"), c.Str("dbSubnetGroupName"))
			assert.Equal(t, dptest.SubnetIDs(t, rec, "isolated"), dptest.Sorted(sub.Strs("subnetIds")), "isolated subnets only")
			sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "database-sg")
			assert.Equal(t, []string{sg.ID}, c.Strs("vpcSecurityGroupIds"))
		})
	}
}

func TestAuroraInstances(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			w := wants[stack]
			rec := dptest.Stack(t, stack)
			c := dptest.Only(t, rec, "aws:rds/cluster:Cluster")
			insts := rec.OfType("aws:rds/clusterInstance:ClusterInstance")
			require.Len(t, insts, 1+w.readers, "a writer and %d reader(s)", w.readers)
			azs := map[string]bool{}
			monitoring := dptest.One(t, rec, "aws:iam/role:Role", "database-monitoring-role")
			for i := range insts {
				name := "database-writer"
				if i > 0 {
					name = fmt.Sprintf("database-reader-%d", i)
				}
				inst := dptest.One(t, rec, "aws:rds/clusterInstance:ClusterInstance", name)
				assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}[i], inst.Str("availabilityZone"), "instance %d in its own AZ", i)
				assert.Equal(t, c.ID, inst.Str("clusterIdentifier"))
				assert.Equal(t, "db.serverless", inst.Str("instanceClass"))
				assert.Equal(t, "aurora-postgresql", inst.Str("engine"))
				assert.False(t, dptest.Bool(t, inst, "publiclyAccessible"))
				assert.True(t, dptest.Bool(t, inst, "performanceInsightsEnabled"))
				assert.Equal(t, dptest.KeyArn(t, rec, "database"), inst.Str("performanceInsightsKmsKeyId"))
				assert.Equal(t, w.piRetentionDays, dptest.Num(t, inst, "performanceInsightsRetentionPeriod"))
				assert.Equal(t, 60.0, dptest.Num(t, inst, "monitoringInterval"))
				assert.Equal(t, dptest.Arn(monitoring), inst.Str("monitoringRoleArn"))
				assert.True(t, dptest.Bool(t, inst, "autoMinorVersionUpgrade"))
				assert.Equal(t, float64(i), dptest.Num(t, inst, "promotionTier"))
				az := inst.Str("availabilityZone")
				assert.False(t, azs[az], "instance %s shares AZ %s", inst.Name, az)
				azs[az] = true
			}
			assert.Len(t, azs, 1+w.readers)
		})
	}
}

func TestParameterGroupForcesTLSAndLogsStatements(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			pg := dptest.Only(t, rec, "aws:rds/clusterParameterGroup:ClusterParameterGroup")
			assert.Equal(t, "aurora-postgresql16", pg.Str("family"))
			v, ok := pg.Value("parameters")
			require.True(t, ok)
			got := map[string]string{}
			for _, p := range v.ArrayValue() {
				obj := p.ObjectValue()
				got[obj["name"].StringValue()] = obj["value"].StringValue()
			}
			assert.Equal(t, map[string]string{
				"rds.force_ssl":              "1",
				"ssl_min_protocol_version":   "TLSv1.2",
				"log_statement":              "ddl",
				"log_min_duration_statement": wants[stack].minDurationMs,
				"log_connections":            "1",
				"log_disconnections":         "1",
			}, got)
		})
	}
}

func TestDatabaseReachableOnlyFromAppGroups(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "database-sg")
			assert.False(t, sg.Has("ingress"), "no inline rules")
			assert.False(t, sg.Has("egress"), "no inline rules")
			proc := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-processor")
			read := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-read-api")

			var sources []string
			for _, r := range rec.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
				if r.Str("securityGroupId") != sg.ID {
					continue
				}
				assert.Equal(t, "tcp", r.Str("ipProtocol"))
				assert.Equal(t, 5432.0, dptest.Num(t, r, "fromPort"))
				assert.Equal(t, 5432.0, dptest.Num(t, r, "toPort"))
				assert.False(t, r.Has("cidrIpv4") || r.Has("cidrIpv6") || r.Has("prefixListId"), "group references only")
				sources = append(sources, r.Str("referencedSecurityGroupId"))
			}
			assert.Equal(t, dptest.Sorted([]string{proc.ID, read.ID}), dptest.Sorted(sources))
			for _, r := range rec.OfType("aws:ec2/securityGroupRule:SecurityGroupRule") {
				assert.NotEqual(t, sg.ID, r.Str("securityGroupId"), "no legacy rule opens the database")
			}
		})
	}
}

func TestNoPasswordInTheStack(t *testing.T) {
	secretKeys := []resource.PropertyKey{"masterPassword", "authToken", "passwords", "secretString", "secretBinary", "password"}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			for _, r := range rec.Resources {
				for _, k := range secretKeys {
					_, has := r.Inputs[k]
					assert.False(t, has, "%s %s sets %s", r.Type, r.Name, k)
				}
			}
		})
	}
}

func TestDatabaseConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		stack   string
		changes map[string]string
		want    string
	}{
		{"prod cannot scale to zero", "prod", map[string]string{"hipaa-pipeline:dbMinCapacity": "0"},
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause`},
		{"prod cannot auto-pause", "prod", map[string]string{"hipaa-pipeline:dbSecondsUntilAutoPause": "600"},
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause: a paused cluster needs seconds to resume, which the real-time pipeline cannot take (allowed on this tier: dbMinCapacity >= 0.5 and no dbSecondsUntilAutoPause; got dbMinCapacity 2, dbSecondsUntilAutoPause 600)`},
		{"auto-pause below 300 s", "dev", map[string]string{"hipaa-pipeline:dbSecondsUntilAutoPause": "120"},
			"hipaa-pipeline:dbSecondsUntilAutoPause: 120 is out of range (allowed: 300..86400 seconds)"},
		{"auto-pause above a day", "dev", map[string]string{"hipaa-pipeline:dbSecondsUntilAutoPause": "90000"},
			"hipaa-pipeline:dbSecondsUntilAutoPause: 90000 is out of range (allowed: 300..86400 seconds)"},
		{"scale to zero needs 16.3+", "dev", map[string]string{"hipaa-pipeline:dbEngineVersion": "16.2"},
			`hipaa-pipeline:dbEngineVersion: "16.2" cannot scale to 0 ACU (allowed with dbMinCapacity 0: 16.3 or later)`},
		{"prod needs a reader", "prod", map[string]string{"hipaa-pipeline:dbReaderCount": "0"},
			`hipaa-pipeline:dbReaderCount: tier "critical" needs a reader in another availability zone for failover (allowed: at least 1)`},
		{"prod backups 35 days", "prod", map[string]string{"hipaa-pipeline:dbBackupRetentionDays": "14"},
			"hipaa-pipeline:dbBackupRetentionDays: 14 days is too short for prod (allowed: 35)"},
		{"PHI-writing statement logging", "dev", map[string]string{"hipaa-pipeline:dbLogStatement": "all"},
			`hipaa-pipeline:dbLogStatement: "all": it writes PHI values of every statement into the logs (allowed: ddl)`},
		{"default admin name", "dev", map[string]string{"hipaa-pipeline:dbMasterUsername": "postgres"},
			`hipaa-pipeline:dbMasterUsername: "postgres" is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := dptest.Run(t, tt.stack, tt.changes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rec.Resources)
		})
	}
}
