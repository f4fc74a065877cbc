// Package policydoc builds IAM, KMS key, S3 bucket and SNS topic policy documents as typed Go
// values serialised to JSON, so policies are reviewed as code and tested as data (no
// aws.iam.getPolicyDocument invoke, so a preview needs no provider call).
package policydoc

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the IAM policy language version.
const Version = "2012-10-17"

// Document is a policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Principal is nil for identity policies.
type Statement struct {
	Sid       string                    `json:"Sid,omitempty"`
	Effect    string                    `json:"Effect"`
	Principal map[string]any            `json:"Principal,omitempty"`
	Action    []string                  `json:"Action"`
	Resource  []string                  `json:"Resource,omitempty"`
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// New returns a document of statements.
func New(statements ...Statement) Document { return Document{Version: Version, Statement: statements} }

// JSON serialises the document.
func (d Document) JSON() (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("policy document: %w", err)
	}
	return string(b), nil
}

// MustJSON serialises a document built from constants (it cannot fail for such documents).
func (d Document) MustJSON() string {
	s, err := d.JSON()
	if err != nil {
		panic(err)
	}
	return s
}

// Service is a service principal: {"Service": name}.
func Service(names ...string) map[string]any {
	if len(names) == 1 {
		return map[string]any{"Service": names[0]}
	}
	return map[string]any{"Service": names}
}

// AWS is an AWS principal: {"AWS": arn}.
func AWS(arns ...string) map[string]any {
	if len(arns) == 1 {
		return map[string]any{"AWS": arns[0]}
	}
	return map[string]any{"AWS": arns}
}

// AccountRoot is the account's root principal ARN (delegates to the account's IAM policies).
func AccountRoot(account string) string { return "arn:aws:iam::" + account + ":root" }

// Output builds a document from resolved ARNs: build is called once every input is known,
// and its document becomes the policy string.
func Output(build func(arns []string) Document, arns ...pulumi.StringInput) pulumi.StringOutput {
	ins := make([]any, len(arns))
	for i, a := range arns {
		ins[i] = a
	}
	return pulumi.All(ins...).ApplyT(func(vals []any) (string, error) {
		ss := make([]string, len(vals))
		for i, v := range vals {
			s, ok := v.(string)
			if !ok {
				return "", fmt.Errorf("policy document: input %d is %T, want string", i, v)
			}
			ss[i] = s
		}
		return build(ss).JSON()
	}).(pulumi.StringOutput)
}

// AssumeRole is the trust policy letting a service assume a role, limited to this account
// (aws:SourceAccount) to prevent the confused-deputy problem.
func AssumeRole(service, account string) Document {
	return New(Statement{
		Effect:    "Allow",
		Principal: Service(service),
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}},
	})
}
