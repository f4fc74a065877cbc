# METADATA
# title: CloudWatch log groups are encrypted with a customer-managed KMS key
# description: >-
#   Application, API access, VPC flow and audit logs of the pipeline can carry ePHI (patient
#   identifiers in request paths, payload fragments in error logs). Without kmsKeyId CloudWatch
#   Logs encrypts them only with a service-owned key that the organisation can neither audit,
#   restrict nor revoke. A customer-managed key puts every read of the logs under the key
#   policy and in CloudTrail. An encrypted (unreadable) secret key ID counts as set, since
#   CloudWatch Logs accepts customer-managed keys only.
# custom:
#   id: cloudwatch-log-group-encrypted
#   severity: high
#   enforcement: mandatory
#   controls:
#     - 164.312(a)(2)(iv)
#     - 164.312(e)(2)(ii)
#   resource_types:
#     - aws:cloudwatch/logGroup:LogGroup
#   remediation: >-
#     Set kmsKeyId to the ARN of a customer-managed symmetric KMS key whose key policy allows
#     the logs.<region>.amazonaws.com service principal to use it for this log group.
#   references:
#     - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/cloudwatch-log-group-encrypted.html
package hipaa.cloudwatch.cloudwatch_log_group_encrypted

import data.lib

key := lib.prop("kmsKeyId")

deny contains "kmsKeyId is not set: the log group is encrypted only with the CloudWatch Logs service-owned key, not a customer-managed KMS key" if {
	lib.is_blank(key)
}

# CloudWatch Logs accepts only customer-managed keys; an AWS-managed alias is a mistake.
deny contains msg if {
	lib.aws_managed_key(key)
	msg := sprintf("kmsKeyId is %s, an AWS-managed key alias: CloudWatch Logs needs a customer-managed key ARN", [lib.display(["kmsKeyId"], key)])
}

# kmsKeyId only has to be set: an unknown key ID (computed from a key of the program during
# preview) counts as set (lib.reference_set), as does an encrypted secret one.
undetermined contains lib.wrong_type_msg("kmsKeyId", key, "a string (a KMS key ARN)") if {
	not lib.is_blank(key)
	not lib.reference_set(key)
}
