package compute_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/compute"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
)

type serviceWant struct {
	minTasks, maxTasks float64
	cpu, memory        string
}

var wants = map[string]map[string]serviceWant{
	"dev": {
		"processor": {1, 2, "256", "512"},
		"read-api":  {1, 2, "256", "512"},
	},
	"prod": {
		"processor": {3, 12, "1024", "2048"},
		"read-api":  {3, 9, "512", "1024"},
	},
}

func TestClusterAndServices(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:compute:Compute")
			dptest.RequireChildren(t, rec, comp)
			cluster := dptest.Only(t, rec, "aws:ecs/cluster:Cluster")
			assert.Equal(t, "hipaa-pipeline-"+stack, cluster.Str("name"))
			assert.Equal(t, "containerInsights", cluster.Str("settings.0.name"))
			assert.Equal(t, "enhanced", cluster.Str("settings.0.value"))

			private := dptest.SubnetIDs(t, rec, "private")
			tg := dptest.Only(t, rec, "aws:lb/targetGroup:TargetGroup")
			for _, svc := range []string{"processor", "read-api"} {
				w := wants[stack][svc]
				s := dptest.One(t, rec, "aws:ecs/service:Service", "compute-"+svc+"-service")
				td := dptest.One(t, rec, "aws:ecs/taskDefinition:TaskDefinition", "compute-"+svc+"-task")
				sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-"+svc)
				assert.Equal(t, "hipaa-"+svc+"-"+stack, s.Str("name"))
				assert.Equal(t, dptest.Arn(cluster), s.Str("cluster"))
				assert.Equal(t, dptest.Arn(td), s.Str("taskDefinition"))
				assert.Equal(t, "FARGATE", s.Str("launchType"))
				assert.Equal(t, "LATEST", s.Str("platformVersion"))
				assert.Equal(t, w.minTasks, dptest.Num(t, s, "desiredCount"))
				assert.False(t, dptest.Bool(t, s, "networkConfiguration.assignPublicIp"), "no public IP")
				assert.Equal(t, private, dptest.Sorted(s.Strs("networkConfiguration.subnets")), "private subnets of every AZ")
				assert.Equal(t, []string{sg.ID}, s.Strs("networkConfiguration.securityGroups"))
				assert.True(t, dptest.Bool(t, s, "deploymentCircuitBreaker.enable"))
				assert.True(t, dptest.Bool(t, s, "deploymentCircuitBreaker.rollback"))
				assert.Equal(t, "ENABLED", s.Str("availabilityZoneRebalancing"))
				assert.False(t, dptest.Bool(t, s, "enableExecuteCommand"))
				if svc == "read-api" {
					assert.Equal(t, dptest.Arn(tg), s.Str("loadBalancers.0.targetGroupArn"))
					assert.Equal(t, "read-api", s.Str("loadBalancers.0.containerName"))
					assert.Equal(t, 8443.0, dptest.Num(t, s, "loadBalancers.0.containerPort"))
				} else {
					assert.False(t, s.Has("loadBalancers"))
				}

				assert.Equal(t, "hipaa-"+svc+"-"+stack, td.Str("family"))
				assert.Equal(t, []string{"FARGATE"}, td.Strs("requiresCompatibilities"))
				assert.Equal(t, "awsvpc", td.Str("networkMode"))
				assert.Equal(t, w.cpu, td.Str("cpu"))
				assert.Equal(t, w.memory, td.Str("memory"))
				assert.Equal(t, "ARM64", td.Str("runtimePlatform.cpuArchitecture"))
				exec := dptest.One(t, rec, "aws:iam/role:Role", "compute-"+svc+"-execution-role")
				task := dptest.One(t, rec, "aws:iam/role:Role", "compute-"+svc+"-task-role")
				assert.Equal(t, dptest.Arn(exec), td.Str("executionRoleArn"))
				assert.Equal(t, dptest.Arn(task), td.Str("taskRoleArn"))
				assert.NotEqual(t, td.Str("executionRoleArn"), td.Str("taskRoleArn"), "execution role separate from task role")
			}
		})
	}
}

