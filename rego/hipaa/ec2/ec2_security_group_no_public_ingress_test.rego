package hipaa.ec2.ec2_security_group_no_public_ingress_test

import data.hipaa.ec2.ec2_security_group_no_public_ingress as rule
import data.lib
import data.lib.testing as t

sg := "aws:ec2/securityGroup:SecurityGroup"

sg_rule := "aws:ec2/securityGroupRule:SecurityGroupRule"

vpc_rule := "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"

https := {"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"], "ipv6CidrBlocks": ["::/0"]}

from_vpc := {"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.0.0/16"], "securityGroups": ["sg-0123"]}

group(ingress) := t.input_for(sg, {"vpcId": "vpc-1", "ingress": ingress, "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]})

standalone(changes) := t.input_for(sg_rule, object.union({"type": "ingress", "securityGroupId": "sg-1", "protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}, changes))

vpc_ingress(changes) := t.input_for(vpc_rule, object.union({"securityGroupId": "sg-1", "ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}, changes))

test_https_from_anywhere_passes_in_every_form if {
	t.verdict(rule) == "pass" with input as group([https, from_vpc])
	t.verdict(rule) == "pass" with input as standalone({})
	t.verdict(rule) == "pass" with input as vpc_ingress({})
	t.verdict(rule) == "pass" with input as vpc_ingress({"cidrIpv4": null, "cidrIpv6": "::/0"})
}

test_private_sources_pass if {
	t.verdict(rule) == "pass" with input as group([from_vpc])
	t.verdict(rule) == "pass" with input as vpc_ingress({"fromPort": 6379, "toPort": 6379, "cidrIpv4": "10.0.0.0/16"})
	t.verdict(rule) == "pass" with input as t.input_for(sg, {"vpcId": "vpc-1"})
}

test_inline_ssh_from_anywhere_fails if {
	inp := group([https, {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}])
	rule.deny == {`ingress[1] allows ingress from "0.0.0.0/0" to protocol "tcp", ports 22 to 22; only TCP port(s) 443 may be open to the internet`} with input as inp
}

test_ipv6_open_is_caught if {
	inp := group([{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipv6CidrBlocks": ["::/0"]}])
	rule.deny == {`ingress[0] allows ingress from "::/0" to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`} with input as inp
	t.verdict(rule) == "fail" with input as vpc_ingress({"cidrIpv4": null, "cidrIpv6": "::/0", "fromPort": 80, "toPort": 80})
}

test_all_traffic_fails if {
	rule.deny == {`this rule allows ingress from "0.0.0.0/0" to all traffic (protocol -1); only TCP port(s) 443 may be open to the internet`} with input as vpc_ingress({"ipProtocol": "-1", "fromPort": null, "toPort": null})
	t.verdict(rule) == "fail" with input as standalone({"protocol": "all", "fromPort": 0, "toPort": 0})
}

test_range_covering_443_fails if {
	t.verdict(rule) == "fail" with input as standalone({"fromPort": 0, "toPort": 65535})
	t.verdict(rule) == "fail" with input as standalone({"fromPort": 443, "toPort": 444})
}

test_udp_or_icmp_fails if {
	t.verdict(rule) == "fail" with input as standalone({"protocol": "udp"})
	t.verdict(rule) == "fail" with input as vpc_ingress({"ipProtocol": "icmp", "fromPort": -1, "toPort": -1})
}

test_protocol_number_is_read if {
	t.verdict(rule) == "pass" with input as standalone({"protocol": "6"})
	t.verdict(rule) == "pass" with input as standalone({"protocol": 6})
	t.verdict(rule) == "fail" with input as standalone({"protocol": -1})
}

test_port_strings_are_read if {
	t.verdict(rule) == "pass" with input as standalone({"fromPort": "443", "toPort": "443"})
	t.verdict(rule) == "fail" with input as standalone({"fromPort": "22", "toPort": "22"})
}

test_egress_rule_is_not_applicable if {
	t.verdict(rule) == "not-applicable" with input as standalone({"type": "egress", "fromPort": 0, "toPort": 0, "protocol": "-1"})
}

test_allowed_ports_are_configurable if {
	inp := t.with_params(standalone({"fromPort": 80, "toPort": 80}), {"allowedPublicPorts": ["80", "443"]})
	t.verdict(rule) == "pass" with input as inp
	t.verdict(rule) == "fail" with input as standalone({"fromPort": 80, "toPort": 80})
	t.verdict(rule) == "pass" with input as t.with_params(standalone({"fromPort": 80, "toPort": 80}), {"allowedPublicPorts": [80]})
	t.verdict(rule) == "pass" with input as t.with_params(standalone({}), {"allowedPublicPorts": ["443", 443]})
	rule.deny == {`this rule allows ingress from "0.0.0.0/0" to protocol "tcp", ports 443 to 443; only TCP port(s) none may be open to the internet`} with input as t.with_params(standalone({}), {"allowedPublicPorts": []})
}

test_bad_parameter_is_undetermined if {
	inp := t.with_params(standalone({"fromPort": 22, "toPort": 22}), {"allowedPublicPorts": ["https"]})
	t.verdict(rule) == "undetermined" with input as inp
}

test_unknown_cidr_is_undetermined if {
	inp := standalone({"fromPort": 22, "toPort": 22, "cidrBlocks": [lib.unknown]})
	rule.undetermined == {"cidrBlocks[0] cannot be verified until the value is known"} with input as inp
	t.verdict(rule) == "undetermined" with input as vpc_ingress({"fromPort": 22, "toPort": 22, "cidrIpv4": lib.unknown})
	t.verdict(rule) == "undetermined" with input as group([{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": lib.unknown}])
}

test_unknown_cidr_on_the_allowed_port_passes if {
	t.verdict(rule) == "pass" with input as standalone({"cidrBlocks": [lib.unknown]})
}

test_unknown_ports_on_an_open_rule_are_undetermined if {
	inp := standalone({"fromPort": lib.unknown})
	t.verdict(rule) == "undetermined" with input as inp
	rule.undetermined == {"this rule is open to the internet but its protocol and ports cannot be verified until they are known (or they are of an unexpected type)"} with input as inp
	t.verdict(rule) == "undetermined" with input as standalone({"protocol": lib.unknown})
}

test_unknown_ingress_list_or_entry_is_undetermined if {
	t.verdict(rule) == "undetermined" with input as group(lib.unknown)
	rule.undetermined == {"ingress[1] cannot be verified until the value is known"} with input as group([https, lib.unknown])
}

test_unknown_type_is_undetermined if {
	t.verdict(rule) == "undetermined" with input as standalone({"type": lib.unknown, "fromPort": 22, "toPort": 22})
	t.verdict(rule) == "undetermined" with input as standalone({"type": 3})
}

test_wrong_types_are_undetermined if {
	t.verdict(rule) == "undetermined" with input as standalone({"fromPort": 22, "toPort": 22, "cidrBlocks": [{"cidr": "0.0.0.0/0"}]})
	t.verdict(rule) == "undetermined" with input as group({"protocol": "tcp"})
	t.verdict(rule) == "undetermined" with input as standalone({"fromPort": true})
	rule.undetermined == {"ingress[1] is of type number where a rule object was expected; it cannot be interpreted"} with input as group([https, 5])
}

test_secret_cidr_is_judged_but_never_shown if {
	inp := t.with_secrets(standalone({"fromPort": 22, "toPort": 22}), [["cidrBlocks", 0]])
	rule.deny == {`this rule allows ingress from [secret] to protocol "tcp", ports 22 to 22; only TCP port(s) 443 may be open to the internet`} with input as inp
	inline := t.with_secrets(group([{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}]), [["ingress"]])
	rule.deny == {`ingress[0] allows ingress from [secret] to protocol [secret], ports [secret] to [secret]; only TCP port(s) 443 may be open to the internet`} with input as inline
}

test_split_halves_of_the_internet_fail if {
	inp := group([{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/1", "128.0.0.0/1"]}])
	rule.deny == {
		`ingress[0] allows ingress from "0.0.0.0/1" to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`,
		`ingress[0] allows ingress from "128.0.0.0/1" to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`,
	} with input as inp
	t.verdict(rule) == "fail" with input as group([{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "ipv6CidrBlocks": ["::/1", "8000::/1"]}])
	t.verdict(rule) == "fail" with input as vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": "128.0.0.0/1"})
}

test_public_host_on_5432_fails if {
	rule.deny == {`this rule allows ingress from "203.0.113.7/32" to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`} with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["203.0.113.7/32"]})
	t.verdict(rule) == "fail" with input as vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": null, "cidrIpv6": "2001:db8::1/128"})
}

test_range_straddling_private_space_fails if {
	# 10.0.0.0/7 covers 10.0.0.0/8 and the public 11.0.0.0/8.
	t.verdict(rule) == "fail" with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.0.0/7"]})
}

test_private_and_reserved_ranges_pass if {
	t.verdict(rule) == "pass" with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.20.0.0/16"]})
	t.verdict(rule) == "pass" with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["172.16.4.0/24", "192.168.1.1/32", "100.64.0.0/10"], "ipv6CidrBlocks": ["fd00:1::/64"]})
}

test_https_from_anywhere_still_passes if {
	t.verdict(rule) == "pass" with input as standalone({"cidrBlocks": ["0.0.0.0/0"]})
}

test_invalid_cidr_is_undetermined if {
	inp := standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/33"]})
	t.verdict(rule) == "undetermined" with input as inp
	rule.undetermined == {`cidrBlocks[0] is "0.0.0.0/33", not a valid CIDR block; whether it opens the rule to the internet cannot be told`} with input as inp
}

test_prefix_lists_are_sources_that_are_not_public if {
	t.verdict(rule) == "pass" with input as group([{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "prefixListIds": ["pl-02cd2c6b"]}])
	t.verdict(rule) == "pass" with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": null, "prefixListIds": ["pl-63a5400a"]})
	t.verdict(rule) == "pass" with input as vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": null, "prefixListId": "pl-0123456789abcdef0"})

	# The ID of a prefix list of the program, computed at preview.
	t.verdict(rule) == "pass" with input as vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": null, "prefixListId": lib.unknown})
	t.verdict(rule) == "pass" with input as standalone({"fromPort": 22, "toPort": 22, "cidrBlocks": null, "prefixListIds": [lib.unknown]})
}

test_prefix_list_beside_a_public_cidr_still_fails if {
	rule.deny == {`this rule allows ingress from "0.0.0.0/0" to protocol "tcp", ports 5432 to 5432; only TCP port(s) 443 may be open to the internet`} with input as standalone({"fromPort": 5432, "toPort": 5432, "prefixListIds": ["pl-63a5400a"]})
	t.verdict(rule) == "fail" with input as group([{"protocol": "-1", "fromPort": 0, "toPort": 0, "prefixListIds": ["pl-63a5400a"], "ipv6CidrBlocks": ["::/0"]}])
}

test_unreadable_prefix_lists_are_undetermined if {
	rule.undetermined == {`prefixListId is "0.0.0.0/0", not a prefix list ID (pl-...); what it opens the rule to cannot be told`} with input as vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": null, "prefixListId": "0.0.0.0/0"})
	rule.undetermined == {"prefixListIds[0] is of type number where a prefix list ID was expected; it cannot be interpreted"} with input as standalone({"fromPort": 5432, "toPort": 5432, "cidrBlocks": null, "prefixListIds": [7]})
	rule.undetermined == {"ingress[0].prefixListIds is of type object where a prefix list ID was expected; it cannot be interpreted"} with input as group([{"protocol": "tcp", "fromPort": 22, "toPort": 22, "prefixListIds": {"id": "pl-1"}}])

	# On an allowed port the source does not matter.
	t.verdict(rule) == "pass" with input as vpc_ingress({"cidrIpv4": null, "prefixListId": "not-a-list"})
}

test_secret_prefix_list_is_never_shown if {
	inp := t.with_secrets(vpc_ingress({"fromPort": 5432, "toPort": 5432, "cidrIpv4": null, "prefixListId": "canary-not-a-list"}), [["prefixListId"]])
	rule.undetermined == {`prefixListId is [secret], not a prefix list ID (pl-...); what it opens the rule to cannot be told`} with input as inp
}
