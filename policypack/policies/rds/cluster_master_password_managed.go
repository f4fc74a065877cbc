package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// ClusterMasterPasswordManaged: the master password is managed (and rotated) by RDS in Secrets
// Manager, never given as masterPassword.
var ClusterMasterPasswordManaged = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-master-password-managed",
		Title: "Aurora master passwords are managed by RDS in Secrets Manager, never set in the program",
		Description: "A masterPassword input is stored in the Pulumi state and never rotated; with " +
			"manageMasterUserPassword RDS keeps the password in Secrets Manager and rotates it. " +
			"Clusters restored from a snapshot or replicating another source inherit credentials and " +
			"are not applicable unless they set masterPassword.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Remove masterPassword and set manageMasterUserPassword: true (optionally masterUserSecretKmsKeyId to a customer-managed key).",
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterMasterPasswordManaged,
}

func clusterMasterPasswordManaged(_ policy.Env, r policy.Resource) policy.Result {
	// Only presence matters: the value is never read into a message.
	if v, st := props.Get(r.Properties, "masterPassword"); st != props.Missing && (st != props.Known || !v.IsString() || v.StringValue() != "") {
		return policy.Failed("masterPassword is set (value not shown): the password lives in the Pulumi state and is not rotated; use manageMasterUserPassword instead")
	}
	managed, res := check.Bool(r.Properties, "manageMasterUserPassword", false)
	if res != nil {
		return *res
	}
	if managed {
		return policy.Passed()
	}
	for _, p := range []string{"snapshotIdentifier", "replicationSourceIdentifier", "globalClusterIdentifier"} {
		if _, present, _ := check.String(r.Properties, p); present {
			return policy.NotApplicableBecause("%s is set: the cluster takes its credentials from its source", p)
		}
	}
	return policy.Failed("manageMasterUserPassword is not true: the master password is not managed and rotated by RDS in Secrets Manager")
}
