// Package keys creates the customer-managed KMS keys of the pipeline: one symmetric
// (SYMMETRIC_DEFAULT, AES-256-GCM) key per data domain, automatic rotation on with the configured
// period, a deletion window, an alias with the environment suffix and a key policy that lets in
// only the account root (which delegates to the account's IAM policies, i.e. the least-privilege
// roles of each component) plus the AWS services that must use the key themselves:
//
//   - logs:   CloudWatch Logs (logs.<region>.amazonaws.com), only for this account's log groups
//     (kms:EncryptionContext:aws:logs:arn);
//   - audit:  CloudTrail (only for this account's trails, kms:EncryptionContext:aws:cloudtrail:arn,
//     and aws:SourceAccount) and CloudWatch alarms publishing to the encrypted alarm topic.
//
// The images key (ECR repositories) has the root statement only: ECR uses it through grants.
package keys

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/policydoc"
)

// TypeToken is the component's type token.
var TypeToken = naming.TypeToken("keys", "Keys")

// Domain is the data domain a key protects.
type Domain string

// Domains.
const (
	Stream   Domain = "stream"
	Database Domain = "database"
	Cache    Domain = "cache"
	Logs     Domain = "logs"
	Secrets  Domain = "secrets"
	Audit    Domain = "audit"
	// Images protects the ECR repositories of the service images. Images carry no ePHI by
	// design; a key of their own keeps them apart from the data keys (disabling or scheduling it
	// for deletion never touches patient data). ECR itself needs no key-policy statement: it
	// uses the key through grants it creates with the permissions of the principal creating the
	// repository (kms:CreateGrant / kms:DescribeKey via IAM, delegated by the account root).
	Images Domain = "images"
)

// Domains lists every domain, in creation order.
var Domains = []Domain{Stream, Database, Cache, Logs, Secrets, Audit, Images}

var descriptions = map[Domain]string{
	Stream:   "Kinesis vital-signs stream (PHI in transit through the pipeline)",
	Database: "Aurora PostgreSQL storage, snapshots and Performance Insights (PHI at rest)",
	Cache:    "ElastiCache Redis at rest (PHI in the latest-vitals cache)",
	Logs:     "CloudWatch Logs log groups of every component",
	Secrets:  "Secrets Manager secrets (database and service credentials)",
	Audit:    "CloudTrail trail, its S3 bucket and the security alarm topic",
	Images:   "ECR repositories of the service container images",
}

// Args configure the keys.
type Args struct {
	Namer              naming.Namer
	AccountID          string
	Region             string
	RotationPeriodDays int
	DeletionWindowDays int
}

// Keys is the component holding one key and alias per domain.
type Keys struct {
	pulumi.ResourceState

	ByDomain map[Domain]*kms.Key
	Aliases  map[Domain]*kms.Alias
}

// Key returns the key of a domain.
func (k *Keys) Key(d Domain) *kms.Key { return k.ByDomain[d] }

// Arn returns the ARN of a domain's key.
func (k *Keys) Arn(d Domain) pulumi.StringOutput { return k.ByDomain[d].Arn }

// New creates the keys.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Keys, error) {
	c := &Keys{ByDomain: map[Domain]*kms.Key{}, Aliases: map[Domain]*kms.Alias{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("keys component: %w", err)
	}
	parent := pulumi.Parent(c)
	outs := pulumi.Map{}
	for _, d := range Domains {
		policy, err := Policy(d, args.AccountID, args.Region).JSON()
		if err != nil {
			return nil, fmt.Errorf("key policy %s: %w", d, err)
		}
		key, err := kms.NewKey(ctx, naming.Logical(name, string(d), "key"), &kms.KeyArgs{
			Description:           pulumi.String(fmt.Sprintf("%s (%s)", descriptions[d], args.Namer.Env)),
			KeyUsage:              pulumi.String("ENCRYPT_DECRYPT"),
			CustomerMasterKeySpec: pulumi.String("SYMMETRIC_DEFAULT"),
			EnableKeyRotation:     pulumi.Bool(true),
			RotationPeriodInDays:  pulumi.Int(args.RotationPeriodDays),
			DeletionWindowInDays:  pulumi.Int(args.DeletionWindowDays),
			IsEnabled:             pulumi.Bool(true),
			MultiRegion:           pulumi.Bool(false),
			Policy:                pulumi.String(policy),
			Tags:                  args.Namer.TagsWith(map[string]string{"data-domain": string(d)}, string(d), "key"),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", d, err)
		}
		alias, err := kms.NewAlias(ctx, naming.Logical(name, string(d), "alias"), &kms.AliasArgs{
			Name:        pulumi.String(args.Namer.KeyAlias(string(d))),
			TargetKeyId: key.KeyId,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("key alias %s: %w", d, err)
		}
		c.ByDomain[d] = key
		c.Aliases[d] = alias
		outs[string(d)+"KeyArn"] = key.Arn
	}
	if err := ctx.RegisterResourceOutputs(c, outs); err != nil {
		return nil, fmt.Errorf("keys component outputs: %w", err)
	}
	return c, nil
}

// keyUse are the data-key actions a service needs to encrypt and decrypt with a key.
var keyUse = []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}

// Policy is the key policy of a domain. Resource "*" in a key policy means "this key".
func Policy(d Domain, account, region string) policydoc.Document {
	st := []policydoc.Statement{{
		Sid:       "AccountRootAdministersKeyAndDelegatesToIAM",
		Effect:    "Allow",
		Principal: policydoc.AWS(policydoc.AccountRoot(account)),
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}}
	switch d {
	case Logs:
		st = append(st, policydoc.Statement{
			Sid:       "CloudWatchLogsUsesKeyForThisAccountsLogGroups",
			Effect:    "Allow",
			Principal: policydoc.Service(fmt.Sprintf("logs.%s.amazonaws.com", region)),
			Action:    keyUse,
			Resource:  []string{"*"},
			Condition: map[string]map[string]any{
				"ArnLike": {"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:aws:logs:%s:%s:log-group:*", region, account)},
			},
		})
	case Audit:
		st = append(st,
			policydoc.Statement{
				Sid:       "CloudTrailEncryptsThisAccountsTrails",
				Effect:    "Allow",
				Principal: policydoc.Service("cloudtrail.amazonaws.com"),
				Action:    []string{"kms:GenerateDataKey*"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{
					"StringEquals": {"aws:SourceAccount": account},
					"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": fmt.Sprintf("arn:aws:cloudtrail:*:%s:trail/*", account)},
				},
			},
			policydoc.Statement{
				Sid:       "CloudTrailDescribesKey",
				Effect:    "Allow",
				Principal: policydoc.Service("cloudtrail.amazonaws.com"),
				Action:    []string{"kms:DescribeKey"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}},
			},
			policydoc.Statement{
				Sid:       "CloudWatchAlarmsPublishToEncryptedTopic",
				Effect:    "Allow",
				Principal: policydoc.Service("cloudwatch.amazonaws.com"),
				Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				Resource:  []string{"*"},
				Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}},
			},
		)
	}
	return policydoc.New(st...)
}
