package config

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataPlaneDefaults(t *testing.T) {
	dev, prod := Defaults(EnvDev).Data, Defaults(EnvProd).Data

	assert.Equal(t, StreamConfig{Mode: StreamOnDemand, RetentionHours: 24}, dev.Stream)
	assert.Equal(t, StreamConfig{Mode: StreamOnDemand, RetentionHours: 168}, prod.Stream)

	assert.Equal(t, 0.0, dev.Database.MinCapacity)
	assert.Equal(t, 600, dev.Database.SecondsUntilAutoPause)
	assert.Equal(t, 2.0, prod.Database.MinCapacity)
	assert.Equal(t, 0, prod.Database.SecondsUntilAutoPause)
	assert.Equal(t, 35, prod.Database.BackupRetentionDays)
	assert.Equal(t, 2, prod.Database.ReaderCount)
	assert.Equal(t, "16.6", prod.Database.EngineVersion)

	assert.Equal(t, 3, prod.Compute.Processor.MinTasks)
	assert.Equal(t, 1, dev.Compute.Processor.MinTasks)
	assert.Equal(t, 15, prod.Cache.SnapshotRetentionDays)
	assert.Equal(t, 3, prod.Cache.NumNodes)
	assert.Equal(t, "ERROR", prod.API.LoggingLevel)
	assert.Equal(t, 30, prod.Secrets.RotationDays)
	assert.Equal(t, 30, dev.Secrets.RotationDays)
}

func TestCommittedStacksSetTheDataPlane(t *testing.T) {
	for _, stack := range []string{EnvDev, EnvProd} {
		c := parseStack(t, stack)
		require.NoError(t, Validate(c), stack)
		assert.Regexp(t, `^arn:aws:acm:eu-west-1:111122223333:certificate/`, c.Data.Compute.ReadAPICertificateArn)
		assert.Equal(t, "https://idp.example/realms/hipaa-"+stack, c.Data.API.AuthorizerIssuer)
		assert.Equal(t, "carepulse-vitals-api-"+stack, c.Data.API.AuthorizerAudience)
	}
}

