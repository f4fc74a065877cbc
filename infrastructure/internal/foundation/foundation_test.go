package foundation

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/audit"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
)

// Type tokens the foundation tests read.
const (
	tVpc        = "aws:ec2/vpc:Vpc"
	tSubnet     = "aws:ec2/subnet:Subnet"
	tRouteTable = "aws:ec2/routeTable:RouteTable"
	tRoute      = "aws:ec2/route:Route"
	tRTA        = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	tNat        = "aws:ec2/natGateway:NatGateway"
	tEip        = "aws:ec2/eip:Eip"
	tDefaultSG  = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tSG         = "aws:ec2/securityGroup:SecurityGroup"
	tFlowLog    = "aws:ec2/flowLog:FlowLog"
	tEndpoint   = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tLogGroup   = "aws:cloudwatch/logGroup:LogGroup"
	tKey        = "aws:kms/key:Key"
	tAlias      = "aws:kms/alias:Alias"
	tTrail      = "aws:cloudtrail/trail:Trail"
	tBucket     = "aws:s3/bucketV2:BucketV2"
	tBucketPol  = "aws:s3/bucketPolicy:BucketPolicy"
	tPAB        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tVersioning = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tSSE        = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tTopic      = "aws:sns/topic:Topic"
	tTopicPol   = "aws:sns/topicPolicy:TopicPolicy"
	tFilter     = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	tAlarm      = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tRole       = "aws:iam/role:Role"
	tPolicy     = "aws:iam/policy:Policy"
)

// runFoundation runs only the foundation for a stack's config (parsed from its stack file and
// checked with the foundation's own validation), so these tests do not depend on the data plane.
func runFoundation(t *testing.T, stack string) (*mocktest.Recorded, config.Config) {
	t.Helper()
	dir, err := mocktest.InfrastructureDir()
	require.NoError(t, err)
	project, raw, err := mocktest.StackConfig(dir, stack)
	require.NoError(t, err)
	cfg, err := config.Parse(project, func(k string) (string, bool) { v, ok := raw[k]; return v, ok })
	require.NoError(t, err)
	rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, cfg)
		return err
	}, mocktest.Options{Project: project, Stack: stack, Config: raw})
	require.NoError(t, err)
	require.Empty(t, rec.Calls, "the foundation makes no provider invokes")
	return rec, cfg
}

