package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func goodService() map[string]any {
	return map[string]any{
		"name":           "ingest",
		"cluster":        "arn:aws:ecs:us-east-1:111122223333:cluster/hipaa-prod",
		"taskDefinition": "arn:aws:ecs:us-east-1:111122223333:task-definition/ingest-prod:3",
		"desiredCount":   2,
		"launchType":     "FARGATE",
		"networkConfiguration": map[string]any{
			"assignPublicIp": false,
			"subnets":        []any{"subnet-0a", "subnet-0b"},
			"securityGroups": []any{"sg-0123"},
		},
	}
}

func TestServiceNoPublicIP(t *testing.T) {
	pt.Run(t, ecs.ServiceNoPublicIP, "ecs-service-no-public-ip", []string{"164.312(a)(1)", "164.312(e)(1)"}, awstypes.ECSService, goodService(), []pt.Case{
		{Name: "public", Set: map[string]any{"networkConfiguration.assignPublicIp": true}, Want: policy.Fail, Msg: "networkConfiguration.assignPublicIp is true"},
		{Name: "missing", Set: map[string]any{"networkConfiguration.assignPublicIp": pt.Missing}, Want: policy.Pass},
		{Name: "unknown", Set: map[string]any{"networkConfiguration.assignPublicIp": pt.Unknown}, Want: policy.Undetermined, Msg: "networkConfiguration.assignPublicIp cannot be verified"},
		{Name: "secret", Set: map[string]any{"networkConfiguration.assignPublicIp": pt.Secret(true)}, Want: policy.Fail, Msg: "assignPublicIp"},
		{Name: "string", Set: map[string]any{"networkConfiguration.assignPublicIp": pt.Wrong("false")}, Want: policy.Pass},
		{Name: "other string", Set: map[string]any{"networkConfiguration.assignPublicIp": pt.Wrong("ENABLED")}, Want: policy.Undetermined, Msg: "networkConfiguration.assignPublicIp is of type string"},
	})
}
