package iamdoc_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/iamdoc"
)

func parse(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

func TestStatements(t *testing.T) {
	doc := parse(t, `{"Statement":{"Effect":"deny","Principal":{"AWS":["*"]},"Action":"S3:*","Resource":["*"],
		"Condition":{"BoolIfExists":{"AWS:SecureTransport":[false]}}}}`)
	stmts, err := iamdoc.Statements(doc)
	require.NoError(t, err)
	require.Len(t, stmts, 1)
	s := stmts[0]
	assert.True(t, s.Denies())
	assert.False(t, s.Allows())
	assert.True(t, s.AnyPrincipal())
	assert.True(t, s.HasAction("s3:*"), "actions compare case-insensitively")
	assert.True(t, s.HasResource("*"))
	assert.Equal(t, []string{"false"}, s.ConditionValues("Bool", "aws:SecureTransport"))

	none, err := iamdoc.Statements(parse(t, `{"Version":"2012-10-17"}`))
	require.NoError(t, err)
	assert.Empty(t, none)
}

func TestStatementsErrorsNameTheField(t *testing.T) {
	for doc, want := range map[string]string{
		`[]`:                                     "not a JSON object",
		`{"Statement":"x"}`:                      "field Statement is neither",
		`{"Statement":[1]}`:                      "field Statement[0] is not an object",
		`{"Statement":[{"Resource":{"a":"b"}}]}`: "field Statement[0].Resource",
	} {
		_, err := iamdoc.Statements(parse(t, doc))
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want)
	}
}
