package ecs

import (
	"slices"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// TaskDefinitionSeparateRoles: the execution role (ECS agent) is not the task role (the app).
var TaskDefinitionSeparateRoles = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-separate-roles",
		Title: "ECS task definitions use different execution and task roles",
		Description: "The execution role lets ECS pull images and read the task's secrets; the task " +
			"role is what the application code can do. One role for both hands the application " +
			"every secret of the task and the agent every data permission. When both values are " +
			"unknown (preview) the roles are compared through their property dependencies: the " +
			"same role resource fails, two different ones pass. It is a stack-level policy because " +
			"the engine sends property dependencies only with the whole stack (AnalyzeStack), not " +
			"with a single resource (Analyze), so the engine and an offline evaluation decide alike.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition},
		Remediation:   "Create a separate IAM role for executionRoleArn (ECS agent: image pull, logs, secrets) and for taskRoleArn (the application's own permissions).",
		References:    []string{"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html"},
		Engine:        policy.EngineGo,
	},
	Stack: taskDefinitionsSeparateRoles,
}

func taskDefinitionsSeparateRoles(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	return stackref.Judge(stackref.New(rs).OfType(awstypes.ECSTaskDefinition), taskDefinitionSeparateRoles)
}

func taskDefinitionSeparateRoles(r policy.Resource) policy.Result {
	exec, execSet, execRes := check.String(r.Properties, "executionRoleArn")
	task, taskSet, taskRes := check.String(r.Properties, "taskRoleArn")
	if execRes == nil && taskRes == nil {
		if execSet && taskSet && exec == task {
			return policy.Failed("executionRoleArn and taskRoleArn are the same role")
		}
		return policy.Passed()
	}
	// Unknown values: compare the resources they were computed from.
	_, execSt := props.Get(r.Properties, "executionRoleArn")
	_, taskSt := props.Get(r.Properties, "taskRoleArn")
	if execSt == props.WrongType || (execRes != nil && execSt != props.Unknown) {
		return *execRes
	}
	if taskRes != nil && taskSt != props.Unknown {
		return *taskRes
	}
	if (execRes == nil && !execSet) || (taskRes == nil && !taskSet) {
		return policy.Passed() // one role is absent, so they cannot be the same
	}
	ed, td := r.PropertyDependencies["executionRoleArn"], r.PropertyDependencies["taskRoleArn"]
	if len(ed) > 0 && len(td) > 0 {
		if slices.Equal(ed, td) {
			return policy.Failed("executionRoleArn and taskRoleArn are computed from the same resource (%s)", ed[0])
		}
		return policy.Passed()
	}
	if execRes != nil {
		return *execRes
	}
	return *taskRes
}
