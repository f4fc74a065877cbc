package lambda

import (
	"sort"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/credname"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// FunctionNoPlaintextSecrets: credentials do not reach Lambda functions in environment
// variables, secret-marked or not.
var FunctionNoPlaintextSecrets = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "lambda-function-no-plaintext-secrets",
		Title: "Lambda functions receive no credentials in environment variables",
		Description: "The Lambda counterpart of ecs-task-definition-no-plaintext-secrets, with the same " +
			"rule for names. A plain environment value is kept in clear in the Pulumi state and " +
			"shown in preview output; marked secret (pulumi.ToSecret, a secret config value) it is " +
			"encrypted in the state, but Lambda still returns every environment value in clear to " +
			"anyone allowed lambda:GetFunctionConfiguration and shows it in the console. " +
			credname.Summary + " Such a variable fails when it has a value, secret or not; pass the " +
			"Secrets Manager ARN instead (a _ARN name) and read the secret at run time. A value still " +
			"unknown at preview is undetermined (only an empty value would pass). Values are never " +
			"read into a message, and names inside a secret environment are not shown either.",
		Severity:      policy.SeverityCritical,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(4)(ii)(B)", "164.312(a)(1)"},
		ResourceTypes: []string{awstypes.LambdaFunction},
		Remediation: "Keep the credential in Secrets Manager and give the function its ARN (e.g. " +
			"DB_PASSWORD_SECRET_ARN) with secretsmanager:GetSecretValue on its role, and read it at run " +
			"time (the AWS Parameters and Secrets Lambda extension caches it).",
		References: []string{
			"https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
			"https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
		},
		Engine: policy.EngineGo,
	},
	Resource: functionNoPlaintextSecrets,
}

func functionNoPlaintextSecrets(_ policy.Env, r policy.Resource) policy.Result {
	_, envSecret, _ := props.Lookup(r.Properties, "environment")
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
	_, varsSecret, _ := props.Lookup(r.Properties, "environment.variables")
	hidden := envSecret || varsSecret // names inside a secret are not shown
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, string(k))
	}
	sort.Strings(names)
	results := []policy.Result{policy.Passed()}
	var hiddenFailed, hiddenUnknown int
	for _, name := range names {
		if !credname.LooksSecret(name) {
			continue
		}
		v, secret, st := props.Value(vars[resource.PropertyKey(name)])
		known := st != props.Unknown
		switch {
		case st == props.Missing:
			// A null value holds no credential.
		case known && v.IsString() && v.StringValue() == "":
			// An empty value holds no credential.
		case !known && hidden:
			hiddenUnknown++
		case !known:
			results = append(results, policy.UndeterminedBecause("environment.variables %s looks like a credential and its value is not known yet; "+
				"unless it is empty it is a credential in the function's configuration", name))
		case hidden:
			hiddenFailed++
		case secret:
			results = append(results, policy.Failed("environment.variables %s looks like a credential: marked secret, it is encrypted in the Pulumi "+
				"state, but Lambda returns environment values in clear to anyone allowed lambda:GetFunctionConfiguration and in the console", name))
		default:
			results = append(results, policy.Failed("environment.variables %s looks like a credential but is given as a plain (non-secret) value", name))
		}
	}
	if hiddenFailed > 0 {
		results = append(results, policy.Failed("%d environment variable(s) look like credentials (not named: the environment is a secret); "+
			"Lambda returns environment values in clear to anyone allowed lambda:GetFunctionConfiguration and in the console", hiddenFailed))
	}
	if hiddenUnknown > 0 {
		results = append(results, policy.UndeterminedBecause("%d environment variable(s) look like credentials (not named: the environment is a secret) "+
			"and their values are not known yet", hiddenUnknown))
	}
	return policy.Merge(results...)
}
