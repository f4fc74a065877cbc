# METADATA
# title: Shared helpers of the HIPAA rules
# description: >-
#   How a rule reads the input documented in rego/README.md: Pulumi's unknown sentinel, secret
#   paths and the unreadable-ciphertext marker, interpretation of values whose type is not the
#   expected one ("true"/"false" strings, numeric strings), parameter defaults taken from the
#   rule's own METADATA, and the wording of undetermined messages. Messages built here never
#   contain a value found at a secret path.
package lib

# Pulumi's encoding of a value that is not known yet (computed during preview).
unknown := "04da6b54-80e4-46f7-96ec-b56ff0331ba9"

# What a secret whose value is encrypted (state files) reads as: present, secret, unreadable.
ciphertext := "[secret ciphertext]"

# The resource's properties; {} when the input has none.
props := object.get(input, ["resource", "properties"], {})

# prop(key) is the top-level property key, or null when it is absent.
prop(key) := object.get(props, key, null)

# is_unknown(v): v is the unknown sentinel.
is_unknown(v) if v == unknown

# has_unknown(v): v, or any value inside it, is the unknown sentinel.
has_unknown(v) if {
	walk(v, [_, x])
	x == unknown
}

# is_ciphertext(v): v is a secret whose value cannot be read here.
is_ciphertext(v) if v == ciphertext

# is_blank(v): no value: absent, null or an empty (whitespace only) string.
is_blank(null)

is_blank(v) if {
	is_string(v)
	trim_space(v) == ""
}

# bool_value(v) reads a boolean: a JSON boolean, or the strings "true"/"false" in any case.
bool_value(v) := v if is_boolean(v)

bool_value(v) if {
	is_string(v)
	lower(trim_space(v)) == "true"
}

bool_value(v) := false if {
	is_string(v)
	lower(trim_space(v)) == "false"
}

# number_value(v) reads a number: a JSON number, or a string holding a decimal number.
number_value(v) := v if is_number(v)

number_value(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*-?[0-9]+(\.[0-9]+)?\s*$`, v)
}

# int_value(v) reads a whole number (see number_value); a fraction is not one.
int_value(v) := n if {
	n := number_value(v)
	floor(n) == n
}

# upper_value(v) is the string v in upper case, trimmed.
upper_value(v) := upper(trim_space(v)) if is_string(v)

# reference_set(v): v, the value of a property that only has to be SET (a KMS key ID, ARN or
# alias, an authorizer ID, a destination ARN), is set: a non-blank string, or unknown. An
# unknown value during preview is always computed from an output of another resource of the
# program (a key, an authorizer), which always has a value: it is present, only its content is
# not known yet. The literals a rule still rejects (an AWS-managed alias such as
# alias/aws/kinesis, an empty string) would be known at preview, so they are checked on known
# values only. A rule whose verdict depends on the content of a value (authorization,
# encryptionType, transitEncryptionMode, retentionInDays) never uses this helper: an unknown
# value there stays undetermined. Absent, null or blank is is_blank; any other type is
# neither, and the rule reports it with wrong_type_msg.
reference_set(v) if is_unknown(v)

reference_set(v) if {
	is_string(v)
	not is_blank(v)
}

# aws_managed_key(k): the key identifier names an AWS-managed key (alias/aws/<service>, as an
# alias name or inside an alias ARN, or Secrets Manager's bare "aws/secretsmanager").
aws_managed_key(k) if {
	is_string(k)
	regex.match(`(^|[:/])aws/`, trim_space(k))
}

# params(chain) is the rule's parameters: each param's default from the METADATA custom.params
# of the annotation chain (pass rego.metadata.chain()), overlaid with input.params.
params(chain) := object.union(param_defaults(chain), object.get(input, "params", {}))

param_defaults(chain) := {p.name: p.default |
	some entry in chain
	some p in object.get(entry, ["annotations", "custom", "params"], [])
}

# is_secret(path): the value at path (an array of keys and indexes) is secret, or lies inside
# or contains a secret.
is_secret(path) if {
	some p in object.get(input, ["resource", "secret_paths"], [])
	overlaps(p, path)
}

overlaps(a, b) if {
	count(a) <= count(b)
	array.slice(b, 0, count(a)) == a
}

overlaps(a, b) if {
	count(b) < count(a)
	array.slice(a, 0, count(b)) == b
}

# display(path, v) renders the value v found at path for a message: "[secret]" when secret,
# "unknown", "missing", the JSON of a scalar, else its type name.
display(path, v) := "[secret]" if {
	is_secret(path)
} else := "unknown" if {
	is_unknown(v)
} else := "missing" if {
	v == null
} else := json.marshal(v) if {
	not is_object(v)
	not is_array(v)
} else := type_name(v)

# unknown_msg(name) says that the value named name is unknown.
unknown_msg(name) := sprintf("%s cannot be verified until the value is known", [name])

# wrong_type_msg(name, v, want) says that v cannot be read as want; it names the type, never the value.
wrong_type_msg(name, v, want) := sprintf("%s is of type %s where %s was expected; it cannot be interpreted", [name, type_name(v), want])

# ciphertext_msg(name) says that the secret value named name is encrypted and cannot be read.
ciphertext_msg(name) := sprintf("%s is a secret whose value is encrypted in this file; it cannot be verified here", [name])

# path_name(path) writes a path as a property path: ingress[0].cidrBlocks[1].
path_name(path) := concat("", [seg |
	some i, k in path
	seg := segment(i, k)
])

segment(_, k) := sprintf("[%d]", [k]) if is_number(k)

segment(0, k) := k if is_string(k)

segment(i, k) := concat("", [".", k]) if {
	is_string(k)
	i > 0
}
