// Package iampolicy builds IAM policy documents for the data-plane components: trust policies
// for one service principal and least-privilege statements whose resources are Pulumi outputs.
// Every document is plain JSON built with encoding/json, never string concatenation.
package iampolicy

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the IAM policy language version.
const Version = "2012-10-17"

// AssumeRole is the trust policy letting one AWS service principal assume a role. When
// sourceAccount is not empty, the aws:SourceAccount condition guards against the confused deputy.
func AssumeRole(service, sourceAccount string) string {
	st := map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRole",
		"Principal": map[string]string{"Service": service},
	}
	if sourceAccount != "" {
		st["Condition"] = map[string]any{"StringEquals": map[string]string{"aws:SourceAccount": sourceAccount}}
	}
	return mustJSON(map[string]any{"Version": Version, "Statement": []any{st}})
}

// Statement is one Allow statement whose resources may be unknown until deployment.
type Statement struct {
	Sid       string
	Actions   []string
	Resources []pulumi.StringInput
	// Condition is an optional IAM condition block.
	Condition map[string]any
}

// Document renders Allow statements into a policy document once every resource is known.
func Document(statements ...Statement) pulumi.StringOutput {
	var all []any
	for _, s := range statements {
		for _, r := range s.Resources {
			all = append(all, r)
		}
	}
	return pulumi.All(all...).ApplyT(func(vals []any) (string, error) {
		out := make([]any, 0, len(statements))
		i := 0
		for _, s := range statements {
			res := make([]string, 0, len(s.Resources))
			for range s.Resources {
				v, ok := vals[i].(string)
				if !ok || v == "" {
					return "", fmt.Errorf("policy statement %s: resource %d is empty or not a string", s.Sid, len(res))
				}
				res = append(res, v)
				i++
			}
			st := map[string]any{"Sid": s.Sid, "Effect": "Allow", "Action": s.Actions, "Resource": res}
			if len(s.Condition) > 0 {
				st["Condition"] = s.Condition
			}
			out = append(out, st)
		}
		return mustJSON(map[string]any{"Version": Version, "Statement": out}), nil
	}).(pulumi.StringOutput)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("iampolicy: marshal: %v", err)) // only maps of strings: cannot fail
	}
	return string(b)
}