func TestFoundationNetwork(t *testing.T) {
	for _, tc := range []struct {
		stack    string
		vpcCidr  string
		nats     int
		private  []string
		isolated []string
		public   []string
	}{
		{"prod", "10.20.0.0/16", 3,
			[]string{"10.20.64.0/20", "10.20.80.0/20", "10.20.96.0/20"},
			[]string{"10.20.128.0/20", "10.20.144.0/20", "10.20.160.0/20"},
			[]string{"10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"}},
		{"dev", "10.10.0.0/16", 1,
			[]string{"10.10.64.0/20", "10.10.80.0/20", "10.10.96.0/20"},
			[]string{"10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20"},
			[]string{"10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20"}},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			rec, _ := runFoundation(t, tc.stack)
			sfx := "-" + tc.stack

			vpcs := rec.OfType(tVpc)
			require.Len(t, vpcs, 1)
			vpc := vpcs[0]
			assert.Equal(t, tc.vpcCidr, vpc.Str("cidrBlock"))
			assert.Equal(t, "hipaa-vpc"+sfx, vpc.Str("tags.Name"))
			dns, _ := vpc.Bool("enableDnsHostnames")
			assert.True(t, dns)
			network := rec.OfType("hipaa:network:Network")
			require.Len(t, network, 1)
			assert.Equal(t, network[0].URN, vpc.Parent, "the VPC is a child of the network component")

			byTier := map[string][]mocktest.Resource{}
			for _, s := range rec.OfType(tSubnet) {
				byTier[s.Str("tags.tier")] = append(byTier[s.Str("tags.tier")], s)
				mp, ok := s.Bool("mapPublicIpOnLaunch")
				assert.True(t, ok, "%s sets mapPublicIpOnLaunch explicitly", s.Name)
				assert.False(t, mp, "%s must not auto-assign public IPs", s.Name)
				assert.Equal(t, network[0].URN, s.Parent)
			}
			for tier, want := range map[string][]string{"public": tc.public, "private": tc.private, "isolated": tc.isolated} {
				subnets := byTier[tier]
				require.Len(t, subnets, 3, tier)
				var cidrs, azs []string
				for _, s := range subnets {
					cidrs = append(cidrs, s.Str("cidrBlock"))
					azs = append(azs, s.Str("availabilityZone"))
					assert.True(t, strings.HasSuffix(s.Str("tags.Name"), sfx))
				}
				assert.Equal(t, want, cidrs, tier)
				assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, azs, "%s subnets in 3 distinct AZs", tier)
			}

			// Isolated route tables have no route of any kind (only the implicit local one), and
			// no route resource targets them; private ones route 0.0.0.0/0 to a NAT only.
			rts := rec.OfType(tRouteTable)
			require.Len(t, rts, 7) // 1 public + 3 private + 3 isolated
			isolatedRTIDs := map[string]bool{}
			privateRTIDs := map[string]bool{}
			for _, rt := range rts {
				assert.False(t, rt.Has("routes"), "%s has no inline routes", rt.Name)
				switch {
				case strings.HasPrefix(rt.Name, "network-isolated-rt-"):
					isolatedRTIDs[rt.ID] = true
				case strings.HasPrefix(rt.Name, "network-private-rt-"):
					privateRTIDs[rt.ID] = true
				}
			}
			require.Len(t, isolatedRTIDs, 3)
			require.Len(t, privateRTIDs, 3)
			var natRoutes, igwRoutes int
			for _, r := range rec.OfType(tRoute) {
				assert.False(t, isolatedRTIDs[r.Str("routeTableId")], "route %s targets an isolated route table", r.Name)
				assert.Equal(t, "0.0.0.0/0", r.Str("destinationCidrBlock"))
				switch {
				case r.Has("natGatewayId"):
					natRoutes++
					assert.True(t, privateRTIDs[r.Str("routeTableId")], "NAT route %s is in a private table", r.Name)
				case r.Has("gatewayId"):
					igwRoutes++
				}
			}
			assert.Equal(t, 3, natRoutes)
			assert.Equal(t, 1, igwRoutes)
			// Every isolated subnet is associated with an isolated table.
			subnetIDs := map[string]string{}
			for _, s := range rec.OfType(tSubnet) {
				subnetIDs[s.ID] = s.Str("tags.tier")
			}
			var isolatedAssoc int
			for _, a := range rec.OfType(tRTA) {
				if isolatedRTIDs[a.Str("routeTableId")] {
					isolatedAssoc++
					assert.Equal(t, "isolated", subnetIDs[a.Str("subnetId")])
				}
			}
			assert.Equal(t, 3, isolatedAssoc)

			// The isolated subnets' network ACL admits the VPC CIDR only, in and out.
			nacls := rec.OfType("aws:ec2/networkAcl:NetworkAcl")
			require.Len(t, nacls, 1)
			nacl := nacls[0]
			assert.Len(t, nacl.Strs("subnetIds"), 3)
			for _, id := range nacl.Strs("subnetIds") {
				assert.Equal(t, "isolated", subnetIDs[id])
			}
			for _, dir := range []string{"ingress", "egress"} {
				assert.Equal(t, tc.vpcCidr, nacl.Str(dir+".0.cidrBlock"), dir)
				assert.Equal(t, "allow", nacl.Str(dir+".0.action"), dir)
				assert.False(t, nacl.Has(dir+".1"), "%s has one rule only", dir)
			}
			assert.Equal(t, "hipaa-isolated-nacl"+sfx, nacl.Str("tags.Name"))

			nats := rec.OfType(tNat)
			assert.Len(t, nats, tc.nats)
			assert.Len(t, rec.OfType(tEip), tc.nats)
			var natSubnetTiers []string
			for _, n := range nats {
				natSubnetTiers = append(natSubnetTiers, subnetIDs[n.Str("subnetId")])
			}
			for _, tier := range natSubnetTiers {
				assert.Equal(t, "public", tier, "NAT gateways live in public subnets")
			}

			// Each private route table's default route goes to the NAT of its own AZ (prod), or
			// to the single NAT (dev).
			subnetAZ := map[string]string{}
			for _, sn := range rec.OfType(tSubnet) {
				subnetAZ[sn.ID] = sn.Str("availabilityZone")
			}
			natAZ := map[string]string{}
			for _, n := range nats {
				natAZ[n.ID] = subnetAZ[n.Str("subnetId")]
			}
			distinctAZs := map[string]bool{}
			for _, az := range natAZ {
				distinctAZs[az] = true
			}
			assert.Len(t, distinctAZs, tc.nats, "NAT gateways in distinct AZs")
			for _, letter := range []string{"a", "b", "c"} {
				r, ok := rec.One(tRoute, "network-private-default-route-"+letter)
				require.True(t, ok, letter)
				want := "eu-west-1" + letter
				if tc.nats == 1 {
					want = "eu-west-1a"
				}
				assert.Equal(t, want, natAZ[r.Str("natGatewayId")], "private route %s", letter)
			}

			dsg := rec.OfType(tDefaultSG)
			require.Len(t, dsg, 1)
			assert.False(t, dsg[0].Has("ingress"), "default SG has no ingress rules")
			assert.False(t, dsg[0].Has("egress"), "default SG has no egress rules")
			assert.Equal(t, vpc.ID, dsg[0].Str("vpcId"))

			fl := rec.OfType(tFlowLog)
			require.Len(t, fl, 1)
			assert.Equal(t, "ALL", fl[0].Str("trafficType"))
			assert.Equal(t, vpc.ID, fl[0].Str("vpcId"))
			assert.Equal(t, "cloud-watch-logs", fl[0].Str("logDestinationType"))
			assert.Equal(t, "arn:aws:logs:eu-west-1:111122223333:log-group:/hipaa/network/flow-logs"+sfx, fl[0].Str("logDestination"))
			assert.Equal(t, "arn:aws:iam::111122223333:role/hipaa-flow-logs"+sfx, fl[0].Str("iamRoleArn"))

			// Endpoints.
			var gateway, iface []string
			for _, e := range rec.OfType(tEndpoint) {
				assert.Equal(t, vpc.ID, e.Str("vpcId"))
				switch e.Str("vpcEndpointType") {
				case "Gateway":
					gateway = append(gateway, e.Str("serviceName"))
					assert.Len(t, e.Strs("routeTableIds"), 3)
					for _, id := range e.Strs("routeTableIds") {
						assert.True(t, privateRTIDs[id], "S3 gateway endpoint is on private route tables")
					}
				case "Interface":
					iface = append(iface, e.Str("serviceName"))
					pd, _ := e.Bool("privateDnsEnabled")
					assert.True(t, pd, "%s has private DNS", e.Name)
					assert.Len(t, e.Strs("subnetIds"), 3)
					for _, id := range e.Strs("subnetIds") {
						assert.Equal(t, "private", subnetIDs[id])
					}
					assert.Len(t, e.Strs("securityGroupIds"), 1)
				}
			}
			assert.Equal(t, []string{"com.amazonaws.eu-west-1.s3"}, gateway)
			sort.Strings(iface)
			assert.Equal(t, []string{
				"com.amazonaws.eu-west-1.ecr.api", "com.amazonaws.eu-west-1.ecr.dkr", "com.amazonaws.eu-west-1.kinesis-streams",
				"com.amazonaws.eu-west-1.kms", "com.amazonaws.eu-west-1.logs", "com.amazonaws.eu-west-1.secretsmanager",
				"com.amazonaws.eu-west-1.sts",
			}, iface)
			sgs := rec.OfType(tSG)
			require.Len(t, sgs, 1)
			sg := sgs[0]
			assert.Equal(t, "hipaa-endpoints"+sfx, sg.Str("name"))
			n, _ := sg.Num("ingress.0.fromPort")
			assert.Equal(t, 443.0, n)
			n, _ = sg.Num("ingress.0.toPort")
			assert.Equal(t, 443.0, n)
			assert.Equal(t, "tcp", sg.Str("ingress.0.protocol"))
			assert.Equal(t, []string{tc.vpcCidr}, sg.Strs("ingress.0.cidrBlocks"))
			assert.False(t, sg.Has("ingress.1"), "one ingress rule only")
			assert.False(t, sg.Has("egress"), "no egress rules")
		})
	}
}

