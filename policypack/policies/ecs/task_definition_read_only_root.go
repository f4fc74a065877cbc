package ecs

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TaskDefinitionReadOnlyRoot: every container's root filesystem is read-only.
var TaskDefinitionReadOnlyRoot = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-read-only-root",
		Title: "ECS containers run with a read-only root filesystem",
		Description: "A writable root filesystem lets an intruder modify the service binaries and " +
			"persist, and lets the service spill ePHI to unencrypted scratch disk. " +
			"readonlyRootFilesystem defaults to false; writable paths go on explicit volumes.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(c)(1)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition},
		Remediation:   `Set "readonlyRootFilesystem": true in every container definition; mount a volume for paths that must be written.`,
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
			v, _, ok := boolField(c.def, "readonlyRootFilesystem")
			switch {
			case !ok:
				results = append(results, policy.UndeterminedBecause("%s readonlyRootFilesystem is not a boolean; it cannot be interpreted", c.label))
			case !v:
				results = append(results, policy.Failed("%s readonlyRootFilesystem is not true: the root filesystem is writable", c.label))
			}
		}
		return policy.Merge(results...)
	},
}
