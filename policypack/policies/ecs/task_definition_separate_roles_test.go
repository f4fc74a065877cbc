package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionSeparateRoles(t *testing.T) {
	pt.Run(t, ecs.TaskDefinitionSeparateRoles, "ecs-task-definition-separate-roles", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"}, awstypes.ECSTaskDefinition, goodTaskDefinition(), []pt.Case{
		{Name: "same role", Set: map[string]any{"taskRoleArn": "arn:aws:iam::111122223333:role/ingest-execution"}, Want: policy.Fail, Msg: "executionRoleArn and taskRoleArn are the same role"},
		{Name: "no task role", Set: map[string]any{"taskRoleArn": pt.Missing}, Want: policy.Pass},
		{Name: "task role unknown", Set: map[string]any{"taskRoleArn": pt.Unknown}, Want: policy.Undetermined, Msg: "taskRoleArn cannot be verified until the value is known"},
		{Name: "both unknown without dependencies", Set: map[string]any{"taskRoleArn": pt.Unknown, "executionRoleArn": pt.Unknown}, Want: policy.Undetermined, Msg: "executionRoleArn cannot be verified"},
		{Name: "secret same role", Set: map[string]any{"taskRoleArn": pt.Secret("arn:aws:iam::111122223333:role/ingest-execution")}, Want: policy.Fail, Msg: "same role"},
		{Name: "wrong type", Set: map[string]any{"taskRoleArn": pt.Wrong(7)}, Want: policy.Undetermined, Msg: "taskRoleArn is of type number"},
	})
}

func TestTaskDefinitionSeparateRolesByDependency(t *testing.T) {
	props := goodTaskDefinition()
	props["executionRoleArn"], props["taskRoleArn"] = pt.Unknown, pt.Unknown
	role := pt.URN("prod", awstypes.IAMRole, "shared")
	other := pt.URN("prod", awstypes.IAMRole, "task")
	for name, tc := range map[string]struct {
		exec, task []string
		want       policy.Status
	}{
		"same role resource":      {[]string{role}, []string{role}, policy.Fail},
		"different role resource": {[]string{role}, []string{other}, policy.Pass},
	} {
		t.Run(name, func(t *testing.T) {
			r := policy.Resource{Type: awstypes.ECSTaskDefinition, Name: "td", Properties: pt.ToPropertyMap(props),
				PropertyDependencies: map[string][]string{"executionRoleArn": tc.exec, "taskRoleArn": tc.task}}
			got := ecs.TaskDefinitionSeparateRoles.Resource(pt.Env(ecs.TaskDefinitionSeparateRoles, "", nil), r)
			if got.Status != tc.want {
				t.Fatalf("got %s %q, want %s", got.Status, got.Messages, tc.want)
			}
		})
	}
}
