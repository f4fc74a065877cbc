package ecs

import (
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// ServiceAutoscalingTarget: every ECS service has an Application Auto Scaling target
// (stack-level).
var ServiceAutoscalingTarget = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-service-autoscaling-target",
		Title: "Every ECS service has an Application Auto Scaling target",
		Description: "Ingest load follows patient census and alarms; a service that cannot scale " +
			"out drops vitals under load. Stack-level: an aws:appautoscaling/target with " +
			"serviceNamespace ecs, scalableDimension ecs:service:DesiredCount and resourceId " +
			"service/<cluster name>/<service name> must exist for each service. The cluster name " +
			"comes from the service's cluster input (a name or an ARN); a target computed from the " +
			"service (property dependency) also counts.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"},
		ResourceTypes: []string{awstypes.ECSService, awstypes.ECSCluster, awstypes.AppAutoScalingTarget},
		Remediation:   `Add an aws.appautoscaling.Target {serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: pulumi.Sprintf("service/%s/%s", cluster.name, service.name), minCapacity >= 2} and a scaling policy.`,
		References:    []string{"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-auto-scaling.html", "https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-ecs.html"},
		Engine:        policy.EngineGo,
	},
	Stack: serviceAutoscalingTarget,
}

const desiredCount = "ecs:service:DesiredCount"

func serviceAutoscalingTarget(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	clusters := s.OfType(awstypes.ECSCluster)
	var targets []policy.Resource
	var unknownTargets []string
	for _, t := range s.OfType(awstypes.AppAutoScalingTarget) {
		dim, _, res := check.String(t.Properties, "scalableDimension")
		if res != nil {
			unknownTargets = append(unknownTargets, t.Name)
			continue
		}
		if dim == desiredCount {
			targets = append(targets, t)
		}
	}
	var out []policy.StackResult
	for _, svc := range s.OfType(awstypes.ECSService) {
		out = append(out, policy.StackResult{URN: svc.URN, Result: serviceTarget(s, svc, clusters, targets, unknownTargets)})
	}
	return out
}

func serviceTarget(s *stackref.Stack, svc policy.Resource, clusters, targets []policy.Resource, unknownTargets []string) policy.Result {
	var unresolved []string
	want, res := wantedResourceID(s, svc, clusters)
	for _, t := range targets {
		if deps := t.PropertyDependencies["resourceId"]; len(deps) > 0 && containsString(deps, svc.URN) {
			return policy.Passed()
		}
		id, _, idRes := check.String(t.Properties, "resourceId")
		switch {
		case idRes != nil:
			unresolved = append(unresolved, t.Name)
		case want != "" && id == want:
			return policy.Passed()
		}
	}
	if res != nil {
		return *res
	}
	unresolved = append(unresolved, unknownTargets...)
	if len(unresolved) > 0 {
		return policy.UndeterminedBecause("resourceId or scalableDimension of scaling target(s) %s cannot be verified until the value is known", strings.Join(unresolved, ", "))
	}
	return policy.Failed("no aws:appautoscaling/target with scalableDimension %s and resourceId %s: the service cannot scale", desiredCount, want)
}

// wantedResourceID builds service/<cluster name>/<service name> for a service.
func wantedResourceID(s *stackref.Stack, svc policy.Resource, clusters []policy.Resource) (string, *policy.Result) {
	name, present, res := check.String(svc.Properties, "name")
	if res != nil {
		return "", res
	}
	if !present {
		u := policy.UndeterminedBecause("name is not set; the service's scaling target cannot be matched")
		return "", &u
	}
	clusterName, res := clusterNameOf(s, svc, clusters)
	if res != nil {
		return "", res
	}
	return "service/" + clusterName + "/" + name, nil
}

// clusterNameOf resolves the service's cluster input (name or ARN) to the cluster name; absent
// means the default cluster.
func clusterNameOf(s *stackref.Stack, svc policy.Resource, clusters []policy.Resource) (string, *policy.Result) {
	ref, present, res := check.String(svc.Properties, "cluster")
	if res == nil {
		if !present {
			return "default", nil
		}
		if check.IsARN(ref) {
			// arn:aws:ecs:region:account:cluster/<name>
			if i := strings.LastIndex(ref, "cluster/"); i >= 0 {
				return ref[i+len("cluster/"):], nil
			}
			u := policy.UndeterminedBecause("cluster is an ARN without a cluster/<name> part; it cannot be interpreted")
			return "", &u
		}
		return ref, nil
	}
	// Unknown during preview: follow the dependency to the cluster and read its name.
	found, _ := s.Refs(svc, "cluster", clusters)
	if len(found) == 1 {
		if n, st := props.String(found[0].Properties, "name"); st == props.Known && n != "" {
			return n, nil
		}
		u := policy.UndeterminedBecause("cluster refers to cluster %s whose name cannot be verified until the value is known", found[0].Name)
		return "", &u
	}
	return "", res
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
