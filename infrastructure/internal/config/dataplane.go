package config

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// Data-plane keys (stream, compute, database, cache, api, secrets). Seeded by the foundation with
// the database scaling keys its tier validation needs; extended by the data-plane components
// (owner: infra-dataplane). Every key is documented in infrastructure/README.md with its dev and
// prod values and why.

// Aurora Serverless v2 bounds.
const (
	MinAuroraACU             = 0.0
	MaxAuroraACU             = 256.0
	MinSecondsUntilAutoPause = 300
	MaxSecondsUntilAutoPause = 86400
)

// API Gateway account settings modes (apiGatewayAccountSettings).
const (
	APIAccountManaged  = "managed"
	APIAccountExternal = "external"
)

// Kinesis capacity modes.
const (
	StreamOnDemand    = "ON_DEMAND"
	StreamProvisioned = "PROVISIONED"
)

// Other bounds of data-plane values (AWS limits or our policy floors).
const (
	MinStreamRetentionHours     = 24
	MaxStreamRetentionHours     = 8760
	ProdMinStreamRetentionHours = 168
	ProdMinTasks                = 2
	MinDBBackupRetentionDays    = 7
	MaxDBBackupRetentionDays    = 35
	ProdDBBackupRetentionDays   = 35
	MinCacheSnapshotDays        = 7
	MaxCacheSnapshotDays        = 35
	MinCacheNodes               = 2
	MaxCacheNodes               = 6
	MaxSecretRotationDays       = 30
	MinSecretRecoveryDays       = 7
	MaxSecretRecoveryDays       = 30
	MaxAuthorizerTTLSeconds     = 3600
	MinAuroraAutoPauseMinor     = 3 // aurora-postgresql 16.3 is the first 16.x supporting 0 ACU
)

// Allowed value sets.
var (
	StreamModes      = []string{StreamOnDemand, StreamProvisioned}
	CacheEngines     = []string{"redis", "valkey"}
	APILoggingLevels = []string{"ERROR", "INFO"}
	// APIAccountSettingsModes: whether this stack owns API Gateway's account-level CloudWatch
	// role (one per account and region) or relies on the one another stack owns.
	APIAccountSettingsModes = []string{APIAccountManaged, APIAccountExternal}
	DBLogStatementValues    = []string{"none", "ddl", "mod", "all"}
	DBMonitoringIntervals   = []int{0, 1, 5, 10, 15, 30, 60}
	// FargateCPUMemory maps each Fargate CPU size (units) to its allowed memory sizes (MiB).
	FargateCPUMemory = map[int][]int{
		256:  {512, 1024, 2048},
		512:  {1024, 2048, 3072, 4096},
		1024: {2048, 3072, 4096, 5120, 6144, 7168, 8192},
		2048: {4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384},
		4096: {8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384, 17408, 18432, 19456, 20480,
			21504, 22528, 23552, 24576, 25600, 26624, 27648, 28672, 29696, 30720},
	}
)

// DataPlane holds the data-plane configuration.
type DataPlane struct {
	Stream   StreamConfig
	Compute  ComputeConfig
	Database DatabaseConfig
	Cache    CacheConfig
	API      APIConfig
	Secrets  SecretsConfig
}

// StreamConfig tunes the Kinesis ingest stream.
type StreamConfig struct {
	// Mode is ON_DEMAND (default: scales with traffic, no shard count) or PROVISIONED.
	Mode string
	// ShardCount is used only in PROVISIONED mode.
	ShardCount int
	// RetentionHours is how long records stay replayable (prod >= 168).
	RetentionHours int
}

// ServiceConfig tunes one Fargate service.
type ServiceConfig struct {
	// Image is the container image URI; empty means the service's repository of this stack
	// (hipaa-<service>-<env>, immutable tags) at the program's default tag. In prod a configured
	// image is pinned by digest unless it is a tag of that repository.
	Image     string
	CPU       int
	MemoryMiB int
	MinTasks  int
	MaxTasks  int
	// CPUTargetPercent is the CPU utilisation target tracking keeps the service at.
	CPUTargetPercent int
	// DBUser is the IAM-authenticated database user of the service (rds-db:connect).
	DBUser string
}

