package ecs

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// TaskDefinitionLoggingConfigured: every container ships its logs.
var TaskDefinitionLoggingConfigured = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-logging-configured",
		Title: "ECS containers have a log configuration",
		Description: "Without logConfiguration.logDriver a Fargate container's output is lost, and " +
			"with it the service's record of activity on ePHI.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(b)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition},
		Remediation:   `Set "logConfiguration": {"logDriver": "awslogs", "options": {...}} (or awsfirelens) in every container definition, to an encrypted log group.`,
		References:    []string{"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		cs, res := containers(r)
		if res != nil {
			return *res
		}
		results := []policy.Result{policy.Passed()}
		for _, c := range cs {
			lc, isObj := c.def["logConfiguration"].(map[string]any)
			switch {
			case c.def["logConfiguration"] == nil:
				results = append(results, policy.Failed("%s has no logConfiguration: its logs are lost", c.label))
			case !isObj:
				results = append(results, policy.UndeterminedBecause("%s logConfiguration is not an object; it cannot be interpreted", c.label))
			default:
				if d, _ := lc["logDriver"].(string); d == "" {
					results = append(results, policy.Failed("%s logConfiguration.logDriver is not set", c.label))
				}
			}
		}
		return policy.Merge(results...)
	},
}
