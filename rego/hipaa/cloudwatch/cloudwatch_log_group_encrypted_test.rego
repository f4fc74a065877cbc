package hipaa.cloudwatch.cloudwatch_log_group_encrypted_test

import data.hipaa.cloudwatch.cloudwatch_log_group_encrypted as rule
import data.lib
import data.lib.testing as t

typ := "aws:cloudwatch/logGroup:LogGroup"

key_arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

good := t.input_for(typ, {"name": "app-logs-dev", "kmsKeyId": key_arn, "retentionInDays": 365})

test_customer_key_passes if {
	t.verdict(rule) == "pass" with input as good
}

test_missing_key_fails if {
	rule.deny == {"kmsKeyId is not set: the log group is encrypted only with the CloudWatch Logs service-owned key, not a customer-managed KMS key"} with input as t.input_for(typ, {"name": "app-logs-dev"})
	t.verdict(rule) == "fail" with input as t.input_for(typ, {"name": "app-logs-dev"})
}

test_null_or_empty_key_fails if {
	t.verdict(rule) == "fail" with input as t.input_for(typ, {"kmsKeyId": null})
	t.verdict(rule) == "fail" with input as t.input_for(typ, {"kmsKeyId": ""})
}

# A key ID computed from a key of the program (unknown during preview) is set (lib.reference_set).
test_unknown_key_is_set_and_passes if {
	inp := t.input_for(typ, {"kmsKeyId": lib.unknown})
	t.verdict(rule) == "pass" with input as inp
	count(t.messages(rule)) == 0 with input as inp
}

test_secret_key_passes_and_is_never_shown if {
	inp := t.with_secrets(t.input_for(typ, {"kmsKeyId": "canary-7f3a"}), [["kmsKeyId"]])
	t.verdict(rule) == "pass" with input as inp
	msgs := t.messages(rule) with input as inp
	every m in msgs {
		not contains(m, "canary-7f3a")
	}
}

test_ciphertext_key_is_present if {
	inp := t.with_secrets(t.input_for(typ, {"kmsKeyId": lib.ciphertext}), [["kmsKeyId"]])
	t.verdict(rule) == "pass" with input as inp
}

test_wrong_type_is_undetermined if {
	inp := t.input_for(typ, {"kmsKeyId": true})
	t.verdict(rule) == "undetermined" with input as inp
	rule.undetermined == {"kmsKeyId is of type boolean where a string (a KMS key ARN) was expected; it cannot be interpreted"} with input as inp
}

test_aws_managed_alias_fails_without_showing_a_secret if {
	rule.deny == {`kmsKeyId is "alias/aws/logs", an AWS-managed key alias: CloudWatch Logs needs a customer-managed key ARN`} with input as t.input_for(typ, {"kmsKeyId": "alias/aws/logs"})
	inp := t.with_secrets(t.input_for(typ, {"kmsKeyId": "alias/aws/canary-7f3a"}), [["kmsKeyId"]])
	rule.deny == {"kmsKeyId is [secret], an AWS-managed key alias: CloudWatch Logs needs a customer-managed key ARN"} with input as inp
}
