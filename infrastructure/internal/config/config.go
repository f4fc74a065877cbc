// Package config holds the typed, validated stack configuration of the HIPAA pipeline.
//
// Loading and validation are separate steps and neither creates a resource:
//
//	cfg, err := config.Load(ctx) // reads Pulumi config, applies per-environment defaults, validates
//
// Parse reads raw key/value pairs (a Source) into a Config and reports malformed values; Validate
// is a pure function over a Config that reports every value outside its allowed set, each error
// naming the full key (e.g. "hipaa-pipeline:logRetentionDays") and the allowed values.
//
// Foundation keys (network, keys, audit) live in this file; data-plane keys live in dataplane.go.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DefaultProject is the Pulumi project name (Pulumi.yaml) and so the config namespace of the
// program's own keys.
const DefaultProject = "hipaa-pipeline"

// Environments.
const (
	EnvDev  = "dev"
	EnvProd = "prod"
)

// Availability tiers. The tier decides which cost savings are allowed: a critical tier (the
// production pipeline with a 99.99 % availability target) forbids anything that makes the data
// path pause or lose an AZ's egress (Aurora scale to zero, a single NAT gateway).
const (
	TierCritical   = "critical"
	TierBestEffort = "best-effort"
)

// NAT gateway layouts.
const (
	NatPerAZ  = "per-az"
	NatSingle = "single"
)

// Environments lists the allowed values of the environment key.
var Environments = []string{EnvDev, EnvProd}

// Tiers lists the allowed values of the availabilityTier key.
var Tiers = []string{TierCritical, TierBestEffort}

// NatLayouts lists the allowed values of the natGateways key.
var NatLayouts = []string{NatPerAZ, NatSingle}

// LogRetentionValues are the retention periods (days) CloudWatch Logs accepts. 0 ("never
// expire") is deliberately not offered: logs holding PHI-adjacent metadata get a bounded life.
var LogRetentionValues = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
	1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Bounds of values AWS accepts.
const (
	MinAZs               = 2
	MaxAZs               = 4 // the subnet layout gives each tier 4 blocks
	MinKeyRotationDays   = 90
	MaxKeyRotationDays   = 2560
	MinKeyDeletionWindow = 7
	MaxKeyDeletionWindow = 30
	MinLogRetentionDays  = 365 // every stack holds PHI-adjacent logs
	MinVpcPrefix         = 16
	MaxVpcPrefix         = 24
)

// HIPAADocumentationRetentionDays is 6 years (2192 days in CloudWatch's allowed values): the
// retention HIPAA requires for documentation of policies, procedures and required actions
// (45 CFR 164.316(b)(2)(i)). HIPAA sets no explicit floor for logs; production keeps its audit
// logs for the documentation period so the evidence of the safeguards lives as long as the
// documentation that describes them.
const HIPAADocumentationRetentionDays = 2192

// Required default tags (provider aws:defaultTags) and their fixed values.
const (
	TagEnvironment         = "environment"
	TagDataClassification  = "data-classification"
	TagComplianceFramework = "compliance-framework"
	TagOwner               = "owner"
	DataClassificationPHI  = "phi"
	ComplianceHIPAA        = "hipaa"
)

// Config is the whole stack configuration.
type Config struct {
	// Project is the config namespace of the program's own keys (the Pulumi project name).
	Project string
	// Stack is the Pulumi stack name (informational).
	Stack string
	// Region is aws:region.
	Region string
	// DefaultTags are the tags of aws:defaultTags (applied by the provider to every resource).
	DefaultTags map[string]string

	// Environment is dev or prod; it is the suffix of every physical name.
	Environment string
	// Owner is the team accountable for the stack (the owner tag).
	Owner string
	// AvailabilityTier is critical or best-effort.
	AvailabilityTier string
	// AccountID is the 12-digit AWS account ID used in key policies and ARNs, so a preview needs
	// no AWS lookup.
	AccountID string

	Network NetworkConfig
	Keys    KeysConfig
	Logs    LogsConfig

	// SecurityAlarmEmails receive the security alarms (SNS email subscriptions); the critical
	// tier requires at least one, so an alarm always reaches a person.
	SecurityAlarmEmails []string

	// Data holds the data-plane keys (stream, compute, database, cache, api, secrets).
	Data DataPlane
}

