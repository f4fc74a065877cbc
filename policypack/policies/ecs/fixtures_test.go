package ecs_test

import "encoding/json"

// containerDefs renders container definitions as Pulumi passes them: a JSON string.
func containerDefs(defs ...map[string]any) string {
	b, err := json.Marshal(defs)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func goodContainer() map[string]any {
	return map[string]any{
		"name":                   "ingest",
		"image":                  "111122223333.dkr.ecr.us-east-1.amazonaws.com/ingest:1.4.2",
		"essential":              true,
		"readonlyRootFilesystem": true,
		"privileged":             false,
		"environment": []any{
			map[string]any{"name": "STREAM_NAME", "value": "vitals-prod"},
			map[string]any{"name": "KMS_KEY_ID", "value": "alias/hipaa-stream"},
			map[string]any{"name": "DB_SECRET_ARN", "value": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbC"},
		},
		"secrets": []any{map[string]any{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbC:password::"}},
		"logConfiguration": map[string]any{"logDriver": "awslogs", "options": map[string]any{
			"awslogs-group": "/hipaa/ingest", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ingest",
		}},
	}
}

func goodTaskDefinition() map[string]any {
	return map[string]any{
		"family":                  "ingest-prod",
		"networkMode":             "awsvpc",
		"requiresCompatibilities": []any{"FARGATE"},
		"cpu":                     "512",
		"memory":                  "1024",
		"executionRoleArn":        "arn:aws:iam::111122223333:role/ingest-execution",
		"taskRoleArn":             "arn:aws:iam::111122223333:role/ingest-task",
		"containerDefinitions":    containerDefs(goodContainer()),
	}
}

// withContainer returns container definitions with one field of the good container changed
// (a nil value removes the field).
func withContainer(key string, v any) string {
	c := goodContainer()
	if v == nil {
		delete(c, key)
	} else {
		c[key] = v
	}
	return containerDefs(c)
}
