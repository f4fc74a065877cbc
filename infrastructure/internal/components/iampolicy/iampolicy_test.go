package iampolicy_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/iampolicy"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
)

func TestAssumeRole(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(iampolicy.AssumeRole("lambda.amazonaws.com", "111122223333")), &doc))
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"Service": "lambda.amazonaws.com"},
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"}},
		}},
	}, doc)
	require.NoError(t, json.Unmarshal([]byte(iampolicy.AssumeRole("monitoring.rds.amazonaws.com", "")), &doc))
	assert.NotContains(t, doc["Statement"].([]any)[0], "Condition")
}

// document resolves Document under the mocks (outputs resolve only inside a program run).
func document(t *testing.T, statements ...iampolicy.Statement) (string, error) {
	t.Helper()
	var got string
	var applyErr error
	_, err := mocktest.Run(func(ctx *pulumi.Context) error {
		doc := iampolicy.Document(statements...).ApplyT(func(s string) string { got = s; return s }).(pulumi.StringOutput)
		// As a resource input, a failed document fails the program (as it would a deployment).
		_, err := iam.NewPolicy(ctx, "p", &iam.PolicyArgs{Policy: doc})
		return err
	}, mocktest.Options{Stack: "dev"})
	if err != nil {
		applyErr = err
	}
	return got, applyErr
}

func TestDocumentRendersResolvedResources(t *testing.T) {
	got, err := document(t,
		iampolicy.Statement{Sid: "Read", Actions: []string{"kinesis:GetRecords"}, Resources: []pulumi.StringInput{
			pulumi.String("arn:aws:kinesis:eu-west-1:111122223333:stream/s"), pulumi.Sprintf("%s/consumer/*", pulumi.String("arn:x")),
		}},
		iampolicy.Statement{Sid: "Decrypt", Actions: []string{"kms:Decrypt"}, Resources: []pulumi.StringInput{pulumi.String("arn:k")},
			Condition: map[string]any{"StringEquals": map[string]string{"kms:ViaService": "kinesis.eu-west-1.amazonaws.com"}}},
	)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(got), &doc))
	assert.Equal(t, []any{
		map[string]any{"Sid": "Read", "Effect": "Allow", "Action": []any{"kinesis:GetRecords"},
			"Resource": []any{"arn:aws:kinesis:eu-west-1:111122223333:stream/s", "arn:x/consumer/*"}},
		map[string]any{"Sid": "Decrypt", "Effect": "Allow", "Action": []any{"kms:Decrypt"}, "Resource": []any{"arn:k"},
			"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "kinesis.eu-west-1.amazonaws.com"}}},
	}, doc["Statement"])
}

func TestDocumentRefusesEmptyResource(t *testing.T) {
	_, err := document(t, iampolicy.Statement{Sid: "Bad", Actions: []string{"s3:GetObject"}, Resources: []pulumi.StringInput{pulumi.String("")}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "policy statement Bad: resource 0 is empty or not a string")
}
