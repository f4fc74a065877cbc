# Helpers for the rules' tests (a _test.rego file, so it is never embedded in the pack).
package lib.testing

# input_for(typ, properties) is the input of one resource of type typ, as the pack builds it.
input_for(typ, properties) := {
	"resource": {
		"urn": sprintf("urn:pulumi:dev::hipaa-pipeline::%s::subject", [typ]),
		"type": typ,
		"name": "subject",
		"properties": properties,
		"secret_paths": [],
	},
	"params": {},
	"stack": {"name": "dev", "project": "hipaa-pipeline", "production": false},
}

# with_secrets(inp, paths) marks the values at paths as secret.
with_secrets(inp, paths) := json.patch(inp, [{"op": "replace", "path": "/resource/secret_paths", "value": paths}])

# with_params(inp, params) sets input.params.
with_params(inp, params) := json.patch(inp, [{"op": "replace", "path": "/params", "value": params}])

# verdict(rule) is the pack's verdict over a rule package's three sets.
verdict(rule) := "not-applicable" if {
	count(object.get(rule, "not_applicable", set())) > 0
} else := "fail" if {
	count(object.get(rule, "deny", set())) > 0
} else := "undetermined" if {
	count(object.get(rule, "undetermined", set())) > 0
} else := "pass"

# messages(rule) is every message of the rule, whatever the set.
messages(rule) := (object.get(rule, "deny", set()) | object.get(rule, "undetermined", set())) | object.get(rule, "not_applicable", set())
