package kms

import (
	"fmt"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// keyRefs lists, per data store type, the properties that name a KMS key protecting its data.
var keyRefs = map[string][]string{
	awstypes.RDSCluster:                  {"kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"},
	awstypes.RDSClusterInstance:          {"performanceInsightsKmsKeyId"},
	awstypes.RDSInstance:                 {"kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"},
	awstypes.ElastiCacheReplicationGroup: {"kmsKeyId"},
	awstypes.KinesisStream:               {"kmsKeyId"},
	awstypes.CloudWatchLogGroup:          {"kmsKeyId"},
	awstypes.SecretsManagerSecret:        {"kmsKeyId"},
	awstypes.SNSTopic:                    {"kmsMasterKeyId"},
	awstypes.CloudTrailTrail:             {"kmsKeyId"},
	awstypes.S3BucketSSEConfigurationV2:  {"rules[%d].applyServerSideEncryptionByDefault.kmsMasterKeyId"},
	awstypes.S3BucketSSEConfiguration:    {"rules[%d].applyServerSideEncryptionByDefault.kmsMasterKeyId"},
}

func dataStoreTypes() []string {
	return []string{
		awstypes.KMSKey, awstypes.KMSExternalKey, awstypes.KMSAlias,
		awstypes.RDSCluster, awstypes.RDSClusterInstance, awstypes.RDSInstance, awstypes.ElastiCacheReplicationGroup,
		awstypes.KinesisStream, awstypes.CloudWatchLogGroup, awstypes.SecretsManagerSecret,
		awstypes.SNSTopic, awstypes.CloudTrailTrail, awstypes.S3BucketSSEConfigurationV2,
		awstypes.S3BucketSSEConfiguration,
	}
}

// DataStoreKeyRotationEnabled: every KMS key that a data store of the stack names has automatic
// rotation (stack-level: it follows each data store's key reference to the key resource).
var DataStoreKeyRotationEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "kms-data-store-key-rotation-enabled",
		Title: "Every KMS key that protects a data store rotates automatically",
		Description: "A data store holding ePHI (Aurora, standalone RDS DB instances, ElastiCache, Kinesis, log groups, secrets, " +
			"topics, trails, log buckets) is only as well protected as its key. This stack-level " +
			"check follows each data store's key reference (property dependency, key ID, ARN or " +
			"alias) to the key in the stack and requires automatic rotation within the maximum period.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: dataStoreTypes(),
		Remediation: "Enable automatic rotation (enableKeyRotation: true, rotationPeriodInDays within " +
			"the maximum) on the key the data store names, or point the data store at a key of this stack that rotates.",
		References: []string{
			"https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
			"https://docs.aws.amazon.com/kms/latest/developerguide/service-integration.html",
		},
		Engine: policy.EngineGo,
		Params: []policy.Param{KeyRotationEnabled.Params[0]},
	},
	Stack: dataStoreKeyRotation,
}

func dataStoreKeyRotation(env policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	keys := s.OfType(awstypes.KMSKey, awstypes.KMSExternalKey)
	aliases := s.OfType(awstypes.KMSAlias)
	var out []policy.StackResult
	for _, r := range rs {
		paths, ok := keyRefs[r.Type]
		if !ok {
			continue
		}
		var results []policy.Result
		for _, p := range expand(r, paths) {
			if res := keyRotationOf(env, s, r, p, keys, aliases); res != nil {
				results = append(results, *res)
			}
		}
		if len(results) == 0 {
			continue
		}
		out = append(out, policy.StackResult{URN: r.URN, Result: policy.Merge(results...)})
	}
	return out
}

// expand replaces %d in indexed paths with each index of the list.
func expand(r policy.Resource, paths []string) []string {
	var out []string
	for _, p := range paths {
		if !strings.Contains(p, "%d") {
			out = append(out, p)
			continue
		}
		list := p[:strings.Index(p, "[")]
		arr, st := props.Array(r.Properties, list)
		if st != props.Known {
			out = append(out, fmt.Sprintf(p, 0))
			continue
		}
		for i := range arr {
			out = append(out, fmt.Sprintf(p, i))
		}
	}
	return out
}

// keyRotationOf judges the key named at path of data store r; nil when no key is named.
func keyRotationOf(env policy.Env, s *stackref.Stack, r policy.Resource, path string, keys, aliases []policy.Resource) *policy.Result {
	ref, present, res := check.String(r.Properties, path)
	top := path
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	if res != nil {
		// An unknown reference is still resolved by its property dependency on the key.
		if _, st := props.Get(r.Properties, path); st != props.Unknown || len(r.PropertyDependencies[top]) == 0 {
			return res
		}
	}
	if !present && res == nil {
		return nil
	}
	if present && check.IsAWSManagedKey(ref) {
		return nil // AWS-managed keys are rotated by AWS every year.
	}
	found, unresolved := s.Refs(r, path, keys)
	if len(found) == 0 {
		viaAlias, aliasUnresolved := s.Refs(r, path, aliases)
		for _, a := range viaAlias {
			k, _ := s.Refs(a, "targetKeyId", keys)
			found = append(found, k...)
		}
		unresolved = unresolved || aliasUnresolved
	}
	if len(found) == 0 {
		if unresolved {
			u := policy.UndeterminedBecause("%s cannot be verified until the value is known", path)
			return &u
		}
		u := policy.UndeterminedBecause("%s names a KMS key that is not defined in this stack; its rotation cannot be verified here", path)
		return &u
	}
	var results []policy.Result
	for _, k := range found {
		kr := keyRotationEnabled(env, k)
		switch kr.Status {
		case policy.Fail, policy.Undetermined:
			msgs := make([]string, len(kr.Messages))
			for i, m := range kr.Messages {
				msgs[i] = fmt.Sprintf("%s names KMS key %s: %s", path, k.Name, m)
			}
			kr.Messages = msgs
		case policy.NotApplicable:
			kr = policy.Failed("%s names KMS key %s, which cannot rotate automatically (%s)", path, k.Name, strings.Join(kr.Messages, "; "))
		}
		results = append(results, kr)
	}
	m := policy.Merge(results...)
	return &m
}
