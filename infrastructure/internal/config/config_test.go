package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// stackSource reads ../../Pulumi.<stack>.yaml the way the engine passes config to the program.
func stackSource(t *testing.T, stack string) Source {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "Pulumi."+stack+".yaml"))
	require.NoError(t, err)
	var f struct {
		Config map[string]any `yaml:"config"`
	}
	require.NoError(t, yaml.Unmarshal(b, &f))
	raw := map[string]string{}
	for k, v := range f.Config {
		switch x := v.(type) {
		case string:
			raw[k] = x
		case int, float64, bool:
			j, _ := json.Marshal(x)
			raw[k] = string(j)
		default:
			j, err := json.Marshal(x)
			require.NoError(t, err)
			raw[k] = string(j)
		}
	}
	return func(k string) (string, bool) { v, ok := raw[k]; return v, ok }
}

func parseStack(t *testing.T, stack string) Config {
	t.Helper()
	c, err := Parse(DefaultProject, stackSource(t, stack))
	require.NoError(t, err)
	return c
}

// errLines splits a Validate/Parse error into its individual messages.
func errLines(err error) []string {
	if err == nil {
		return nil
	}
	s := err.Error()
	for _, p := range []string{"invalid stack configuration: ", "stack configuration: "} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.Split(s, "\n")
}

func TestParseCommittedStacks(t *testing.T) {
	prod := parseStack(t, "prod")
	assert.Equal(t, "prod", prod.Environment)
	assert.Equal(t, "eu-west-1", prod.Region)
	assert.Equal(t, "111122223333", prod.AccountID)
	assert.Equal(t, TierCritical, prod.AvailabilityTier)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, prod.Network.AvailabilityZones)
	assert.Equal(t, "10.20.0.0/16", prod.Network.VpcCidr)
	assert.Equal(t, NatPerAZ, prod.Network.NatGateways)
	assert.Equal(t, 365, prod.Keys.RotationPeriodDays)
	assert.Equal(t, 30, prod.Keys.DeletionWindowDays)
	assert.Equal(t, 2192, prod.Logs.RetentionDays)
	assert.Equal(t, []string{"security-oncall@carepulse.example"}, prod.SecurityAlarmEmails)
	assert.Equal(t, map[string]string{"environment": "prod", "data-classification": "phi", "compliance-framework": "hipaa", "owner": "platform-engineering"}, prod.DefaultTags)

	dev := parseStack(t, "dev")
	assert.Equal(t, "dev", dev.Environment)
	assert.Equal(t, TierBestEffort, dev.AvailabilityTier)
	assert.Equal(t, NatSingle, dev.Network.NatGateways)
	assert.Equal(t, "10.10.0.0/16", dev.Network.VpcCidr)
	assert.Equal(t, 7, dev.Keys.DeletionWindowDays)
	assert.Equal(t, 365, dev.Logs.RetentionDays)
}

func TestCommittedStacksAreValid(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			assert.NoError(t, Validate(parseStack(t, stack)))
		})
	}
}

func TestDefaults(t *testing.T) {
	prod := Defaults(EnvProd)
	assert.Equal(t, HIPAADocumentationRetentionDays, prod.Logs.RetentionDays)
	assert.Equal(t, 2192, prod.Logs.RetentionDays)
	assert.Equal(t, 365, prod.Keys.RotationPeriodDays)
	assert.Equal(t, NatPerAZ, prod.Network.NatGateways)
	assert.Equal(t, TierCritical, prod.AvailabilityTier)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, prod.Network.AvailabilityZones)
	dev := Defaults(EnvDev)
	assert.Equal(t, NatSingle, dev.Network.NatGateways)
	assert.Equal(t, TierBestEffort, dev.AvailabilityTier)
	assert.Equal(t, 365, dev.Keys.RotationPeriodDays)
	assert.Equal(t, 365, dev.Logs.RetentionDays)
}

