package api

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// ManagedRuleGroups are the AWS managed rule groups of the web ACL, in priority order.
var ManagedRuleGroups = []string{
	"AWSManagedRulesAmazonIpReputationList",
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
}

// RateLimitRule is the name of the per-IP rate limiting rule.
const RateLimitRule = "rate-limit-per-ip"

// newWAF creates the web ACL, its log group (the name must start with aws-waf-logs-) and
// logging configuration (the Authorization header redacted), and associates it with the stage.
func (c *API) newWAF(ctx *pulumi.Context, name string, args Args, parent pulumi.ResourceOption) error {
	n := args.Namer
	vis := func(metric string) *wafv2.WebAclRuleVisibilityConfigArgs {
		return &wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true), MetricName: pulumi.String(metric), SampledRequestsEnabled: pulumi.Bool(true),
		}
	}
	var rules wafv2.WebAclRuleArray
	for i, group := range ManagedRuleGroups {
		rules = append(rules, wafv2.WebAclRuleArgs{
			Name:           pulumi.String(group),
			Priority:       pulumi.Int(i),
			OverrideAction: &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}},
			Statement: &wafv2.WebAclRuleStatementArgs{ManagedRuleGroupStatement: &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
				Name: pulumi.String(group), VendorName: pulumi.String("AWS"),
			}},
			VisibilityConfig: vis(group),
		})
	}
	rules = append(rules, wafv2.WebAclRuleArgs{
		Name:     pulumi.String(RateLimitRule),
		Priority: pulumi.Int(len(ManagedRuleGroups)),
		Action:   &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}},
		Statement: &wafv2.WebAclRuleStatementArgs{RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
			Limit: pulumi.Int(args.Config.WafRateLimit), AggregateKeyType: pulumi.String("IP"),
		}},
		VisibilityConfig: vis(RateLimitRule),
	})
	acl, err := wafv2.NewWebAcl(ctx, naming.Logical(name, "web-acl"), &wafv2.WebAclArgs{
		Name:          pulumi.String(n.Physical("api", "waf")),
		Description:   pulumi.String("Vitals API: AWS managed protections and per-IP rate limit"),
		Scope:         pulumi.String("REGIONAL"),
		DefaultAction: &wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: &wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true), MetricName: pulumi.String(n.Physical("api", "waf")), SampledRequestsEnabled: pulumi.Bool(true),
		},
		Tags: n.Tags("api", "waf"),
	}, parent)
	if err != nil {
		return fmt.Errorf("api: web acl: %w", err)
	}
	c.WebACL = acl

	wafLogs, err := logging.NewLogGroup(ctx, naming.Logical(name, "waf-logs"), args.Logs.ArgsNamed(n.PhysicalWithPrefix("aws-waf-logs-", "api")), parent)
	if err != nil {
		return fmt.Errorf("api: %w", err)
	}
	c.WafLogs = wafLogs
	if _, err := wafv2.NewWebAclLoggingConfiguration(ctx, naming.Logical(name, "waf-logging"), &wafv2.WebAclLoggingConfigurationArgs{
		ResourceArn:           acl.Arn,
		LogDestinationConfigs: pulumi.StringArray{wafLogs.Arn},
		RedactedFields: wafv2.WebAclLoggingConfigurationRedactedFieldArray{
			wafv2.WebAclLoggingConfigurationRedactedFieldArgs{
				SingleHeader: &wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs{Name: pulumi.String("authorization")},
			},
		},
	}, parent); err != nil {
		return fmt.Errorf("api: web acl logging: %w", err)
	}
	assoc, err := wafv2.NewWebAclAssociation(ctx, naming.Logical(name, "waf-association"), &wafv2.WebAclAssociationArgs{
		ResourceArn: c.Stage.Arn,
		WebAclArn:   acl.Arn,
	}, parent)
	if err != nil {
		return fmt.Errorf("api: web acl association: %w", err)
	}
	c.Association = assoc
	return nil
}
