package hipaa.apigateway.apigateway_method_authorization_required_test

import data.hipaa.apigateway.apigateway_method_authorization_required as rule
import data.lib
import data.lib.testing as t

typ := "aws:apigateway/method:Method"

base := {
	"restApi": "a1b2c3",
	"resourceId": "r1",
	"httpMethod": "POST",
	"authorization": "CUSTOM",
	"authorizerId": "auth1",
}

with_props(changes) := t.input_for(typ, object.union(base, changes))

without(key) := t.input_for(typ, object.remove(base, [key]))

test_custom_authorizer_passes if {
	t.verdict(rule) == "pass" with input as with_props({})
}

test_cognito_and_iam_pass if {
	t.verdict(rule) == "pass" with input as with_props({"authorization": "COGNITO_USER_POOLS"})
	t.verdict(rule) == "pass" with input as object.union(without("authorizerId"), {"resource": {"properties": {"authorization": "AWS_IAM"}}})
}

test_none_fails if {
	rule.deny == {`authorization is "NONE" (absent means NONE): anyone can call this method without authenticating`} with input as with_props({"authorization": "NONE"})
	rule.deny == {"authorization is missing (absent means NONE): anyone can call this method without authenticating"} with input as without("authorization")
}

test_api_key_alone_is_not_authentication if {
	inp := with_props({"authorization": "NONE", "apiKeyRequired": true})
	rule.deny == {`authorization is "NONE": anyone can call this method; an API key (apiKeyRequired) identifies a usage plan, not a caller, and is not authentication`} with input as inp
	t.verdict(rule) == "fail" with input as with_props({"authorization": "NONE", "apiKeyRequired": "true"})
}

test_custom_without_authorizer_fails if {
	rule.deny == {`authorization is "CUSTOM" but authorizerId is not set: no authorizer checks the caller`} with input as without("authorizerId")
}

test_unrecognised_authorization_fails if {
	rule.deny == {"authorization is \"JWT\", not one of CUSTOM, COGNITO_USER_POOLS or AWS_IAM"} with input as with_props({"authorization": "JWT"})
}

test_options_preflight_is_not_applicable if {
	inp := with_props({"httpMethod": "OPTIONS", "authorization": "NONE"})
	t.verdict(rule) == "not-applicable" with input as inp
	count(rule.deny) == 0 with input as inp
}

test_any_method_is_judged if {
	t.verdict(rule) == "fail" with input as with_props({"httpMethod": "ANY", "authorization": "NONE"})
}

# authorization decides the verdict: unknown, it stays undetermined, whatever the authorizer.
test_unknown_authorization_is_undetermined if {
	rule.undetermined == {"authorization cannot be verified until the value is known"} with input as with_props({"authorization": lib.unknown})
	t.verdict(rule) == "undetermined" with input as with_props({"authorization": lib.unknown, "authorizerId": lib.unknown})
}

# An authorizer ID computed from an authorizer of the program (unknown during preview) is set
# (lib.reference_set).
test_unknown_authorizer_is_set_and_passes if {
	t.verdict(rule) == "pass" with input as with_props({"authorizerId": lib.unknown})
	count(t.messages(rule)) == 0 with input as with_props({"authorizerId": lib.unknown})
	t.verdict(rule) == "pass" with input as with_props({"authorization": "COGNITO_USER_POOLS", "authorizerId": lib.unknown})
	t.verdict(rule) == "pass" with input as with_props({"authorization": "AWS_IAM", "authorizerId": lib.unknown})
}

test_unknown_authorizer_does_not_hide_no_authorization if {
	t.verdict(rule) == "fail" with input as with_props({"authorization": "NONE", "authorizerId": lib.unknown})
}

test_unknown_http_method_never_fails_a_possible_preflight if {
	inp := with_props({"httpMethod": lib.unknown, "authorization": "NONE"})
	t.verdict(rule) == "undetermined" with input as inp
	rule.undetermined == {"httpMethod cannot be verified until the value is known"} with input as inp
}

test_wrong_type_is_undetermined if {
	rule.undetermined == {"authorization is of type boolean where a string was expected; it cannot be interpreted"} with input as with_props({"authorization": true})
	t.verdict(rule) == "undetermined" with input as with_props({"authorizerId": 7})
}

test_secret_authorization_is_never_shown if {
	inp := t.with_secrets(with_props({"authorization": "canary-5d1e"}), [["authorization"]])
	rule.deny == {"authorization is [secret], not one of CUSTOM, COGNITO_USER_POOLS or AWS_IAM"} with input as inp
	t.verdict(rule) == "pass" with input as t.with_secrets(with_props({}), [["authorizerId"]])
	none_inp := t.with_secrets(with_props({"authorization": "NONE"}), [["authorization"]])
	rule.deny == {"authorization is [secret] (absent means NONE): anyone can call this method without authenticating"} with input as none_inp
}
