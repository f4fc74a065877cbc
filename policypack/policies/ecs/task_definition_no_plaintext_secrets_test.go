package ecs_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func envWith(name, value string) string {
	return withContainer("environment", []any{
		map[string]any{"name": "STREAM_NAME", "value": "vitals-prod"},
		map[string]any{"name": name, "value": value},
	})
}

func TestTaskDefinitionNoPlaintextSecrets(t *testing.T) {
	const canary = "canary-db-Pa55w0rd-9f8e7d"
	pt.Run(t, ecs.TaskDefinitionNoPlaintextSecrets, "ecs-task-definition-no-plaintext-secrets", []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"}, awstypes.ECSTaskDefinition, goodTaskDefinition(), []pt.Case{
		{Name: "password in environment", Set: map[string]any{"containerDefinitions": pt.Secret(envWith("DB_PASSWORD", canary))}, Want: policy.Fail, Msg: "containerDefinitions[0] environment variable DB_PASSWORD looks like a credential"},
		{Name: "api key", Set: map[string]any{"containerDefinitions": envWith("partner-api-key", "k")}, Want: policy.Fail, Msg: "partner-api-key"},
		{Name: "token", Set: map[string]any{"containerDefinitions": envWith("AUTH_TOKEN", "t")}, Want: policy.Fail, Msg: "AUTH_TOKEN"},
		{Name: "bare key", Set: map[string]any{"containerDefinitions": envWith("SIGNING_KEY", "k")}, Want: policy.Fail, Msg: "SIGNING_KEY"},
		{Name: "key id is a reference", Set: map[string]any{"containerDefinitions": envWith("SIGNING_KEY_ID", "alias/x")}, Want: policy.Pass},
		{Name: "secret arn is a reference", Set: map[string]any{"containerDefinitions": envWith("API_TOKEN_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:x")}, Want: policy.Pass},
		{Name: "monkey is not a key", Set: map[string]any{"containerDefinitions": envWith("MONKEY_MODE", "on")}, Want: policy.Pass},
		{Name: "environment not a list", Set: map[string]any{"containerDefinitions": withContainer("environment", map[string]any{"DB_PASSWORD": canary})}, Want: policy.Undetermined, Msg: "environment is not a list"},
		{Name: "definitions missing", Set: map[string]any{"containerDefinitions": pt.Missing}, Want: policy.Fail, Msg: "containerDefinitions is empty"},
		{Name: "definitions unknown", Set: map[string]any{"containerDefinitions": pt.Unknown}, Want: policy.Undetermined, Msg: "containerDefinitions cannot be verified"},
		{Name: "definitions wrong type", Set: map[string]any{"containerDefinitions": pt.Wrong(map[string]any{"name": "ingest"})}, Want: policy.Undetermined, Msg: "containerDefinitions is a JSON document that is not a list"},
		{Name: "malformed JSON with a secret inside", Set: map[string]any{"containerDefinitions": pt.Secret(`[{"environment":[{"name":"DB_PASSWORD","value":"` + canary + `"}]`)}, Want: policy.Undetermined, Msg: "containerDefinitions is not valid JSON"},
	})
}
