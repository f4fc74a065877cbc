package cloudtrail_test

func goodTrail() map[string]any {
	return map[string]any{
		"s3BucketName":               "hipaa-trail-prod",
		"kmsKeyId":                   "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"isMultiRegionTrail":         true,
		"includeGlobalServiceEvents": true,
		"enableLogFileValidation":    true,
		"cloudWatchLogsGroupArn":     "arn:aws:logs:us-east-1:111122223333:log-group:/hipaa/trail:*",
		"cloudWatchLogsRoleArn":      "arn:aws:iam::111122223333:role/trail-to-logs",
	}
}
