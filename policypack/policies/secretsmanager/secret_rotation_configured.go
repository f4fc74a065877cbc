package secretsmanager

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// SecretRotationConfigured: every secret of the stack has a rotation (stack-level).
var SecretRotationConfigured = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "secretsmanager-secret-rotation-configured",
		Title: "Every Secrets Manager secret has automatic rotation configured",
		Description: "A secret that never rotates stays valid forever once leaked. Stack-level: each " +
			"aws:secretsmanager/secret needs an aws:secretsmanager/secretRotation whose secretId " +
			"names it (property dependency, ARN, ID or name). Aurora master credentials kept by RDS " +
			"(manageMasterUserPassword) are an RDS-managed secret that RDS rotates itself; such " +
			"clusters are reported as passing.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)"},
		ResourceTypes: []string{awstypes.SecretsManagerSecret, awstypes.SecretsManagerSecretRotation, awstypes.RDSCluster},
		Remediation:   "Add an aws.secretsmanager.SecretRotation (secretId: secret.id, rotationLambdaArn, rotationRules) for the secret, or let RDS manage the database password with manageMasterUserPassword: true.",
		References:    []string{refRotation, "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html"},
		Engine:        policy.EngineGo,
	},
	Stack: secretRotationConfigured,
}

func secretRotationConfigured(_ policy.Env, rs []policy.Resource) []policy.StackResult {
	s := stackref.New(rs)
	rotations := s.OfType(awstypes.SecretsManagerSecretRotation)
	var out []policy.StackResult
	for _, secret := range s.OfType(awstypes.SecretsManagerSecret) {
		found, unresolved := s.ReferredBy(secret, rotations, "secretId")
		var res policy.Result
		switch {
		case len(found) > 0:
			res = policy.Passed()
		case len(unresolved) > 0:
			res = policy.UndeterminedBecause("secretId of rotation %s cannot be verified until the value is known", unresolved[0].Name)
		default:
			res = policy.Failed("no aws:secretsmanager/secretRotation has this secret as secretId: the secret is never rotated")
		}
		out = append(out, policy.StackResult{URN: secret.URN, Result: res})
	}
	for _, c := range s.OfType(awstypes.RDSCluster) {
		managed, res := check.Bool(c.Properties, "manageMasterUserPassword", false)
		switch {
		case res != nil:
			out = append(out, policy.StackResult{URN: c.URN, Result: *res})
		case managed:
			out = append(out, policy.StackResult{URN: c.URN, Result: policy.Passed()})
		}
	}
	return out
}
