# METADATA
# title: CloudWatch log groups keep events at least the minimum retention period, or forever
# description: >-
#   Audit controls need the logs to exist when an incident or an access review looks back.
#   A log group whose retentionInDays is below the configured minimum (365 days by default)
#   deletes the evidence too early. 0 or an absent value means the events never expire, which
#   is compliant. A value CloudWatch Logs does not accept is a failure, since the deployment
#   would not get the retention it states.
# custom:
#   id: cloudwatch-log-group-retention-minimum
#   severity: medium
#   enforcement: mandatory
#   controls:
#     - 164.312(b)
#   resource_types:
#     - aws:cloudwatch/logGroup:LogGroup
#   remediation: >-
#     Set retentionInDays to one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60,
#     90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) that is at
#     least the minimum, or leave it unset (never expire).
#   references:
#     - https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html
#   params:
#     - name: minRetentionDays
#       type: integer
#       default: 365
#       minimum: 1
#       description: Smallest allowed retention of a log group, in days (0 or unset, never expire, always passes).
package hipaa.cloudwatch.cloudwatch_log_group_retention_minimum

import data.lib

params := lib.params(rego.metadata.chain())

# The retention periods CloudWatch Logs accepts (0 stands for never expire).
accepted := {0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

raw := lib.prop("retentionInDays")

days := lib.int_value(raw)

minimum := lib.int_value(params.minRetentionDays)

# Negation must name a rule: `not is_number(days)` would be undefined when days is.
readable if is_number(days)

configured if is_number(minimum)

shown := lib.display(["retentionInDays"], raw)

deny contains msg if {
	days in accepted
	days > 0
	days < minimum
	msg := sprintf("retentionInDays is %s, below the minimum of %d days: log events are deleted before the audit period ends (0 or unset keeps them forever)", [shown, minimum])
}

deny contains msg if {
	is_number(days)
	not days in accepted
	msg := sprintf("retentionInDays is %s, which CloudWatch Logs does not accept as a retention period", [shown])
}

undetermined contains lib.unknown_msg("retentionInDays") if lib.is_unknown(raw)

undetermined contains lib.wrong_type_msg("retentionInDays", raw, "a whole number of days") if {
	raw != null
	not lib.is_unknown(raw)
	not readable
}

undetermined contains "policy parameter minRetentionDays is not a whole number; the retention cannot be judged" if {
	not configured
}