var secretName = regexp.MustCompile(`(?i)(PASSWORD|SECRET|TOKEN|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY)`)

func TestContainerDefinitions(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			for _, svc := range []string{"processor", "read-api"} {
				td := dptest.One(t, rec, "aws:ecs/taskDefinition:TaskDefinition", "compute-"+svc+"-task")
				lg := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", "compute-"+svc+"-logs")
				assert.Equal(t, "/hipaa/compute/"+svc+"-"+stack, lg.Str("name"))
				assert.Equal(t, dptest.KeyArn(t, rec, "logs"), lg.Str("kmsKeyId"), "KMS log group")

				var defs []map[string]any
				require.NoError(t, json.Unmarshal([]byte(td.Str("containerDefinitions")), &defs))
				require.Len(t, defs, 1)
				d := defs[0]
				assert.Equal(t, svc, d["name"])
				repo := dptest.One(t, rec, "aws:ecr/repository:Repository", "images-"+svc+"-repository")
				assert.Equal(t, fmt.Sprintf("111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-%s-%s:0.1.0", svc, stack), d["image"])
				assert.Equal(t, dptest.Out(repo, "repositoryUrl")+":0.1.0", d["image"], "the stack's own repository")
				assert.Contains(t, td.Dependencies, repo.URN, "the task definition waits for its repository")
				assert.Equal(t, true, d["readonlyRootFilesystem"])
				assert.Equal(t, false, d["privileged"])
				assert.Equal(t, compute.ContainerUser, d["user"])
				assert.NotRegexp(t, `^(0|root)(:|$)`, d["user"], "non-root")
				assert.Equal(t, map[string]any{"drop": []any{"ALL"}}, d["linuxParameters"].(map[string]any)["capabilities"])
				lc := d["logConfiguration"].(map[string]any)
				assert.Equal(t, "awslogs", lc["logDriver"])
				assert.Equal(t, lg.Str("name"), lc["options"].(map[string]any)["awslogs-group"])
				assert.Equal(t, "eu-west-1", lc["options"].(map[string]any)["awslogs-region"])
				for _, e := range d["environment"].([]any) {
					name := e.(map[string]any)["name"].(string)
					assert.NotRegexp(t, secretName, name, "credentials never go into plain environment")
				}
				assert.Equal(t, []any{}, d["secrets"], "the services authenticate with IAM: nothing to inject")
			}
		})
	}
}

func envOf(t *testing.T, td mocktest.Resource) map[string]string {
	t.Helper()
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(td.Str("containerDefinitions")), &defs))
	require.Len(t, defs, 1)
	env := map[string]string{}
	for _, e := range defs[0]["environment"].([]any) {
		kv := e.(map[string]any)
		env[kv["name"].(string)] = kv["value"].(string)
	}
	return env
}

