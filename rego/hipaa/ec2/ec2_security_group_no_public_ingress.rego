# METADATA
# title: Security groups allow no ingress from the internet except to the allowed TCP ports
# description: >-
#   A security group rule open to a public source exposes whatever it guards to the internet:
#   databases, caches, containers and SSH must only be reached from inside the VPC. A source
#   CIDR counts as public unless it lies entirely within private or reserved ranges (IPv4
#   10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16; IPv6
#   fc00::/7, fe80::/10, ::1/128), so 0.0.0.0/0, ::/0, a split such as 0.0.0.0/1 plus
#   128.0.0.0/1 and a single public /32 are all public; a source that is not a valid CIDR is
#   undetermined. Only the allowed TCP ports (443 by default, for the internet-facing load
#   balancer) may be open to public sources. Rules are judged in all three forms Pulumi
#   offers: inline ingress of aws:ec2/securityGroup, aws:ec2/securityGroupRule of type ingress
#   and aws:vpc/securityGroupIngressRule. All-traffic rules (protocol -1), port ranges that go
#   beyond an allowed port and non-TCP protocols fail. A managed prefix list (prefixListIds,
#   or prefixListId of aws:vpc/securityGroupIngressRule) is read as a source that is not public,
#   like a security group reference: it names a set of CIDRs kept as its own resource (AWS
#   service ranges, or a list the account maintains), not an open range; its entries are not
#   visible to this rule. ec2-managed-prefix-list-no-public-cidr judges the entries of the lists
#   defined in the stack, and ec2-security-group-prefix-list-sources-judged reports a rule that
#   admits any other list (AWS-managed, shared, created elsewhere) as undetermined. A prefix-list value that is not a string, or a string that is not a
#   prefix list ID (pl-...), is undetermined; one still unknown at preview is the ID of a list
#   of the program and counts as set.
# custom:
#   id: ec2-security-group-no-public-ingress
#   severity: critical
#   enforcement: mandatory
#   controls:
#     - 164.308(a)(3)(i)
#     - 164.308(a)(3)(ii)(B)
#     - 164.308(a)(4)(i)
#     - 164.308(a)(4)(ii)(A)
#     - 164.308(a)(4)(ii)(B)
#     - 164.308(a)(4)(ii)(C)
#     - 164.312(a)(1)
#     - 164.312(e)(1)
#   resource_types:
#     - aws:ec2/securityGroup:SecurityGroup
#     - aws:ec2/securityGroupRule:SecurityGroupRule
#     - aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule
#   remediation: >-
#     Replace the public source (0.0.0.0/0, ::/0 or any non-private CIDR) with the security group of the caller
#     (referencedSecurityGroupId / sourceSecurityGroupId / securityGroups) or a VPC CIDR; keep
#     internet ingress only on TCP 443 of the internet-facing load balancer.
#   references:
#     - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/vpc-sg-open-only-to-authorized-ports.html
#     - https://docs.aws.amazon.com/config/latest/developerguide/restricted-ssh.html
#   params:
#     - name: allowedPublicPorts
#       type: array
#       default: ["443"]
#       pattern: ^[0-9]{1,5}$
#       description: TCP ports that may accept ingress from public sources (port numbers written as strings).
package hipaa.ec2.ec2_security_group_no_public_ingress

import data.lib

params := lib.params(rego.metadata.chain())

security_group := "aws:ec2/securityGroup:SecurityGroup"

security_group_rule := "aws:ec2/securityGroupRule:SecurityGroupRule"

ingress_rule := "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

allowed_ports := {n |
	some p in params.allowedPublicPorts
	n := lib.int_value(p)
}

allowed_text := "none" if {
	count(allowed_ports) == 0
} else := concat(", ", [sprintf("%d", [n]) | some n in sort(allowed_ports)])

readable_params if {
	is_array(params.allowedPublicPorts)
	every p in params.allowedPublicPorts {
		is_number(lib.int_value(p))
	}
}

# ---------------------------------------------------------------- the rules, in one shape
# entries: one object per ingress rule: label, base path, protocol, fromPort, toPort and its
# sources as [path, value] pairs.

