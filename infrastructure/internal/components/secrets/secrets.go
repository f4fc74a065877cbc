// Package secrets manages the credentials of the data plane in Secrets Manager: every secret is
// encrypted with the customer-managed secrets key, rotated on a schedule of at most 30 days
// (managed rotation where the service offers it, as RDS does for the master user secret; a
// rotation function otherwise) and carries a resource policy that refuses plain-HTTP access,
// with BlockPublicPolicy so AWS rejects any policy that would make it public. No secret value
// ever passes through the program or its outputs: only ARNs do.
package secrets

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("secrets", "Secrets")

// ManagedSecret is a secret another service creates and rotates (e.g. the RDS master user
// secret): this component sets its rotation schedule and resource policy.
type ManagedSecret struct {
	// Name is the short logical name ("db-master").
	Name string
	Arn  pulumi.StringInput
}

// AppSecret is a secret this component creates (empty: its value is set by its rotation
// function, never by the program).
type AppSecret struct {
	Name        string
	Description string
	// RotationLambdaArn is the function that creates and rotates the value. Required.
	RotationLambdaArn pulumi.StringInput
}

// Args configures the component.
type Args struct {
	Namer naming.Namer
	// KmsKeyArn is the secrets key.
	KmsKeyArn pulumi.StringInput
	Managed   []ManagedSecret
	App       []AppSecret
	Config    config.SecretsConfig
}

// Secrets is the component.
type Secrets struct {
	pulumi.ResourceState

	// Arns maps every secret's short name to its ARN.
	Arns map[string]pulumi.StringOutput
}

func (a Args) check() error {
	var errs []error
	if a.KmsKeyArn == nil && len(a.App) > 0 {
		errs = append(errs, errors.New("the secrets KMS key is required"))
	}
	if a.Config.RotationDays < 1 || a.Config.RotationDays > config.MaxSecretRotationDays {
		errs = append(errs, fmt.Errorf("rotation every %d days (allowed: 1..%d)", a.Config.RotationDays, config.MaxSecretRotationDays))
	}
	seen := map[string]bool{}
	for _, m := range a.Managed {
		if m.Name == "" || m.Arn == nil || seen[m.Name] {
			errs = append(errs, fmt.Errorf("managed secret %q: a unique name and an ARN are required", m.Name))
		}
		seen[m.Name] = true
	}
	for _, s := range a.App {
		if s.Name == "" || s.RotationLambdaArn == nil || seen[s.Name] {
			errs = append(errs, fmt.Errorf("secret %q: a unique name and a rotation function are required", s.Name))
		}
		seen[s.Name] = true
	}
	return errors.Join(errs...)
}

// DenyInsecureTransport is the resource policy of every secret: no access over plain HTTP. It
// grants nothing (access comes from identity policies of this account), so it cannot be public.
func DenyInsecureTransport(arn string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":%q,"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`, arn)
}

// New creates the component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Secrets, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("secrets: %w", err)
	}
	c := &Secrets{Arns: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("secrets: register component: %w", err)
	}
	parent := pulumi.Parent(c)
	rules := &secretsmanager.SecretRotationRotationRulesArgs{AutomaticallyAfterDays: pulumi.Int(args.Config.RotationDays)}

	policy := func(short string, arn pulumi.StringInput) error {
		_, err := secretsmanager.NewSecretPolicy(ctx, naming.Logical(name, short, "policy"), &secretsmanager.SecretPolicyArgs{
			SecretArn:         arn,
			BlockPublicPolicy: pulumi.Bool(true),
			Policy:            arn.ToStringOutput().ApplyT(DenyInsecureTransport).(pulumi.StringOutput),
		}, parent)
		if err != nil {
			return fmt.Errorf("secrets: policy of %s: %w", short, err)
		}
		return nil
	}

	for _, m := range args.Managed {
		// Managed rotation: no function, the owning service rotates on this schedule.
		if _, err := secretsmanager.NewSecretRotation(ctx, naming.Logical(name, m.Name, "rotation"), &secretsmanager.SecretRotationArgs{
			SecretId:      m.Arn,
			RotationRules: rules,
		}, parent); err != nil {
			return nil, fmt.Errorf("secrets: rotation of %s: %w", m.Name, err)
		}
		if err := policy(m.Name, m.Arn); err != nil {
			return nil, err
		}
		c.Arns[m.Name] = m.Arn.ToStringOutput()
	}
	for _, s := range args.App {
		sec, err := secretsmanager.NewSecret(ctx, naming.Logical(name, s.Name), &secretsmanager.SecretArgs{
			Name:                 pulumi.String(args.Namer.Physical(s.Name)),
			Description:          pulumi.String(s.Description),
			KmsKeyId:             args.KmsKeyArn,
			RecoveryWindowInDays: pulumi.Int(args.Config.RecoveryWindowDays),
			Tags:                 args.Namer.Tags(s.Name),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("secrets: secret %s: %w", s.Name, err)
		}
		if _, err := secretsmanager.NewSecretRotation(ctx, naming.Logical(name, s.Name, "rotation"), &secretsmanager.SecretRotationArgs{
			SecretId:          sec.ID(),
			RotationLambdaArn: s.RotationLambdaArn,
			RotationRules:     rules,
		}, parent); err != nil {
			return nil, fmt.Errorf("secrets: rotation of %s: %w", s.Name, err)
		}
		if err := policy(s.Name, sec.Arn); err != nil {
			return nil, err
		}
		c.Arns[s.Name] = sec.Arn
	}
	outs := pulumi.Map{}
	for k, v := range c.Arns {
		outs[k+"Arn"] = v
	}
	if err := ctx.RegisterResourceOutputs(c, outs); err != nil {
		return nil, fmt.Errorf("secrets: register outputs: %w", err)
	}
	return c, nil
}
