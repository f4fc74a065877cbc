package lambda

import (
	"fmt"
	"sort"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/credname"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// FunctionNoPlaintextSecrets: credentials do not reach Lambda functions as plain environment
// values.
var FunctionNoPlaintextSecrets = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "lambda-function-no-plaintext-secrets",
		Title: "Lambda functions receive no credentials as plain environment values",
		Description: "The Lambda counterpart of ecs-task-definition-no-plaintext-secrets, with the same " +
			"rule for names. A plain environment value is kept in clear in the Pulumi state and " +
			"shown in preview output. " + credname.Summary + " Such a variable must not hold a plain " +
			"value: a value marked secret (pulumi.ToSecret, a secret config value) passes, since " +
			"the state keeps it encrypted; better still, pass the Secrets Manager ARN (a _ARN name) " +
			"and read the secret at run time. A value still unknown at preview and not known to be " +
			"secret is undetermined. Values are never read into a message.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.LambdaFunction},
		Remediation: "Keep the credential in Secrets Manager and give the function its ARN (e.g. " +
			"DB_PASSWORD_SECRET_ARN) with secretsmanager:GetSecretValue on its role; at the least mark " +
			"the value secret (pulumi.ToSecret or a secret stack config value).",
		References: []string{
			"https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
			"https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
		},
		Engine: policy.EngineGo,
	},
	Resource: functionNoPlaintextSecrets,
}

func functionNoPlaintextSecrets(_ policy.Env, r policy.Resource) policy.Result {
	if _, secret, st := props.Lookup(r.Properties, "environment"); secret && st != props.Missing {
		return policy.Passed() // the whole environment is a secret
	}
	if _, present, res := check.Object(r.Properties, "environment"); res != nil || !present {
		if res != nil {
			return *res
		}
		return policy.NotApplicableBecause("the function has no environment variables")
	}
	vars, present, res := check.Object(r.Properties, "environment.variables")
	if res != nil {
		return *res
	}
	if !present || len(vars) == 0 {
		return policy.NotApplicableBecause("the function has no environment variables")
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, string(k))
	}
	sort.Strings(names)
	results := []policy.Result{policy.Passed()}
	for _, name := range names {
		if !credname.LooksSecret(name) {
			continue
		}
		v, secret, st := props.Lookup(r.Properties, "environment.variables"+propKey(name))
		switch {
		case secret || st == props.Missing || (v.IsString() && v.StringValue() == ""):
		case st == props.Unknown:
			results = append(results, policy.UndeterminedBecause("environment.variables %s looks like a credential and its value cannot be verified to be secret until it is known", name))
		default:
			results = append(results, policy.Failed("environment.variables %s looks like a credential but is given as a plain (non-secret) value", name))
		}
	}
	return policy.Merge(results...)
}

// propKey quotes a variable name as one property path element (names may hold "." or "-").
func propKey(name string) string { return fmt.Sprintf("[%q]", name) }