inline := lib.prop("ingress")

entries contains entry(["ingress", i], r, "protocol", ["cidrBlocks", "ipv6CidrBlocks"]) if {
	input.resource.type == security_group
	is_array(inline)
	some i, r in inline
	is_object(r)
}

rule_type := lib.prop("type")

is_ingress_rule if lib.upper_value(rule_type) == "INGRESS"

readable_rule_type if lib.upper_value(rule_type) in {"INGRESS", "EGRESS"}

entries contains entry([], lib.props, "protocol", ["cidrBlocks", "ipv6CidrBlocks"]) if {
	input.resource.type == security_group_rule
	is_ingress_rule
}

entries contains entry([], lib.props, "ipProtocol", ["cidrIpv4", "cidrIpv6"]) if {
	input.resource.type == ingress_rule
}

entry(base, r, protocol_key, source_keys) := {
	"label": label(base),
	"base": base,
	"protocol": [array.concat(base, [protocol_key]), object.get(r, protocol_key, null)],
	"from": [array.concat(base, ["fromPort"]), object.get(r, "fromPort", null)],
	"to": [array.concat(base, ["toPort"]), object.get(r, "toPort", null)],
	"sources": [s | some k in source_keys; some s in sources(base, r, k)],
}

label(base) := "this rule" if {
	base == []
} else := lib.path_name(base)

# sources of one key: each element of a list, or the single value (unknown, a string or a
# value of the wrong type).
sources(base, r, k) := [[array.concat(base, [k, j]), c] | some j, c in r[k]] if {
	is_array(r[k])
} else := [] if {
	object.get(r, k, null) == null
} else := [[array.concat(base, [k]), r[k]]]

# prefix_lists(e): the prefix-list sources of an entry, as [path, value] pairs.
prefix_list_keys := {security_group: "prefixListIds", security_group_rule: "prefixListIds", ingress_rule: "prefixListId"}

prefix_lists(e) := [[p, v] |
	k := prefix_list_keys[input.resource.type]
	r := object.get(lib.props, e.base, {})
	is_object(r)
	some [p, v] in sources(e.base, r, k)
]

prefix_list_id(v) if {
	is_string(v)
	regex.match(`^pl-[0-9a-f]+$`, trim_space(v))
}

# ---------------------------------------------------------------- judging one entry
# judged: each entry with what the verdict needs, computed once: its open sources, whether it
# is allowed and whether that can be decided.

judged contains object.union(e, {
	"open": open_sources(e),
	"allowed": allowed_flag(e),
	"decided": decided_flag(e),
}) if {
	some e in entries
}

allowed_flag(e) if allowed(e)

else := false

decided_flag(e) if decided(e)

else := false

# private_ranges: the private and reserved ranges a source may lie in without being public.
private_ranges := [
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"fc00::/7", "fe80::/10", "::1/128",
]

# cidr_text(s): the source's CIDR text, if it is a known non-empty string.
cidr_text(s) := c if {
	is_string(s[1])
	not lib.is_unknown(s[1])
	c := trim_space(s[1])
	c != ""
}

private_cidr(c) if {
	some r in private_ranges
	net.cidr_contains(r, c)
}

# open_sources(e): the sources of e that are public: a valid CIDR not entirely within a
# private or reserved range (0.0.0.0/0, ::/0, 0.0.0.0/1, 8.8.8.8/32, ...).
open_sources(e) := {s |
	some s in e.sources
	c := cidr_text(s)
	net.cidr_is_valid(c)
	not private_cidr(c)
}

# invalid_sources(e): the sources of e that are strings but not valid CIDR blocks.
invalid_sources(e) := {s |
	some s in e.sources
	c := cidr_text(s)
	not net.cidr_is_valid(c)
}

protocol(e) := lower(trim_space(e.protocol[1])) if {
	is_string(e.protocol[1])
	not lib.is_unknown(e.protocol[1])
} else := format_int(e.protocol[1], 10) if {
	lib.int_value(e.protocol[1]) == e.protocol[1]
}

all_traffic(e) if protocol(e) in {"-1", "all"}

tcp(e) if protocol(e) in {"tcp", "6"}

