// Package awstypes spells, once, the Pulumi type tokens of the AWS resources the Go policies
// read. Every policy and test refers to these constants, never to a literal token.
package awstypes

// KMS.
const (
	KMSKey         = "aws:kms/key:Key"
	KMSExternalKey = "aws:kms/externalKey:ExternalKey"
	KMSAlias       = "aws:kms/alias:Alias"
)

// RDS / Aurora.
const (
	RDSCluster               = "aws:rds/cluster:Cluster"
	RDSClusterInstance       = "aws:rds/clusterInstance:ClusterInstance"
	RDSClusterParameterGroup = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
	RDSSubnetGroup           = "aws:rds/subnetGroup:SubnetGroup"
	// RDSInstance is a standalone (non-Aurora) DB instance.
	RDSInstance = "aws:rds/instance:Instance"
)

// ElastiCache.
const (
	ElastiCacheReplicationGroup = "aws:elasticache/replicationGroup:ReplicationGroup"
	ElastiCacheSubnetGroup      = "aws:elasticache/subnetGroup:SubnetGroup"
)

// CloudTrail.
const CloudTrailTrail = "aws:cloudtrail/trail:Trail"

// S3.
const (
	S3Bucket   = "aws:s3/bucket:Bucket"
	S3BucketV2 = "aws:s3/bucketV2:BucketV2"
	// S3BucketSSEConfigurationV2 is the bucket default-encryption resource of pulumi-aws v6.
	S3BucketSSEConfigurationV2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	// S3BucketSSEConfiguration is the same resource under its pulumi-aws v7 name.
	S3BucketSSEConfiguration = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
	S3BucketPolicy           = "aws:s3/bucketPolicy:BucketPolicy"
)

// Load balancing (aws:alb is the alias module of aws:lb).
const (
	LBListener  = "aws:lb/listener:Listener"
	ALBListener = "aws:alb/listener:Listener"
)

// API Gateway.
const (
	APIGatewayDomainName     = "aws:apigateway/domainName:DomainName"
	APIGatewayV2DomainName   = "aws:apigatewayv2/domainName:DomainName"
	APIGatewayStage          = "aws:apigateway/stage:Stage"
	APIGatewayV2Stage        = "aws:apigatewayv2/stage:Stage"
	APIGatewayMethodSettings = "aws:apigateway/methodSettings:MethodSettings"
	// APIGatewayV2Route is a route of an HTTP or WebSocket API.
	APIGatewayV2Route = "aws:apigatewayv2/route:Route"
	// APIGatewayV2API is an HTTP or WebSocket API; set up by quick create (target, routeKey)
	// or from an OpenAPI document (body) it defines routes itself.
	APIGatewayV2API = "aws:apigatewayv2/api:Api"
)

// WAF.
const (
	WAFv2WebACL                     = "aws:wafv2/webAcl:WebAcl"
	WAFv2WebACLLoggingConfiguration = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
)

// Lambda.
const (
	LambdaPermission = "aws:lambda/permission:Permission"
	LambdaFunction   = "aws:lambda/function:Function"
)

// IAM.
const (
	IAMPolicy     = "aws:iam/policy:Policy"
	IAMRolePolicy = "aws:iam/rolePolicy:RolePolicy"
	IAMRole       = "aws:iam/role:Role"

	IAMUserPolicy            = "aws:iam/userPolicy:UserPolicy"
	IAMGroupPolicy           = "aws:iam/groupPolicy:GroupPolicy"
	IAMRolePolicyAttachment  = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	IAMUserPolicyAttachment  = "aws:iam/userPolicyAttachment:UserPolicyAttachment"
	IAMGroupPolicyAttachment = "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"
	IAMPolicyAttachment      = "aws:iam/policyAttachment:PolicyAttachment"
)

// Secrets Manager.
const (
	SecretsManagerSecret         = "aws:secretsmanager/secret:Secret"
	SecretsManagerSecretRotation = "aws:secretsmanager/secretRotation:SecretRotation"
	SecretsManagerSecretVersion  = "aws:secretsmanager/secretVersion:SecretVersion"
)

// ECR.
const ECRRepository = "aws:ecr/repository:Repository"

// ECS and Application Auto Scaling.
const (
	ECSCluster           = "aws:ecs/cluster:Cluster"
	ECSService           = "aws:ecs/service:Service"
	ECSTaskDefinition    = "aws:ecs/taskDefinition:TaskDefinition"
	AppAutoScalingTarget = "aws:appautoscaling/target:Target"
)

// EC2 / VPC.
const (
	EC2VPC                       = "aws:ec2/vpc:Vpc"
	EC2Subnet                    = "aws:ec2/subnet:Subnet"
	EC2FlowLog                   = "aws:ec2/flowLog:FlowLog"
	EC2DefaultSecurityGroup      = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	EC2SecurityGroup             = "aws:ec2/securityGroup:SecurityGroup"
	EC2SecurityGroupRule         = "aws:ec2/securityGroupRule:SecurityGroupRule"
	VPCSecurityGroupIngressRule  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	EC2RouteTable                = "aws:ec2/routeTable:RouteTable"
	EC2DefaultRouteTable         = "aws:ec2/defaultRouteTable:DefaultRouteTable"
	EC2Route                     = "aws:ec2/route:Route"
	EC2RouteTableAssociation     = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	EC2MainRouteTableAssociation = "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation"
	EC2InternetGateway           = "aws:ec2/internetGateway:InternetGateway"
	EC2ManagedPrefixList         = "aws:ec2/managedPrefixList:ManagedPrefixList"
	EC2ManagedPrefixListEntry    = "aws:ec2/managedPrefixListEntry:ManagedPrefixListEntry"
)

// Other data stores whose KMS keys the stack-level key rotation policy follows.
const (
	KinesisStream      = "aws:kinesis/stream:Stream"
	CloudWatchLogGroup = "aws:cloudwatch/logGroup:LogGroup"
	SNSTopic           = "aws:sns/topic:Topic"
)
