package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionNotPrivileged(t *testing.T) {
	pt.Run(t, ecs.TaskDefinitionNotPrivileged, "ecs-task-definition-not-privileged", []string{"164.312(a)(1)"}, awstypes.ECSTaskDefinition, goodTaskDefinition(), []pt.Case{
		{Name: "privileged", Set: map[string]any{"containerDefinitions": withContainer("privileged", true)}, Want: policy.Fail, Msg: "containerDefinitions[0] (ingest) privileged is true"},
		{Name: "unset", Set: map[string]any{"containerDefinitions": withContainer("privileged", nil)}, Want: policy.Pass},
		{Name: "string true", Set: map[string]any{"containerDefinitions": withContainer("privileged", "true")}, Want: policy.Fail, Msg: "privileged is true"},
		{Name: "object", Set: map[string]any{"containerDefinitions": withContainer("privileged", map[string]any{})}, Want: policy.Undetermined, Msg: "privileged is not a boolean"},
		{Name: "definitions missing", Set: map[string]any{"containerDefinitions": pt.Missing}, Want: policy.Fail, Msg: "containerDefinitions is empty"},
		{Name: "definitions unknown", Set: map[string]any{"containerDefinitions": pt.Unknown}, Want: policy.Undetermined, Msg: "containerDefinitions cannot be verified"},
		{Name: "definitions secret privileged", Set: map[string]any{"containerDefinitions": pt.Secret(withContainer("privileged", true))}, Want: policy.Fail, Msg: "privileged is true"},
		{Name: "definitions bool", Set: map[string]any{"containerDefinitions": pt.Wrong(true)}, Want: policy.Undetermined, Msg: "containerDefinitions is of type bool"},
		{Name: "container not an object", Set: map[string]any{"containerDefinitions": `["ingest"]`}, Want: policy.Undetermined, Msg: "containerDefinitions[0] is not an object"},
	})
}
