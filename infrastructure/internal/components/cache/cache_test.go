package cache_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/cache"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
)

func TestReplicationGroup(t *testing.T) {
	wants := map[string]struct {
		nodes, snapshotDays float64
		nodeType            string
		azs                 []string
	}{
		"dev":  {2, 7, "cache.t4g.small", []string{"eu-west-1a", "eu-west-1b"}},
		"prod": {3, 15, "cache.r7g.large", []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}},
	}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			w := wants[stack]
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:cache:Cache")
			dptest.RequireChildren(t, rec, comp)
			rg := dptest.Only(t, rec, "aws:elasticache/replicationGroup:ReplicationGroup")

			assert.Equal(t, "hipaa-vitals-cache-"+stack, rg.Str("replicationGroupId"))
			assert.Equal(t, "redis", rg.Str("engine"))
			assert.Equal(t, "7.1", rg.Str("engineVersion"))
			assert.Equal(t, w.nodeType, rg.Str("nodeType"))
			assert.Equal(t, w.nodes, dptest.Num(t, rg, "numCacheClusters"))
			assert.GreaterOrEqual(t, dptest.Num(t, rg, "numCacheClusters"), 2.0)
			assert.Equal(t, w.azs, rg.Strs("preferredCacheClusterAzs"), "one node per AZ")
			assert.True(t, dptest.Bool(t, rg, "automaticFailoverEnabled"))
			assert.True(t, dptest.Bool(t, rg, "multiAzEnabled"))
			assert.True(t, dptest.Bool(t, rg, "atRestEncryptionEnabled"))
			assert.Equal(t, dptest.KeyArn(t, rec, "cache"), rg.Str("kmsKeyId"))
			assert.True(t, dptest.Bool(t, rg, "transitEncryptionEnabled"))
			assert.Equal(t, "required", rg.Str("transitEncryptionMode"))
			assert.False(t, rg.Has("authToken"), "RBAC users, no AUTH token")
			assert.Equal(t, w.snapshotDays, dptest.Num(t, rg, "snapshotRetentionLimit"))
			assert.GreaterOrEqual(t, dptest.Num(t, rg, "snapshotRetentionLimit"), 7.0)
			assert.Equal(t, "03:00-04:00", rg.Str("snapshotWindow"))
			assert.Equal(t, 6379.0, dptest.Num(t, rg, "port"))

			group := dptest.Only(t, rec, "aws:elasticache/userGroup:UserGroup")
			assert.Equal(t, []string{group.Str("userGroupId")}, rg.Strs("userGroupIds"))
			sub := dptest.Only(t, rec, "aws:elasticache/subnetGroup:SubnetGroup")
			assert.Equal(t, sub.Str("name"), rg.Str("subnetGroupName"))
			assert.Equal(t, dptest.SubnetIDs(t, rec, "isolated"), dptest.Sorted(sub.Strs("subnetIds")))
			sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "cache-sg")
			assert.Equal(t, []string{sg.ID}, rg.Strs("securityGroupIds"))

			// Slow and engine logs go to KMS-encrypted log groups.
			logs, ok := rg.Value("logDeliveryConfigurations")
			require.True(t, ok)
			got := map[string]string{}
			for _, l := range logs.ArrayValue() {
				o := l.ObjectValue()
				assert.Equal(t, "cloudwatch-logs", o["destinationType"].StringValue())
				assert.Equal(t, "json", o["logFormat"].StringValue())
				got[o["logType"].StringValue()] = o["destination"].StringValue()
			}
			assert.Equal(t, map[string]string{
				"slow-log":   "/hipaa/cache/slow-log-" + stack,
				"engine-log": "/hipaa/cache/engine-log-" + stack,
			}, got)
			for logical, logType := range map[string]string{"cache-slow-log": "slow-log", "cache-engine-log": "engine-log"} {
				lg := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", logical)
				assert.Equal(t, got[logType], lg.Str("name"))
				assert.Equal(t, dptest.KeyArn(t, rec, "logs"), lg.Str("kmsKeyId"))
				assert.True(t, lg.Has("retentionInDays"))
			}
		})
	}
}

func TestRBACUsers(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			app := dptest.One(t, rec, "aws:elasticache/user:User", "cache-app-user")
			assert.Equal(t, "iam", app.Str("authenticationMode.type"), "IAM authentication, no password")
			assert.Equal(t, "hipaa-cache-app-"+stack, app.Str("userName"))
			assert.Equal(t, app.Str("userName"), app.Str("userId"), "IAM users need userId == userName")
			assert.Equal(t, cache.AppUserAccess, app.Str("accessString"))
			assert.False(t, app.Has("passwords"))

			def := dptest.One(t, rec, "aws:elasticache/user:User", "cache-default-user")
			assert.Equal(t, "default", def.Str("userName"))
			assert.Equal(t, "off -@all", def.Str("accessString"), "the mandatory default user is switched off")

			group := dptest.Only(t, rec, "aws:elasticache/userGroup:UserGroup")
			assert.Equal(t, "redis", group.Str("engine"))
			assert.Equal(t, []string{def.Str("userId"), app.Str("userId")}, group.Strs("userIds"))
		})
	}
}

func TestCacheReachableOnlyFromAppGroups(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "cache-sg")
			assert.False(t, sg.Has("ingress"))
			proc := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-processor")
			read := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-read-api")
			var sources []string
			for _, r := range rec.OfType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
				if r.Str("securityGroupId") != sg.ID {
					continue
				}
				assert.Equal(t, 6379.0, dptest.Num(t, r, "fromPort"))
				assert.Equal(t, 6379.0, dptest.Num(t, r, "toPort"))
				assert.Equal(t, "tcp", r.Str("ipProtocol"))
				assert.False(t, r.Has("cidrIpv4") || r.Has("cidrIpv6"))
				sources = append(sources, r.Str("referencedSecurityGroupId"))
			}
			assert.Equal(t, dptest.Sorted([]string{proc.ID, read.ID}), dptest.Sorted(sources))
		})
	}
}

func TestCacheConfigErrors(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]string
		want    string
	}{
		{"snapshots under a week", map[string]string{"hipaa-pipeline:cacheSnapshotRetentionDays": "3"},
			"hipaa-pipeline:cacheSnapshotRetentionDays: 3 is out of range (allowed: 7..35 days)"},
		{"single node", map[string]string{"hipaa-pipeline:cacheNumNodes": "1"},
			"hipaa-pipeline:cacheNumNodes: 1 is out of range (allowed: 2..6, a primary and at least one replica in another AZ)"},
		{"old redis", map[string]string{"hipaa-pipeline:cacheEngineVersion": "6.2"},
			`hipaa-pipeline:cacheEngineVersion: "6.2" is not supported for redis (allowed: redis 7.x, valkey 7.2 or later; IAM authentication needs them)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := dptest.Run(t, "dev", tt.changes)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, rec.Resources)
		})
	}
}
