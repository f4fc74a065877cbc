package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionReadOnlyRoot(t *testing.T) {
	pt.Run(t, ecs.TaskDefinitionReadOnlyRoot, "ecs-task-definition-read-only-root", []string{"164.312(c)(1)"}, awstypes.ECSTaskDefinition, goodTaskDefinition(), []pt.Case{
		{Name: "writable", Set: map[string]any{"containerDefinitions": withContainer("readonlyRootFilesystem", false)}, Want: policy.Fail, Msg: "containerDefinitions[0] (ingest) readonlyRootFilesystem is not true"},
		{Name: "unset is writable", Set: map[string]any{"containerDefinitions": withContainer("readonlyRootFilesystem", nil)}, Want: policy.Fail, Msg: "readonlyRootFilesystem"},
		{Name: "string true", Set: map[string]any{"containerDefinitions": withContainer("readonlyRootFilesystem", "true")}, Want: policy.Pass},
		{Name: "number", Set: map[string]any{"containerDefinitions": withContainer("readonlyRootFilesystem", 1)}, Want: policy.Undetermined, Msg: "readonlyRootFilesystem is not a boolean"},
		{Name: "definitions missing", Set: map[string]any{"containerDefinitions": pt.Missing}, Want: policy.Fail, Msg: "containerDefinitions is empty"},
		{Name: "definitions unknown", Set: map[string]any{"containerDefinitions": pt.Unknown}, Want: policy.Undetermined, Msg: "containerDefinitions cannot be verified until the value is known"},
		{Name: "definitions secret", Set: map[string]any{"containerDefinitions": pt.Secret(containerDefs(goodContainer()))}, Want: policy.Pass},
		{Name: "definitions as list", Set: map[string]any{"containerDefinitions": pt.Wrong([]any{map[string]any{"name": "ingest", "readonlyRootFilesystem": false}})}, Want: policy.Fail, Msg: "readonlyRootFilesystem"},
		{Name: "definitions as number", Set: map[string]any{"containerDefinitions": pt.Wrong(3)}, Want: policy.Undetermined, Msg: "containerDefinitions is of type number"},
		{Name: "definitions not a list", Set: map[string]any{"containerDefinitions": `{"name":"ingest"}`}, Want: policy.Undetermined, Msg: "containerDefinitions is a JSON document that is not a list"},
		{Name: "second container writable", Set: map[string]any{"containerDefinitions": containerDefs(goodContainer(), map[string]any{"name": "sidecar", "readonlyRootFilesystem": false})}, Want: policy.Fail, Msg: "containerDefinitions[1] (sidecar)"},
	})
}
