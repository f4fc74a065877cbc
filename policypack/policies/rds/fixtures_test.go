package rds_test

const keyARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// goodCluster is an Aurora PostgreSQL Serverless v2 cluster that meets every policy.
func goodCluster() map[string]any {
	return map[string]any{
		"engine":                       "aurora-postgresql",
		"engineVersion":                "16.4",
		"storageEncrypted":             true,
		"kmsKeyId":                     keyARN,
		"backupRetentionPeriod":        7,
		"deletionProtection":           true,
		"enabledCloudwatchLogsExports": []any{"postgresql"},
		"manageMasterUserPassword":     true,
		"masterUsername":               "carepulse_admin",
		"serverlessv2ScalingConfiguration": map[string]any{
			"minCapacity": 0.5,
			"maxCapacity": 8,
		},
		"performanceInsightsEnabled":  true,
		"performanceInsightsKmsKeyId": keyARN,
		"dbSubnetGroupName":           "hipaa-data-prod",
		"clusterIdentifier":           "vitals-prod",
	}
}

// goodInstance is a standalone PostgreSQL DB instance that meets every instance policy.
func goodInstance() map[string]any {
	return map[string]any{
		"engine":             "postgres",
		"engineVersion":      "16.4",
		"instanceClass":      "db.t4g.medium",
		"allocatedStorage":   20,
		"storageEncrypted":   true,
		"kmsKeyId":           keyARN,
		"publiclyAccessible": false,
		"dbSubnetGroupName":  "hipaa-data-prod",
	}
}
