package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionLoggingConfigured(t *testing.T) {
	pt.Run(t, ecs.TaskDefinitionLoggingConfigured, "ecs-task-definition-logging-configured", []string{"164.312(b)"}, awstypes.ECSTaskDefinition, goodTaskDefinition(), []pt.Case{
		{Name: "no log configuration", Set: map[string]any{"containerDefinitions": withContainer("logConfiguration", nil)}, Want: policy.Fail, Msg: "containerDefinitions[0] (ingest) has no logConfiguration"},
		{Name: "no driver", Set: map[string]any{"containerDefinitions": withContainer("logConfiguration", map[string]any{"options": map[string]any{}})}, Want: policy.Fail, Msg: "logConfiguration.logDriver is not set"},
		{Name: "configuration as string", Set: map[string]any{"containerDefinitions": withContainer("logConfiguration", "awslogs")}, Want: policy.Undetermined, Msg: "logConfiguration is not an object"},
		{Name: "definitions missing", Set: map[string]any{"containerDefinitions": pt.Missing}, Want: policy.Fail, Msg: "containerDefinitions is empty"},
		{Name: "definitions unknown", Set: map[string]any{"containerDefinitions": pt.Unknown}, Want: policy.Undetermined, Msg: "containerDefinitions cannot be verified"},
		{Name: "unknown inside definitions", Set: map[string]any{"containerDefinitions": withContainer("image", "04da6b54-80e4-46f7-96ec-b56ff0331ba9")}, Want: policy.Undetermined, Msg: "containerDefinitions cannot be verified"},
		{Name: "secret definitions", Set: map[string]any{"containerDefinitions": pt.Secret(containerDefs(goodContainer()))}, Want: policy.Pass},
		{Name: "definitions number", Set: map[string]any{"containerDefinitions": pt.Wrong(1.5)}, Want: policy.Undetermined, Msg: "containerDefinitions is of type number"},
	})
}
