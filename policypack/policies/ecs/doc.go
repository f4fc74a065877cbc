// Package ecs holds the policies on ECS task definitions and services.
package ecs

import (
	"fmt"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

const refTaskDefinition = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html"

// container is one entry of containerDefinitions, with a label for messages.
type container struct {
	label string
	def   map[string]any
}

// containers parses containerDefinitions (a JSON string in Pulumi, or an already decoded list).
// A non-nil result is the undetermined (or failing) verdict to return.
func containers(r policy.Resource) ([]container, *policy.Result) {
	doc, present, res := check.JSON(r.Properties, "containerDefinitions")
	if res != nil {
		return nil, res
	}
	if !present {
		f := policy.Failed("containerDefinitions is empty: the task definition has no containers")
		return nil, &f
	}
	list, ok := doc.([]any)
	if !ok {
		u := policy.UndeterminedBecause("containerDefinitions is a JSON document that is not a list; it cannot be interpreted")
		return nil, &u
	}
	// Container names are part of the value: not shown when the definitions are secret.
	secret := props.IsSecret(r.Properties, "containerDefinitions")
	out := make([]container, 0, len(list))
	for i, e := range list {
		def, ok := e.(map[string]any)
		if !ok {
			u := policy.UndeterminedBecause("containerDefinitions[%d] is not an object; it cannot be interpreted", i)
			return nil, &u
		}
		label := fmt.Sprintf("containerDefinitions[%d]", i)
		if name, ok := def["name"].(string); ok && name != "" && !secret {
			label += " (" + name + ")"
		}
		out = append(out, container{label: label, def: def})
	}
	return out, nil
}

// boolField reads a boolean container field: JSON true/false or the strings "true"/"false".
// ok is false when the field has another type.
func boolField(def map[string]any, key string) (v, present, ok bool) {
	switch x := def[key].(type) {
	case nil:
		return false, false, true
	case bool:
		return x, true, true
	case string:
		switch x {
		case "true", "TRUE", "True":
			return true, true, true
		case "false", "FALSE", "False":
			return false, true, true
		}
	}
	return false, true, false
}
