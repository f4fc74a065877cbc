// Package logging creates the CloudWatch log groups of every component the same way: encrypted
// with the customer-managed logs key, with the retention from the stack config (prod: 2192 days,
// six years, the HIPAA documentation retention of 164.316(b)(2)(i); HIPAA sets no log floor),
// named /hipaa/<component>/<part>-<env> and tagged with that name.
//
// Components receive a Settings value from the program and call
//
//	lg, err := logging.NewLogGroup(ctx, "stream-processor-logs", settings.Args("stream", "processor"), pulumi.Parent(c))
package logging

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// Args describes one log group.
type Args struct {
	// Name is the physical log group name (use naming.Namer.LogGroup, or a prefix AWS imposes
	// such as "aws-waf-logs-" via naming.Namer.PhysicalWithPrefix).
	Name string
	// KmsKeyArn is the ARN of the logs key. Required.
	KmsKeyArn pulumi.StringInput
	// RetentionDays is one of config.LogRetentionValues. Required.
	RetentionDays int
	// Tags are the resource tags; the Name tag is set to Name when absent.
	Tags pulumi.StringMap
}

// Settings is what the program hands every component: the logs key, the retention and the namer.
type Settings struct {
	Namer         naming.Namer
	KmsKeyArn     pulumi.StringInput
	RetentionDays int
}

// Args returns the Args of the log group /hipaa/<component>/<parts>-<env>.
func (s Settings) Args(component string, parts ...string) Args {
	return Args{
		Name:          s.Namer.LogGroup(component, parts...),
		KmsKeyArn:     s.KmsKeyArn,
		RetentionDays: s.RetentionDays,
	}
}

// ArgsNamed returns Args for a log group whose physical name is imposed (e.g. WAF's
// "aws-waf-logs-..." or API Gateway's access log group).
func (s Settings) ArgsNamed(name string) Args {
	return Args{Name: name, KmsKeyArn: s.KmsKeyArn, RetentionDays: s.RetentionDays}
}

// NewLogGroup creates a KMS-encrypted log group with a bounded retention. It refuses (creating
// nothing) a missing key, name or a retention CloudWatch does not accept.
func NewLogGroup(ctx *pulumi.Context, logicalName string, args Args, opts ...pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("log group %s: %w", logicalName, err)
	}
	tags := pulumi.StringMap{}
	for k, v := range args.Tags {
		tags[k] = v
	}
	if _, ok := tags["Name"]; !ok {
		tags["Name"] = pulumi.String(args.Name)
	}
	lg, err := cloudwatch.NewLogGroup(ctx, logicalName, &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(args.Name),
		KmsKeyId:        args.KmsKeyArn,
		RetentionInDays: pulumi.Int(args.RetentionDays),
		Tags:            tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("log group %s: %w", logicalName, err)
	}
	return lg, nil
}

func (a Args) check() error {
	var errs []error
	if a.Name == "" {
		errs = append(errs, errors.New("a physical name is required"))
	}
	if a.KmsKeyArn == nil {
		errs = append(errs, errors.New("the logs KMS key ARN is required (log groups are always encrypted with it)"))
	}
	if !slices.Contains(config.LogRetentionValues, a.RetentionDays) {
		errs = append(errs, fmt.Errorf("retention %d days is not a CloudWatch Logs retention period (allowed: %v)", a.RetentionDays, config.LogRetentionValues))
	}
	return errors.Join(errs...)
}