func TestContainersGetTheServicesSettings(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			stream := dptest.Only(t, rec, "aws:kinesis/stream:Stream")
			db := dptest.Only(t, rec, "aws:rds/cluster:Cluster")
			rg := dptest.Only(t, rec, "aws:elasticache/replicationGroup:ReplicationGroup")
			cacheUser := dptest.One(t, rec, "aws:elasticache/user:User", "cache-app-user").Str("userName")
			for _, v := range []string{dptest.Arn(stream), stream.Str("name"), dptest.Out(db, "endpoint"), dptest.Out(db, "readerEndpoint"),
				dptest.Out(rg, "primaryEndpointAddress"), cacheUser} {
				require.NotEmpty(t, v, "mock outputs the settings are built from")
			}
			common := func(dbHost, dbUser string) map[string]string {
				return map[string]string{
					"AWS_REGION":       "eu-west-1",
					"HIPAA_DB_HOST":    dbHost,
					"HIPAA_DB_PORT":    "5432",
					"HIPAA_DB_NAME":    db.Str("databaseName"),
					"HIPAA_DB_USER":    dbUser,
					"HIPAA_DB_SSLMODE": "verify-full",
					// helper D's images put the RDS CA bundle exactly there
					"HIPAA_DB_SSLROOTCERT": "/etc/ssl/rds/global-bundle.pem",
					"HIPAA_REDIS_ADDR":     dptest.Out(rg, "primaryEndpointAddress") + ":6379",
					"HIPAA_REDIS_USER":     cacheUser,
					"HIPAA_REDIS_TLS":      "true",
				}
			}
			proc := common(dptest.Out(db, "endpoint"), "processor")
			proc["HIPAA_STREAM_ARN"] = dptest.Arn(stream)
			proc["HIPAA_STREAM_NAME"] = stream.Str("name")
			read := common(dptest.Out(db, "readerEndpoint"), "read_api")
			read["HIPAA_LISTEN_ADDR"] = ":8443"

			assert.Equal(t, proc, envOf(t, dptest.One(t, rec, "aws:ecs/taskDefinition:TaskDefinition", "compute-processor-task")))
			assert.Equal(t, read, envOf(t, dptest.One(t, rec, "aws:ecs/taskDefinition:TaskDefinition", "compute-read-api-task")))
			assert.Equal(t, "vitals", db.Str("databaseName"))
		})
	}
}

func TestContainerSecretsUseValueFrom(t *testing.T) {
	const arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hipaa-hmac-prod-AbCdEf"
	out, err := compute.ContainerDefinitions(compute.ContainerSpec{
		Name: "processor", Image: "example/processor:1.0.0", LogGroup: "/hipaa/compute/processor-prod", Region: "eu-west-1",
		Environment: map[string]string{"STREAM_NAME": "s"},
		Secrets:     map[string]string{"PSEUDONYM_HMAC": arn},
	})
	require.NoError(t, err)
	var defs []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &defs))
	assert.Equal(t, []any{map[string]any{"name": "PSEUDONYM_HMAC", "valueFrom": arn}}, defs[0]["secrets"])
	assert.Equal(t, []any{map[string]any{"name": "STREAM_NAME", "value": "s"}}, defs[0]["environment"])

	_, err = compute.ContainerDefinitions(compute.ContainerSpec{
		Name: "p", Image: "i:1", LogGroup: "g", Region: "r",
		Environment: map[string]string{"X": "1"}, Secrets: map[string]string{"X": arn},
	})
	require.EqualError(t, err, `container "p": X is both an environment variable and a secret`)
	_, err = compute.ContainerDefinitions(compute.ContainerSpec{Name: "p"})
	require.EqualError(t, err, `container "p": name, image, log group and region are required`)
}

func policyStatements(t *testing.T, rec *mocktest.Recorded, logical string) map[string][]string {
	t.Helper()
	p := dptest.One(t, rec, "aws:iam/policy:Policy", logical)
	doc, err := p.JSON("policy")
	require.NoError(t, err)
	out := map[string][]string{}
	for _, s := range doc["Statement"].([]any) {
		st := s.(map[string]any)
		require.Equal(t, "Allow", st["Effect"])
		var acts []string
		for _, a := range st["Action"].([]any) {
			acts = append(acts, a.(string))
		}
		for _, r := range st["Resource"].([]any) {
			out[r.(string)] = append(out[r.(string)], acts...)
		}
	}
	return out
}

