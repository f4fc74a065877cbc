# METADATA
# title: SNS topics are encrypted with a customer-managed KMS key
# description: >-
#   Alarm and notification topics of the pipeline can carry patient identifiers in message
#   bodies. Without kmsMasterKeyId messages are stored unencrypted at rest. The AWS-managed
#   alias/aws/sns cannot be granted to CloudWatch alarms or EventBridge and its policy cannot be
#   restricted, so a customer-managed key is required.
# custom:
#   id: sns-topic-customer-key-encrypted
#   severity: medium
#   enforcement: mandatory
#   controls:
#     - 164.312(a)(2)(iv)
#     - 164.312(e)(2)(ii)
#   resource_types:
#     - aws:sns/topic:Topic
#   remediation: >-
#     Set kmsMasterKeyId to a customer-managed KMS key whose key policy lets the publishing
#     services (cloudwatch.amazonaws.com, events.amazonaws.com) use it.
#   references:
#     - https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/sns-encrypted-kms.html
package hipaa.sns.sns_topic_customer_key_encrypted

import data.lib

key := lib.prop("kmsMasterKeyId")

deny contains "kmsMasterKeyId is not set: messages are stored without server-side encryption" if {
	lib.is_blank(key)
}

deny contains msg if {
	lib.aws_managed_key(key)
	msg := sprintf("kmsMasterKeyId is %s, an AWS-managed key: use a customer-managed key whose policy the organisation controls", [lib.display(["kmsMasterKeyId"], key)])
}

# An unknown kmsMasterKeyId (computed from a key of the program during preview) counts as set and is
# not an AWS-managed alias, which would be a known literal (lib.reference_set). An encrypted
# secret one is present but could be alias/aws/*: it stays undetermined.
undetermined contains lib.ciphertext_msg("kmsMasterKeyId") if lib.is_ciphertext(key)

undetermined contains lib.wrong_type_msg("kmsMasterKeyId", key, "a string") if {
	not lib.is_blank(key)
	not lib.reference_set(key)
}
