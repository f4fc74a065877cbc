package policies_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// goodStack is a small production stack, as a preview presents it (outputs of other resources
// unknown, with property dependencies), that meets every Go policy. It shows the shape the
// infrastructure must have and proves the policies can all be met at once.
func goodStack() []pt.Res {
	key := func() map[string]any { return map[string]any{"enableKeyRotation": true, "rotationPeriodInDays": 365} }
	return []pt.Res{
		{Type: awstypes.KMSKey, Name: "data-key", Props: key()},
		{Type: awstypes.KMSKey, Name: "logs-key", Props: key()},
		{Type: awstypes.EC2VPC, Name: "vpc", Props: map[string]any{"cidrBlock": "10.0.0.0/16"}},
		{Type: awstypes.EC2FlowLog, Name: "vpc-flow", Props: map[string]any{"vpcId": pt.Unknown, "trafficType": "ALL"}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2DefaultSecurityGroup, Name: "default-sg", Props: map[string]any{"vpcId": pt.Unknown}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2InternetGateway, Name: "igw", Props: map[string]any{"vpcId": pt.Unknown}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2Subnet, Name: "public-a", Props: map[string]any{"vpcId": pt.Unknown, "cidrBlock": "10.0.0.0/24", "mapPublicIpOnLaunch": false}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2Subnet, Name: "data-a", Props: map[string]any{"vpcId": pt.Unknown, "cidrBlock": "10.0.10.0/24", "availabilityZone": "us-east-1a"}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2Subnet, Name: "data-b", Props: map[string]any{"vpcId": pt.Unknown, "cidrBlock": "10.0.11.0/24", "availabilityZone": "us-east-1b"}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2RouteTable, Name: "public-rt", Props: map[string]any{"vpcId": pt.Unknown, "routes": []any{map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": pt.Unknown}}}, Deps: map[string][]string{"vpcId": {"vpc"}, "routes": {"igw"}}},
		{Type: awstypes.EC2RouteTable, Name: "data-rt", Props: map[string]any{"vpcId": pt.Unknown}, Deps: map[string][]string{"vpcId": {"vpc"}}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "public-a-rt", Props: map[string]any{"subnetId": pt.Unknown, "routeTableId": pt.Unknown}, Deps: map[string][]string{"subnetId": {"public-a"}, "routeTableId": {"public-rt"}}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "data-a-rt", Props: map[string]any{"subnetId": pt.Unknown, "routeTableId": pt.Unknown}, Deps: map[string][]string{"subnetId": {"data-a"}, "routeTableId": {"data-rt"}}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "data-b-rt", Props: map[string]any{"subnetId": pt.Unknown, "routeTableId": pt.Unknown}, Deps: map[string][]string{"subnetId": {"data-b"}, "routeTableId": {"data-rt"}}},
		{Type: awstypes.RDSSubnetGroup, Name: "db-subnets", Props: map[string]any{"name": "hipaa-data-prod", "subnetIds": []any{pt.Unknown, pt.Unknown}}, Deps: map[string][]string{"subnetIds": {"data-a", "data-b"}}},
		{Type: awstypes.ElastiCacheSubnetGroup, Name: "cache-subnets", Props: map[string]any{"name": "hipaa-cache-prod", "subnetIds": []any{pt.Unknown, pt.Unknown}}, Deps: map[string][]string{"subnetIds": {"data-a", "data-b"}}},
		{Type: awstypes.RDSClusterParameterGroup, Name: "db-params", Props: map[string]any{"family": "aurora-postgresql16", "parameters": []any{map[string]any{"name": "rds.force_ssl", "value": "1"}}}},
		{Type: awstypes.RDSCluster, Name: "vitals", Props: map[string]any{
			"engine": "aurora-postgresql", "storageEncrypted": true, "kmsKeyId": pt.Unknown, "backupRetentionPeriod": 7,
			"deletionProtection": true, "enabledCloudwatchLogsExports": []any{"postgresql"}, "manageMasterUserPassword": true,
			"serverlessv2ScalingConfiguration": map[string]any{"minCapacity": 0.5, "maxCapacity": 8},
			"dbSubnetGroupName":                pt.Unknown, "dbClusterParameterGroupName": pt.Unknown,
		}, Deps: map[string][]string{"kmsKeyId": {"data-key"}, "dbSubnetGroupName": {"db-subnets"}, "dbClusterParameterGroupName": {"db-params"}}},
		{Type: awstypes.RDSClusterInstance, Name: "vitals-1", Props: map[string]any{"clusterIdentifier": pt.Unknown, "instanceClass": "db.serverless", "availabilityZone": "us-east-1a", "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": pt.Unknown}, Deps: map[string][]string{"clusterIdentifier": {"vitals"}, "performanceInsightsKmsKeyId": {"data-key"}}},
		{Type: awstypes.RDSClusterInstance, Name: "vitals-2", Props: map[string]any{"clusterIdentifier": pt.Unknown, "instanceClass": "db.serverless", "availabilityZone": "us-east-1b"}, Deps: map[string][]string{"clusterIdentifier": {"vitals"}}},
		{Type: awstypes.ElastiCacheReplicationGroup, Name: "cache", Props: map[string]any{
			"engine": "redis", "atRestEncryptionEnabled": "true", "kmsKeyId": pt.Unknown, "transitEncryptionEnabled": true,
			"transitEncryptionMode": "required", "multiAzEnabled": true, "automaticFailoverEnabled": true, "numCacheClusters": 2,
			"snapshotRetentionLimit": 7, "subnetGroupName": pt.Unknown,
		}, Deps: map[string][]string{"kmsKeyId": {"data-key"}, "subnetGroupName": {"cache-subnets"}}},
		{Type: awstypes.SecretsManagerSecret, Name: "signing-key", Props: map[string]any{"kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"data-key"}}},
		{Type: awstypes.SecretsManagerSecretRotation, Name: "signing-key-rotation", Props: map[string]any{"secretId": pt.Unknown, "rotationLambdaArn": pt.Unknown, "rotationRules": map[string]any{"scheduleExpression": "rate(30 days)"}}, Deps: map[string][]string{"secretId": {"signing-key"}}},
		{Type: awstypes.CloudTrailTrail, Name: "trail", Props: map[string]any{"kmsKeyId": pt.Unknown, "isMultiRegionTrail": true, "enableLogFileValidation": true, "cloudWatchLogsGroupArn": pt.Unknown, "cloudWatchLogsRoleArn": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"logs-key"}}},
		{Type: awstypes.S3BucketV2, Name: "trail-bucket", Props: map[string]any{"bucketPrefix": "trail-"}},
		{Type: awstypes.S3BucketSSEConfigurationV2, Name: "trail-bucket-sse", Props: map[string]any{"bucket": pt.Unknown, "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": pt.Unknown}}}}, Deps: map[string][]string{"bucket": {"trail-bucket"}, "rules": {"logs-key"}}},
		{Type: awstypes.S3BucketPolicy, Name: "trail-bucket-policy", Deps: map[string][]string{"bucket": {"trail-bucket"}}, Props: map[string]any{"bucket": pt.Unknown, "policy": `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`}},
		{Type: awstypes.LBListener, Name: "https", Props: map[string]any{"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "certificateArn": pt.Unknown, "defaultActions": []any{map[string]any{"type": "forward"}}}},
		{Type: awstypes.LBListener, Name: "http", Props: map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}}},
		{Type: awstypes.APIGatewayDomainName, Name: "api-domain", Props: map[string]any{"domainName": "api.example.org", "securityPolicy": "TLS_1_2"}},
		{Type: awstypes.APIGatewayStage, Name: "api-stage", Props: map[string]any{"stageName": "v1", "xrayTracingEnabled": true, "accessLogSettings": map[string]any{"destinationArn": pt.Unknown, "format": "{}"}}},
		{Type: awstypes.APIGatewayMethodSettings, Name: "api-settings", Props: map[string]any{"methodPath": "*/*", "settings": map[string]any{"loggingLevel": "ERROR", "dataTraceEnabled": false}}},
		{Type: awstypes.WAFv2WebACL, Name: "api-acl", Props: map[string]any{"name": "api-prod", "scope": "REGIONAL"}},
		{Type: awstypes.WAFv2WebACLLoggingConfiguration, Name: "api-acl-logging", Props: map[string]any{"resourceArn": pt.Unknown, "logDestinationConfigs": []any{pt.Unknown}}, Deps: map[string][]string{"resourceArn": {"api-acl"}}},
		{Type: awstypes.LambdaPermission, Name: "authorizer-invoke", Props: map[string]any{"action": "lambda:InvokeFunction", "principal": "apigateway.amazonaws.com", "sourceArn": pt.Unknown}},
		{Type: awstypes.IAMRole, Name: "ingest-task", Props: map[string]any{"inlinePolicies": []any{map[string]any{"name": "put", "policy": pt.Unknown}}}},
		{Type: awstypes.IAMRolePolicy, Name: "ingest-task-put", Props: map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Action":["kinesis:PutRecord"],"Resource":"arn:aws:kinesis:us-east-1:111122223333:stream/vitals"}]}`}},
		{Type: awstypes.KMSKey, Name: "images-key", Props: key()},
		{Type: awstypes.ECRRepository, Name: "ingest-repo", Props: map[string]any{
			"name": "hipaa-ingest-prod", "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": map[string]any{"scanOnPush": true},
			"encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS", "kmsKey": pt.Unknown}},
		}, Deps: map[string][]string{"encryptionConfigurations": {"images-key"}}},
		{Type: awstypes.ECSCluster, Name: "cluster", Props: map[string]any{"name": "hipaa-prod"}},
		{Type: awstypes.ECSTaskDefinition, Name: "ingest-td", Props: map[string]any{
			"executionRoleArn": pt.Unknown, "taskRoleArn": pt.Unknown,
			"containerDefinitions": `[{"name":"ingest","image":"111122223333.dkr.ecr.us-east-1.amazonaws.com/hipaa-ingest-prod@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945","readonlyRootFilesystem":true,"logConfiguration":{"logDriver":"awslogs"},"environment":[{"name":"STREAM_NAME","value":"vitals"}],"secrets":[{"name":"DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:us-east-1:111122223333:secret:db"}]}]`,
		}, Deps: map[string][]string{"executionRoleArn": {"ingest-execution"}, "taskRoleArn": {"ingest-task"}}},
		{Type: awstypes.IAMRole, Name: "ingest-execution", Props: map[string]any{}},
		{Type: awstypes.ECSService, Name: "ingest", Props: map[string]any{"name": "ingest", "cluster": pt.Unknown, "networkConfiguration": map[string]any{"assignPublicIp": false}}, Deps: map[string][]string{"cluster": {"cluster"}}},
		{Type: awstypes.AppAutoScalingTarget, Name: "ingest-scaling", Props: map[string]any{"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount", "resourceId": pt.Unknown, "minCapacity": 2, "maxCapacity": 10}, Deps: map[string][]string{"resourceId": {"cluster", "ingest"}}},
		{Type: awstypes.RDSInstance, Name: "reports-db", Props: map[string]any{"engine": "postgres", "instanceClass": "db.t4g.medium", "storageEncrypted": true, "kmsKeyId": pt.Unknown, "publiclyAccessible": false}, Deps: map[string][]string{"kmsKeyId": {"data-key"}}},
		{Type: awstypes.APIGatewayV2Route, Name: "http-vitals", Props: map[string]any{"apiId": pt.Unknown, "routeKey": "POST /vitals", "authorizationType": "JWT", "authorizerId": pt.Unknown}},
		{Type: awstypes.APIGatewayV2API, Name: "http-api", Props: map[string]any{"name": "vitals-http-prod", "protocolType": "HTTP"}},
		{Type: awstypes.APIGatewayV2API, Name: "alerts-ws", Props: map[string]any{"name": "alerts-ws-prod", "protocolType": "WEBSOCKET", "routeSelectionExpression": "$request.body.action"}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-connect", Props: map[string]any{"apiId": pt.Unknown, "routeKey": "$connect", "authorizationType": "CUSTOM", "authorizerId": pt.Unknown}, Deps: map[string][]string{"apiId": {"alerts-ws"}}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-subscribe", Props: map[string]any{"apiId": pt.Unknown, "routeKey": "subscribe"}, Deps: map[string][]string{"apiId": {"alerts-ws"}}},
		{Type: awstypes.EC2ManagedPrefixList, Name: "clinic-networks", Props: map[string]any{"name": "clinic-networks-prod", "addressFamily": "IPv4", "maxEntries": 10, "entries": []any{map[string]any{"cidr": "10.20.0.0/16", "description": "clinic VPN"}}}},
		{Type: awstypes.EC2ManagedPrefixListEntry, Name: "clinic-networks-onprem", Props: map[string]any{"prefixListId": pt.Unknown, "cidr": "192.168.10.0/24"}, Deps: map[string][]string{"prefixListId": {"clinic-networks"}}},
		{Type: awstypes.VPCSecurityGroupIngressRule, Name: "api-from-clinic", Props: map[string]any{"securityGroupId": pt.Unknown, "ipProtocol": "tcp", "fromPort": 8443, "toPort": 8443, "prefixListId": pt.Unknown}, Deps: map[string][]string{"prefixListId": {"clinic-networks"}}},
		{Type: awstypes.LambdaFunction, Name: "authorizer", Props: map[string]any{"role": pt.Unknown, "environment": map[string]any{"variables": map[string]any{"AUTHORIZER_ISSUER": "https://idp.example.org/", "AUTHORIZER_AUDIENCE": "vitals-api"}}}},
		{Type: awstypes.SecretsManagerSecretVersion, Name: "signing-key-value", Props: map[string]any{"secretId": pt.Unknown, "secretString": pt.Secret("canary-signing-key-value")}, Deps: map[string][]string{"secretId": {"signing-key"}}},
	}
}

