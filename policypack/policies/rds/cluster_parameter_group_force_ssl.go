package rds

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// ClusterParameterGroupForceSSL: the Aurora cluster parameter group refuses non-TLS clients.
var ClusterParameterGroupForceSSL = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-parameter-group-force-ssl",
		Title: "Aurora cluster parameter groups require TLS for client connections",
		Description: "ePHI travelling between the services and Aurora must be encrypted in transit. " +
			"Aurora PostgreSQL accepts unencrypted connections unless rds.force_ssl is 1 (Aurora " +
			"MySQL: require_secure_transport ON); a parameter that is not set keeps the engine default, " +
			"which is not relied on.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(e)(1)", "164.312(e)(2)(ii)"},
		ResourceTypes: []string{awstypes.RDSClusterParameterGroup},
		Remediation:   `Add parameters: [{name: "rds.force_ssl", value: "1"}] to the aws.rds.ClusterParameterGroup (require_secure_transport = ON for aurora-mysql families) and attach it to the cluster.`,
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL.RequiringSSL"},
		Engine:        policy.EngineGo,
	},
	Resource: clusterParameterGroupForceSSL,
}

func clusterParameterGroupForceSSL(_ policy.Env, r policy.Resource) policy.Result {
	family, _, res := check.String(r.Properties, "family")
	if res != nil {
		return *res
	}
	name, want := "rds.force_ssl", []string{"1"}
	if strings.HasPrefix(family, "aurora-mysql") || strings.HasPrefix(family, "mysql") {
		name, want = "require_secure_transport", []string{"ON", "1"}
	}
	params, _, res := check.Objects(r.Properties, "parameters")
	if res != nil {
		return *res
	}
	for i, p := range params {
		n, st := props.String(p, "name")
		if st == props.Unknown {
			return *check.Undetermined(r.Properties, "parameters", st, "a list of parameters")
		}
		if !strings.EqualFold(n, name) {
			continue
		}
		path := "parameters[" + itoa(i) + "].value"
		v, present, res := check.String(r.Properties, path)
		if res != nil {
			// Numbers are read as their decimal form.
			if f, st := props.Number(r.Properties, path); st == props.Known {
				v, present = strconvNumber(f), true
			} else {
				return *res
			}
		}
		if present && containsFold(want, strings.TrimSpace(v)) {
			return policy.Passed()
		}
		return policy.Failed("parameters sets %s to %s; it must be %s so clients cannot connect without TLS", name, props.Display(r.Properties, path), want[0])
	}
	return policy.Failed("parameters does not set %s: the engine default accepts unencrypted connections; set it to %s", name, want[0])
}