// Foundation rules: each case changes one value of the valid prod (or dev) stack and expects
// exactly this message among the errors.
func TestValidateFoundationKeys(t *testing.T) {
	allowedRetention := "1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
	for _, tc := range []struct {
		name   string
		stack  string
		change func(*Config)
		want   string
	}{
		{"unknown environment", "dev", func(c *Config) { c.Environment = "staging"; c.DefaultTags["environment"] = "staging" },
			`hipaa-pipeline:environment: "staging" is not an environment (allowed: dev, prod)`},
		{"missing owner", "dev", func(c *Config) { c.Owner = " " },
			`hipaa-pipeline:owner: must name the accountable team (a non-empty string)`},
		{"unknown tier", "dev", func(c *Config) { c.AvailabilityTier = "gold" },
			`hipaa-pipeline:availabilityTier: "gold" is not a tier (allowed: critical, best-effort)`},
		{"prod on best-effort tier", "prod", func(c *Config) { c.AvailabilityTier = TierBestEffort },
			`hipaa-pipeline:availabilityTier: the prod environment must use tier "critical", got "best-effort"`},
		{"bad account", "prod", func(c *Config) { c.AccountID = "12345" },
			`hipaa-pipeline:accountId: "12345" is not an AWS account ID (allowed: 12 digits)`},
		{"no region", "prod", func(c *Config) { c.Region = "" },
			`aws:region: must be set (e.g. eu-west-1)`},
		{"one AZ", "prod", func(c *Config) { c.Network.AvailabilityZones = []string{"eu-west-1a"} },
			`hipaa-pipeline:availabilityZones: 1 availability zone(s) given, at least 2 are required for high availability (e.g. [eu-west-1a, eu-west-1b])`},
		{"no AZ", "dev", func(c *Config) { c.Network.AvailabilityZones = nil },
			`hipaa-pipeline:availabilityZones: 0 availability zone(s) given, at least 2 are required for high availability (e.g. [eu-west-1a, eu-west-1b])`},
		{"five AZs", "dev", func(c *Config) {
			c.Network.AvailabilityZones = []string{"eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d", "eu-west-1e"}
		}, `hipaa-pipeline:availabilityZones: 5 availability zones given (allowed: 2..4)`},
		{"duplicate AZ", "prod", func(c *Config) { c.Network.AvailabilityZones = []string{"eu-west-1a", "eu-west-1a", "eu-west-1b"} },
			`hipaa-pipeline:availabilityZones: "eu-west-1a" is listed twice (allowed: distinct zones)`},
		{"AZ of another region", "prod", func(c *Config) { c.Network.AvailabilityZones = []string{"eu-west-1a", "us-east-1b"} },
			`hipaa-pipeline:availabilityZones: "us-east-1b" is not a zone of region eu-west-1 (allowed: eu-west-1a, eu-west-1b, ...)`},
		{"public VPC block", "prod", func(c *Config) { c.Network.VpcCidr = "8.8.0.0/16" },
			`hipaa-pipeline:vpcCidr: "8.8.0.0/16" is not a private IPv4 block (allowed: within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`},
		{"VPC block too large", "prod", func(c *Config) { c.Network.VpcCidr = "10.0.0.0/8" },
			`hipaa-pipeline:vpcCidr: "10.0.0.0/8" has prefix /8 (allowed: /16../24)`},
		{"VPC block with host bits", "prod", func(c *Config) { c.Network.VpcCidr = "10.20.1.0/16" },
			`hipaa-pipeline:vpcCidr: "10.20.1.0/16" has host bits set (allowed: the network address, e.g. 10.20.0.0/16)`},
		{"VPC block not a CIDR", "prod", func(c *Config) { c.Network.VpcCidr = "ten-twenty" },
			`hipaa-pipeline:vpcCidr: "ten-twenty" is not a CIDR block (allowed: an RFC 1918 IPv4 block /16../24, e.g. 10.20.0.0/16)`},
		{"unknown NAT layout", "dev", func(c *Config) { c.Network.NatGateways = "none" },
			`hipaa-pipeline:natGateways: "none" is not a NAT layout (allowed: per-az, single)`},
		{"single NAT on critical tier", "prod", func(c *Config) { c.Network.NatGateways = NatSingle },
			`hipaa-pipeline:natGateways: tier "critical" needs one NAT gateway per AZ so losing an AZ does not cut the others' egress (allowed: per-az)`},
		{"rotation too short", "prod", func(c *Config) { c.Keys.RotationPeriodDays = 30 },
			`hipaa-pipeline:kmsKeyRotationDays: 30 is out of range (allowed: 90..2560 days)`},
		{"rotation too long", "prod", func(c *Config) { c.Keys.RotationPeriodDays = 3000 },
			`hipaa-pipeline:kmsKeyRotationDays: 3000 is out of range (allowed: 90..2560 days)`},
		{"deletion window too short", "dev", func(c *Config) { c.Keys.DeletionWindowDays = 5 },
			`hipaa-pipeline:kmsDeletionWindowDays: 5 is out of range (allowed: 7..30 days)`},
		{"unsupported log retention", "dev", func(c *Config) { c.Logs.RetentionDays = 100 },
			`hipaa-pipeline:logRetentionDays: 100 is not a CloudWatch Logs retention period (allowed: ` + allowedRetention + `)`},
		{"never-expire log retention", "dev", func(c *Config) { c.Logs.RetentionDays = 0 },
			`hipaa-pipeline:logRetentionDays: 0 is not a CloudWatch Logs retention period (allowed: ` + allowedRetention + `)`},
		{"prod log retention too short", "prod", func(c *Config) { c.Logs.RetentionDays = 90 },
			`hipaa-pipeline:logRetentionDays: 90 days is too short (allowed: at least 365, the floor of the policy pack's cloudwatch-log-group-retention-minimum; prod default 2192, the HIPAA documentation retention of 164.316(b)(2)(i))`},
		{"dev log retention too short", "dev", func(c *Config) { c.Logs.RetentionDays = 30 },
			`hipaa-pipeline:logRetentionDays: 30 days is too short (allowed: at least 365, the floor of the policy pack's cloudwatch-log-group-retention-minimum; prod default 2192, the HIPAA documentation retention of 164.316(b)(2)(i))`},
		{"default tag missing", "prod", func(c *Config) { delete(c.DefaultTags, "data-classification") },
			`aws:defaultTags: tag "data-classification" is missing (required: data-classification=phi)`},
		{"default tag wrong", "dev", func(c *Config) { c.DefaultTags["environment"] = "prod" },
			`aws:defaultTags: tag "environment" is "prod" (required: "dev")`},
		{"owner tag differs from owner", "prod", func(c *Config) { c.Owner = "someone-else" },
			`aws:defaultTags: tag "owner" is "platform-engineering" (required: "someone-else")`},
		{"no alarm recipient on critical tier", "prod", func(c *Config) { c.SecurityAlarmEmails = nil },
			`hipaa-pipeline:securityAlarmEmails: tier "critical" needs at least one recipient of the security alarms (allowed: a list of email addresses)`},
		{"bad alarm recipient", "dev", func(c *Config) { c.SecurityAlarmEmails = []string{"oncall"} },
			`hipaa-pipeline:securityAlarmEmails: "oncall" is not an email address (allowed: name@domain)`},
		{"auto-pause on critical tier", "prod", func(c *Config) { c.Data.Database.MinCapacity = 0 },
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause: a paused cluster needs seconds to resume, which the real-time pipeline cannot take (allowed on this tier: dbMinCapacity >= 0.5 and no dbSecondsUntilAutoPause; got dbMinCapacity 0, dbSecondsUntilAutoPause 0)`},
		{"auto-pause delay on critical tier", "prod", func(c *Config) { c.Data.Database.SecondsUntilAutoPause = 600 },
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause: a paused cluster needs seconds to resume, which the real-time pipeline cannot take (allowed on this tier: dbMinCapacity >= 0.5 and no dbSecondsUntilAutoPause; got dbMinCapacity 2, dbSecondsUntilAutoPause 600)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parseStack(t, tc.stack)
			tags := map[string]string{}
			for k, v := range c.DefaultTags {
				tags[k] = v
			}
			c.DefaultTags = tags
			tc.change(&c)
			err := Validate(c)
			require.Error(t, err)
			assert.Contains(t, errLines(err), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "invalid stack configuration: "))
		})
	}
}

func TestValidateReportsEveryError(t *testing.T) {
	c := parseStack(t, "prod")
	c.Environment = "qa"
	c.Logs.RetentionDays = 42
	c.Network.AvailabilityZones = []string{"eu-west-1a"}
	lines := errLines(Validate(c))
	assert.Contains(t, lines, `hipaa-pipeline:environment: "qa" is not an environment (allowed: dev, prod)`)
	assert.Contains(t, lines, `hipaa-pipeline:availabilityZones: 1 availability zone(s) given, at least 2 are required for high availability (e.g. [eu-west-1a, eu-west-1b])`)
	assert.Contains(t, lines, `hipaa-pipeline:logRetentionDays: 42 is not a CloudWatch Logs retention period (allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`)
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  map[string]string
		want string
	}{
		{"retention not a number", map[string]string{"hipaa-pipeline:logRetentionDays": "six years"},
			`hipaa-pipeline:logRetentionDays: "six years" is not a whole number`},
		{"AZs not a list", map[string]string{"hipaa-pipeline:availabilityZones": "eu-west-1a,eu-west-1b"},
			`hipaa-pipeline:availabilityZones: want a list of strings, got "eu-west-1a,eu-west-1b"`},
		{"capacity not a number", map[string]string{"hipaa-pipeline:dbMinCapacity": "half"},
			`hipaa-pipeline:dbMinCapacity: "half" is not a number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := map[string]string{"hipaa-pipeline:environment": "prod", "aws:region": "eu-west-1"}
			for k, v := range tc.raw {
				raw[k] = v
			}
			_, err := Parse(DefaultProject, func(k string) (string, bool) { v, ok := raw[k]; return v, ok })
			require.Error(t, err)
			assert.Contains(t, errLines(err), tc.want)
		})
	}
}

