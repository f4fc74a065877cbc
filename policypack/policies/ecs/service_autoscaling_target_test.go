package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestServiceAutoscalingTarget(t *testing.T) {
	target := func(id any) map[string]any {
		return map[string]any{"serviceNamespace": "ecs", "scalableDimension": "ecs:service:DesiredCount", "resourceId": id, "minCapacity": 2, "maxCapacity": 10}
	}
	api := goodService()
	api["name"], api["cluster"] = "api", pt.Unknown
	good := []pt.Res{
		{Type: awstypes.ECSCluster, Name: "cluster", Props: map[string]any{"name": "hipaa-prod"}},
		{Type: awstypes.ECSService, Name: "ingest", Props: goodService()},
		{Type: awstypes.ECSService, Name: "api", Props: api, Deps: map[string][]string{"cluster": {"cluster"}}},
		{Type: awstypes.AppAutoScalingTarget, Name: "ingest-scaling", Props: target("service/hipaa-prod/ingest")},
		{Type: awstypes.AppAutoScalingTarget, Name: "api-scaling", Props: target("service/hipaa-prod/api")},
	}
	pt.RunStack(t, ecs.ServiceAutoscalingTarget, "ecs-service-autoscaling-target", []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"}, good, []pt.StackCase{
		{Name: "no target", Remove: []string{"ingest-scaling"}, Check: "ingest", Want: policy.Fail, Msg: "no aws:appautoscaling/target with scalableDimension ecs:service:DesiredCount and resourceId service/hipaa-prod/ingest"},
		{Name: "target of another dimension", Target: "ingest-scaling", Set: map[string]any{"scalableDimension": "dynamodb:table:ReadCapacityUnits"}, Check: "ingest", Want: policy.Fail, Msg: "no aws:appautoscaling/target"},
		{Name: "target for another cluster", Target: "ingest-scaling", Set: map[string]any{"resourceId": "service/other/ingest"}, Check: "ingest", Want: policy.Fail, Msg: "resourceId service/hipaa-prod/ingest"},
		{Name: "cluster given by name", Target: "ingest", Set: map[string]any{"cluster": "hipaa-prod"}, Want: policy.Pass},
		{Name: "cluster missing means default", Target: "ingest", Set: map[string]any{"cluster": pt.Missing}, Want: policy.Fail, Msg: "resourceId service/default/ingest"},
		{Name: "target id unknown", Target: "ingest-scaling", Set: map[string]any{"resourceId": pt.Unknown}, Check: "ingest", Want: policy.Undetermined, Msg: "scaling target(s) ingest-scaling cannot be verified until the value is known"},
		{Name: "target id unknown but computed from the service", Target: "ingest-scaling", Set: map[string]any{"resourceId": pt.Unknown}, Check: "ingest",
			Add: []pt.Res{{Type: awstypes.AppAutoScalingTarget, Name: "ingest-scaling-2", Props: target(pt.Unknown), Deps: map[string][]string{"resourceId": {"cluster", "ingest"}}}}, Want: policy.Pass},
		{Name: "cluster unknown without dependency", Target: "ingest", Set: map[string]any{"cluster": pt.Unknown}, Want: policy.Undetermined, Msg: "cluster cannot be verified until the value is known"},
		{Name: "cluster name unknown", Target: "cluster", Set: map[string]any{"name": pt.Unknown}, Check: "api", Want: policy.Undetermined, Msg: "cluster refers to cluster cluster whose name cannot be verified"},
		{Name: "secret cluster ARN", Target: "ingest", Set: map[string]any{"cluster": pt.Secret("arn:aws:ecs:us-east-1:111122223333:cluster/hipaa-prod")}, Want: policy.Pass},
		{Name: "service name wrong type", Target: "ingest", Set: map[string]any{"name": pt.Wrong(12)}, Want: policy.Undetermined, Msg: "name is of type number"},
	})
}
