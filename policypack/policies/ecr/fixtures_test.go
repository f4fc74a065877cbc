package ecr_test

const keyARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func goodRepository() map[string]any {
	return map[string]any{
		"name":                       "hipaa-processor-prod",
		"imageTagMutability":         "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": true},
		"encryptionConfigurations": []any{
			map[string]any{"encryptionType": "KMS", "kmsKey": keyARN},
		},
		"forceDelete": false,
		"tags":        map[string]any{"Name": "hipaa-processor-prod"},
	}
}
