package policydoc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssumeRoleJSON(t *testing.T) {
	s, err := AssumeRole("vpc-flow-logs.amazonaws.com", "111122223333").JSON()
	require.NoError(t, err)
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":["sts:AssumeRole"],
		"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`, s)
}

func TestStatementJSON(t *testing.T) {
	d := New(Statement{
		Sid: "S", Effect: "Deny", Principal: AWS("*"), Action: []string{"s3:*"},
		Resource:  []string{"arn:aws:s3:::b", "arn:aws:s3:::b/*"},
		Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
	}, Statement{Effect: "Allow", Principal: Service("a.amazonaws.com", "b.amazonaws.com"), Action: []string{"x:Y"}, Resource: []string{"*"}})
	assert.JSONEq(t, `{"Version":"2012-10-17","Statement":[
		{"Sid":"S","Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],
		 "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
		{"Effect":"Allow","Principal":{"Service":["a.amazonaws.com","b.amazonaws.com"]},"Action":["x:Y"],"Resource":["*"]}]}`, d.MustJSON())
	assert.Equal(t, "arn:aws:iam::111122223333:root", AccountRoot("111122223333"))
}
