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
		{Name: "not action on star", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","NotAction":"iam:PassRole","Resource":"*"}}`}, Want: policy.Fail, Msg: "allows every action outside NotAction on Resource \"*\""},
		{Name: "not action with not resource", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","NotAction":["iam:*"],"NotResource":"arn:aws:s3:::audit/*"}}`}, Want: policy.Fail, Msg: "every resource outside NotResource"},
		{Name: "star with not resource", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"*","NotResource":"arn:aws:s3:::audit/*"}}`}, Want: policy.Fail, Msg: "allows Action \"*\" on every resource outside NotResource"},
		{Name: "full iam on star", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*"}}`}, Want: policy.Fail, Msg: "allows Action \"iam:*\" on Resource \"*\""},
		{Name: "full iam any case", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":["IAM:*"],"Resource":["*"]}}`}, Want: policy.Fail, Msg: "full IAM control"},
		{Name: "not action on one resource is scoped", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","NotAction":"s3:DeleteObject","Resource":"arn:aws:s3:::bucket/*"}}`}, Want: policy.Pass},
		{Name: "deny not action is fine", Set: map[string]any{"policy": `{"Statement":{"Effect":"Deny","NotAction":"s3:GetObject","Resource":"*"}}`}, Want: policy.Pass},
		{Name: "full iam on one role is scoped", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:role/ingest"}}`}, Want: policy.Pass},
		{Name: "action of wrong shape", Set: map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":{"a":1},"Resource":"*"}}`}, Want: policy.Undetermined, Msg: "field Statement[0].Action"},
	}
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMPolicy, map[string]any{"name": "ingest", "policy": scoped}, docCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMRolePolicy, map[string]any{"role": "ingest-task", "policy": scoped}, docCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMUserPolicy, map[string]any{"user": "operator", "policy": scoped}, docCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMGroupPolicy, map[string]any{"group": "operators", "policy": scoped}, docCases)
	attachCases := []pt.Case{
		{Name: "administrator access", Set: map[string]any{"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, Want: policy.Fail, Msg: "policyArn is the AWS managed AdministratorAccess policy"},
		{Name: "iam full access", Set: map[string]any{"policyArn": "arn:aws:iam::aws:policy/IAMFullAccess"}, Want: policy.Fail, Msg: "IAMFullAccess"},
		{Name: "power user in govcloud", Set: map[string]any{"policyArn": "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"}, Want: policy.Fail, Msg: "PowerUserAccess"},
		{Name: "secret administrator access", Set: map[string]any{"policyArn": pt.Secret("arn:aws:iam::aws:policy/AdministratorAccess")}, Want: policy.Fail, Msg: "AdministratorAccess"},
		{Name: "customer policy of the same name", Set: map[string]any{"policyArn": "arn:aws:iam::111122223333:policy/AdministratorAccess"}, Want: policy.Pass},
		{Name: "policy arn unknown", Set: map[string]any{"policyArn": pt.Unknown}, Want: policy.NotApplicable, Msg: "policyArn is not known until apply"},
		{Name: "policy arn missing", Set: map[string]any{"policyArn": pt.Missing}, Want: policy.Undetermined, Msg: "policyArn is not set"},
		{Name: "policy arn number", Set: map[string]any{"policyArn": pt.Wrong(5)}, Want: policy.Undetermined, Msg: "policyArn is of type number"},
	}
	ecsExec := "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMRolePolicyAttachment, map[string]any{"role": "ingest-task", "policyArn": ecsExec}, attachCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMUserPolicyAttachment, map[string]any{"user": "operator", "policyArn": ecsExec}, attachCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMGroupPolicyAttachment, map[string]any{"group": "operators", "policyArn": ecsExec}, attachCases)
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMPolicyAttachment, map[string]any{"name": "exec", "roles": []any{"ingest-task"}, "policyArn": ecsExec}, attachCases)
	role := map[string]any{
		"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`,
		"inlinePolicies":   []any{map[string]any{"name": "ingest", "policy": scoped}},
	}
	pt.Run(t, iam.PolicyNoAdminStatements, id, controls, awstypes.IAMRole, role, []pt.Case{
		{Name: "inline admin", Set: map[string]any{"inlinePolicies[0].policy": admin}, Want: policy.Fail, Msg: "inlinePolicies[0].policy Statement[1]"},
		{Name: "no inline policies", Set: map[string]any{"inlinePolicies": pt.Missing}, Want: policy.NotApplicable, Msg: "inlinePolicies and managedPolicyArns are empty"},
		{Name: "managed administrator access", Set: map[string]any{"managedPolicyArns": []any{"arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"}}, Want: policy.Fail, Msg: "managedPolicyArns[1] is the AWS managed AdministratorAccess policy"},
		{Name: "managed iam full access only", Set: map[string]any{"inlinePolicies": pt.Missing, "managedPolicyArns": []any{"arn:aws:iam::aws:policy/IAMFullAccess"}}, Want: policy.Fail, Msg: "IAMFullAccess"},
		{Name: "managed scoped policy only", Set: map[string]any{"inlinePolicies": pt.Missing, "managedPolicyArns": []any{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}}, Want: policy.Pass},
		{Name: "managed list unknown", Set: map[string]any{"managedPolicyArns": pt.Unknown}, Want: policy.Undetermined, Msg: "managedPolicyArns cannot be verified"},
		{Name: "managed list wrong type", Set: map[string]any{"managedPolicyArns": pt.Wrong(3)}, Want: policy.Undetermined, Msg: "managedPolicyArns is of type number"},
		{Name: "inline unknown", Set: map[string]any{"inlinePolicies[0].policy": pt.Unknown}, Want: policy.Undetermined, Msg: "inlinePolicies[0].policy cannot be verified"},
		{Name: "inline list unknown", Set: map[string]any{"inlinePolicies": pt.Unknown}, Want: policy.Undetermined, Msg: "inlinePolicies cannot be verified"},
		{Name: "inline secret", Set: map[string]any{"inlinePolicies[0].policy": pt.Secret(scoped)}, Want: policy.Pass},
		{Name: "inline wrong type", Set: map[string]any{"inlinePolicies": pt.Wrong("ingest")}, Want: policy.Undetermined, Msg: "inlinePolicies is of type string"},
	})
}
