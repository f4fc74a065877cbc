package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionSeparateRoles(t *testing.T) {
	// td-known has known role ARNs; td-preview has both computed from role resources, as in a
	// preview of our own program.
	preview := goodTaskDefinition()
	preview["executionRoleArn"], preview["taskRoleArn"] = pt.Unknown, pt.Unknown
	good := []pt.Res{
		{Type: awstypes.IAMRole, Name: "execution", Props: map[string]any{"name": "ingest-execution"}},
		{Type: awstypes.IAMRole, Name: "task", Props: map[string]any{"name": "ingest-task"}},
		{Type: awstypes.ECSTaskDefinition, Name: "td-known", Props: goodTaskDefinition()},
		{Type: awstypes.ECSTaskDefinition, Name: "td-preview", Props: preview,
			Deps: map[string][]string{"executionRoleArn": {"execution"}, "taskRoleArn": {"task"}}},
	}
	sharedRole := pt.Res{Type: awstypes.ECSTaskDefinition, Name: "td-shared", Props: preview,
		Deps: map[string][]string{"executionRoleArn": {"execution"}, "taskRoleArn": {"execution"}}}
	noDeps := pt.Res{Type: awstypes.ECSTaskDefinition, Name: "td-nodeps", Props: preview}
	pt.RunStack(t, ecs.TaskDefinitionSeparateRoles, "ecs-task-definition-separate-roles", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"}, good, []pt.StackCase{
		{Name: "same role", Target: "td-known", Set: map[string]any{"taskRoleArn": "arn:aws:iam::111122223333:role/ingest-execution"}, Want: policy.Fail, Msg: "executionRoleArn and taskRoleArn are the same role"},
		{Name: "no task role", Target: "td-known", Set: map[string]any{"taskRoleArn": pt.Missing}, Want: policy.Pass},
		{Name: "task role unknown", Target: "td-known", Set: map[string]any{"taskRoleArn": pt.Unknown}, Want: policy.Undetermined, Msg: "taskRoleArn cannot be verified until the value is known"},
		{Name: "secret same role", Target: "td-known", Set: map[string]any{"taskRoleArn": pt.Secret("arn:aws:iam::111122223333:role/ingest-execution")}, Want: policy.Fail, Msg: "same role"},
		{Name: "wrong type", Target: "td-known", Set: map[string]any{"taskRoleArn": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "taskRoleArn is of type number"},
		{Name: "unknown roles from the same role resource", Add: []pt.Res{sharedRole}, Check: "td-shared", Want: policy.Fail,
			Msg: "executionRoleArn and taskRoleArn are computed from the same resource (" + pt.URN(pt.DefaultStack, awstypes.IAMRole, "execution") + ")"},
		{Name: "unknown roles without dependencies", Add: []pt.Res{noDeps}, Check: "td-nodeps", Want: policy.Undetermined, Msg: "executionRoleArn cannot be verified"},
		{Name: "dependency on a removed role", Remove: []string{"task"}, Check: "td-preview", Want: policy.Undetermined, Msg: "cannot be verified"},
	})
}