// ComputeConfig tunes the ECS services.
type ComputeConfig struct {
	Processor ServiceConfig
	ReadAPI   ServiceConfig
	// IteratorAgeTargetMs is the Kinesis iterator age the processor's scaling policy tracks.
	IteratorAgeTargetMs int
	// ReadAPICertificateArn is the ACM certificate of the internal NLB's TLS listener. Required.
	ReadAPICertificateArn string
	// ReadAPIHostname is the name the certificate covers; API Gateway's private integration
	// calls https://<ReadAPIHostname>/... (through the VPC link) and verifies the certificate
	// against it. Empty: the NLB's DNS name.
	ReadAPIHostname string
}

// DatabaseConfig tunes Aurora PostgreSQL Serverless v2.
type DatabaseConfig struct {
	// MinCapacity is the minimum ACU; 0 lets the cluster pause (only on a best-effort tier).
	MinCapacity float64
	// MaxCapacity is the maximum ACU.
	MaxCapacity float64
	// SecondsUntilAutoPause is the idle time before a cluster at 0 ACU pauses (300..86400);
	// 0 means not set.
	SecondsUntilAutoPause int

	EngineVersion        string
	ReaderCount          int
	BackupRetentionDays  int
	BackupWindow         string
	MaintenanceWindow    string
	MasterUsername       string
	DatabaseName         string
	LogStatement         string
	LogMinDurationMs     int
	MonitoringInterval   int
	PerformanceRetention int
}

// CacheConfig tunes the ElastiCache replication group.
type CacheConfig struct {
	Engine                string
	EngineVersion         string
	NodeType              string
	NumNodes              int
	SnapshotRetentionDays int
	SnapshotWindow        string
	MaintenanceWindow     string
}

// APIConfig tunes API Gateway, its authorizer and WAF.
type APIConfig struct {
	StageName                string
	AuthorizerIdentitySource string
	AuthorizerTTLSeconds     int
	ThrottleRateLimit        float64
	ThrottleBurstLimit       int
	LoggingLevel             string
	DomainName               string
	CertificateArn           string
	WafRateLimit             int
	AuthorizerReservedConcur int
	AuthorizerZipPath        string
	AuthorizerMemoryMB       int
	AuthorizerTimeoutSeconds int
	// AuthorizerIssuer is the identity provider's issuer (an https URL, the exact JWT `iss`);
	// AuthorizerAudience must be in the JWT `aud`. Both are required.
	AuthorizerIssuer   string
	AuthorizerAudience string
	// AccountSettings is "managed" when this stack creates API Gateway's account-level
	// CloudWatch role and setting, "external" when another stack of the same account and
	// region (or the account baseline) owns them: there is one setting per account and region,
	// so two stacks that both manage it overwrite each other, and destroying one would take
	// the other's execution and access logging with it.
	AccountSettings string
}

// SecretsConfig tunes Secrets Manager.
type SecretsConfig struct {
	// RotationDays is the rotation schedule of every rotated secret (<= 30), the RDS-managed
	// database master secret included.
	RotationDays int
	// RecoveryWindowDays is how long a deleted secret can be restored.
	RecoveryWindowDays int
}

