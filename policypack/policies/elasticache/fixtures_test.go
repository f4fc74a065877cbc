package elasticache_test

const keyARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

func goodGroup() map[string]any {
	return map[string]any{
		"description":              "vitals cache",
		"engine":                   "redis",
		"engineVersion":            "7.1",
		"nodeType":                 "cache.r7g.large",
		"atRestEncryptionEnabled":  true,
		"kmsKeyId":                 keyARN,
		"transitEncryptionEnabled": true,
		"transitEncryptionMode":    "required",
		"multiAzEnabled":           true,
		"automaticFailoverEnabled": true,
		"numCacheClusters":         2,
		"snapshotRetentionLimit":   7,
		"subnetGroupName":          "hipaa-cache-prod",
	}
}
