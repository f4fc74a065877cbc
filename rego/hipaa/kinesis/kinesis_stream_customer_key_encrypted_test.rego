package hipaa.kinesis.kinesis_stream_customer_key_encrypted_test

import data.hipaa.kinesis.kinesis_stream_customer_key_encrypted as rule
import data.lib
import data.lib.testing as t

typ := "aws:kinesis/stream:Stream"

key_arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

base := {"name": "vitals-dev", "encryptionType": "KMS", "kmsKeyId": key_arn, "retentionPeriod": 168}

with_props(changes) := t.input_for(typ, object.union(base, changes))

without(key) := t.input_for(typ, object.remove(base, [key]))

test_customer_key_passes if {
	t.verdict(rule) == "pass" with input as with_props({})
	t.verdict(rule) == "pass" with input as with_props({"kmsKeyId": "alias/vitals-stream"})
}

test_no_encryption_fails if {
	rule.deny == {"encryptionType is missing (absent means NONE): records are stored without server-side encryption"} with input as without("encryptionType")
	rule.deny == {`encryptionType is "NONE" (absent means NONE): records are stored without server-side encryption`} with input as with_props({"encryptionType": "NONE", "kmsKeyId": null})
}

test_aws_managed_key_fails if {
	rule.deny == {`kmsKeyId is "alias/aws/kinesis", an AWS-managed key: use a customer-managed key whose policy the organisation controls`} with input as with_props({"kmsKeyId": "alias/aws/kinesis"})
	t.verdict(rule) == "fail" with input as with_props({"kmsKeyId": "arn:aws:kms:us-east-1:111122223333:alias/aws/kinesis"})
}

test_kms_without_key_fails if {
	rule.deny == {`encryptionType is "KMS" but kmsKeyId is not set: no customer-managed key protects the stream`} with input as without("kmsKeyId")
}

test_unexpected_encryption_type_fails if {
	rule.deny == {`encryptionType is "AES", not KMS`} with input as with_props({"encryptionType": "AES"})
}

# A key ID computed from a key of the program (unknown during preview) is set and is not an
# AWS-managed alias, which would be a known literal (lib.reference_set).
test_unknown_key_is_set_and_passes if {
	inp := with_props({"kmsKeyId": lib.unknown})
	t.verdict(rule) == "pass" with input as inp
	count(t.messages(rule)) == 0 with input as inp
}

test_unknown_key_does_not_hide_a_missing_encryption if {
	rule.deny == {`encryptionType is "NONE" (absent means NONE): records are stored without server-side encryption`} with input as with_props({"encryptionType": "NONE", "kmsKeyId": lib.unknown})
}

# encryptionType decides the verdict: unknown, it stays undetermined, whatever the key.
test_unknown_encryption_type_is_undetermined if {
	rule.undetermined == {"encryptionType cannot be verified until the value is known"} with input as with_props({"encryptionType": lib.unknown})
	t.verdict(rule) == "undetermined" with input as with_props({"encryptionType": lib.unknown})
	t.verdict(rule) == "undetermined" with input as with_props({"encryptionType": lib.unknown, "kmsKeyId": lib.unknown})
}

test_wrong_types_are_undetermined if {
	rule.undetermined == {"kmsKeyId is of type object where a string was expected; it cannot be interpreted"} with input as with_props({"kmsKeyId": {"id": "k"}})
	t.verdict(rule) == "undetermined" with input as with_props({"encryptionType": true})
}

test_secret_key_is_judged_but_never_shown if {
	aws_key := t.with_secrets(with_props({"kmsKeyId": "alias/aws/kinesis"}), [["kmsKeyId"]])
	rule.deny == {"kmsKeyId is [secret], an AWS-managed key: use a customer-managed key whose policy the organisation controls"} with input as aws_key
	t.verdict(rule) == "pass" with input as t.with_secrets(with_props({}), [["kmsKeyId"]])
}

test_secret_encryption_type_is_never_shown if {
	inp := t.with_secrets(with_props({"encryptionType": "NONE"}), [["encryptionType"]])
	rule.deny == {"encryptionType is [secret] (absent means NONE): records are stored without server-side encryption"} with input as inp
}

test_unreadable_secret_key_is_undetermined if {
	inp := t.with_secrets(with_props({"kmsKeyId": lib.ciphertext}), [["kmsKeyId"]])
	rule.undetermined == {"kmsKeyId is a secret whose value is encrypted in this file; it cannot be verified here"} with input as inp
	t.verdict(rule) == "undetermined" with input as inp
}
