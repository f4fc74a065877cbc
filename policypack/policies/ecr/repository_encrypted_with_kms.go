package ecr

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// RepositoryEncryptedWithKMS: images are encrypted at rest with a customer-managed KMS key.
var RepositoryEncryptedWithKMS = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecr-repository-encrypted-with-kms",
		Title: "ECR repositories are encrypted with a customer-managed KMS key",
		Description: "The images are the code that processes ePHI, and a file baked into an image by " +
			"mistake (test data, a configuration) would sit in the registry. Without " +
			"encryptionConfigurations ECR encrypts with S3-managed keys (AES256), and encryptionType " +
			"KMS without kmsKey uses the AWS-managed aws/ecr key: neither can be restricted, audited " +
			"per use or revoked by the hospital. Only a customer-managed key (KMS or KMS_DSSE) passes. " +
			"No HIPAA rule set anchors this check; it cites the encryption-at-rest specification as " +
			"the other stores do.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.ECRRepository},
		Remediation: "Set encryptionConfigurations: [{encryptionType: \"KMS\", kmsKey: <customer-managed key ARN>}]; " +
			"the encryption of a repository is fixed at creation, so changing it replaces the repository (push the images again).",
		References: []string{refEncryption, refPulumi},
		Engine:     policy.EngineGo,
	},
	Resource: repositoryEncryptedWithKMS,
}

// kmsEncryptionTypes are the encryption types that use KMS.
var kmsEncryptionTypes = map[string]bool{"KMS": true, "KMS_DSSE": true}

func repositoryEncryptedWithKMS(_ policy.Env, r policy.Resource) policy.Result {
	const path = "encryptionConfigurations"
	configs, present, res := check.Objects(r.Properties, path)
	if res != nil {
		return *res
	}
	if !present || len(configs) == 0 {
		return policy.Failed("%s is not set: images are encrypted with S3-managed keys (AES256), not with a customer-managed KMS key", path)
	}
	const first = path + "[0]"
	typ, set, res := check.String(configs[0], "encryptionType")
	if res != nil {
		return *check.Within(first+".", res)
	}
	if !set {
		typ = "AES256"
	}
	if !kmsEncryptionTypes[typ] {
		return policy.Failed("%s.encryptionType is %s: images are not encrypted with a KMS key", first, check.Show(r.Properties, first+".encryptionType", typ))
	}
	customer, res := check.CustomerKey(configs[0], "kmsKey")
	if res != nil {
		return *check.Within(first+".", res)
	}
	if !customer {
		return policy.Failed("%s.kmsKey is not a customer-managed key: images are encrypted with the AWS-managed aws/ecr key", first)
	}
	return policy.Passed()
}