func TestFoundationKeys(t *testing.T) {
	for _, tc := range []struct {
		stack    string
		deletion float64
	}{{"prod", 30}, {"dev", 7}} {
		t.Run(tc.stack, func(t *testing.T) {
			rec, _ := runFoundation(t, tc.stack)
			keys := rec.OfType(tKey)
			require.Len(t, keys, 7)
			comp := rec.OfType("hipaa:keys:Keys")
			require.Len(t, comp, 1)
			var domains []string
			for _, k := range keys {
				assert.Equal(t, comp[0].URN, k.Parent)
				domains = append(domains, k.Str("tags.data-domain"))
				rot, ok := k.Bool("enableKeyRotation")
				assert.True(t, ok && rot, "%s rotation on", k.Name)
				days, _ := k.Num("rotationPeriodInDays")
				assert.Equal(t, 365.0, days, k.Name)
				win, _ := k.Num("deletionWindowInDays")
				assert.Equal(t, tc.deletion, win, k.Name)
				assert.Equal(t, "SYMMETRIC_DEFAULT", k.Str("customerMasterKeySpec"))
				assert.Equal(t, "ENCRYPT_DECRYPT", k.Str("keyUsage"))
				assert.Equal(t, fmt.Sprintf("hipaa-%s-key-%s", k.Str("tags.data-domain"), tc.stack), k.Str("tags.Name"))
				pol, err := k.JSON("policy")
				require.NoError(t, err)
				st := pol["Statement"].([]any)
				root := st[0].(map[string]any)
				assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, root["Principal"])
				for _, s := range st {
					p := s.(map[string]any)["Principal"].(map[string]any)
					assert.NotEqual(t, "*", p["AWS"], "no wildcard principal in key %s", k.Name)
				}
			}
			assert.ElementsMatch(t, []string{"stream", "database", "cache", "logs", "secrets", "audit", "images"}, domains)
			var aliases []string
			for _, a := range rec.OfType(tAlias) {
				aliases = append(aliases, a.Str("name"))
			}
			assert.ElementsMatch(t, []string{
				"alias/hipaa-stream-" + tc.stack, "alias/hipaa-database-" + tc.stack, "alias/hipaa-cache-" + tc.stack,
				"alias/hipaa-logs-" + tc.stack, "alias/hipaa-secrets-" + tc.stack, "alias/hipaa-audit-" + tc.stack,
				"alias/hipaa-images-" + tc.stack,
			}, aliases)
		})
	}
}

