package rds

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// InstanceNotPubliclyAccessible: standalone RDS DB instances have no public endpoint.
var InstanceNotPubliclyAccessible = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-instance-not-publicly-accessible",
		Title: "RDS DB instances are not publicly accessible",
		Description: "A publicly accessible DB instance gets a public DNS name and IP address, exposing " +
			"the ePHI database to the internet. This is the standalone (non-Aurora) aws:rds/instance; " +
			"Aurora members are judged by rds-cluster-instance-not-publicly-accessible with the same " +
			"rule. publiclyAccessible defaults to false.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)", "164.312(e)(1)"},
		ResourceTypes: []string{awstypes.RDSInstance},
		Remediation:   "Set publiclyAccessible: false (or leave it unset) on every aws.rds.Instance; reach it from inside the VPC.",
		References:    []string{refInstanceVPC, refInstancePulumi},
		Engine:        policy.EngineGo,
	},
	Resource: clusterInstanceNotPubliclyAccessible,
}