// NetworkConfig tunes the network component.
type NetworkConfig struct {
	// AvailabilityZones are the AZs of the VPC (from config, so a preview needs no lookup).
	AvailabilityZones []string
	// VpcCidr is the VPC's IPv4 block.
	VpcCidr string
	// NatGateways is per-az or single.
	NatGateways string
}

// KeysConfig tunes the KMS keys.
type KeysConfig struct {
	RotationPeriodDays int
	DeletionWindowDays int
}

// LogsConfig tunes CloudWatch log groups and the audit trail bucket.
type LogsConfig struct {
	RetentionDays int
}

// Full returns the fully qualified config key "<project>:<key>".
func (c Config) Full(key string) string { return fullKey(c.Project, key) }

func fullKey(project, key string) string {
	if project == "" {
		project = DefaultProject
	}
	return project + ":" + key
}

// Defaults returns the configuration used for keys a stack file leaves out. Unknown
// environments get the dev defaults (validation rejects them anyway).
func Defaults(env string) Config {
	c := Config{
		Project:          DefaultProject,
		Region:           "eu-west-1",
		Environment:      env,
		AvailabilityTier: TierBestEffort,
		Network: NetworkConfig{
			AvailabilityZones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
			VpcCidr:           "10.10.0.0/16",
			NatGateways:       NatSingle,
		},
		Keys: KeysConfig{RotationPeriodDays: 365, DeletionWindowDays: 30},
		Logs: LogsConfig{RetentionDays: MinLogRetentionDays},
	}
	if env == EnvProd {
		c.AvailabilityTier = TierCritical
		c.Network.VpcCidr = "10.20.0.0/16"
		c.Network.NatGateways = NatPerAZ
		c.Logs.RetentionDays = HIPAADocumentationRetentionDays
	}
	c.Data = dataPlaneDefaults(env)
	return c
}

// Source returns the raw string value of a fully qualified config key ("ns:key"), as the Pulumi
// engine passes it: scalars as text, lists and objects as JSON.
type Source func(key string) (string, bool)