func TestFoundationLogGroups(t *testing.T) {
	for _, tc := range []struct {
		stack     string
		retention float64
	}{{"prod", 2192}, {"dev", 365}} {
		t.Run(tc.stack, func(t *testing.T) {
			rec, _ := runFoundation(t, tc.stack)
			logsKey, ok := rec.One(tKey, "keys-logs-key")
			require.True(t, ok)
			logsKeyArn := logsKey.Outputs["arn"].StringValue()
			groups := rec.OfType(tLogGroup)
			var names []string
			for _, g := range groups {
				names = append(names, g.Str("name"))
				assert.Equal(t, logsKeyArn, g.Str("kmsKeyId"), "%s encrypted with the logs key", g.Name)
				r, _ := g.Num("retentionInDays")
				assert.Equal(t, tc.retention, r, g.Name)
				assert.Equal(t, g.Str("name"), g.Str("tags.Name"))
			}
			assert.ElementsMatch(t, []string{"/hipaa/network/flow-logs-" + tc.stack, "/hipaa/audit/cloudtrail-" + tc.stack}, names)
		})
	}
}

func TestFoundationAudit(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		t.Run(stack, func(t *testing.T) {
			rec, _ := runFoundation(t, stack)
			sfx := "-" + stack
			auditKey, ok := rec.One(tKey, "keys-audit-key")
			require.True(t, ok)
			auditKeyArn := auditKey.Outputs["arn"].StringValue()

			trails := rec.OfType(tTrail)
			require.Len(t, trails, 1)
			tr := trails[0]
			for _, flag := range []string{"isMultiRegionTrail", "enableLogFileValidation", "includeGlobalServiceEvents", "enableLogging"} {
				v, ok := tr.Bool(flag)
				assert.True(t, ok && v, flag)
			}
			assert.Equal(t, "hipaa-trail"+sfx, tr.Str("name"))
			assert.Equal(t, auditKeyArn, tr.Str("kmsKeyId"))
			bucketName := "hipaa-audit-trail-111122223333" + sfx
			assert.Equal(t, bucketName, tr.Str("s3BucketName"))
			assert.Equal(t, "arn:aws:logs:eu-west-1:111122223333:log-group:/hipaa/audit/cloudtrail"+sfx+":*", tr.Str("cloudWatchLogsGroupArn"))
			assert.Equal(t, "arn:aws:iam::111122223333:role/hipaa-trail-logs"+sfx, tr.Str("cloudWatchLogsRoleArn"))

			assert.Equal(t, "eventCategory", tr.Str("advancedEventSelectors.0.fieldSelectors.0.field"))
			assert.Equal(t, []string{"Management"}, tr.Strs("advancedEventSelectors.0.fieldSelectors.0.equals"))
			assert.False(t, tr.Has("advancedEventSelectors.0.fieldSelectors.1"), "all management events, read and write")
			assert.Equal(t, []string{"Data"}, tr.Strs("advancedEventSelectors.1.fieldSelectors.0.equals"))
			assert.Equal(t, []string{"AWS::S3::Object"}, tr.Strs("advancedEventSelectors.1.fieldSelectors.1.equals"))
			assert.Equal(t, "readOnly", tr.Str("advancedEventSelectors.1.fieldSelectors.2.field"))
			assert.Equal(t, []string{"true"}, tr.Strs("advancedEventSelectors.1.fieldSelectors.2.equals"))
			assert.Equal(t, []string{"arn:aws:s3:::" + bucketName + "/"}, tr.Strs("advancedEventSelectors.1.fieldSelectors.3.startsWiths"))

			bucket, ok := rec.One(tBucket, "audit-trail-bucket")
			require.True(t, ok)
			assert.Equal(t, bucketName, bucket.Str("bucket"))
			v, ok := rec.One(tVersioning, "audit-trail-bucket-versioning")
			require.True(t, ok)
			assert.Equal(t, "Enabled", v.Str("versioningConfiguration.status"))
			sse, ok := rec.One(tSSE, "audit-trail-bucket-encryption")
			require.True(t, ok)
			assert.Equal(t, "aws:kms", sse.Str("rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"))
			assert.Equal(t, auditKeyArn, sse.Str("rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId"))
			pab, ok := rec.One(tPAB, "audit-trail-bucket-public-access-block")
			require.True(t, ok)
			for _, f := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				b, ok := pab.Bool(f)
				assert.True(t, ok && b, f)
			}
			bp, ok := rec.One(tBucketPol, "audit-trail-bucket-policy")
			require.True(t, ok)
			doc, err := bp.JSON("policy")
			require.NoError(t, err)
			st := doc["Statement"].([]any)
			require.Len(t, st, 3)
			deny := st[0].(map[string]any)
			assert.Equal(t, "Deny", deny["Effect"])
			assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, deny["Condition"])
			assert.Equal(t, []any{"arn:aws:s3:::" + bucketName, "arn:aws:s3:::" + bucketName + "/*"}, deny["Resource"])
			write := st[2].(map[string]any)
			assert.Equal(t, []any{"arn:aws:s3:::" + bucketName + "/AWSLogs/111122223333/*"}, write["Resource"])
			assert.Equal(t, "arn:aws:cloudtrail:eu-west-1:111122223333:trail/hipaa-trail"+sfx,
				write["Condition"].(map[string]any)["StringEquals"].(map[string]any)["aws:SourceArn"])

			topics := rec.OfType(tTopic)
			require.Len(t, topics, 1)
			assert.Equal(t, auditKeyArn, topics[0].Str("kmsMasterKeyId"))
			assert.Equal(t, "hipaa-security-alarms"+sfx, topics[0].Str("name"))
			topicArn := topics[0].Outputs["arn"].StringValue()
			require.Len(t, rec.OfType(tTopicPol), 1)
			subs := rec.OfType("aws:sns/topicSubscription:TopicSubscription")
			require.Len(t, subs, 1)
			assert.Equal(t, "email", subs[0].Str("protocol"))
			assert.Equal(t, map[string]string{"prod": "security-oncall@carepulse.example", "dev": "platform-dev@carepulse.example"}[stack], subs[0].Str("endpoint"))
			assert.Equal(t, topicArn, subs[0].Str("topic"))
			role, ok := rec.One(tRole, "audit-trail-logs-role")
			require.True(t, ok)
			trust, err := role.JSON("assumeRolePolicy")
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"StringEquals": map[string]any{
				"aws:SourceAccount": "111122223333",
				"aws:SourceArn":     "arn:aws:cloudtrail:eu-west-1:111122223333:trail/hipaa-trail" + sfx,
			}}, trust["Statement"].([]any)[0].(map[string]any)["Condition"])

			filters := rec.OfType(tFilter)
			alarms := rec.OfType(tAlarm)
			require.Len(t, filters, len(audit.SecurityAlarms))
			require.Len(t, alarms, len(audit.SecurityAlarms))
			var metrics []string
			for _, f := range filters {
				assert.Equal(t, "/hipaa/audit/cloudtrail"+sfx, f.Str("logGroupName"))
				assert.Equal(t, audit.MetricNamespace, f.Str("metricTransformation.namespace"))
				metrics = append(metrics, f.Str("metricTransformation.name"))
				a, ok := rec.One(tAlarm, strings.TrimSuffix(f.Name, "-filter")+"-alarm")
				require.True(t, ok, "alarm of %s", f.Name)
				assert.Equal(t, f.Str("metricTransformation.name"), a.Str("metricName"))
				assert.Equal(t, audit.MetricNamespace, a.Str("namespace"))
				assert.Equal(t, []string{topicArn}, a.Strs("alarmActions"))
				th, _ := a.Num("threshold")
				assert.Equal(t, 1.0, th)
				assert.Equal(t, "GreaterThanOrEqualToThreshold", a.Str("comparisonOperator"))
				assert.True(t, strings.HasSuffix(a.Str("name"), sfx))
			}
			assert.ElementsMatch(t, []string{"UnauthorizedAPICalls", "ConsoleSignInFailures", "RootAccountUsage", "KMSKeyDisableOrDeletion",
				"SecurityGroupChanges", "NetworkACLChanges", "NetworkGatewayChanges", "RouteTableChanges", "VPCChanges", "CloudTrailChanges"}, metrics)
			f, _ := rec.One(tFilter, "audit-kms-key-disable-or-deletion-filter")
			assert.Contains(t, f.Str("pattern"), "ScheduleKeyDeletion")
			assert.Contains(t, f.Str("pattern"), "DisableKey")
		})
	}
}

