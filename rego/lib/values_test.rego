package lib_test

import data.lib

test_bool_value_reads_booleans_and_strings if {
	lib.bool_value(true) == true
	lib.bool_value(false) == false
	lib.bool_value("true") == true
	lib.bool_value(" FALSE ") == false
	not lib.bool_value("yes")
	not lib.bool_value(1)
	not lib.bool_value(null)
}

test_number_value_reads_numbers_and_numeric_strings if {
	lib.number_value(365) == 365
	lib.number_value("365") == 365
	lib.number_value(" 7.5 ") == 7.5
	not lib.number_value("365 days")
	not lib.number_value(true)
	lib.int_value("30") == 30
	not lib.int_value(30.5)
}

test_unknown_detection if {
	lib.is_unknown("04da6b54-80e4-46f7-96ec-b56ff0331ba9")
	not lib.is_unknown("arn:aws:kms:us-east-1:111122223333:key/x")
	lib.has_unknown({"a": [1, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"]})
	not lib.has_unknown({"a": [1, "x"]})
}

test_blank if {
	lib.is_blank(null)
	lib.is_blank("  ")
	not lib.is_blank("x")
	not lib.is_blank(0)
}

test_aws_managed_key if {
	lib.aws_managed_key("alias/aws/kinesis")
	lib.aws_managed_key("arn:aws:kms:eu-west-1:111122223333:alias/aws/sns")
	lib.aws_managed_key("aws/secretsmanager")
	not lib.aws_managed_key("alias/myaws/key")
	not lib.aws_managed_key("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	not lib.aws_managed_key(42)
}

test_secret_paths_overlap if {
	inp := {"resource": {"secret_paths": [["a", 0, "b"]]}}
	lib.is_secret(["a", 0, "b"]) with input as inp
	lib.is_secret(["a", 0, "b", "c"]) with input as inp
	lib.is_secret(["a"]) with input as inp
	not lib.is_secret(["a", 1, "b"]) with input as inp
	not lib.is_secret(["x"]) with input as inp
}

test_display_never_shows_a_secret if {
	inp := {"resource": {"secret_paths": [["k"]]}}
	lib.display(["k"], "canary-value") == "[secret]" with input as inp
	lib.display(["j"], "plain") == `"plain"` with input as inp
	lib.display(["j"], 30) == "30" with input as inp
	lib.display(["j"], null) == "missing" with input as inp
	lib.display(["j"], lib.unknown) == "unknown" with input as inp
	lib.display(["j"], {"x": 1}) == "object" with input as inp
}

test_params_take_defaults_from_metadata if {
	chain := [{"path": ["data", "x"], "annotations": {"custom": {"params": [{"name": "days", "default": 365}, {"name": "ports", "default": ["443"]}]}}}]
	lib.params(chain) == {"days": 365, "ports": ["443"]} with input as {}
	lib.params(chain) == {"days": 30, "ports": ["443"]} with input as {"params": {"days": 30}}
}

test_path_name if {
	lib.path_name(["ingress", 0, "cidrBlocks", 1]) == "ingress[0].cidrBlocks[1]"
	lib.path_name(["kmsKeyId"]) == "kmsKeyId"
}

test_reference_set if {
	lib.reference_set("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
	lib.reference_set("auth1")
	lib.reference_set(lib.unknown)
	lib.reference_set(lib.ciphertext)
	not lib.reference_set(null)
	not lib.reference_set("")
	not lib.reference_set("  ")
	not lib.reference_set(7)
	not lib.reference_set({"id": "k"})
	not lib.reference_set(["k"])
}
