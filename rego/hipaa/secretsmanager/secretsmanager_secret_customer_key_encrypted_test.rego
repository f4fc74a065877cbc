package hipaa.secretsmanager.secretsmanager_secret_customer_key_encrypted_test

import data.hipaa.secretsmanager.secretsmanager_secret_customer_key_encrypted as rule
import data.lib
import data.lib.testing as t

typ := "aws:secretsmanager/secret:Secret"

key_arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

with_key(k) := t.input_for(typ, {"name": "db-master-dev", "kmsKeyId": k})

test_customer_key_passes if {
	t.verdict(rule) == "pass" with input as with_key(key_arn)
	t.verdict(rule) == "pass" with input as with_key("alias/pipeline-secrets")
}

test_default_key_fails if {
	rule.deny == {"kmsKeyId is not set: the secret is encrypted with the AWS-managed aws/secretsmanager key"} with input as t.input_for(typ, {"name": "db-master-dev"})
	rule.deny == {`kmsKeyId is "aws/secretsmanager", an AWS-managed key: use a customer-managed key whose policy the organisation controls`} with input as with_key("aws/secretsmanager")
	t.verdict(rule) == "fail" with input as with_key("alias/aws/secretsmanager")
}

# A key ID computed from a key of the program (unknown during preview) is set and is not an
# AWS-managed alias, which would be a known literal (lib.reference_set).
test_unknown_key_is_set_and_passes if {
	t.verdict(rule) == "pass" with input as with_key(lib.unknown)
	count(t.messages(rule)) == 0 with input as with_key(lib.unknown)
}

test_wrong_type_is_undetermined if {
	rule.undetermined == {"kmsKeyId is of type array where a string was expected; it cannot be interpreted"} with input as with_key(["k"])
}

test_secret_is_judged_but_never_shown if {
	inp := t.with_secrets(with_key("aws/secretsmanager"), [["kmsKeyId"]])
	rule.deny == {"kmsKeyId is [secret], an AWS-managed key: use a customer-managed key whose policy the organisation controls"} with input as inp
	t.verdict(rule) == "pass" with input as t.with_secrets(with_key(key_arn), [["kmsKeyId"]])
	t.verdict(rule) == "undetermined" with input as t.with_secrets(with_key(lib.ciphertext), [["kmsKeyId"]])
}