func TestTaskRolesAreLeastPrivilege(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			streamArn := dptest.Arn(dptest.Only(t, rec, "aws:kinesis/stream:Stream"))
			cluster := dptest.Only(t, rec, "aws:rds/cluster:Cluster")
			rg := dptest.Only(t, rec, "aws:elasticache/replicationGroup:ReplicationGroup")
			user := dptest.One(t, rec, "aws:elasticache/user:User", "cache-app-user")
			dbUser := func(u string) string {
				return "arn:aws:rds-db:eu-west-1:111122223333:dbuser:" + dptest.Out(cluster, "clusterResourceId") + "/" + u
			}
			require.NotEmpty(t, dptest.Out(cluster, "clusterResourceId"))

			assert.Equal(t, map[string][]string{
				streamArn: {"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
					"kinesis:ListShards", "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer", "kinesis:RegisterStreamConsumer"},
				streamArn + "/consumer/*": {"kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
					"kinesis:ListShards", "kinesis:SubscribeToShard", "kinesis:DescribeStreamConsumer", "kinesis:RegisterStreamConsumer"},
				dptest.KeyArn(t, rec, "stream"): {"kms:Decrypt"},
				dbUser("processor"):             {"rds-db:connect"},
				dptest.Arn(rg):                  {"elasticache:Connect"},
				dptest.Arn(user):                {"elasticache:Connect"},
			}, policyStatements(t, rec, "compute-processor-task-policy"))

			assert.Equal(t, map[string][]string{
				dbUser("read_api"): {"rds-db:connect"},
				dptest.Arn(rg):     {"elasticache:Connect"},
				dptest.Arn(user):   {"elasticache:Connect"},
			}, policyStatements(t, rec, "compute-read-api-task-policy"))

			for _, svc := range []string{"processor", "read-api"} {
				lg := dptest.One(t, rec, "aws:cloudwatch/logGroup:LogGroup", "compute-"+svc+"-logs")
				assert.Equal(t, map[string][]string{
					"*":                              {"ecr:GetAuthorizationToken"}, // the action has no resource-level permission
					dptest.Arn(lg) + ":log-stream:*": {"logs:CreateLogStream", "logs:PutLogEvents"},
					"arn:aws:ecr:eu-west-1:111122223333:repository/hipaa-" + svc + "-" + stack: {
						"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"},
				}, policyStatements(t, rec, "compute-"+svc+"-execution-policy"))
				repo := dptest.One(t, rec, "aws:ecr/repository:Repository", "images-"+svc+"-repository")
				assert.Equal(t, "arn:aws:ecr:eu-west-1:111122223333:repository/hipaa-"+svc+"-"+stack, dptest.Arn(repo), "pull is scoped to the service's own repository")

				role := dptest.One(t, rec, "aws:iam/role:Role", "compute-"+svc+"-task-role")
				trust, err := role.JSON("assumeRolePolicy")
				require.NoError(t, err)
				st := trust["Statement"].([]any)[0].(map[string]any)
				assert.Equal(t, map[string]any{"Service": "ecs-tasks.amazonaws.com"}, st["Principal"])
				assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"}}, st["Condition"])
				assert.False(t, role.Has("inlinePolicies"), "managed policies only")
			}
		})
	}
}

