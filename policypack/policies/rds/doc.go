// Package rds holds the policies on Aurora PostgreSQL clusters, their instances and parameter
// groups, and on standalone (non-Aurora) RDS DB instances.
package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// engineMode reads the cluster's engine mode; an absent engineMode means provisioned (which
// includes Serverless v2).
func engineMode(r policy.Resource) (string, *policy.Result) {
	mode, present, res := check.String(r.Properties, "engineMode")
	if res != nil {
		return "", res
	}
	if !present {
		return "provisioned", nil
	}
	return mode, nil
}

// References shared by the Aurora policies.
const (
	refEncryption  = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html"
	refBackups     = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html"
	refServerless2 = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.html"
	refPulumi      = "https://www.pulumi.com/registry/packages/aws/api-docs/rds/cluster/"
)

// References of the standalone DB instance policies.
const (
	refInstanceVPC        = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html"
	refInstanceEncryption = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html"
	refInstancePulumi     = "https://www.pulumi.com/registry/packages/aws/api-docs/rds/instance/"
)
