package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MinBackupRetentionParam is the smallest allowed automated backup retention, in days.
const MinBackupRetentionParam = "minBackupRetentionDays"

// ClusterBackupRetention: Aurora automated backups are kept at least the configured days.
var ClusterBackupRetention = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-backup-retention",
		Title: "Aurora automated backups are retained at least the configured number of days",
		Description: "The contingency plan needs retrievable exact copies of ePHI and the ability to " +
			"restore them. backupRetentionPeriod defaults to 1 day when not set, too short to recover " +
			"from a problem noticed after a weekend.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(A)", "164.308(a)(7)(ii)(B)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   "Set backupRetentionPeriod to at least the configured minimum (default 7, at most 35) on the aws.rds.Cluster.",
		References:    []string{refBackups},
		Engine:        policy.EngineGo,
		Params: []policy.Param{{
			Name: MinBackupRetentionParam, Type: policy.ParamInteger, Default: 7, Minimum: policy.IntPtr(1),
			Description: "Smallest allowed Aurora automated backup retention, in days.",
		}},
	},
	Resource: clusterBackupRetention,
}

func clusterBackupRetention(env policy.Env, r policy.Resource) policy.Result {
	days, present, res := check.Int(r.Properties, "backupRetentionPeriod")
	if res != nil {
		return *res
	}
	if !present {
		days = 1 // the AWS default
	}
	if min := env.Int(MinBackupRetentionParam); days < min {
		return policy.Failed("backupRetentionPeriod is %s day(s)%s, below the required %d", check.Show(r.Properties, "backupRetentionPeriod", days), map[bool]string{true: "", false: " (the AWS default when unset)"}[present], min)
	}
	return policy.Passed()
}
