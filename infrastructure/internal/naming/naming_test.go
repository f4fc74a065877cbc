package naming

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestKebab(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"network", "private", "subnet", "a"}, "network-private-subnet-a"},
		{[]string{"Private", "routeTable", "eu-west-1a"}, "private-route-table-eu-west-1a"},
		{[]string{"ecr.api", "endpoint"}, "ecr-api-endpoint"},
		{[]string{"  flow logs ", "", "--role--"}, "flow-logs-role"},
		{[]string{"KMSKey"}, "kmskey"},
		{[]string{"readAPI2Service"}, "read-api2-service"},
		{nil, ""},
	} {
		assert.Equal(t, tc.want, Kebab(tc.in...), "%q", tc.in)
		if tc.want != "" {
			assert.True(t, IsKebab(Kebab(tc.in...)))
		}
	}
	assert.False(t, IsKebab("Network"))
	assert.False(t, IsKebab("a--b"))
	assert.False(t, IsKebab("-a"))
}

func TestNamer(t *testing.T) {
	for _, tc := range []struct {
		env                                 string
		physical, logGroup, alias, prefixed string
	}{
		{"prod", "hipaa-audit-trail-prod", "/hipaa/network/flow-logs-prod", "alias/hipaa-stream-prod", "aws-waf-logs-hipaa-api-prod"},
		{"dev", "hipaa-audit-trail-dev", "/hipaa/network/flow-logs-dev", "alias/hipaa-stream-dev", "aws-waf-logs-hipaa-api-dev"},
	} {
		n := New(tc.env)
		assert.Equal(t, "-"+tc.env, n.Suffix())
		assert.Equal(t, tc.physical, n.Physical("audit", "trail"))
		assert.Equal(t, tc.logGroup, n.LogGroup("network", "flow-logs"))
		assert.Equal(t, tc.alias, n.KeyAlias("stream"))
		assert.Equal(t, tc.prefixed, n.PhysicalWithPrefix("aws-waf-logs-", "api"))
		assert.Equal(t, "/hipaa/audit-"+tc.env, n.LogGroup("audit"))
	}
}

func TestTags(t *testing.T) {
	n := New("dev")
	tags := n.Tags("vpc")
	assert.Len(t, tags, 1)
	assert.Contains(t, tags, "Name")
	tags = n.TagsWith(map[string]string{"tier": "private"}, "private", "subnet", "a")
	assert.Len(t, tags, 2)
	assert.Contains(t, tags, "tier")
}

func TestLogicalAndTypeToken(t *testing.T) {
	assert.Equal(t, "network-private-subnet-a", Logical("network", "private", "subnet", "a"))
	assert.Equal(t, "keys-logs-key", Logical("keys", "logs", "key"))
	assert.Equal(t, "hipaa:network:Network", TypeToken("network", "Network"))
	assert.Equal(t, "b", AZLetter("eu-west-1b"))
	assert.Equal(t, "use1-az1", AZLetter("use1-az1"))
	assert.Equal(t, "", AZLetter(""))
}
