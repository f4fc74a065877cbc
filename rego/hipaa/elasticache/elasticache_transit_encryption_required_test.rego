package hipaa.elasticache.elasticache_transit_encryption_required_test

import data.hipaa.elasticache.elasticache_transit_encryption_required as rule
import data.lib
import data.lib.testing as t

typ := "aws:elasticache/replicationGroup:ReplicationGroup"

base := {
	"description": "vitals cache",
	"engine": "redis",
	"atRestEncryptionEnabled": true,
	"transitEncryptionEnabled": true,
	"transitEncryptionMode": "required",
}

with_props(changes) := t.input_for(typ, object.union(base, changes))

without(key) := t.input_for(typ, object.remove(base, [key]))

test_required_passes if {
	t.verdict(rule) == "pass" with input as with_props({})
}

test_mode_absent_with_encryption_on_passes if {
	t.verdict(rule) == "pass" with input as without("transitEncryptionMode")
}

test_preferred_fails if {
	inp := with_props({"transitEncryptionMode": "preferred"})
	rule.deny == {"transitEncryptionMode is \"preferred\": the group still accepts plaintext connections; set it to \"required\""} with input as inp
}

test_encryption_off_fails if {
	t.verdict(rule) == "fail" with input as with_props({"transitEncryptionEnabled": false})
	rule.deny == {"transitEncryptionEnabled is false (absent means false): clients connect to the cache in plaintext"} with input as with_props({"transitEncryptionEnabled": false})
	rule.deny == {"transitEncryptionEnabled is missing (absent means false): clients connect to the cache in plaintext"} with input as without("transitEncryptionEnabled")
}

test_encryption_absent_fails if {
	t.verdict(rule) == "fail" with input as without("transitEncryptionEnabled")
	t.verdict(rule) == "fail" with input as with_props({"transitEncryptionEnabled": null})
}

test_string_booleans_are_read if {
	t.verdict(rule) == "pass" with input as with_props({"transitEncryptionEnabled": "true"})
	t.verdict(rule) == "fail" with input as with_props({"transitEncryptionEnabled": "False"})
}

test_unknown_enabled_is_undetermined if {
	inp := with_props({"transitEncryptionEnabled": lib.unknown})
	t.verdict(rule) == "undetermined" with input as inp
	rule.undetermined == {"transitEncryptionEnabled cannot be verified until the value is known"} with input as inp
}

test_unknown_mode_is_undetermined if {
	inp := with_props({"transitEncryptionMode": lib.unknown})
	rule.undetermined == {"transitEncryptionMode cannot be verified until the value is known"} with input as inp
	t.verdict(rule) == "undetermined" with input as inp
}

test_unknown_mode_with_encryption_off_still_fails if {
	t.verdict(rule) == "fail" with input as with_props({"transitEncryptionEnabled": false, "transitEncryptionMode": lib.unknown})
}

test_wrong_types_are_undetermined if {
	t.verdict(rule) == "undetermined" with input as with_props({"transitEncryptionEnabled": "yes"})
	rule.undetermined == {"transitEncryptionEnabled is of type number where a boolean was expected; it cannot be interpreted"} with input as with_props({"transitEncryptionEnabled": 1})
	t.verdict(rule) == "undetermined" with input as with_props({"transitEncryptionMode": 2})
	rule.undetermined == {"transitEncryptionMode is \"disabled\", neither \"required\" nor \"preferred\"; it cannot be interpreted"} with input as with_props({"transitEncryptionMode": "disabled"})
}

test_secret_mode_is_read_but_never_shown if {
	fail_inp := t.with_secrets(with_props({"transitEncryptionMode": "preferred"}), [["transitEncryptionMode"]])
	rule.deny == {"transitEncryptionMode is [secret]: the group still accepts plaintext connections; set it to \"required\""} with input as fail_inp
	off_inp := t.with_secrets(with_props({"transitEncryptionEnabled": "false"}), [["transitEncryptionEnabled"]])
	rule.deny == {"transitEncryptionEnabled is [secret] (absent means false): clients connect to the cache in plaintext"} with input as off_inp
	odd_inp := t.with_secrets(with_props({"transitEncryptionMode": "canary-91c2"}), [["transitEncryptionMode"]])
	rule.undetermined == {"transitEncryptionMode is [secret], neither \"required\" nor \"preferred\"; it cannot be interpreted"} with input as odd_inp
}