// Every physical name and Name tag of the foundation carries the environment suffix; every
// logical name is kebab case and prefixed by its component.
func TestFoundationNames(t *testing.T) {
	for _, stack := range []string{"prod", "dev"} {
		t.Run(stack, func(t *testing.T) {
			rec, _ := runFoundation(t, stack)
			t.Logf("%s foundation under mocks:\n%s", stack, rec.Summary())
			sfx := "-" + stack
			components := map[string]string{}
			for _, r := range rec.Resources {
				if !r.Custom {
					components[r.URN] = r.Name
				}
			}
			for _, r := range rec.Resources {
				if r.Custom {
					comp, ok := components[r.Parent]
					require.True(t, ok, "%s %s has a component parent", r.Type, r.Name)
					assert.True(t, strings.HasPrefix(r.Name, comp+"-"), "%s is prefixed by its component %s", r.Name, comp)
				}
				assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, r.Name)
				for _, k := range []string{"name", "bucket", "tags.Name"} {
					if v := r.Str(k); v != "" {
						assert.True(t, strings.HasSuffix(v, sfx), "%s %s: %s %q lacks suffix %s", r.Type, r.Name, k, v, sfx)
					}
				}
				// Resources that take tags carry a Name tag.
				if r.Has("tags") {
					assert.True(t, r.Has("tags.Name"), "%s %s has a Name tag", r.Type, r.Name)
				}
			}
			taggable := []string{tVpc, tSubnet, tRouteTable, tNat, tEip, tKey, tLogGroup, tTrail, tBucket, tTopic, tRole, tPolicy, tSG, tDefaultSG, tFlowLog, tEndpoint, tAlarm}
			for _, typ := range taggable {
				for _, r := range rec.OfType(typ) {
					assert.True(t, r.Has("tags.Name"), "%s %s has a Name tag", r.Type, r.Name)
				}
			}
			assert.True(t, slices.ContainsFunc(rec.Resources, func(r mocktest.Resource) bool { return r.Type == "hipaa:audit:Audit" }))
		})
	}
}
