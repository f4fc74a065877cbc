package apigateway_test

func goodStage() map[string]any {
	return map[string]any{
		"restApi":            "a1b2c3",
		"stageName":          "v1",
		"deployment":         "dep123",
		"xrayTracingEnabled": true,
		"accessLogSettings": map[string]any{
			"destinationArn": "arn:aws:logs:us-east-1:111122223333:log-group:/hipaa/api-access",
			"format":         `{"requestId":"$context.requestId","status":"$context.status"}`,
		},
	}
}

func goodMethodSettings() map[string]any {
	return map[string]any{
		"restApi":    "a1b2c3",
		"stageName":  "v1",
		"methodPath": "*/*",
		"settings":   map[string]any{"loggingLevel": "INFO", "dataTraceEnabled": false, "metricsEnabled": true},
	}
}
