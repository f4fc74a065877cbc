package ecs

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// ServiceNoPublicIP: service tasks get no public IP address.
var ServiceNoPublicIP = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-service-no-public-ip",
		Title: "ECS services assign no public IP address to their tasks",
		Description: "Tasks processing ePHI must be reachable only through the load balancer and " +
			"reach AWS services through private subnets (NAT or VPC endpoints), never be addressable " +
			"from the internet. networkConfiguration.assignPublicIp defaults to false.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(1)", "164.312(e)(1)"},
		ResourceTypes: []string{awstypes.ECSService},
		Remediation:   "Set networkConfiguration.assignPublicIp: false and use private subnets.",
		References:    []string{"https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-networking.html"},
		Engine:        policy.EngineGo,
	},
	Resource: func(_ policy.Env, r policy.Resource) policy.Result {
		public, res := check.Bool(r.Properties, "networkConfiguration.assignPublicIp", false)
		if res != nil {
			return *res
		}
		if public {
			return policy.Failed("networkConfiguration.assignPublicIp is true: tasks get public IP addresses")
		}
		return policy.Passed()
	},
}