func dataPlaneDefaults(env string) DataPlane {
	d := DataPlane{
		Stream: StreamConfig{Mode: StreamOnDemand, RetentionHours: 24},
		Compute: ComputeConfig{
			Processor: ServiceConfig{CPU: 256, MemoryMiB: 512, MinTasks: 1, MaxTasks: 2, CPUTargetPercent: 60, DBUser: "processor"},
			ReadAPI:   ServiceConfig{CPU: 256, MemoryMiB: 512, MinTasks: 1, MaxTasks: 2, CPUTargetPercent: 60, DBUser: "read_api"},
			// dev tolerates a minute of lag before adding a task.
			IteratorAgeTargetMs: 60000,
		},
		Database: DatabaseConfig{
			MinCapacity: 0, MaxCapacity: 4, SecondsUntilAutoPause: 600,
			EngineVersion: "16.6", ReaderCount: 1, BackupRetentionDays: 7,
			BackupWindow: "02:00-03:00", MaintenanceWindow: "sun:04:00-sun:05:00",
			MasterUsername: "vitals_admin", DatabaseName: "vitals",
			LogStatement: "ddl", LogMinDurationMs: 1000, MonitoringInterval: 60,
			PerformanceRetention: 7,
		},
		Cache: CacheConfig{
			Engine: "redis", EngineVersion: "7.1", NodeType: "cache.t4g.small", NumNodes: 2,
			SnapshotRetentionDays: 7, SnapshotWindow: "03:00-04:00", MaintenanceWindow: "sun:05:00-sun:06:00",
		},
		API: APIConfig{
			StageName: "v1", AuthorizerIdentitySource: "method.request.header.Authorization",
			AuthorizerTTLSeconds: 300, ThrottleRateLimit: 50, ThrottleBurstLimit: 100,
			LoggingLevel: "INFO", WafRateLimit: 1000, AuthorizerReservedConcur: 5,
			AuthorizerMemoryMB: 128, AuthorizerTimeoutSeconds: 5, AccountSettings: APIAccountManaged,
		},
		Secrets: SecretsConfig{RotationDays: 30, RecoveryWindowDays: 30},
	}
	if env == EnvProd {
		d.Stream.RetentionHours = ProdMinStreamRetentionHours
		d.Compute.Processor = ServiceConfig{CPU: 1024, MemoryMiB: 2048, MinTasks: 3, MaxTasks: 12, CPUTargetPercent: 60, DBUser: "processor"}
		d.Compute.ReadAPI = ServiceConfig{CPU: 512, MemoryMiB: 1024, MinTasks: 3, MaxTasks: 9, CPUTargetPercent: 60, DBUser: "read_api"}
		// real time: scale out once records wait more than 10 s.
		d.Compute.IteratorAgeTargetMs = 10000
		d.Database.MinCapacity, d.Database.MaxCapacity, d.Database.SecondsUntilAutoPause = 2, 32, 0
		d.Database.ReaderCount = 2
		d.Database.BackupRetentionDays = ProdDBBackupRetentionDays
		d.Database.LogMinDurationMs = 500
		d.Database.PerformanceRetention = 31
		d.Cache.NodeType, d.Cache.NumNodes, d.Cache.SnapshotRetentionDays = "cache.r7g.large", 3, 15
		d.API.ThrottleRateLimit, d.API.ThrottleBurstLimit = 1000, 2000
		d.API.LoggingLevel = "ERROR"
		d.API.WafRateLimit = 2000
		d.API.AuthorizerReservedConcur = 50
	}
	return d
}

func (d *DataPlane) parse(r *reader) {
	r.str("streamMode", &d.Stream.Mode)
	r.integer("streamShardCount", &d.Stream.ShardCount)
	r.integer("streamRetentionHours", &d.Stream.RetentionHours)

	for _, s := range []struct {
		prefix string
		svc    *ServiceConfig
	}{{"processor", &d.Compute.Processor}, {"readApi", &d.Compute.ReadAPI}} {
		r.str(s.prefix+"Image", &s.svc.Image)
		r.integer(s.prefix+"Cpu", &s.svc.CPU)
		r.integer(s.prefix+"MemoryMiB", &s.svc.MemoryMiB)
		r.integer(s.prefix+"MinTasks", &s.svc.MinTasks)
		r.integer(s.prefix+"MaxTasks", &s.svc.MaxTasks)
		r.integer(s.prefix+"CpuTargetPercent", &s.svc.CPUTargetPercent)
		r.str(s.prefix+"DbUser", &s.svc.DBUser)
	}
	r.integer("processorIteratorAgeTargetMs", &d.Compute.IteratorAgeTargetMs)
	r.str("readApiCertificateArn", &d.Compute.ReadAPICertificateArn)
	r.str("readApiHostname", &d.Compute.ReadAPIHostname)

	db := &d.Database
	r.number("dbMinCapacity", &db.MinCapacity)
	r.number("dbMaxCapacity", &db.MaxCapacity)
	r.integer("dbSecondsUntilAutoPause", &db.SecondsUntilAutoPause)
	r.str("dbEngineVersion", &db.EngineVersion)
	r.integer("dbReaderCount", &db.ReaderCount)
	r.integer("dbBackupRetentionDays", &db.BackupRetentionDays)
	r.str("dbBackupWindow", &db.BackupWindow)
	r.str("dbMaintenanceWindow", &db.MaintenanceWindow)
	r.str("dbMasterUsername", &db.MasterUsername)
	r.str("dbName", &db.DatabaseName)
	r.str("dbLogStatement", &db.LogStatement)
	r.integer("dbLogMinDurationMs", &db.LogMinDurationMs)
	r.integer("dbMonitoringIntervalSeconds", &db.MonitoringInterval)
	r.integer("dbPerformanceInsightsRetentionDays", &db.PerformanceRetention)

	ca := &d.Cache
	r.str("cacheEngine", &ca.Engine)
	r.str("cacheEngineVersion", &ca.EngineVersion)
	r.str("cacheNodeType", &ca.NodeType)
	r.integer("cacheNumNodes", &ca.NumNodes)
	r.integer("cacheSnapshotRetentionDays", &ca.SnapshotRetentionDays)
	r.str("cacheSnapshotWindow", &ca.SnapshotWindow)
	r.str("cacheMaintenanceWindow", &ca.MaintenanceWindow)

	a := &d.API
	r.str("apiStageName", &a.StageName)
	r.str("apiAuthorizerIdentitySource", &a.AuthorizerIdentitySource)
	r.integer("apiAuthorizerTtlSeconds", &a.AuthorizerTTLSeconds)
	r.number("apiThrottleRateLimit", &a.ThrottleRateLimit)
	r.integer("apiThrottleBurstLimit", &a.ThrottleBurstLimit)
	r.str("apiLoggingLevel", &a.LoggingLevel)
	r.str("apiDomainName", &a.DomainName)
	r.str("apiCertificateArn", &a.CertificateArn)
	r.integer("apiWafRateLimit", &a.WafRateLimit)
	r.integer("authorizerReservedConcurrency", &a.AuthorizerReservedConcur)
	r.str("authorizerZipPath", &a.AuthorizerZipPath)
	r.integer("authorizerMemoryMB", &a.AuthorizerMemoryMB)
	r.integer("authorizerTimeoutSeconds", &a.AuthorizerTimeoutSeconds)
	r.str("authorizerIssuer", &a.AuthorizerIssuer)
	r.str("authorizerAudience", &a.AuthorizerAudience)
	r.str("apiGatewayAccountSettings", &a.AccountSettings)

	r.integer("secretRotationDays", &d.Secrets.RotationDays)
	r.integer("secretRecoveryWindowDays", &d.Secrets.RecoveryWindowDays)
}

