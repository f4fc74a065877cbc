package hipaa.cloudwatch.cloudwatch_log_group_retention_minimum_test

import data.hipaa.cloudwatch.cloudwatch_log_group_retention_minimum as rule
import data.lib
import data.lib.testing as t

typ := "aws:cloudwatch/logGroup:LogGroup"

with_days(days) := t.input_for(typ, {"name": "app-logs-dev", "retentionInDays": days})

test_365_days_passes if {
	t.verdict(rule) == "pass" with input as with_days(365)
	t.verdict(rule) == "pass" with input as with_days(3653)
}

test_absent_or_zero_never_expires_and_passes if {
	t.verdict(rule) == "pass" with input as t.input_for(typ, {"name": "app-logs-dev"})
	t.verdict(rule) == "pass" with input as with_days(0)
	t.verdict(rule) == "pass" with input as with_days(null)
}

test_short_retention_fails if {
	t.verdict(rule) == "fail" with input as with_days(90)
	rule.deny == {"retentionInDays is 90, below the minimum of 365 days: log events are deleted before the audit period ends (0 or unset keeps them forever)"} with input as with_days(90)
}

test_value_cloudwatch_rejects_fails if {
	rule.deny == {"retentionInDays is 500, which CloudWatch Logs does not accept as a retention period"} with input as with_days(500)
	t.verdict(rule) == "fail" with input as with_days(-1)
}

test_threshold_is_configurable if {
	t.verdict(rule) == "pass" with input as t.with_params(with_days(90), {"minRetentionDays": 90})
	t.verdict(rule) == "fail" with input as t.with_params(with_days(365), {"minRetentionDays": 731})
}

test_numeric_string_is_read_as_a_number if {
	t.verdict(rule) == "pass" with input as with_days("365")
	t.verdict(rule) == "fail" with input as with_days("30")
}

test_unknown_is_undetermined if {
	t.verdict(rule) == "undetermined" with input as with_days(lib.unknown)
	rule.undetermined == {"retentionInDays cannot be verified until the value is known"} with input as with_days(lib.unknown)
}

test_wrong_type_is_undetermined if {
	t.verdict(rule) == "undetermined" with input as with_days(true)
	t.verdict(rule) == "undetermined" with input as with_days("a year")
	t.verdict(rule) == "undetermined" with input as with_days(365.5)
	rule.undetermined == {"retentionInDays is of type boolean where a whole number of days was expected; it cannot be interpreted"} with input as with_days(true)
}

test_secret_value_is_judged_but_never_shown if {
	inp := t.with_secrets(with_days(30), [["retentionInDays"]])
	t.verdict(rule) == "fail" with input as inp
	rule.deny == {"retentionInDays is [secret], below the minimum of 365 days: log events are deleted before the audit period ends (0 or unset keeps them forever)"} with input as inp
}

test_bad_parameter_is_undetermined if {
	t.verdict(rule) == "undetermined" with input as t.with_params(with_days(365), {"minRetentionDays": "a year"})
}
