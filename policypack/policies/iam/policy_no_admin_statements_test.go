package iam_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/iam"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

const (
	scoped = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:PutRecord","kinesis:PutRecords"],"Resource":"arn:aws:kinesis:us-east-1:111122223333:stream/vitals"}]}`
	admin  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogStream","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

var controls = []string{
	"164.308(a)(3)(i)", "164.308(a)(3)(ii)(A)", "164.308(a)(3)(ii)(B)", "164.308(a)(4)(i)",
	"164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(B)", "164.308(a)(4)(ii)(C)", "164.312(a)(1)",
}

func TestPolicyNoAdminStatements(t *testing.T) {
	const id = "iam-policy-no-admin-statements"
	docCases := []pt.Case{
		{Name: "admin statement", Set: map[string]any{"policy": admin}, Want: policy.Fail, Msg: `policy Statement[1] allows Action "*" on Resource "*"`},
		{Name: "star colon star in list", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":["s3:GetObject","*:*"],"Resource":["*"]}}`}, Want: policy.Fail, Msg: "Statement[0]"},
		{Name: "deny star is fine", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`}, Want: policy.Pass},
		{Name: "star on one resource is not admin", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket/*"}}`}, Want: policy.Pass},
		{Name: "document unknown", Set: map[string]any{"policy": pt.Unknown}, Want: policy.Undetermined, Msg: "policy cannot be verified until the value is known"},
		{Name: "document missing", Set: map[string]any{"policy": pt.Missing}, Want: policy.Pass},
		{Name: "secret admin document", Set: map[string]any{"policy": pt.Secret(admin)}, Want: policy.Fail, Msg: "Statement[1]"},
		{Name: "document as object", Set: map[string]any{"policy": pt.Wrong(map[string]any{"Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}})}, Want: policy.Fail, Msg: "Statement[0]"},
		{Name: "document as number", Set: map[string]any{"policy": pt.Wrong(5)}, Want: policy.Undetermined, Msg: "policy is of type number"},
		{Name: "malformed JSON", Set: map[string]any{"policy": `{"Statement": [`}, Want: policy.Undetermined, Msg: "policy is not valid JSON"},
		{Name: "action of wrong shape", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}}`}, Want: policy.Undetermined, Msg: "field Statement[0].Action"},
	}
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMPolicy, map[string]any{"name": "ingest", "policy": scoped}, docCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMRolePolicy, map[string]any{"role": "ingest-task", "policy": scoped}, docCases)
	role := map[string]any{
		"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"inlinePolicies":   []any{map[string]any{"name": "ingest", "policy": scoped}},
	}
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMRole, role, []pt.Case{
		{Name: "inline admin", Set: map[string]any{"inlinePolicies[0].policy": admin}, Want: policy.Fail, Msg: "inlinePolicies[0].policy Statement[1]"},
		{Name: "no inline policies", Set: map[string]any{"inlinePolicies": pt.Missing}, Want: policy.NotApplicable, Msg: "inlinePolicies is empty"},
		{Name: "inline unknown", Set: map[string]any{"inlinePolicies[0].policy": pt.Unknown}, Want: policy.Undetermined, Msg: "inlinePolicies[0].policy cannot be verified"},
		{Name: "inline list unknown", Set: map[string]any{"inlinePolicies": pt.Unknown}, Want: policy.Undetermined, Msg: "inlinePolicies cannot be verified"},
		{Name: "inline secret", Set: map[string]any{"inlinePolicies[0].policy": pt.Secret(scoped)}, Want: policy.Pass},
		{Name: "inline wrong type", Set: map[string]any{"inlinePolicies": pt.Wrong("ingest")}, Want: policy.Undetermined, Msg: "inlinePolicies is of type string"},
	})
}