var (
	windowPattern       = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)
	weekWindowPattern   = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$`)
	pgIdentifierPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	imagePattern        = regexp.MustCompile(`^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$`)
	acmArnPattern       = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+$`)
	identitySourceRe    = regexp.MustCompile(`^method\.request\.header\.[A-Za-z0-9-]+$`)
	stageNamePattern    = regexp.MustCompile(`^[A-Za-z0-9_]{1,128}$`)
	domainPattern       = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$`)
)

func (d DataPlane) validate(c Config) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", c.Full(key), fmt.Sprintf(format, args...)))
	}
	prod := c.Environment == EnvProd
	critical := c.AvailabilityTier == TierCritical

	// Stream.
	s := d.Stream
	if !slices.Contains(StreamModes, s.Mode) {
		bad("streamMode", "%q is not a capacity mode (allowed: %s)", s.Mode, strings.Join(StreamModes, ", "))
	} else if s.Mode == StreamProvisioned && s.ShardCount < 1 {
		bad("streamShardCount", "%d shards: PROVISIONED mode needs at least 1", s.ShardCount)
	} else if s.Mode == StreamOnDemand && s.ShardCount != 0 {
		bad("streamShardCount", "must not be set in ON_DEMAND mode (got %d; allowed: unset or 0)", s.ShardCount)
	}
	if s.RetentionHours < MinStreamRetentionHours || s.RetentionHours > MaxStreamRetentionHours {
		bad("streamRetentionHours", "%d is out of range (allowed: %d..%d hours)", s.RetentionHours, MinStreamRetentionHours, MaxStreamRetentionHours)
	} else if prod && s.RetentionHours < ProdMinStreamRetentionHours {
		bad("streamRetentionHours", "%d hours is too short for prod (allowed: at least %d, seven days of replay)", s.RetentionHours, ProdMinStreamRetentionHours)
	}

	// Compute.
	minProdTasks := max(ProdMinTasks, len(c.Network.AvailabilityZones))
	for _, sv := range []struct {
		prefix, service string
		cfg             ServiceConfig
	}{{"processor", "processor", d.Compute.Processor}, {"readApi", "read-api", d.Compute.ReadAPI}} {
		p, v := sv.prefix, sv.cfg
		own := OwnImageRepository(c, sv.service)
		if v.Image != "" && !imagePattern.MatchString(v.Image) {
			bad(p+"Image", "%q is not a pinned image URI (allowed: <registry>/<repository>:<tag> or @sha256:<digest>)", v.Image)
		} else if strings.HasSuffix(v.Image, ":latest") {
			bad(p+"Image", "%q uses the mutable tag latest (allowed: a version tag or a digest)", v.Image)
		} else if prod && v.Image != "" && !strings.Contains(v.Image, "@sha256:") && !strings.HasPrefix(v.Image, own+":") {
			bad(p+"Image", "%q is not pinned by digest (allowed in prod: <repository>@sha256:<digest>, or a tag of this stack's repository %s, whose tags are immutable)", v.Image, own)
		}
		if mems, ok := FargateCPUMemory[v.CPU]; !ok {
			bad(p+"Cpu", "%d is not a Fargate CPU size (allowed: 256, 512, 1024, 2048, 4096)", v.CPU)
		} else if !slices.Contains(mems, v.MemoryMiB) {
			bad(p+"MemoryMiB", "%d MiB is not allowed with %d CPU units (allowed: %s)", v.MemoryMiB, v.CPU, joinInts(mems))
		}
		if v.MinTasks < 1 {
			bad(p+"MinTasks", "%d: at least 1 task must run", v.MinTasks)
		} else if critical && v.MinTasks < minProdTasks {
			bad(p+"MinTasks", "%d is too few for tier %q (allowed: at least %d, one task per availability zone and never fewer than %d)",
				v.MinTasks, TierCritical, minProdTasks, ProdMinTasks)
		}
		if v.MaxTasks < v.MinTasks {
			bad(p+"MaxTasks", "%d is below %sMinTasks %d (allowed: >= %sMinTasks)", v.MaxTasks, p, v.MinTasks, p)
		}
		if v.CPUTargetPercent < 10 || v.CPUTargetPercent > 90 {
			bad(p+"CpuTargetPercent", "%d is out of range (allowed: 10..90 percent)", v.CPUTargetPercent)
		}
		if !pgIdentifierPattern.MatchString(v.DBUser) {
			bad(p+"DbUser", "%q is not a PostgreSQL user name (allowed: lower case letters, digits, _; starting with a letter)", v.DBUser)
		}
	}
	if d.Compute.Processor.DBUser == d.Compute.ReadAPI.DBUser && d.Compute.Processor.DBUser != "" {
		bad("readApiDbUser", "%q is also the processor's user (allowed: a separate user per service)", d.Compute.ReadAPI.DBUser)
	}
	if t := d.Compute.IteratorAgeTargetMs; t < 1000 || t > 3600000 {
		bad("processorIteratorAgeTargetMs", "%d is out of range (allowed: 1000..3600000 ms)", t)
	}
	if !acmArnPattern.MatchString(d.Compute.ReadAPICertificateArn) {
		bad("readApiCertificateArn", "%q is not an ACM certificate ARN (required: arn:aws:acm:<region>:<account>:certificate/<id>, the TLS certificate of the read API's internal load balancer)",
			d.Compute.ReadAPICertificateArn)
	}
	if h := d.Compute.ReadAPIHostname; h != "" && !domainPattern.MatchString(h) {
		bad("readApiHostname", "%q is not a DNS name (allowed: the name the read API's certificate covers, e.g. read-api.vitals.example.org)", h)
	}

	// Database (scaling rules seeded by the foundation).
	db := d.Database
	if db.MinCapacity < MinAuroraACU || db.MinCapacity > MaxAuroraACU || !isHalfStep(db.MinCapacity) {
		bad("dbMinCapacity", "%g is not a Serverless v2 capacity (allowed: 0..256 ACU in steps of 0.5)", db.MinCapacity)
	}
	if db.MaxCapacity < 1 || db.MaxCapacity > MaxAuroraACU || !isHalfStep(db.MaxCapacity) {
		bad("dbMaxCapacity", "%g is not a Serverless v2 maximum capacity (allowed: 1..256 ACU in steps of 0.5)", db.MaxCapacity)
	} else if db.MaxCapacity < db.MinCapacity {
		bad("dbMaxCapacity", "%g is below dbMinCapacity %g (allowed: >= dbMinCapacity)", db.MaxCapacity, db.MinCapacity)
	}
	pauses := db.MinCapacity == 0 || db.SecondsUntilAutoPause != 0
	if critical && pauses {
		bad("dbMinCapacity", "tier %q forbids Aurora auto-pause: a paused cluster needs seconds to resume, which the real-time pipeline cannot take "+
			"(allowed on this tier: dbMinCapacity >= 0.5 and no dbSecondsUntilAutoPause; got dbMinCapacity %g, dbSecondsUntilAutoPause %d)",
			TierCritical, db.MinCapacity, db.SecondsUntilAutoPause)
	}
	if db.SecondsUntilAutoPause != 0 {
		if db.SecondsUntilAutoPause < MinSecondsUntilAutoPause || db.SecondsUntilAutoPause > MaxSecondsUntilAutoPause {
			bad("dbSecondsUntilAutoPause", "%d is out of range (allowed: %d..%d seconds)", db.SecondsUntilAutoPause, MinSecondsUntilAutoPause, MaxSecondsUntilAutoPause)
		} else if db.MinCapacity != 0 && !critical {
			bad("dbSecondsUntilAutoPause", "only takes effect with dbMinCapacity 0 (got dbMinCapacity %g)", db.MinCapacity)
		}
	} else if db.MinCapacity == 0 && !critical {
		bad("dbSecondsUntilAutoPause", "must be set when dbMinCapacity is 0 (allowed: %d..%d seconds)", MinSecondsUntilAutoPause, MaxSecondsUntilAutoPause)
	}
	if minor, ok := auroraPG16Minor(db.EngineVersion); !ok {
		bad("dbEngineVersion", "%q is not an aurora-postgresql 16.x version (allowed: 16.<minor>, e.g. 16.6)", db.EngineVersion)
	} else if db.MinCapacity == 0 && minor < MinAuroraAutoPauseMinor {
		bad("dbEngineVersion", "%q cannot scale to 0 ACU (allowed with dbMinCapacity 0: 16.%d or later)", db.EngineVersion, MinAuroraAutoPauseMinor)
	}
	if n := len(c.Network.AvailabilityZones); db.ReaderCount < 0 || (n > 0 && db.ReaderCount > n-1) {
		bad("dbReaderCount", "%d is out of range (allowed: 0..%d, every instance in its own availability zone)", db.ReaderCount, max(n-1, 0))
	} else if critical && db.ReaderCount < 1 {
		bad("dbReaderCount", "tier %q needs a reader in another availability zone for failover (allowed: at least 1)", TierCritical)
	}
	if b := db.BackupRetentionDays; b < MinDBBackupRetentionDays || b > MaxDBBackupRetentionDays {
		bad("dbBackupRetentionDays", "%d is out of range (allowed: %d..%d days)", b, MinDBBackupRetentionDays, MaxDBBackupRetentionDays)
	} else if prod && b < ProdDBBackupRetentionDays {
		bad("dbBackupRetentionDays", "%d days is too short for prod (allowed: %d)", b, ProdDBBackupRetentionDays)
	}
	if !windowPattern.MatchString(db.BackupWindow) {
		bad("dbBackupWindow", "%q is not a daily window (allowed: hh:mm-hh:mm in UTC, e.g. 02:00-03:00)", db.BackupWindow)
	}
	if !weekWindowPattern.MatchString(db.MaintenanceWindow) {
		bad("dbMaintenanceWindow", "%q is not a weekly window (allowed: ddd:hh:mm-ddd:hh:mm, e.g. sun:04:00-sun:05:00)", db.MaintenanceWindow)
	}
	if !pgIdentifierPattern.MatchString(db.MasterUsername) || slices.Contains([]string{"postgres", "admin", "root", "rdsadmin"}, db.MasterUsername) {
		bad("dbMasterUsername", "%q is not allowed (allowed: a PostgreSQL identifier other than postgres, admin, root, rdsadmin)", db.MasterUsername)
	}
	if !pgIdentifierPattern.MatchString(db.DatabaseName) {
		bad("dbName", "%q is not a PostgreSQL database name (allowed: lower case letters, digits, _; starting with a letter)", db.DatabaseName)
	}
	if !slices.Contains(DBLogStatementValues, db.LogStatement) {
		bad("dbLogStatement", "%q is not a log_statement value (allowed: %s)", db.LogStatement, strings.Join(DBLogStatementValues, ", "))
	} else if db.LogStatement == "none" || db.LogStatement == "mod" || db.LogStatement == "all" {
		bad("dbLogStatement", "%q: %s (allowed: ddl)", db.LogStatement, map[string]string{
			"none": "schema changes must be logged",
			"mod":  "it writes PHI values of INSERT/UPDATE statements into the logs",
			"all":  "it writes PHI values of every statement into the logs",
		}[db.LogStatement])
	}
	if db.LogMinDurationMs < 100 || db.LogMinDurationMs > 60000 {
		bad("dbLogMinDurationMs", "%d is out of range (allowed: 100..60000 ms; slow statements only, so PHI literals stay rare in logs)", db.LogMinDurationMs)
	}
	if !slices.Contains(DBMonitoringIntervals, db.MonitoringInterval) || db.MonitoringInterval == 0 {
		bad("dbMonitoringIntervalSeconds", "%d is not an enhanced monitoring interval (allowed: 1, 5, 10, 15, 30, 60)", db.MonitoringInterval)
	}
	if p := db.PerformanceRetention; p != 7 && (p < 31 || p > 731 || p%31 != 0) {
		bad("dbPerformanceInsightsRetentionDays", "%d is not a Performance Insights retention (allowed: 7, or a multiple of 31 up to 731)", p)
	}

	// Cache.
	ca := d.Cache
	if !slices.Contains(CacheEngines, ca.Engine) {
		bad("cacheEngine", "%q is not an engine (allowed: %s)", ca.Engine, strings.Join(CacheEngines, ", "))
	} else if maj, ok := majorVersion(ca.EngineVersion); !ok || (ca.Engine == "redis" && maj != 7) || (ca.Engine == "valkey" && maj < 7) {
		bad("cacheEngineVersion", "%q is not supported for %s (allowed: redis 7.x, valkey 7.2 or later; IAM authentication needs them)", ca.EngineVersion, ca.Engine)
	}
	if !strings.HasPrefix(ca.NodeType, "cache.") || strings.HasPrefix(ca.NodeType, "cache.t2.") || strings.HasPrefix(ca.NodeType, "cache.m1.") {
		bad("cacheNodeType", "%q is not a current ElastiCache node type (allowed: cache.<family>.<size>, e.g. cache.r7g.large)", ca.NodeType)
	}
	if n := ca.NumNodes; n < MinCacheNodes || n > MaxCacheNodes {
		bad("cacheNumNodes", "%d is out of range (allowed: %d..%d, a primary and at least one replica in another AZ)", n, MinCacheNodes, MaxCacheNodes)
	} else if n > len(c.Network.AvailabilityZones) && len(c.Network.AvailabilityZones) > 0 {
		bad("cacheNumNodes", "%d nodes but %d availability zones (allowed: at most one node per zone)", n, len(c.Network.AvailabilityZones))
	}
	if r := ca.SnapshotRetentionDays; r < MinCacheSnapshotDays || r > MaxCacheSnapshotDays {
		bad("cacheSnapshotRetentionDays", "%d is out of range (allowed: %d..%d days)", r, MinCacheSnapshotDays, MaxCacheSnapshotDays)
	}
	if !windowPattern.MatchString(ca.SnapshotWindow) {
		bad("cacheSnapshotWindow", "%q is not a daily window (allowed: hh:mm-hh:mm in UTC)", ca.SnapshotWindow)
	}
	if !weekWindowPattern.MatchString(ca.MaintenanceWindow) {
		bad("cacheMaintenanceWindow", "%q is not a weekly window (allowed: ddd:hh:mm-ddd:hh:mm)", ca.MaintenanceWindow)
	}

	// API.
	a := d.API
	if !stageNamePattern.MatchString(a.StageName) {
		bad("apiStageName", "%q is not a stage name (allowed: letters, digits, _)", a.StageName)
	}
	if !identitySourceRe.MatchString(a.AuthorizerIdentitySource) {
		bad("apiAuthorizerIdentitySource", "%q is not a TOKEN authorizer identity source (allowed: method.request.header.<Name>)", a.AuthorizerIdentitySource)
	}
	if t := a.AuthorizerTTLSeconds; t < 0 || t > MaxAuthorizerTTLSeconds {
		bad("apiAuthorizerTtlSeconds", "%d is out of range (allowed: 0..%d seconds)", t, MaxAuthorizerTTLSeconds)
	}
	if a.ThrottleRateLimit <= 0 || a.ThrottleRateLimit > 10000 {
		bad("apiThrottleRateLimit", "%g is out of range (allowed: > 0 and <= 10000 requests per second)", a.ThrottleRateLimit)
	}
	if a.ThrottleBurstLimit < 1 || a.ThrottleBurstLimit > 5000 {
		bad("apiThrottleBurstLimit", "%d is out of range (allowed: 1..5000)", a.ThrottleBurstLimit)
	}
	if !slices.Contains(APIAccountSettingsModes, a.AccountSettings) {
		bad("apiGatewayAccountSettings", "%q is not an account settings mode (allowed: %s; exactly one stack per account and region is %s)",
			a.AccountSettings, strings.Join(APIAccountSettingsModes, ", "), APIAccountManaged)
	}
	if !slices.Contains(APILoggingLevels, a.LoggingLevel) {
		bad("apiLoggingLevel", "%q is not an execution logging level (allowed: %s; OFF is not allowed)", a.LoggingLevel, strings.Join(APILoggingLevels, ", "))
	}
	if a.DomainName != "" {
		if !domainPattern.MatchString(a.DomainName) {
			bad("apiDomainName", "%q is not a DNS name (allowed: e.g. api.example.org)", a.DomainName)
		}
		if !acmArnPattern.MatchString(a.CertificateArn) {
			bad("apiCertificateArn", "%q is not an ACM certificate ARN (required with apiDomainName)", a.CertificateArn)
		}
	} else if a.CertificateArn != "" {
		bad("apiCertificateArn", "is set but apiDomainName is not (allowed: both or neither)")
	}
	if a.WafRateLimit < 100 || a.WafRateLimit > 2000000000 {
		bad("apiWafRateLimit", "%d is out of range (allowed: 100..2000000000 requests per 5 minutes per IP)", a.WafRateLimit)
	}
	if u, err := url.Parse(a.AuthorizerIssuer); a.AuthorizerIssuer == "" || err != nil || u.Scheme != "https" || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		bad("authorizerIssuer", "%q is not an https URL (required: the identity provider's issuer, the exact JWT iss, e.g. https://idp.example/realms/hipaa)", a.AuthorizerIssuer)
	}
	if strings.TrimSpace(a.AuthorizerAudience) == "" {
		bad("authorizerAudience", "is empty (required: the audience the JWT aud must contain)")
	}
	if a.AuthorizerReservedConcur < 1 {
		bad("authorizerReservedConcurrency", "%d: the authorizer needs reserved concurrency (allowed: >= 1)", a.AuthorizerReservedConcur)
	}
	if strings.TrimSpace(a.AuthorizerZipPath) != a.AuthorizerZipPath {
		bad("authorizerZipPath", "%q has surrounding spaces", a.AuthorizerZipPath)
	}
	if m := a.AuthorizerMemoryMB; m < 128 || m > 10240 {
		bad("authorizerMemoryMB", "%d is out of range (allowed: 128..10240 MB)", m)
	}
	if t := a.AuthorizerTimeoutSeconds; t < 1 || t > 29 {
		bad("authorizerTimeoutSeconds", "%d is out of range (allowed: 1..29 seconds, within API Gateway's integration timeout)", t)
	}

	// Secrets.
	if r := d.Secrets.RotationDays; r < 1 || r > MaxSecretRotationDays {
		bad("secretRotationDays", "%d is out of range (allowed: 1..%d days)", r, MaxSecretRotationDays)
	}
	if r := d.Secrets.RecoveryWindowDays; r < MinSecretRecoveryDays || r > MaxSecretRecoveryDays {
		bad("secretRecoveryWindowDays", "%d is out of range (allowed: %d..%d days)", r, MinSecretRecoveryDays, MaxSecretRecoveryDays)
	}
	return errs
}

// OwnImageRepository is the URI (without tag) of a service's ECR repository in this stack
// (internal/components/images): <account>.dkr.ecr.<region>.amazonaws.com/hipaa-<service>-<env>.
// Its tags are immutable, so a tag there names one image for good.
func OwnImageRepository(c Config, service string) string {
	return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s", c.AccountID, c.Region, naming.New(c.Environment).Physical(service))
}

func isHalfStep(f float64) bool { return f*2 == float64(int(f*2)) }

// auroraPG16Minor returns the minor version of an aurora-postgresql 16.x engine version.
func auroraPG16Minor(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, "16.")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// majorVersion returns the major number of "7.1" or "8.0".
func majorVersion(v string) (int, bool) {
	head, _, _ := strings.Cut(v, ".")
	n, err := strconv.Atoi(head)
	return n, err == nil
}