// TestGoodStackMeetsEveryPolicy runs every Go policy over the good stack: nothing may fail, and
// the only undetermined verdicts allowed are those a preview cannot avoid (documents that are
// computed from other resources).
func TestGoodStackMeetsEveryPolicy(t *testing.T) {
	rs := pt.BuildStack("", goodStack())
	undeterminedOK := map[string]bool{
		// The inline policy document of ingest-task is computed from the stream ARN.
		"iam-policy-no-admin-statements " + pt.URN(pt.DefaultStack, awstypes.IAMRole, "ingest-task"): true,
	}
	judged := 0
	for _, p := range policies.All() {
		env := pt.Env(p, "", nil)
		var results []policy.StackResult
		if p.Stack != nil {
			results = p.Stack(env, rs)
		} else {
			for _, r := range rs {
				if p.Applies(r.Type) {
					results = append(results, policy.StackResult{URN: r.URN, Result: p.Resource(env, r)})
				}
			}
		}
		require.NotEmpty(t, results, "%s judged nothing in the good stack", p.ID)
		for _, res := range results {
			judged++
			switch res.Status {
			case policy.Fail:
				t.Errorf("%s fails %s: %q", p.ID, res.URN, res.Messages)
			case policy.Undetermined:
				assert.True(t, undeterminedOK[p.ID+" "+res.URN], "%s undetermined on %s: %q", p.ID, res.URN, res.Messages)
			}
		}
	}
	assert.Greater(t, judged, 60)
}

