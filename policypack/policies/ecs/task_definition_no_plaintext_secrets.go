package ecs

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/credname"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TaskDefinitionNoPlaintextSecrets: credentials reach containers through secrets/valueFrom,
// never as plain environment values.
var TaskDefinitionNoPlaintextSecrets = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-no-plaintext-secrets",
		Title: "ECS containers receive no secrets in plain environment variables",
		Description: "Plain environment values are stored in the task definition, visible to anyone " +
			"who can describe it, and kept in the Pulumi state. Variables whose names look like " +
			"credentials (PASSWORD, SECRET, TOKEN, KEY, CREDENTIAL...) must come from the secrets " +
			"list (valueFrom Secrets Manager / SSM). Names ending in _ID, _ARN, _NAME, _URL or " +
			"_ALIAS are references, not secrets. Values are never read into a message.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition},
		Remediation:   `Move the variable from "environment" to "secrets": [{"name": ..., "valueFrom": <Secrets Manager or SSM parameter ARN>}].`,
		References:    []string{"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		cs, res := containers(r)
		if res != nil {
			return *res
		}
		results := []policy.Result{policy.Passed()}
		for _, c := range cs {
			env, isList := c.def["environment"].([]any)
			if c.def["environment"] != nil && !isList {
				results = append(results, policy.UndeterminedBecause("%s environment is not a list; it cannot be interpreted", c.label))
				continue
			}
			for _, e := range env {
				kv, _ := e.(map[string]any)
				name, _ := kv["name"].(string)
				if credname.LooksSecret(name) {
					results = append(results, policy.Failed("%s environment variable %s looks like a credential but is given as a plain value", c.label, name))
				}
			}
		}
		return policy.Merge(results...)
	},
}
