package rds

import (
	"maps"
	"slices"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ClusterMultiAZ: an Aurora cluster's instances (writer and readers) span at least two
// Availability Zones. Stack-level: the instances are found through their clusterIdentifier.
var ClusterMultiAZ = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "rds-cluster-multi-az",
		Title: "Aurora clusters have instances in at least two Availability Zones",
		Description: "If the writer's Availability Zone fails, Aurora fails over only to a reader in " +
			"another zone; a cluster whose instances share one zone (or that has a single instance) " +
			"is unavailable until the zone recovers. Judged on the stack: the cluster's " +
			"aws:rds/clusterInstance resources (matched by clusterIdentifier) and their " +
			"availabilityZone. Serverless v1 clusters (no instances) are not applicable.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.RDSCluster, awstypes.RDSClusterInstance},
		Remediation:   "Create at least two aws.rds.ClusterInstance resources for the cluster with availabilityZone set to different zones.",
		References:    []string{"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html"},
		Engine:        policy.EngineGo,
	},
	Stack: clusterMultiAZ,
}

func clusterMultiAZ(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	instances := s.OfType(awstypes.RDSClusterInstance)
	return stackref.Judge(s.OfType(awstypes.RDSCluster), func(c policy.Resource) policy.Result {
		return clusterSpread(s, c, instances)
	})
}

func clusterSpread(s *stackref.Stack, c policy.Resource, instances []policy.Resource) policy.Result {
	mode, res := engineMode(c)
	if res != nil {
		return *res
	}
	if mode == "serverless" {
		return policy.NotApplicableBecause("engineMode is serverless (v1): the cluster has no instances")
	}
	members, unresolved := s.ReferredBy(c, instances, "clusterIdentifier")
	zones := map[string]bool{}
	var unknownAZ []string
	for _, in := range members {
		az, present, res := check.String(in.Properties, "availabilityZone")
		switch {
		case res != nil || !present:
			unknownAZ = append(unknownAZ, in.Name)
		default:
			zones[az] = true
		}
	}
	if len(zones) >= 2 {
		return policy.Passed()
	}
	if len(unresolved) > 0 {
		names := make([]string, len(unresolved))
		for i, u := range unresolved {
			names[i] = u.Name
		}
		return policy.UndeterminedBecause("clusterIdentifier of instance(s) %s cannot be verified until the value is known, so the cluster's instances are not all known", strings.Join(names, ", "))
	}
	if len(members) < 2 && !hasIdentity(c) {
		// Instances naming a cluster by a value cannot be matched to a cluster whose own
		// identifier is not in its properties (auto-named, or a hand-written fixture).
		if orphans := unmatched(s, instances); len(orphans) > 0 {
			return policy.UndeterminedBecause("clusterIdentifier of this cluster is not set, so instance(s) %s, which name their cluster by value, cannot be matched to it", strings.Join(orphans, ", "))
		}
	}
	if len(members) < 2 {
		return policy.Failed("the cluster has %d instance(s) (aws:rds/clusterInstance with this clusterIdentifier); at least two in different availabilityZone values are needed", len(members))
	}
	if len(unknownAZ) > 0 {
		return policy.UndeterminedBecause("availabilityZone of instance(s) %s is not set or not known yet (RDS chooses it), so placement in two zones cannot be verified until the value is known", strings.Join(unknownAZ, ", "))
	}
	only := slices.Sorted(maps.Keys(zones))
	return policy.Failed("all %d instances of the cluster are in availabilityZone %s; at least two zones are needed", len(members), strings.Join(only, ""))
}

// hasIdentity reports whether the cluster's identifier or ARN is known.
func hasIdentity(c policy.Resource) bool {
	for _, p := range []string{"clusterIdentifier", "id", "arn"} {
		if v, _, res := check.String(c.Properties, p); res == nil && v != "" {
			return true
		}
	}
	return false
}

// unmatched lists instances whose known clusterIdentifier matches no cluster of the stack.
func unmatched(s *stackref.Stack, instances []policy.Resource) []string {
	clusters := s.OfType(awstypes.RDSCluster)
	var out []string
	for _, in := range instances {
		if len(in.PropertyDependencies["clusterIdentifier"]) > 0 {
			continue
		}
		if found, unresolved := s.Refs(in, "clusterIdentifier", clusters); len(found) == 0 && !unresolved {
			out = append(out, in.Name)
		}
	}
	return out
}
