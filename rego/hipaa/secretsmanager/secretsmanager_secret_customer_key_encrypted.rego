# METADATA
# title: Secrets Manager secrets are encrypted with a customer-managed KMS key
# description: >-
#   The pipeline's secrets (database credentials, API signing keys) unlock ePHI. Without kmsKeyId
#   Secrets Manager uses the AWS-managed aws/secretsmanager key, which any principal of the
#   account allowed to call Secrets Manager can use; a customer-managed key adds a key policy
#   that limits decryption to the workloads that need the secret, and its use is audited.
# custom:
#   id: secretsmanager-secret-customer-key-encrypted
#   severity: high
#   enforcement: mandatory
#   controls:
#     - 164.312(a)(2)(iv)
#     - 164.312(e)(2)(ii)
#   resource_types:
#     - aws:secretsmanager/secret:Secret
#   remediation: >-
#     Set kmsKeyId to the ARN of a customer-managed KMS key whose key policy allows only the
#     roles that read or rotate the secret to decrypt with it.
#   references:
#     - https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/secretsmanager-using-cmk.html
package hipaa.secretsmanager.secretsmanager_secret_customer_key_encrypted

import data.lib

key := lib.prop("kmsKeyId")

deny contains "kmsKeyId is not set: the secret is encrypted with the AWS-managed aws/secretsmanager key" if {
	lib.is_blank(key)
}

deny contains msg if {
	lib.aws_managed_key(key)
	msg := sprintf("kmsKeyId is %s, an AWS-managed key: use a customer-managed key whose policy the organisation controls", [lib.display(["kmsKeyId"], key)])
}

# An unknown kmsKeyId (computed from a key of the program during preview) counts as set and is
# not an AWS-managed alias, which would be a known literal (lib.reference_set). An encrypted
# secret one is present but could be alias/aws/*: it stays undetermined.
undetermined contains lib.ciphertext_msg("kmsKeyId") if lib.is_ciphertext(key)

undetermined contains lib.wrong_type_msg("kmsKeyId", key, "a string") if {
	not lib.is_blank(key)
	not lib.reference_set(key)
}
