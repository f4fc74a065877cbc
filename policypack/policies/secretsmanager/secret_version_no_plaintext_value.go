package secretsmanager

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// SecretVersionNoPlaintextValue: a secret's value reaches Pulumi only as a secret.
var SecretVersionNoPlaintextValue = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "secretsmanager-secret-version-no-plaintext-value",
		Title: "Secrets Manager secret values are given to Pulumi as secrets, never in plain text",
		Description: "An aws:secretsmanager/secretVersion whose secretString or secretBinary is a plain " +
			"(not secret-marked) value puts the credential in clear in the Pulumi state, in preview " +
			"output and in every state backup, outside the KMS key and the access policy that guard " +
			"the secret in Secrets Manager. The Pulumi AWS SDKs mark both properties secret, so a " +
			"plain value means something bypassed that (a raw resource registration, a converted " +
			"or hand-written program or state). A value still unknown at preview and not known to " +
			"be secret is undetermined; an empty value holds nothing. The value is never read into " +
			"a message.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)", "164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.SecretsManagerSecretVersion},
		Remediation: "Mark the value secret (pulumi.ToSecret, or a secret stack config value: pulumi " +
			"config set --secret), or better let the service generate and rotate it " +
			"(manageMasterUserPassword, a rotation Lambda) so that the program never holds it.",
		References: []string{
			"https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
			"https://www.pulumi.com/registry/packages/aws/api-docs/secretsmanager/secretversion/",
		},
		Engine: policy.EngineGo,
	},
	Resource: secretVersionNoPlaintextValue,
}

func secretVersionNoPlaintextValue(_ policy.Env, r policy.Resource) policy.Result {
	var results []policy.Result
	for _, path := range []string{"secretString", "secretBinary"} {
		v, secret, st := props.Lookup(r.Properties, path)
		// An unknown output value carries its secret flag itself (props sees only "unknown").
		if raw := r.Properties[resource.PropertyKey(path)]; raw.IsOutput() && raw.OutputValue().Secret {
			secret = true
		}
		switch {
		case st == props.Missing || (st == props.Known && v.IsString() && v.StringValue() == ""):
			continue // no value given
		case secret:
			results = append(results, policy.Passed()) // secret, even while still unknown
		case st == props.Unknown:
			results = append(results, policy.UndeterminedBecause("%s cannot be verified to be secret until the value is known", path))
		default:
			results = append(results, policy.Failed("%s is given as a plain (non-secret) value: the secret is stored in clear in the Pulumi state and shown in preview output", path))
		}
	}
	if len(results) == 0 {
		return policy.NotApplicableBecause("neither secretString nor secretBinary is set: the program gives no secret value")
	}
	return policy.Merge(results...)
}
