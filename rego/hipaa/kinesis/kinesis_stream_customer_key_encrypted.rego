# METADATA
# title: Kinesis data streams are encrypted with a customer-managed KMS key
# description: >-
#   The vitals stream carries ePHI from every monitored patient. Server-side encryption must be
#   on (encryptionType KMS; the default NONE stores records unencrypted) and use a
#   customer-managed key, not the AWS-managed alias/aws/kinesis, whose key policy the
#   organisation cannot restrict to the pipeline's producers and consumers.
# custom:
#   id: kinesis-stream-customer-key-encrypted
#   severity: high
#   enforcement: mandatory
#   controls:
#     - 164.312(a)(2)(iv)
#     - 164.312(e)(2)(ii)
#   resource_types:
#     - aws:kinesis/stream:Stream
#   remediation: >-
#     Set encryptionType: "KMS" and kmsKeyId to the ARN (or a customer alias) of a
#     customer-managed KMS key that grants the stream's producers and consumers
#     kms:GenerateDataKey and kms:Decrypt.
#   references:
#     - https://docs.aws.amazon.com/streams/latest/dev/what-is-sse.html
#     - https://docs.aws.amazon.com/streams/latest/dev/creating-using-sse-master-keys.html
package hipaa.kinesis.kinesis_stream_customer_key_encrypted

import data.lib

encryption_raw := lib.prop("encryptionType")

key := lib.prop("kmsKeyId")

# An absent encryptionType is the AWS default: NONE.
encryption := "NONE" if {
	lib.is_blank(encryption_raw)
} else := lib.upper_value(encryption_raw) if {
	not lib.is_unknown(encryption_raw)
}

readable_encryption if is_string(encryption)

shown := lib.display(["encryptionType"], encryption_raw)

deny contains msg if {
	encryption == "NONE"
	msg := sprintf("encryptionType is %s (absent means NONE): records are stored without server-side encryption", [shown])
}

deny contains msg if {
	readable_encryption
	not encryption in {"NONE", "KMS"}
	msg := sprintf("encryptionType is %s, not KMS", [shown])
}

deny contains msg if {
	encryption == "KMS"
	lib.is_blank(key)
	msg := sprintf("encryptionType is %s but kmsKeyId is not set: no customer-managed key protects the stream", [shown])
}

deny contains msg if {
	lib.aws_managed_key(key)
	msg := sprintf("kmsKeyId is %s, an AWS-managed key: use a customer-managed key whose policy the organisation controls", [lib.display(["kmsKeyId"], key)])
}

undetermined contains lib.unknown_msg("encryptionType") if lib.is_unknown(encryption_raw)

undetermined contains lib.wrong_type_msg("encryptionType", encryption_raw, "a string") if {
	not lib.is_unknown(encryption_raw)
	not readable_encryption
}

# An unknown kmsKeyId (computed from a key of the program during preview) counts as set and is
# not an AWS-managed alias, which would be a known literal (lib.reference_set). An encrypted
# secret one is present but could be alias/aws/*: it stays undetermined.
undetermined contains lib.ciphertext_msg("kmsKeyId") if lib.is_ciphertext(key)

undetermined contains lib.wrong_type_msg("kmsKeyId", key, "a string") if {
	not lib.is_blank(key)
	not lib.reference_set(key)
}