func TestAutoScaling(t *testing.T) {
	iterTarget := map[string]float64{"dev": 60000, "prod": 10000}
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			cluster := dptest.Only(t, rec, "aws:ecs/cluster:Cluster")
			for _, svc := range []string{"processor", "read-api"} {
				w := wants[stack][svc]
				target := dptest.One(t, rec, "aws:appautoscaling/target:Target", "compute-"+svc+"-scaling-target")
				// The cluster's NAME, not its ARN.
				assert.Equal(t, "service/hipaa-pipeline-"+stack+"/hipaa-"+svc+"-"+stack, target.Str("resourceId"))
				assert.Equal(t, "service/"+cluster.Str("name")+"/hipaa-"+svc+"-"+stack, target.Str("resourceId"))
				assert.NotContains(t, target.Str("resourceId"), "arn:")
				assert.Equal(t, "ecs:service:DesiredCount", target.Str("scalableDimension"))
				assert.Equal(t, "ecs", target.Str("serviceNamespace"))
				assert.Equal(t, w.minTasks, dptest.Num(t, target, "minCapacity"))
				assert.Equal(t, w.maxTasks, dptest.Num(t, target, "maxCapacity"))

				cpu := dptest.One(t, rec, "aws:appautoscaling/policy:Policy", "compute-"+svc+"-scale-cpu")
				assert.Equal(t, "TargetTrackingScaling", cpu.Str("policyType"))
				assert.Equal(t, target.Str("resourceId"), cpu.Str("resourceId"))
				assert.Equal(t, 60.0, dptest.Num(t, cpu, "targetTrackingScalingPolicyConfiguration.targetValue"))
				assert.Equal(t, "ECSServiceAverageCPUUtilization",
					cpu.Str("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType"))
			}
			iter := dptest.One(t, rec, "aws:appautoscaling/policy:Policy", "compute-processor-scale-iterator-age")
			assert.Equal(t, "service/hipaa-pipeline-"+stack+"/hipaa-processor-"+stack, iter.Str("resourceId"))
			assert.Equal(t, iterTarget[stack], dptest.Num(t, iter, "targetTrackingScalingPolicyConfiguration.targetValue"))
			const m = "targetTrackingScalingPolicyConfiguration.customizedMetricSpecification."
			assert.Equal(t, "AWS/Kinesis", iter.Str(m+"namespace"))
			assert.Equal(t, "GetRecords.IteratorAgeMilliseconds", iter.Str(m+"metricName"))
			assert.Equal(t, "Maximum", iter.Str(m+"statistic"))
			assert.Equal(t, "StreamName", iter.Str(m+"dimensions.0.name"))
			assert.Equal(t, "hipaa-vitals-stream-"+stack, iter.Str(m+"dimensions.0.value"))
		})
	}
}

func TestEgressIsScoped(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			dbSG := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "database-sg")
			cacheSG := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "cache-sg")
			s3 := dptest.One(t, rec, "aws:ec2/vpcEndpoint:VpcEndpoint", "network-s3-endpoint")
			vpcCidr := map[string]string{"dev": "10.10.0.0/16", "prod": "10.20.0.0/16"}[stack]
			for _, svc := range []string{"processor", "read-api"} {
				sg := dptest.One(t, rec, "aws:ec2/securityGroup:SecurityGroup", "app-sgs-"+svc)
				got := map[string]float64{}
				for _, r := range rec.OfType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule") {
					if r.Str("securityGroupId") != sg.ID {
						continue
					}
					dest := r.Str("referencedSecurityGroupId") + r.Str("cidrIpv4") + r.Str("prefixListId")
					got[dest] = dptest.Num(t, r, "fromPort")
					assert.Equal(t, dptest.Num(t, r, "fromPort"), dptest.Num(t, r, "toPort"))
					assert.NotEqual(t, "0.0.0.0/0", r.Str("cidrIpv4"))
				}
				assert.Equal(t, map[string]float64{
					dbSG.ID: 5432, cacheSG.ID: 6379, vpcCidr: 443, dptest.Out(s3, "prefixListId"): 443,
				}, got)
			}
		})
	}
}

func TestProdMinimumTasks(t *testing.T) {
	rec, err := dptest.Run(t, "prod", map[string]string{"hipaa-pipeline:processorMinTasks": "1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `hipaa-pipeline:processorMinTasks: 1 is too few for tier "critical" (allowed: at least 3, one task per availability zone and never fewer than 2)`)
	assert.Empty(t, rec.Resources)
}

func TestECRRepositoryArn(t *testing.T) {
	tests := map[string]string{
		"111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor:0.1.0":                      "arn:aws:ecr:eu-west-1:111122223333:repository/hipaa-processor",
		"111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/api@sha256:" + fmt.Sprintf("%064d", 0): "arn:aws:ecr:eu-west-1:111122223333:repository/team/api",
		"public.ecr.aws/example/app:1": "",
		"":                             "",
	}
	for image, want := range tests {
		assert.Equal(t, want, compute.ECRRepositoryArn(image), image)
	}
}
