package ecs

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TaskDefinitionNotPrivileged: no container runs privileged.
var TaskDefinitionNotPrivileged = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-not-privileged",
		Title: "ECS containers are not privileged",
		Description: "A privileged container has root access to its host and every other task on " +
			"it, bypassing the access controls around ePHI. privileged defaults to false (and is " +
			"rejected on Fargate).",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(1)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition},
		Remediation:   `Remove "privileged": true from the container definitions; grant specific Linux capabilities only if unavoidable.`,
		References:    []string{refTaskDefinition + "#container_definition_security"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		cs, res := containers(r)
		if res != nil {
			return *res
		}
		results := []policy.Result{policy.Passed()}
		for _, c := range cs {
			v, _, ok := boolField(c.def, "privileged")
			switch {
			case !ok:
				results = append(results, policy.UndeterminedBecause("%s privileged is not a boolean; it cannot be interpreted", c.label))
			case v:
				results = append(results, policy.Failed("%s privileged is true: the container has root access to its host", c.label))
			}
		}
		return policy.Merge(results...)
	},
}
