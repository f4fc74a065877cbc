# METADATA
# title: ElastiCache replication groups require TLS for every connection
# description: >-
#   The Redis/Valkey cache holds recent patient vitals, so traffic to it carries ePHI across the
#   VPC. transitEncryptionEnabled must be true and transitEncryptionMode must be "required":
#   the "preferred" mode, meant only for a migration, still accepts plaintext connections. An
#   absent mode on a group with encryption on is what AWS creates as "required". The value may
#   arrive as a boolean or as the strings "true"/"false".
# custom:
#   id: elasticache-transit-encryption-required
#   severity: high
#   enforcement: mandatory
#   controls:
#     - 164.312(e)(1)
#     - 164.312(e)(2)(i)
#     - 164.312(e)(2)(ii)
#   resource_types:
#     - aws:elasticache/replicationGroup:ReplicationGroup
#   remediation: >-
#     Set transitEncryptionEnabled: true and transitEncryptionMode: "required" (on an existing
#     group move from "preferred" to "required" once every client connects with TLS), and
#     connect clients with TLS.
#   references:
#     - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html
#     - https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html
package hipaa.elasticache.elasticache_transit_encryption_required

import data.lib

enabled_raw := lib.prop("transitEncryptionEnabled")

mode_raw := lib.prop("transitEncryptionMode")

# An absent transitEncryptionEnabled is the AWS default: false.
enabled := false if {
	enabled_raw == null
} else := lib.bool_value(enabled_raw)

mode := lower(trim_space(mode_raw)) if is_string(mode_raw)

readable_enabled if is_boolean(enabled)

deny contains msg if {
	enabled == false
	msg := sprintf("transitEncryptionEnabled is %s (absent means false): clients connect to the cache in plaintext", [lib.display(["transitEncryptionEnabled"], enabled_raw)])
}

deny contains msg if {
	enabled == true
	mode == "preferred"
	msg := sprintf("transitEncryptionMode is %s: the group still accepts plaintext connections; set it to \"required\"", [lib.display(["transitEncryptionMode"], mode_raw)])
}

undetermined contains lib.unknown_msg("transitEncryptionEnabled") if lib.is_unknown(enabled_raw)

undetermined contains lib.wrong_type_msg("transitEncryptionEnabled", enabled_raw, "a boolean") if {
	not lib.is_unknown(enabled_raw)
	not readable_enabled
}

undetermined contains lib.unknown_msg("transitEncryptionMode") if {
	enabled == true
	lib.is_unknown(mode_raw)
}

undetermined contains lib.wrong_type_msg("transitEncryptionMode", mode_raw, "a string") if {
	enabled == true
	mode_raw != null
	not is_string(mode_raw)
}

undetermined contains msg if {
	enabled == true
	is_string(mode_raw)
	not lib.is_unknown(mode_raw)
	not mode in {"required", "preferred"}
	msg := sprintf("transitEncryptionMode is %s, neither \"required\" nor \"preferred\"; it cannot be interpreted", [lib.display(["transitEncryptionMode"], mode_raw)])
}
