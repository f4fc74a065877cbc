package credname_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/credname"
)

func TestLooksSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"DB_PASSWORD", true},
		{"db-password", true},
		{"PGPASSWD", true},
		{"AUTH_TOKEN", true},
		{"partner-api-key", true},
		{"APIKEY", true},
		{"SIGNING_KEY", true},
		{"KEY", true},
		{"AWS_SECRET_ACCESS_KEY", true},
		{"GOOGLE_CREDENTIALS", true},
		{"PRIVATEKEY", true},
		{"SIGNING_KEY_ID", false},
		{"API_TOKEN_SECRET_ARN", false},
		{"DB_PASSWORD_FILE", false},
		{"MONKEY_MODE", false},
		{"KEYBOARD_LAYOUT", false},
		{"STREAM_NAME", false},
		{"AUTHORIZER_ISSUER", false},
		{"", false},
	} {
		assert.Equal(t, tc.want, credname.LooksSecret(tc.name), tc.name)
	}
}