func TestValidateDataPlaneKeys(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stack  string
		change func(*Config)
		want   string
	}{
		{"prod at 0 ACU", "prod", func(c *Config) { c.Data.Database.MinCapacity = 0 },
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause: a paused cluster needs seconds to resume, which the real-time pipeline cannot take (allowed on this tier: dbMinCapacity >= 0.5 and no dbSecondsUntilAutoPause; got dbMinCapacity 0, dbSecondsUntilAutoPause 0)`},
		{"dev at 0 ACU without auto-pause", "dev", func(c *Config) { c.Data.Database.SecondsUntilAutoPause = 0 },
			`hipaa-pipeline:dbSecondsUntilAutoPause: must be set when dbMinCapacity is 0 (allowed: 300..86400 seconds)`},
		{"auto-pause too short", "dev", func(c *Config) { c.Data.Database.SecondsUntilAutoPause = 299 },
			`hipaa-pipeline:dbSecondsUntilAutoPause: 299 is out of range (allowed: 300..86400 seconds)`},
		{"auto-pause too long", "dev", func(c *Config) { c.Data.Database.SecondsUntilAutoPause = 86401 },
			`hipaa-pipeline:dbSecondsUntilAutoPause: 86401 is out of range (allowed: 300..86400 seconds)`},
		{"not aurora postgresql 16", "dev", func(c *Config) { c.Data.Database.EngineVersion = "15.4" },
			`hipaa-pipeline:dbEngineVersion: "15.4" is not an aurora-postgresql 16.x version (allowed: 16.<minor>, e.g. 16.6)`},
		{"more readers than AZs allow", "prod", func(c *Config) { c.Data.Database.ReaderCount = 3 },
			`hipaa-pipeline:dbReaderCount: 3 is out of range (allowed: 0..2, every instance in its own availability zone)`},
		{"backup retention out of range", "dev", func(c *Config) { c.Data.Database.BackupRetentionDays = 3 },
			`hipaa-pipeline:dbBackupRetentionDays: 3 is out of range (allowed: 7..35 days)`},
		{"bad backup window", "dev", func(c *Config) { c.Data.Database.BackupWindow = "2am" },
			`hipaa-pipeline:dbBackupWindow: "2am" is not a daily window (allowed: hh:mm-hh:mm in UTC, e.g. 02:00-03:00)`},
		{"statement logging of data changes", "dev", func(c *Config) { c.Data.Database.LogStatement = "mod" },
			`hipaa-pipeline:dbLogStatement: "mod": it writes PHI values of INSERT/UPDATE statements into the logs (allowed: ddl)`},
		{"performance insights retention", "dev", func(c *Config) { c.Data.Database.PerformanceRetention = 30 },
			`hipaa-pipeline:dbPerformanceInsightsRetentionDays: 30 is not a Performance Insights retention (allowed: 7, or a multiple of 31 up to 731)`},
		{"prod stream retention", "prod", func(c *Config) { c.Data.Stream.RetentionHours = 24 },
			`hipaa-pipeline:streamRetentionHours: 24 hours is too short for prod (allowed: at least 168, seven days of replay)`},
		{"provisioned without shards", "dev", func(c *Config) { c.Data.Stream.Mode = StreamProvisioned },
			`hipaa-pipeline:streamShardCount: 0 shards: PROVISIONED mode needs at least 1`},
		{"prod read API on one task", "prod", func(c *Config) { c.Data.Compute.ReadAPI.MinTasks = 2 },
			`hipaa-pipeline:readApiMinTasks: 2 is too few for tier "critical" (allowed: at least 3, one task per availability zone and never fewer than 2)`},
		{"max below min tasks", "dev", func(c *Config) { c.Data.Compute.Processor.MaxTasks = 0 },
			`hipaa-pipeline:processorMaxTasks: 0 is below processorMinTasks 1 (allowed: >= processorMinTasks)`},
		{"fargate size", "dev", func(c *Config) { c.Data.Compute.Processor.MemoryMiB = 4096 },
			`hipaa-pipeline:processorMemoryMiB: 4096 MiB is not allowed with 256 CPU units (allowed: 512, 1024, 2048)`},
		{"mutable image tag", "dev", func(c *Config) {
			c.Data.Compute.Processor.Image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/p:latest"
		},
			`hipaa-pipeline:processorImage: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/p:latest" uses the mutable tag latest (allowed: a version tag or a digest)`},
		{"prod image by external tag", "prod", func(c *Config) { c.Data.Compute.ReadAPI.Image = "registry.example/vitals/read-api:1.2.3" },
			`hipaa-pipeline:readApiImage: "registry.example/vitals/read-api:1.2.3" is not pinned by digest (allowed in prod: <repository>@sha256:<digest>, or a tag of this stack's repository 111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-read-api-prod, whose tags are immutable)`},
		{"prod image by tag of the dev repository", "prod", func(c *Config) {
			c.Data.Compute.Processor.Image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-dev:1.2.3"
		},
			`hipaa-pipeline:processorImage: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-dev:1.2.3" is not pinned by digest (allowed in prod: <repository>@sha256:<digest>, or a tag of this stack's repository 111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-prod, whose tags are immutable)`},
		{"shared database user", "dev", func(c *Config) { c.Data.Compute.ReadAPI.DBUser = "processor" },
			`hipaa-pipeline:readApiDbUser: "processor" is also the processor's user (allowed: a separate user per service)`},
		{"cache engine", "dev", func(c *Config) { c.Data.Cache.Engine = "memcached" },
			`hipaa-pipeline:cacheEngine: "memcached" is not an engine (allowed: redis, valkey)`},
		{"more cache nodes than AZs", "prod", func(c *Config) { c.Data.Cache.NumNodes = 4 },
			`hipaa-pipeline:cacheNumNodes: 4 nodes but 3 availability zones (allowed: at most one node per zone)`},
		{"throttle off", "dev", func(c *Config) { c.Data.API.ThrottleRateLimit = 0 },
			`hipaa-pipeline:apiThrottleRateLimit: 0 is out of range (allowed: > 0 and <= 10000 requests per second)`},
		{"identity source", "dev", func(c *Config) { c.Data.API.AuthorizerIdentitySource = "method.request.querystring.token" },
			`hipaa-pipeline:apiAuthorizerIdentitySource: "method.request.querystring.token" is not a TOKEN authorizer identity source (allowed: method.request.header.<Name>)`},
		{"certificate without domain", "dev", func(c *Config) {
			c.Data.API.CertificateArn = "arn:aws:acm:eu-west-1:111122223333:certificate/abc"
		}, `hipaa-pipeline:apiCertificateArn: is set but apiDomainName is not (allowed: both or neither)`},
		{"authorizer issuer missing", "dev", func(c *Config) { c.Data.API.AuthorizerIssuer = "" },
			`hipaa-pipeline:authorizerIssuer: "" is not an https URL (required: the identity provider's issuer, the exact JWT iss, e.g. https://idp.example/realms/hipaa)`},
		{"authorizer issuer over http", "prod", func(c *Config) { c.Data.API.AuthorizerIssuer = "http://idp.example/realms/hipaa" },
			`hipaa-pipeline:authorizerIssuer: "http://idp.example/realms/hipaa" is not an https URL (required: the identity provider's issuer, the exact JWT iss, e.g. https://idp.example/realms/hipaa)`},
		{"authorizer issuer without host", "dev", func(c *Config) { c.Data.API.AuthorizerIssuer = "https:///realms/hipaa" },
			`hipaa-pipeline:authorizerIssuer: "https:///realms/hipaa" is not an https URL (required: the identity provider's issuer, the exact JWT iss, e.g. https://idp.example/realms/hipaa)`},
		{"authorizer audience empty", "prod", func(c *Config) { c.Data.API.AuthorizerAudience = " " },
			`hipaa-pipeline:authorizerAudience: is empty (required: the audience the JWT aud must contain)`},
		{"authorizer timeout", "dev", func(c *Config) { c.Data.API.AuthorizerTimeoutSeconds = 30 },
			`hipaa-pipeline:authorizerTimeoutSeconds: 30 is out of range (allowed: 1..29 seconds, within API Gateway's integration timeout)`},
		{"secret rotation beyond 30 days", "prod", func(c *Config) { c.Data.Secrets.RotationDays = 90 },
			`hipaa-pipeline:secretRotationDays: 90 is out of range (allowed: 1..30 days)`},
		{"secret recovery window", "prod", func(c *Config) { c.Data.Secrets.RecoveryWindowDays = 0 },
			`hipaa-pipeline:secretRecoveryWindowDays: 0 is out of range (allowed: 7..30 days)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parseStack(t, tc.stack)
			tc.change(&c)
			err := Validate(c)
			require.Error(t, err)
			assert.Contains(t, errLines(err), tc.want)
		})
	}
}

// Pinned images in prod: a digest anywhere, or a tag of the stack's own repository (immutable
// tags); dev accepts any version tag.
func TestProdImagesArePinned(t *testing.T) {
	digest := "@sha256:" + strings.Repeat("0a", 32)
	for _, tc := range []struct {
		stack, processor, readAPI string
	}{
		{"prod", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-prod:0.2.0", "registry.example/vitals/read-api" + digest},
		{"prod", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-dev" + digest, ""},
		{"dev", "registry.example/vitals/processor:0.2.0", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-read-api-dev:0.2.0"},
	} {
		c := parseStack(t, tc.stack)
		c.Data.Compute.Processor.Image, c.Data.Compute.ReadAPI.Image = tc.processor, tc.readAPI
		assert.NoError(t, Validate(c), "%s: %s, %s", tc.stack, tc.processor, tc.readAPI)
	}
	c := parseStack(t, "prod")
	assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-read-api-prod", OwnImageRepository(c, "read-api"))
}

func TestParseDataPlaneKeys(t *testing.T) {
	src := stackSource(t, EnvDev)
	over := map[string]string{
		"hipaa-pipeline:streamRetentionHours":         "72",
		"hipaa-pipeline:dbReaderCount":                "2",
		"hipaa-pipeline:cacheEngine":                  "valkey",
		"hipaa-pipeline:cacheEngineVersion":           "8.0",
		"hipaa-pipeline:apiThrottleRateLimit":         "25.5",
		"hipaa-pipeline:processorImage":               "111122223333.dkr.ecr.eu-west-1.amazonaws.com/p:1.2.3",
		"hipaa-pipeline:secretRotationDays":           "14",
		"hipaa-pipeline:processorIteratorAgeTargetMs": "5000",
	}
	c, err := Parse(DefaultProject, func(k string) (string, bool) {
		if v, ok := over[k]; ok {
			return v, true
		}
		return src(k)
	})
	require.NoError(t, err)
	require.NoError(t, Validate(c))
	assert.Equal(t, 72, c.Data.Stream.RetentionHours)
	assert.Equal(t, 2, c.Data.Database.ReaderCount)
	assert.Equal(t, "valkey", c.Data.Cache.Engine)
	assert.Equal(t, 25.5, c.Data.API.ThrottleRateLimit)
	assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/p:1.2.3", c.Data.Compute.Processor.Image)
	assert.Equal(t, 14, c.Data.Secrets.RotationDays)
	assert.Equal(t, 5000, c.Data.Compute.IteratorAgeTargetMs)

	_, err = Parse(DefaultProject, func(k string) (string, bool) {
		if k == "hipaa-pipeline:cacheNumNodes" {
			return "two", true
		}
		return src(k)
	})
	require.Error(t, err)
	assert.Contains(t, errLines(err), `hipaa-pipeline:cacheNumNodes: "two" is not a whole number`)
}