allowed(e) if {
	tcp(e)
	from := lib.int_value(e.from[1])
	from == lib.int_value(e.to[1])
	from in allowed_ports
}

# decided(e): whether the entry is allowed can be told.
decided(e) if all_traffic(e)

decided(e) if {
	is_string(protocol(e))
	not tcp(e)
}

decided(e) if {
	tcp(e)
	is_number(lib.int_value(e.from[1]))
	is_number(lib.int_value(e.to[1]))
}

traffic(e) := "all traffic (protocol -1)" if {
	all_traffic(e)
} else := sprintf("protocol %s, ports %s to %s", [
	lib.display(e.protocol[0], e.protocol[1]),
	lib.display(e.from[0], e.from[1]),
	lib.display(e.to[0], e.to[1]),
])

deny contains msg if {
	readable_params
	some e in judged
	e.decided
	not e.allowed
	some s in e.open
	msg := sprintf("%s allows ingress from %s to %s; only TCP port(s) %s may be open to the internet", [e.label, lib.display(s[0], s[1]), traffic(e), allowed_text])
}

undetermined contains msg if {
	some e in judged
	count(e.open) > 0
	not e.decided
	msg := sprintf("%s is open to the internet but its protocol and ports cannot be verified until they are known (or they are of an unexpected type)", [e.label])
}

undetermined contains msg if {
	some e in judged
	not e.allowed
	some s in invalid_sources(e)
	msg := sprintf("%s is %s, not a valid CIDR block; whether it opens the rule to the internet cannot be told", [lib.path_name(s[0]), lib.display(s[0], s[1])])
}

undetermined contains lib.unknown_msg(lib.path_name(s[0])) if {
	some e in judged
	not e.allowed
	some s in e.sources
	lib.is_unknown(s[1])
}

undetermined contains lib.wrong_type_msg(lib.path_name(s[0]), s[1], "a CIDR string") if {
	some e in judged
	not e.allowed
	some s in e.sources
	s[1] != null
	not is_string(s[1])
}

undetermined contains lib.unknown_msg("ingress") if {
	input.resource.type == security_group
	lib.is_unknown(inline)
}

undetermined contains lib.wrong_type_msg("ingress", inline, "a list of rules") if {
	input.resource.type == security_group
	inline != null
	not lib.is_unknown(inline)
	not is_array(inline)
}

undetermined contains msg if {
	input.resource.type == security_group
	is_array(inline)
	some i, r in inline
	not is_object(r)
	name := lib.path_name(["ingress", i])
	msg := unreadable_entry(name, r)
}

unreadable_entry(name, v) := lib.unknown_msg(name) if {
	lib.is_unknown(v)
} else := lib.wrong_type_msg(name, v, "a rule object")

undetermined contains lib.unknown_msg("type") if {
	input.resource.type == security_group_rule
	lib.is_unknown(rule_type)
}

undetermined contains msg if {
	input.resource.type == security_group_rule
	not lib.is_unknown(rule_type)
	not readable_rule_type
	msg := sprintf("type is %s, neither ingress nor egress; it cannot be interpreted", [lib.display(["type"], rule_type)])
}

not_applicable contains "egress rule: the policy judges ingress only" if {
	input.resource.type == security_group_rule
	lib.upper_value(rule_type) == "EGRESS"
}

undetermined contains "policy parameter allowedPublicPorts must be a list of port numbers; public ingress cannot be judged" if {
	not readable_params
	some e in judged
	count(e.open) > 0
}

undetermined contains msg if {
	some e in judged
	not e.allowed
	some s in prefix_lists(e)
	not lib.is_unknown(s[1])
	is_string(s[1])
	not prefix_list_id(s[1])
	msg := sprintf("%s is %s, not a prefix list ID (pl-...); what it opens the rule to cannot be told", [lib.path_name(s[0]), lib.display(s[0], s[1])])
}

undetermined contains lib.wrong_type_msg(lib.path_name(s[0]), s[1], "a prefix list ID") if {
	some e in judged
	not e.allowed
	some s in prefix_lists(e)
	s[1] != null
	not lib.is_unknown(s[1])
	not is_string(s[1])
}
