package check_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestReaders(t *testing.T) {
	m := pt.ToPropertyMap(map[string]any{
		"b": "TRUE", "n": 3, "s": pt.Secret("canary-hidden"), "u": pt.Unknown, "o": map[string]any{"x": 1},
		"list": []any{map[string]any{"a": 1}, pt.Unknown}, "json": `{"a": [1]}`, "badjson": `{"a": canary-x}`,
	})
	b, res := check.Bool(m, "b", false)
	assert.Nil(t, res)
	assert.True(t, b)
	def, res := check.Bool(m, "absent", true)
	assert.Nil(t, res)
	assert.True(t, def)
	_, res = check.Bool(m, "n", false)
	require.NotNil(t, res)
	assert.Equal(t, policy.Undetermined, res.Status)
	assert.Equal(t, []string{"n is of type number where a boolean was expected; it cannot be interpreted"}, res.Messages)
	_, _, res = check.String(m, "u")
	require.NotNil(t, res)
	assert.Equal(t, []string{"u cannot be verified until the value is known"}, res.Messages)
	s, present, res := check.String(m, "s")
	assert.Nil(t, res)
	assert.True(t, present)
	assert.Equal(t, "canary-hidden", s)
	assert.Equal(t, "[secret]", check.Show(m, "s", s))
	assert.Equal(t, "3", check.Show(m, "n", 3))
	_, _, res = check.Objects(m, "list")
	require.NotNil(t, res)
	assert.Contains(t, res.Messages[0], "list[1] cannot be verified")
	objs, present, res := check.Objects(m, "o")
	assert.Nil(t, res)
	assert.True(t, present)
	assert.Len(t, objs, 1, "a single object is read as a list of one")
	doc, present, res := check.JSON(m, "json")
	assert.Nil(t, res)
	assert.True(t, present)
	assert.Equal(t, map[string]any{"a": []any{1.0}}, doc)
	_, _, res = check.JSON(m, "badjson")
	require.NotNil(t, res)
	assert.Contains(t, res.Messages[0], "badjson is not valid JSON (syntax error at offset")
	assert.NotContains(t, res.Messages[0], "canary-")
	wrapped := check.Within("rules[0].", res)
	assert.Contains(t, wrapped.Messages[0], "rules[0].badjson")
	assert.NotContains(t, res.Messages[0], "rules[0].", "Within copies the result")
}

func TestKeyAndARNHelpers(t *testing.T) {
	assert.True(t, check.IsAWSManagedKey("alias/aws/rds"))
	assert.True(t, check.IsAWSManagedKey("arn:aws:kms:us-east-1:1:alias/aws/s3"))
	assert.False(t, check.IsAWSManagedKey("alias/hipaa-rds"))
	assert.True(t, check.IsARN("arn:aws-us-gov:ecs:us-gov-west-1:1:cluster/x"))
	assert.False(t, check.IsARN("hipaa-prod"))
}
