package hipaa.sns.sns_topic_customer_key_encrypted_test

import data.hipaa.sns.sns_topic_customer_key_encrypted as rule
import data.lib
import data.lib.testing as t

typ := "aws:sns/topic:Topic"

key_arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

with_key(k) := t.input_for(typ, {"name": "alarms-dev", "kmsMasterKeyId": k})

test_customer_key_passes if {
	t.verdict(rule) == "pass" with input as with_key(key_arn)
}

test_missing_key_fails if {
	rule.deny == {"kmsMasterKeyId is not set: messages are stored without server-side encryption"} with input as t.input_for(typ, {"name": "alarms-dev"})
	t.verdict(rule) == "fail" with input as with_key("")
}

test_aws_managed_key_fails if {
	rule.deny == {`kmsMasterKeyId is "alias/aws/sns", an AWS-managed key: use a customer-managed key whose policy the organisation controls`} with input as with_key("alias/aws/sns")
}

# A key ID computed from a key of the program (unknown during preview) is set and is not an
# AWS-managed alias, which would be a known literal (lib.reference_set).
test_unknown_key_is_set_and_passes if {
	t.verdict(rule) == "pass" with input as with_key(lib.unknown)
	count(t.messages(rule)) == 0 with input as with_key(lib.unknown)
}

test_wrong_type_is_undetermined if {
	rule.undetermined == {"kmsMasterKeyId is of type number where a string was expected; it cannot be interpreted"} with input as with_key(12)
}

test_secret_is_judged_but_never_shown if {
	inp := t.with_secrets(with_key("alias/aws/sns"), [["kmsMasterKeyId"]])
	rule.deny == {"kmsMasterKeyId is [secret], an AWS-managed key: use a customer-managed key whose policy the organisation controls"} with input as inp
	t.verdict(rule) == "undetermined" with input as t.with_secrets(with_key(lib.ciphertext), [["kmsMasterKeyId"]])
}