func TestParseAppliesEnvironmentDefaults(t *testing.T) {
	raw := map[string]string{"hipaa-pipeline:environment": "prod", "aws:region": "eu-west-1"}
	c, err := Parse(DefaultProject, func(k string) (string, bool) { v, ok := raw[k]; return v, ok })
	require.NoError(t, err)
	assert.Equal(t, 2192, c.Logs.RetentionDays)
	assert.Equal(t, NatPerAZ, c.Network.NatGateways)
	assert.Equal(t, []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}, c.Network.AvailabilityZones)
	assert.Equal(t, "hipaa-pipeline:logRetentionDays", c.Full("logRetentionDays"))

	// A custom project name is the namespace of every key and message.
	raw = map[string]string{"other:environment": "dev", "aws:region": "eu-west-1", "other:logRetentionDays": "7"}
	c, err = Parse("other", func(k string) (string, bool) { v, ok := raw[k]; return v, ok })
	require.NoError(t, err)
	assert.Equal(t, 7, c.Logs.RetentionDays)
	assert.Equal(t, "other:owner", c.Full("owner"))
}

func TestParseVpcCidr(t *testing.T) {
	for _, tc := range []struct {
		in      string
		wantErr bool
	}{
		{"10.20.0.0/16", false}, {"172.16.0.0/20", false}, {"192.168.10.0/24", false},
		{"10.20.0.0/25", true}, {"fd00::/48", true}, {"100.64.0.0/16", true}, {"", true},
	} {
		_, err := ParseVpcCidr(tc.in)
		assert.Equal(t, tc.wantErr, err != nil, "%q: %v", tc.in, err)
	}
}
