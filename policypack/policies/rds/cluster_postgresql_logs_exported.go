package rds

import (
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterPostgresqlLogsExported: Aurora PostgreSQL exports its logs to CloudWatch Logs.
var ClusterPostgresqlLogsExported = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-postgresql-logs-exported",
		Title: "Aurora PostgreSQL clusters export the postgresql log to CloudWatch Logs",
		Description: "Database connection, error and audit records must reach the central, retained " +
			"and encrypted log store so that activity on ePHI can be reviewed. Only Aurora PostgreSQL " +
			"engines are judged.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(3)(ii)(A)", "164.308(a)(5)(ii)(C)", "164.312(b)"},
		ResourceTypes: []string{awstypes.RDSCluster},
		Remediation:   `Set enabledCloudwatchLogsExports: ["postgresql"] on the aws.rds.Cluster.`,
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.CloudWatch.html"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterPostgresqlLogsExported,
}

func clusterPostgresqlLogsExported(_ policy.Env, r policy.Resource) policy.Result {
	engine, present, res := check.String(r.Properties, "engine")
	if res != nil {
		return *res
	}
	if present && !strings.Contains(engine, "postgresql") {
		return policy.NotApplicableBecause("engine is %s, not Aurora PostgreSQL", check.Show(r.Properties, "engine", engine))
	}
	if !present {
		return policy.NotApplicableBecause("engine is not set (the provider default is aurora, i.e. MySQL-compatible)")
	}
	exports, _, res := check.Strings(r.Properties, "enabledCloudwatchLogsExports")
	if res != nil {
		return *res
	}
	if !slices.Contains(exports, "postgresql") {
		return policy.Failed("enabledCloudwatchLogsExports does not contain \"postgresql\": database logs stay on the instance")
	}
	return policy.Passed()
}
