package keys

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, d Domain) map[string]any {
	t.Helper()
	s, err := Policy(d, "111122223333", "eu-west-1").JSON()
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &out))
	return out
}

func TestPolicyRootOnlyForDataKeys(t *testing.T) {
	for _, d := range []Domain{Stream, Database, Cache, Secrets, Images} {
		doc := decode(t, d)
		assert.Equal(t, "2012-10-17", doc["Version"])
		st := doc["Statement"].([]any)
		require.Len(t, st, 1, "%s: only the account root", d)
		s := st[0].(map[string]any)
		assert.Equal(t, "Allow", s["Effect"])
		assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, s["Principal"])
		assert.Equal(t, []any{"kms:*"}, s["Action"])
	}
}

func TestPolicyLogsKeyScopedToAccountLogGroups(t *testing.T) {
	st := decode(t, Logs)["Statement"].([]any)
	require.Len(t, st, 2)
	s := st[1].(map[string]any)
	assert.Equal(t, map[string]any{"Service": "logs.eu-west-1.amazonaws.com"}, s["Principal"])
	assert.Equal(t, map[string]any{"ArnLike": map[string]any{
		"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:log-group:*",
	}}, s["Condition"])
	assert.NotContains(t, s["Action"], "kms:*")
}

func TestPolicyAuditKey(t *testing.T) {
	st := decode(t, Audit)["Statement"].([]any)
	require.Len(t, st, 4)
	trail := st[1].(map[string]any)
	assert.Equal(t, map[string]any{"Service": "cloudtrail.amazonaws.com"}, trail["Principal"])
	assert.Equal(t, []any{"kms:GenerateDataKey*"}, trail["Action"])
	assert.Equal(t, map[string]any{
		"StringEquals": map[string]any{"aws:SourceAccount": "111122223333"},
		"StringLike":   map[string]any{"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"},
	}, trail["Condition"])
	alarms := st[3].(map[string]any)
	assert.Equal(t, map[string]any{"Service": "cloudwatch.amazonaws.com"}, alarms["Principal"])
	for _, raw := range st {
		s := raw.(map[string]any)
		if s["Principal"].(map[string]any)["Service"] != nil {
			assert.Contains(t, s, "Condition", "service statements are scoped to this account: %v", s["Sid"])
		}
	}
}