// goodStateStack is the same production stack as a `pulumi up` leaves it (AnalyzeStack reads
// outputs): every value known, resources referred to by ID, ARN or name, and no property
// dependencies, so every reference must be resolved by value.
func goodStateStack() []pt.Res {
	const acct = "arn:aws:%s:us-east-1:111122223333:"
	dataKey := "arn:aws:kms:us-east-1:111122223333:key/0d1e2f3a-0000-4000-8000-000000000001"
	logsKey := "arn:aws:kms:us-east-1:111122223333:key/0d1e2f3a-0000-4000-8000-000000000002"
	sub := func(id, az string) map[string]any {
		return map[string]any{"id": id, "vpcId": "vpc-0a1", "availabilityZone": az, "mapPublicIpOnLaunch": false, "assignIpv6AddressOnCreation": false}
	}
	return []pt.Res{
		{Type: awstypes.KMSKey, Name: "data-key", Props: map[string]any{"id": "0d1e2f3a-0000-4000-8000-000000000001", "keyId": "0d1e2f3a-0000-4000-8000-000000000001", "arn": dataKey, "enableKeyRotation": true, "rotationPeriodInDays": 365, "keyUsage": "ENCRYPT_DECRYPT", "customerMasterKeySpec": "SYMMETRIC_DEFAULT"}},
		{Type: awstypes.KMSKey, Name: "logs-key", Props: map[string]any{"id": "0d1e2f3a-0000-4000-8000-000000000002", "keyId": "0d1e2f3a-0000-4000-8000-000000000002", "arn": logsKey, "enableKeyRotation": true, "rotationPeriodInDays": 180}},
		{Type: awstypes.KMSAlias, Name: "logs-alias", Props: map[string]any{"name": "alias/hipaa-logs", "targetKeyId": "0d1e2f3a-0000-4000-8000-000000000002"}},
		{Type: awstypes.CloudWatchLogGroup, Name: "app-logs", Props: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/hipaa-logs", "retentionInDays": 365}},
		{Type: awstypes.EC2VPC, Name: "vpc", Props: map[string]any{"id": "vpc-0a1", "cidrBlock": "10.0.0.0/16"}},
		{Type: awstypes.EC2FlowLog, Name: "vpc-flow", Props: map[string]any{"vpcId": "vpc-0a1", "trafficType": "ALL"}},
		{Type: awstypes.EC2DefaultSecurityGroup, Name: "default-sg", Props: map[string]any{"vpcId": "vpc-0a1", "ingress": []any{}, "egress": []any{}}},
		{Type: awstypes.EC2InternetGateway, Name: "igw", Props: map[string]any{"id": "igw-0b2", "vpcId": "vpc-0a1"}},
		{Type: awstypes.EC2Subnet, Name: "public-a", Props: sub("subnet-0pa", "us-east-1a")},
		{Type: awstypes.EC2Subnet, Name: "data-a", Props: sub("subnet-0da", "us-east-1a")},
		{Type: awstypes.EC2Subnet, Name: "data-b", Props: sub("subnet-0db", "us-east-1b")},
		{Type: awstypes.EC2RouteTable, Name: "public-rt", Props: map[string]any{"id": "rtb-0p", "vpcId": "vpc-0a1", "routes": []any{map[string]any{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0b2"}}}},
		{Type: awstypes.EC2RouteTable, Name: "data-rt", Props: map[string]any{"id": "rtb-0d", "vpcId": "vpc-0a1", "routes": []any{map[string]any{"cidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0c3", "gatewayId": ""}}}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "public-a-rt", Props: map[string]any{"subnetId": "subnet-0pa", "routeTableId": "rtb-0p"}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "data-a-rt", Props: map[string]any{"subnetId": "subnet-0da", "routeTableId": "rtb-0d"}},
		{Type: awstypes.EC2RouteTableAssociation, Name: "data-b-rt", Props: map[string]any{"subnetId": "subnet-0db", "routeTableId": "rtb-0d"}},
		{Type: awstypes.RDSSubnetGroup, Name: "db-subnets", Props: map[string]any{"id": "hipaa-data-prod", "name": "hipaa-data-prod", "subnetIds": []any{"subnet-0da", "subnet-0db"}}},
		{Type: awstypes.ElastiCacheSubnetGroup, Name: "cache-subnets", Props: map[string]any{"id": "hipaa-cache-prod", "name": "hipaa-cache-prod", "subnetIds": []any{"subnet-0da", "subnet-0db"}}},
		{Type: awstypes.RDSClusterParameterGroup, Name: "db-params", Props: map[string]any{"family": "aurora-postgresql16", "parameters": []any{map[string]any{"name": "rds.force_ssl", "value": "1", "applyMethod": "pending-reboot"}}}},
		{Type: awstypes.RDSCluster, Name: "vitals", Props: map[string]any{
			"id": "vitals-prod", "clusterIdentifier": "vitals-prod", "engine": "aurora-postgresql", "engineMode": "provisioned",
			"storageEncrypted": true, "kmsKeyId": dataKey, "backupRetentionPeriod": 7, "deletionProtection": true,
			"enabledCloudwatchLogsExports": []any{"postgresql"}, "manageMasterUserPassword": true, "masterUserSecretKmsKeyId": dataKey,
			"serverlessv2ScalingConfiguration": map[string]any{"minCapacity": 0.5, "maxCapacity": 8},
			"performanceInsightsEnabled":       true, "performanceInsightsKmsKeyId": dataKey, "dbSubnetGroupName": "hipaa-data-prod",
		}},
		{Type: awstypes.RDSClusterInstance, Name: "vitals-1", Props: map[string]any{"clusterIdentifier": "vitals-prod", "availabilityZone": "us-east-1a", "publiclyAccessible": false, "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": dataKey}},
		{Type: awstypes.RDSClusterInstance, Name: "vitals-2", Props: map[string]any{"clusterIdentifier": "vitals-prod", "availabilityZone": "us-east-1b", "publiclyAccessible": false}},
		{Type: awstypes.ElastiCacheReplicationGroup, Name: "cache", Props: map[string]any{
			"engine": "valkey", "atRestEncryptionEnabled": true, "kmsKeyId": dataKey, "transitEncryptionEnabled": true,
			"transitEncryptionMode": "required", "multiAzEnabled": true, "automaticFailoverEnabled": true, "numCacheClusters": 2,
			"numNodeGroups": 1, "replicasPerNodeGroup": 1, "snapshotRetentionLimit": 7, "subnetGroupName": "hipaa-cache-prod",
		}},
		{Type: awstypes.SecretsManagerSecret, Name: "signing-key", Props: map[string]any{"id": fmtARN(acct, "secretsmanager") + "secret:signing-AbC", "arn": fmtARN(acct, "secretsmanager") + "secret:signing-AbC", "name": "signing", "kmsKeyId": dataKey}},
		{Type: awstypes.SecretsManagerSecretRotation, Name: "signing-key-rotation", Props: map[string]any{"secretId": fmtARN(acct, "secretsmanager") + "secret:signing-AbC", "rotationEnabled": true, "rotationRules": map[string]any{"automaticallyAfterDays": 30}}},
		{Type: awstypes.CloudTrailTrail, Name: "trail", Props: map[string]any{"kmsKeyId": logsKey, "isMultiRegionTrail": true, "enableLogging": true, "enableLogFileValidation": true, "cloudWatchLogsGroupArn": fmtARN(acct, "logs") + "log-group:/hipaa/trail:*", "cloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/trail"}},
		{Type: awstypes.S3BucketV2, Name: "trail-bucket", Props: map[string]any{"id": "trail-20261203", "bucket": "trail-20261203", "arn": "arn:aws:s3:::trail-20261203"}},
		{Type: awstypes.S3BucketSSEConfigurationV2, Name: "trail-bucket-sse", Props: map[string]any{"bucket": "trail-20261203", "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": logsKey}, "bucketKeyEnabled": true}}}},
		{Type: awstypes.S3BucketPolicy, Name: "trail-bucket-policy", Props: map[string]any{"bucket": "trail-20261203", "policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::trail-20261203","arn:aws:s3:::trail-20261203/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`}},
		{Type: awstypes.LBListener, Name: "https", Props: map[string]any{"protocol": "HTTPS", "port": 443, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "defaultActions": []any{map[string]any{"type": "forward"}}}},
		{Type: awstypes.LBListener, Name: "http", Props: map[string]any{"protocol": "HTTP", "port": 80, "defaultActions": []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}}},
		{Type: awstypes.APIGatewayDomainName, Name: "api-domain", Props: map[string]any{"securityPolicy": "TLS_1_2"}},
		{Type: awstypes.APIGatewayStage, Name: "api-stage", Props: map[string]any{"xrayTracingEnabled": true, "accessLogSettings": map[string]any{"destinationArn": fmtARN(acct, "logs") + "log-group:/hipaa/api", "format": "{}"}}},
		{Type: awstypes.APIGatewayMethodSettings, Name: "api-settings", Props: map[string]any{"settings": map[string]any{"loggingLevel": "INFO", "dataTraceEnabled": false}}},
		{Type: awstypes.WAFv2WebACL, Name: "api-acl", Props: map[string]any{"name": "api-prod", "arn": fmtARN(acct, "wafv2") + "regional/webacl/api-prod/1f2e", "id": "1f2e"}},
		{Type: awstypes.WAFv2WebACLLoggingConfiguration, Name: "api-acl-logging", Props: map[string]any{"resourceArn": fmtARN(acct, "wafv2") + "regional/webacl/api-prod/1f2e", "logDestinationConfigs": []any{fmtARN(acct, "logs") + "log-group:aws-waf-logs-api"}}},
		{Type: awstypes.LambdaPermission, Name: "authorizer-invoke", Props: map[string]any{"principal": "apigateway.amazonaws.com", "sourceArn": fmtARN(acct, "execute-api") + "a1b2c3/authorizers/*"}},
		{Type: awstypes.IAMRole, Name: "ingest-task", Props: map[string]any{"arn": "arn:aws:iam::111122223333:role/ingest-task", "inlinePolicies": []any{map[string]any{"name": "put", "policy": `{"Statement":[{"Effect":"Allow","Action":"kinesis:PutRecord","Resource":"arn:aws:kinesis:us-east-1:111122223333:stream/vitals"}]}`}}}},
		{Type: awstypes.ECRRepository, Name: "ingest-repo", Props: map[string]any{
			"name": "hipaa-ingest-prod", "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": map[string]any{"scanOnPush": true},
			"encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS", "kmsKey": fmtARN(acct, "kms") + "key/0b1c2d3e-aaaa-bbbb-cccc-1234567890ab"}},
			"repositoryUrl":            "111122223333.dkr.ecr.us-east-1.amazonaws.com/hipaa-ingest-prod",
		}},
		{Type: awstypes.ECSCluster, Name: "cluster", Props: map[string]any{"name": "hipaa-prod", "arn": fmtARN(acct, "ecs") + "cluster/hipaa-prod"}},
		{Type: awstypes.ECSTaskDefinition, Name: "ingest-td", Props: map[string]any{
			"executionRoleArn": "arn:aws:iam::111122223333:role/ingest-execution", "taskRoleArn": "arn:aws:iam::111122223333:role/ingest-task",
			"containerDefinitions": `[{"name":"ingest","image":"111122223333.dkr.ecr.us-east-1.amazonaws.com/hipaa-ingest-prod:1.4.2","readonlyRootFilesystem":true,"privileged":false,"logConfiguration":{"logDriver":"awslogs"},"environment":[{"name":"STREAM_NAME","value":"vitals"}]}]`,
		}},
		{Type: awstypes.ECSService, Name: "ingest", Props: map[string]any{"name": "ingest", "cluster": fmtARN(acct, "ecs") + "cluster/hipaa-prod", "networkConfiguration": map[string]any{"assignPublicIp": false}}},
		{Type: awstypes.AppAutoScalingTarget, Name: "ingest-scaling", Props: map[string]any{"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount", "resourceId": "service/hipaa-prod/ingest"}},
		{Type: awstypes.RDSInstance, Name: "reports-db", Props: map[string]any{"engine": "postgres", "storageEncrypted": true, "kmsKeyId": dataKey, "publiclyAccessible": false}},
		{Type: awstypes.APIGatewayV2Route, Name: "http-vitals", Props: map[string]any{"apiId": "a1b2c3", "routeKey": "POST /vitals", "authorizationType": "JWT", "authorizerId": "jw7t"}},
		{Type: awstypes.APIGatewayV2Route, Name: "http-preflight", Props: map[string]any{"apiId": "a1b2c3", "routeKey": "OPTIONS /{proxy+}"}},
		{Type: awstypes.APIGatewayV2API, Name: "http-api", Props: map[string]any{"id": "a1b2c3", "name": "vitals-http-prod", "protocolType": "HTTP", "apiEndpoint": "https://a1b2c3.execute-api.us-east-1.amazonaws.com"}},
		{Type: awstypes.APIGatewayV2API, Name: "alerts-ws", Props: map[string]any{"id": "ws0a1", "name": "alerts-ws-prod", "protocolType": "WEBSOCKET", "routeSelectionExpression": "$request.body.action"}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-connect", Props: map[string]any{"apiId": "ws0a1", "routeKey": "$connect", "authorizationType": "CUSTOM", "authorizerId": "auth9"}},
		{Type: awstypes.APIGatewayV2Route, Name: "alerts-subscribe", Props: map[string]any{"apiId": "ws0a1", "routeKey": "subscribe"}},
		{Type: awstypes.EC2ManagedPrefixList, Name: "clinic-networks", Props: map[string]any{"id": "pl-0a1b2c3d4e5f60718", "name": "clinic-networks-prod", "addressFamily": "IPv4", "maxEntries": 10, "entries": []any{map[string]any{"cidr": "10.20.0.0/16", "description": "clinic VPN"}}}},
		{Type: awstypes.EC2ManagedPrefixListEntry, Name: "clinic-networks-onprem", Props: map[string]any{"prefixListId": "pl-0a1b2c3d4e5f60718", "cidr": "192.168.10.0/24"}},
		{Type: awstypes.VPCSecurityGroupIngressRule, Name: "api-from-clinic", Props: map[string]any{"securityGroupId": "sg-0api", "ipProtocol": "tcp", "fromPort": 8443, "toPort": 8443, "prefixListId": "pl-0a1b2c3d4e5f60718"}},
		{Type: awstypes.LambdaFunction, Name: "authorizer", Props: map[string]any{"role": "arn:aws:iam::111122223333:role/authorizer", "environment": map[string]any{"variables": map[string]any{"AUTHORIZER_ISSUER": "https://idp.example.org/"}}}},
		{Type: awstypes.SecretsManagerSecretVersion, Name: "signing-key-value", Props: map[string]any{"secretId": fmtARN(acct, "secretsmanager") + "secret:signing-AbC", "secretString": pt.Secret("canary-signing-key-value")}},
	}
}

func fmtARN(format, service string) string { return fmt.Sprintf(format, service) }

// TestGoodStateStackMeetsEveryPolicy: on the state of a deployed stack every value is known,
// so every policy must decide, and pass.
func TestGoodStateStackMeetsEveryPolicy(t *testing.T) {
	rs := pt.BuildStack("", goodStateStack())
	for _, p := range policies.All() {
		env := pt.Env(p, "", nil)
		var results []policy.StackResult
		if p.Stack != nil {
			results = p.Stack(env, rs)
		} else {
			for _, r := range rs {
				if p.Applies(r.Type) {
					results = append(results, policy.StackResult{URN: r.URN, Result: p.Resource(env, r)})
				}
			}
		}
		require.NotEmpty(t, results, "%s judged nothing in the good state stack", p.ID)
		for _, res := range results {
			assert.Contains(t, []policy.Status{policy.Pass, policy.NotApplicable}, res.Status, "%s on %s: %q", p.ID, res.URN, res.Messages)
		}
	}
}
