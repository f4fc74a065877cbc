// Package policies is the registry of the Go HIPAA checks: All lists every Go policy of the
// pack, once. Each policy lives in policies/<service>/<id without the service prefix>.go with
// its tests beside it.
package policies

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigateway"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/apigatewayv2"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/cloudtrail"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ec2"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecr"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/elasticache"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/iam"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/kms"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lambda"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/lb"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/rds"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/s3"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/secretsmanager"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/wafv2"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// All returns every Go policy of the pack, in a stable order (by service, then ID). The
// returned slice is new on every call; the policies' metadata slices must not be modified.
func All() []policy.Policy {
	return []policy.Policy{
		apigateway.DomainNameTLS12,
		apigateway.MethodSettingsDataTraceDisabled,
		apigateway.MethodSettingsLoggingEnabled,
		apigateway.StageAccessLoggingEnabled,
		apigateway.StageXRayTracingEnabled,
		apigatewayv2.RouteAuthorizationRequired,
		apigatewayv2.WebSocketAPIConnectRouteAuthorized,
		cloudtrail.TrailCloudWatchLogsEnabled,
		cloudtrail.TrailEncrypted,
		cloudtrail.TrailLogFileValidationEnabled,
		cloudtrail.TrailMultiRegionLogging,
		ec2.DataStoreSubnetsIsolated,
		ec2.DefaultSecurityGroupClosed,
		ec2.ManagedPrefixListNoPublicCIDR,
		ec2.SecurityGroupPrefixListSourcesJudged,
		ec2.SubnetPublicIPDisabled,
		ec2.VPCFlowLogsEnabled,
		ecr.RepositoryEncryptedWithKMS,
		ecr.RepositoryScanOnPush,
		ecr.RepositoryTagsImmutable,
		ecs.ServiceAutoscalingTarget,
		ecs.ServiceNoPublicIP,
		ecs.TaskDefinitionImagePinned,
		ecs.TaskDefinitionLoggingConfigured,
		ecs.TaskDefinitionNoPlaintextSecrets,
		ecs.TaskDefinitionNotPrivileged,
		ecs.TaskDefinitionReadOnlyRoot,
		ecs.TaskDefinitionSeparateRoles,
		elasticache.ReplicationGroupCustomerManagedKey,
		elasticache.ReplicationGroupEncryptedAtRest,
		elasticache.ReplicationGroupMultiAZ,
		elasticache.ReplicationGroupSnapshotRetention,
		iam.PolicyNoAdminStatements,
		kms.DataStoreKeyRotationEnabled,
		kms.KeyRotationEnabled,
		lambda.FunctionNoPlaintextSecrets,
		lambda.PermissionSourceARNSet,
		lb.ListenerHTTPRedirectsToHTTPS,
		lb.ListenerTLSPolicyAllowed,
		rds.ClusterBackupRetention,
		rds.ClusterCustomerManagedKey,
		rds.ClusterDeletionProtection,
		rds.ClusterInstanceNotPubliclyAccessible,
		rds.ClusterMasterPasswordManaged,
		rds.ClusterMultiAZ,
		rds.ClusterParameterGroupForceSSL,
		rds.ClusterPerformanceInsightsKey,
		rds.ClusterPostgresqlLogsExported,
		rds.ClusterProductionServerlessAlwaysOn,
		rds.ClusterServerlessAlwaysOn,
		rds.ClusterStorageEncrypted,
		rds.InstanceCustomerManagedKey,
		rds.InstanceNotPubliclyAccessible,
		rds.InstanceStorageEncrypted,
		s3.BucketDefaultEncryptionAttached,
		s3.BucketPolicyTLSOnly,
		s3.BucketSSEKMS,
		s3.BucketTLSPolicyAttached,
		secretsmanager.SecretRotationConfigured,
		secretsmanager.SecretRotationSchedule,
		secretsmanager.SecretVersionNoPlaintextValue,
		wafv2.WebACLLoggingEnabled,
	}
}