// Load reads the configuration of the running stack from the Pulumi context and validates it.
// It creates no resources.
func Load(ctx *pulumi.Context) (Config, error) {
	project := ctx.Project()
	if project == "" {
		project = DefaultProject
	}
	c, err := Parse(project, ctx.GetConfig)
	if err != nil {
		return Config{}, err
	}
	c.Stack = ctx.Stack()
	if err := Validate(c); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Parse reads every key of the project namespace (plus aws:region and aws:defaultTags) from src,
// starting from the defaults of the configured environment. It reports malformed values (not a
// number, not a list) for every key at once; it does not judge allowed ranges (see Validate).
func Parse(project string, src Source) (Config, error) {
	r := &reader{project: project, src: src}
	env, _ := r.raw("environment")
	c := Defaults(strings.TrimSpace(env))
	c.Project = project
	if env == "" {
		c.Environment = ""
	}
	if v, ok := src("aws:region"); ok {
		c.Region = strings.TrimSpace(v)
	} else {
		c.Region = ""
	}
	if v, ok := src("aws:defaultTags"); ok {
		var dt struct {
			Tags map[string]string `json:"tags"`
		}
		if err := json.Unmarshal([]byte(v), &dt); err != nil {
			r.errs = append(r.errs, fmt.Errorf("aws:defaultTags: want an object {tags: {key: value}}: %w", err))
		}
		c.DefaultTags = dt.Tags
	}

	r.str("owner", &c.Owner)
	r.str("availabilityTier", &c.AvailabilityTier)
	r.str("accountId", &c.AccountID)
	r.strs("availabilityZones", &c.Network.AvailabilityZones)
	r.str("vpcCidr", &c.Network.VpcCidr)
	r.str("natGateways", &c.Network.NatGateways)
	r.integer("kmsKeyRotationDays", &c.Keys.RotationPeriodDays)
	r.integer("kmsDeletionWindowDays", &c.Keys.DeletionWindowDays)
	r.integer("logRetentionDays", &c.Logs.RetentionDays)
	r.strs("securityAlarmEmails", &c.SecurityAlarmEmails)
	c.Data.parse(r)

	if len(r.errs) > 0 {
		return Config{}, fmt.Errorf("stack configuration: %w", errors.Join(r.errs...))
	}
	return c, nil
}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	emailPattern     = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`)
)

// Validate checks every value against its allowed set and returns all violations joined, each
// naming the full key and what is allowed. It is pure: no I/O, no resources.
func Validate(c Config) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", c.Full(key), fmt.Sprintf(format, args...)))
	}

	if !slices.Contains(Environments, c.Environment) {
		bad("environment", "%q is not an environment (allowed: %s)", c.Environment, strings.Join(Environments, ", "))
	}
	if strings.TrimSpace(c.Owner) == "" {
		bad("owner", "must name the accountable team (a non-empty string)")
	}
	if !slices.Contains(Tiers, c.AvailabilityTier) {
		bad("availabilityTier", "%q is not a tier (allowed: %s)", c.AvailabilityTier, strings.Join(Tiers, ", "))
	}
	if c.Environment == EnvProd && c.AvailabilityTier != TierCritical && slices.Contains(Tiers, c.AvailabilityTier) {
		bad("availabilityTier", "the prod environment must use tier %q, got %q", TierCritical, c.AvailabilityTier)
	}
	if !accountIDPattern.MatchString(c.AccountID) {
		bad("accountId", "%q is not an AWS account ID (allowed: 12 digits)", c.AccountID)
	}
	if c.Region == "" {
		errs = append(errs, errors.New("aws:region: must be set (e.g. eu-west-1)"))
	}

	errs = append(errs, validateNetwork(c)...)

	if d := c.Keys.RotationPeriodDays; d < MinKeyRotationDays || d > MaxKeyRotationDays {
		bad("kmsKeyRotationDays", "%d is out of range (allowed: %d..%d days)", d, MinKeyRotationDays, MaxKeyRotationDays)
	}
	if d := c.Keys.DeletionWindowDays; d < MinKeyDeletionWindow || d > MaxKeyDeletionWindow {
		bad("kmsDeletionWindowDays", "%d is out of range (allowed: %d..%d days)", d, MinKeyDeletionWindow, MaxKeyDeletionWindow)
	}
	if d := c.Logs.RetentionDays; !slices.Contains(LogRetentionValues, d) {
		bad("logRetentionDays", "%d is not a CloudWatch Logs retention period (allowed: %s)", d, joinInts(LogRetentionValues))
	} else if d < MinLogRetentionDays {
		bad("logRetentionDays", "%d days is too short (allowed: at least %d, the floor of the policy pack's cloudwatch-log-group-retention-minimum; prod default %d, the HIPAA documentation retention of 164.316(b)(2)(i))",
			d, MinLogRetentionDays, HIPAADocumentationRetentionDays)
	}

	for _, e := range c.SecurityAlarmEmails {
		if !emailPattern.MatchString(e) {
			bad("securityAlarmEmails", "%q is not an email address (allowed: name@domain)", e)
		}
	}
	if c.AvailabilityTier == TierCritical && len(c.SecurityAlarmEmails) == 0 {
		bad("securityAlarmEmails", "tier %q needs at least one recipient of the security alarms (allowed: a list of email addresses)", TierCritical)
	}

	errs = append(errs, validateDefaultTags(c)...)
	errs = append(errs, c.Data.validate(c)...)

	if len(errs) > 0 {
		return fmt.Errorf("invalid stack configuration: %w", errors.Join(errs...))
	}
	return nil
}

func validateNetwork(c Config) []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", c.Full(key), fmt.Sprintf(format, args...)))
	}
	azs := c.Network.AvailabilityZones
	switch {
	case len(azs) < MinAZs:
		bad("availabilityZones", "%d availability zone(s) given, at least %d are required for high availability (e.g. [%sa, %sb])",
			len(azs), MinAZs, c.Region, c.Region)
	case len(azs) > MaxAZs:
		bad("availabilityZones", "%d availability zones given (allowed: %d..%d)", len(azs), MinAZs, MaxAZs)
	}
	seen := map[string]bool{}
	for _, az := range azs {
		if seen[az] {
			bad("availabilityZones", "%q is listed twice (allowed: distinct zones)", az)
		}
		seen[az] = true
		if c.Region != "" && (!strings.HasPrefix(az, c.Region) || len(az) != len(c.Region)+1) {
			bad("availabilityZones", "%q is not a zone of region %s (allowed: %sa, %sb, ...)", az, c.Region, c.Region, c.Region)
		}
	}
	if _, err := ParseVpcCidr(c.Network.VpcCidr); err != nil {
		bad("vpcCidr", "%v", err)
	}
	if !slices.Contains(NatLayouts, c.Network.NatGateways) {
		bad("natGateways", "%q is not a NAT layout (allowed: %s)", c.Network.NatGateways, strings.Join(NatLayouts, ", "))
	} else if c.AvailabilityTier == TierCritical && c.Network.NatGateways != NatPerAZ {
		bad("natGateways", "tier %q needs one NAT gateway per AZ so losing an AZ does not cut the others' egress (allowed: %s)",
			TierCritical, NatPerAZ)
	}
	return errs
}

// ParseVpcCidr parses and checks a VPC block: IPv4, private (RFC 1918), prefix /16../24, and
// written as its network address.
func ParseVpcCidr(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR block (allowed: an RFC 1918 IPv4 block /%d../%d, e.g. 10.20.0.0/16)", s, MinVpcPrefix, MaxVpcPrefix)
	}
	if !p.Addr().Is4() || !p.Addr().IsPrivate() {
		return netip.Prefix{}, fmt.Errorf("%q is not a private IPv4 block (allowed: within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)", s)
	}
	if p.Bits() < MinVpcPrefix || p.Bits() > MaxVpcPrefix {
		return netip.Prefix{}, fmt.Errorf("%q has prefix /%d (allowed: /%d../%d)", s, p.Bits(), MinVpcPrefix, MaxVpcPrefix)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set (allowed: the network address, e.g. %s)", s, p.Masked())
	}
	return p, nil
}

func validateDefaultTags(c Config) []error {
	want := map[string]string{
		TagEnvironment:         c.Environment,
		TagDataClassification:  DataClassificationPHI,
		TagComplianceFramework: ComplianceHIPAA,
		TagOwner:               c.Owner,
	}
	var errs []error
	for _, k := range []string{TagEnvironment, TagDataClassification, TagComplianceFramework, TagOwner} {
		got, ok := c.DefaultTags[k]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("aws:defaultTags: tag %q is missing (required: %s=%s)", k, k, want[k]))
		case got != want[k]:
			errs = append(errs, fmt.Errorf("aws:defaultTags: tag %q is %q (required: %q)", k, got, want[k]))
		}
	}
	return errs
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// reader parses raw values of one namespace, collecting every malformed value.
type reader struct {
	project string
	src     Source
	errs    []error
}

func (r *reader) key(k string) string { return fullKey(r.project, k) }

func (r *reader) raw(k string) (string, bool) {
	v, ok := r.src(r.key(k))
	return v, ok
}

func (r *reader) fail(k, format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("%s: %s", r.key(k), fmt.Sprintf(format, args...)))
}

func (r *reader) str(k string, dst *string) {
	if v, ok := r.raw(k); ok {
		*dst = strings.TrimSpace(v)
	}
}

func (r *reader) integer(k string, dst *int) {
	v, ok := r.raw(k)
	if !ok {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.fail(k, "%q is not a whole number", v)
		return
	}
	*dst = n
}

func (r *reader) number(k string, dst *float64) {
	v, ok := r.raw(k)
	if !ok {
		return
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		r.fail(k, "%q is not a number", v)
		return
	}
	*dst = f
}

// strs reads a list of strings given as a JSON array (how the engine passes YAML lists).
func (r *reader) strs(k string, dst *[]string) {
	v, ok := r.raw(k)
	if !ok {
		return
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.fail(k, "want a list of strings, got %q", v)
		return
	}
	*dst = out
}
