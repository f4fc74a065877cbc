// Package audit creates the audit trail of the account and its security alarms:
//
//   - a CloudTrail trail, multi-region with global service events, log file validation on,
//     encrypted with the audit key, delivered to CloudWatch Logs (KMS log group, configured
//     retention) through a dedicated role and to an S3 bucket; it records all management events
//     and the read-only S3 data events on its own bucket (who read the audit logs; write data
//     events on that bucket would log CloudTrail's own deliveries in a loop);
//   - the bucket: versioning on, SSE-KMS with the audit key (bucket key on), every public access
//     block flag on, ACLs disabled (bucket owner enforced), expiry after the log retention, and a
//     bucket policy denying any request without TLS plus CloudTrail's own write statements
//     (scoped by aws:SourceArn to this trail);
//   - metric filters and alarms for security events (see SecurityAlarms) notifying an SNS topic
//     encrypted with the audit key, whose policy admits only CloudWatch alarms of this account
//     and only over TLS.
package audit

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/logging"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/policydoc"
)

// TypeToken is the component's type token.
var TypeToken = naming.TypeToken("audit", "Audit")

// Args configure the audit component.
type Args struct {
	Namer     naming.Namer
	AccountID string
	Region    string
	// AuditKeyArn is the ARN of the audit KMS key (trail, bucket, topic).
	AuditKeyArn pulumi.StringInput
	// Logs creates the trail's log group.
	Logs logging.Settings
	// AlarmEmails are subscribed (email protocol) to the alarm topic.
	AlarmEmails []string
}

// Audit is the audit component.
type Audit struct {
	pulumi.ResourceState

	Trail         *cloudtrail.Trail
	Bucket        *s3.BucketV2
	LogGroup      *cloudwatch.LogGroup
	AlarmTopic    *sns.Topic
	AlarmTopicArn pulumi.StringOutput
}

// TrailName is the physical name of the trail.
func TrailName(n naming.Namer) string { return n.Physical("trail") }

// BucketName is the physical name of the trail bucket (the account ID makes it globally unique).
func BucketName(n naming.Namer, account string) string { return n.Physical("audit-trail", account) }

// TrailArn is the ARN of the trail, known before it exists (the bucket policy needs it).
func TrailArn(n naming.Namer, account, region string) string {
	return fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, TrailName(n))
}

// New creates the audit component.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Audit, error) {
	a := &Audit{}
	if err := ctx.RegisterComponentResource(TypeToken, name, a, opts...); err != nil {
		return nil, fmt.Errorf("audit component: %w", err)
	}
	parent := pulumi.Parent(a)
	nm := args.Namer
	ln := func(parts ...string) string { return naming.Logical(name, parts...) }
	trailArn := TrailArn(nm, args.AccountID, args.Region)

	bucketPolicy, err := a.bucket(ctx, ln, args, trailArn, parent)
	if err != nil {
		return nil, err
	}

	// CloudWatch Logs delivery.
	lg, err := logging.NewLogGroup(ctx, ln("trail", "logs"), args.Logs.Args("audit", "cloudtrail"), parent)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	a.LogGroup = lg
	trust := policydoc.AssumeRole("cloudtrail.amazonaws.com", args.AccountID)
	trust.Statement[0].Condition["StringEquals"]["aws:SourceArn"] = trailArn
	role, err := iam.NewRole(ctx, ln("trail", "logs", "role"), &iam.RoleArgs{
		Name:             pulumi.String(nm.Physical("trail-logs")),
		Description:      pulumi.String("Delivers CloudTrail events to their encrypted log group"),
		AssumeRolePolicy: pulumi.String(trust.MustJSON()),
		Tags:             nm.Tags("trail-logs"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("audit: trail logs role: %w", err)
	}
	pol, err := iam.NewPolicy(ctx, ln("trail", "logs", "policy"), &iam.PolicyArgs{
		Name:        pulumi.String(nm.Physical("trail-logs")),
		Description: pulumi.String("Write CloudTrail events to their log group"),
		Policy: policydoc.Output(func(arns []string) policydoc.Document {
			return policydoc.New(policydoc.Statement{
				Sid:      "WriteTrailEventsToTheirLogGroupOnly",
				Effect:   "Allow",
				Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
				Resource: []string{arns[0] + ":log-stream:*"},
			})
		}, lg.Arn),
		Tags: nm.Tags("trail-logs"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("audit: trail logs policy: %w", err)
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, ln("trail", "logs", "attachment"), &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pol.Arn,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("audit: trail logs policy attachment: %w", err)
	}

	a.Trail, err = cloudtrail.NewTrail(ctx, ln("trail"), &cloudtrail.TrailArgs{
		Name:                       pulumi.String(TrailName(nm)),
		S3BucketName:               a.Bucket.Bucket,
		KmsKeyId:                   args.AuditKeyArn,
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		IsOrganizationTrail:        pulumi.Bool(false),
		// CloudTrail wants the log group ARN with the ":*" stream wildcard.
		CloudWatchLogsGroupArn: lg.Arn.ApplyT(func(arn string) string { return arn + ":*" }).(pulumi.StringOutput),
		CloudWatchLogsRoleArn:  role.Arn,
		AdvancedEventSelectors: EventSelectors(BucketName(nm, args.AccountID)),
		Tags:                   nm.Tags("trail"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{bucketPolicy, attach}))
	if err != nil {
		return nil, fmt.Errorf("audit: trail: %w", err)
	}

	if err := a.alarms(ctx, ln, args, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(a, pulumi.Map{
		"trailArn":      a.Trail.Arn,
		"bucket":        a.Bucket.Bucket,
		"alarmTopicArn": a.AlarmTopicArn,
	}); err != nil {
		return nil, fmt.Errorf("audit component outputs: %w", err)
	}
	return a, nil
}

// EventSelectors are the trail's advanced event selectors: every management event (read and
// write), and read-only S3 data events on objects of the trail bucket.
func EventSelectors(bucket string) cloudtrail.TrailAdvancedEventSelectorArray {
	return cloudtrail.TrailAdvancedEventSelectorArray{
		cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String("All management events"),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("eventCategory"), Equals: pulumi.StringArray{pulumi.String("Management")}},
			},
		},
		cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String("Reads of the audit trail bucket"),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("eventCategory"), Equals: pulumi.StringArray{pulumi.String("Data")}},
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("resources.type"), Equals: pulumi.StringArray{pulumi.String("AWS::S3::Object")}},
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("readOnly"), Equals: pulumi.StringArray{pulumi.String("true")}},
				cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String("resources.ARN"), StartsWiths: pulumi.StringArray{pulumi.String("arn:aws:s3:::" + bucket + "/")}},
			},
		},
	}
}

// bucket creates the trail bucket and its settings; it returns the bucket policy the trail
// must wait for.
func (a *Audit) bucket(ctx *pulumi.Context, ln func(...string) string, args Args, trailArn string, parent pulumi.ResourceOption) (pulumi.Resource, error) {
	nm := args.Namer
	bucketName := BucketName(nm, args.AccountID)
	b, err := s3.NewBucketV2(ctx, ln("trail", "bucket"), &s3.BucketV2Args{
		Bucket:       pulumi.String(bucketName),
		ForceDestroy: pulumi.Bool(false),
		Tags:         nm.Tags("audit-trail", args.AccountID),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("audit: trail bucket: %w", err)
	}
	a.Bucket = b
	if _, err := s3.NewBucketOwnershipControls(ctx, ln("trail", "bucket", "ownership"), &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent); err != nil {
		return nil, fmt.Errorf("audit: trail bucket ownership: %w", err)
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, ln("trail", "bucket", "public", "access", "block"), &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent); err != nil {
		return nil, fmt.Errorf("audit: trail bucket public access block: %w", err)
	}
	if _, err := s3.NewBucketVersioningV2(ctx, ln("trail", "bucket", "versioning"), &s3.BucketVersioningV2Args{
		Bucket:                  b.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, parent); err != nil {
		return nil, fmt.Errorf("audit: trail bucket versioning: %w", err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, ln("trail", "bucket", "encryption"), &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: args.AuditKeyArn,
			},
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}, parent); err != nil {
		return nil, fmt.Errorf("audit: trail bucket encryption: %w", err)
	}
	retention := args.Logs.RetentionDays
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, ln("trail", "bucket", "lifecycle"), &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("expire-after-log-retention"),
			Status: pulumi.String("Enabled"),
			Filter: s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
				Days: pulumi.Int(retention),
			},
			NoncurrentVersionExpiration: s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(retention),
			},
		}},
	}, parent); err != nil {
		return nil, fmt.Errorf("audit: trail bucket lifecycle: %w", err)
	}
	policy := BucketPolicy(bucketName, args.AccountID, trailArn)
	bp, err := s3.NewBucketPolicy(ctx, ln("trail", "bucket", "policy"), &s3.BucketPolicyArgs{
		Bucket: b.ID(),
		Policy: pulumi.String(policy.MustJSON()),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("audit: trail bucket policy: %w", err)
	}
	return bp, nil
}

// BucketPolicy is the trail bucket's policy: TLS only for everyone, and CloudTrail (this
// trail only) may read the ACL and write under AWSLogs/<account>/.
func BucketPolicy(bucket, account, trailArn string) policydoc.Document {
	arn := "arn:aws:s3:::" + bucket
	return policydoc.New(
		policydoc.Statement{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"s3:*"},
			Resource:  []string{arn, arn + "/*"},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
		},
		policydoc.Statement{
			Sid:       "AWSCloudTrailAclCheck",
			Effect:    "Allow",
			Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:GetBucketAcl"},
			Resource:  []string{arn},
			Condition: map[string]map[string]any{"StringEquals": {"aws:SourceArn": trailArn}},
		},
		policydoc.Statement{
			Sid:       "AWSCloudTrailWrite",
			Effect:    "Allow",
			Principal: policydoc.Service("cloudtrail.amazonaws.com"),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{arn + "/AWSLogs/" + account + "/*"},
			Condition: map[string]map[string]any{"StringEquals": {
				"s3:x-amz-acl":  "bucket-owner-full-control",
				"aws:SourceArn": trailArn,
			}},
		},
	)
}

// alarms creates the encrypted alarm topic, the metric filters and the alarms.
func (a *Audit) alarms(ctx *pulumi.Context, ln func(...string) string, args Args, parent pulumi.ResourceOption) error {
	nm := args.Namer
	topicName := nm.Physical("security-alarms")
	topic, err := sns.NewTopic(ctx, ln("alarm", "topic"), &sns.TopicArgs{
		Name:           pulumi.String(topicName),
		DisplayName:    pulumi.String("HIPAA pipeline security alarms (" + nm.Env + ")"),
		KmsMasterKeyId: args.AuditKeyArn,
		Tags:           nm.Tags("security-alarms"),
	}, parent)
	if err != nil {
		return fmt.Errorf("audit: alarm topic: %w", err)
	}
	a.AlarmTopic = topic
	a.AlarmTopicArn = topic.Arn
	if _, err := sns.NewTopicPolicy(ctx, ln("alarm", "topic", "policy"), &sns.TopicPolicyArgs{
		Arn: topic.Arn,
		Policy: policydoc.Output(func(arns []string) policydoc.Document {
			return TopicPolicy(arns[0], args.AccountID)
		}, topic.Arn),
	}, parent); err != nil {
		return fmt.Errorf("audit: alarm topic policy: %w", err)
	}

	for i, email := range args.AlarmEmails {
		if _, err := sns.NewTopicSubscription(ctx, ln("alarm", "subscription", fmt.Sprint(i+1)), &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(email),
		}, parent); err != nil {
			return fmt.Errorf("audit: alarm subscription %d: %w", i+1, err)
		}
	}

	for _, al := range SecurityAlarms {
		if _, err := cloudwatch.NewLogMetricFilter(ctx, ln(al.ID, "filter"), &cloudwatch.LogMetricFilterArgs{
			Name:         pulumi.String(nm.Physical(al.ID)),
			LogGroupName: a.LogGroup.Name,
			Pattern:      pulumi.String(al.Pattern),
			MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
				Name:         pulumi.String(al.Metric),
				Namespace:    pulumi.String(MetricNamespace),
				Value:        pulumi.String("1"),
				DefaultValue: pulumi.String("0"),
				Unit:         pulumi.String("Count"),
			},
		}, parent); err != nil {
			return fmt.Errorf("audit: metric filter %s: %w", al.ID, err)
		}
		if _, err := cloudwatch.NewMetricAlarm(ctx, ln(al.ID, "alarm"), &cloudwatch.MetricAlarmArgs{
			Name:                    pulumi.String(nm.Physical(al.ID)),
			AlarmDescription:        pulumi.String(al.Description),
			Namespace:               pulumi.String(MetricNamespace),
			MetricName:              pulumi.String(al.Metric),
			Statistic:               pulumi.String("Sum"),
			Period:                  pulumi.Int(300),
			EvaluationPeriods:       pulumi.Int(1),
			Threshold:               pulumi.Float64(1),
			ComparisonOperator:      pulumi.String("GreaterThanOrEqualToThreshold"),
			TreatMissingData:        pulumi.String("notBreaching"),
			ActionsEnabled:          pulumi.Bool(true),
			AlarmActions:            pulumi.Array{topic.Arn},
			InsufficientDataActions: pulumi.Array{topic.Arn},
			Tags:                    nm.Tags(al.ID),
		}, parent); err != nil {
			return fmt.Errorf("audit: alarm %s: %w", al.ID, err)
		}
	}
	return nil
}

// TopicPolicy lets only this account's CloudWatch alarms publish, and only over TLS.
func TopicPolicy(topicArn, account string) policydoc.Document {
	return policydoc.New(
		policydoc.Statement{
			Sid:       "CloudWatchAlarmsOfThisAccountPublish",
			Effect:    "Allow",
			Principal: policydoc.Service("cloudwatch.amazonaws.com"),
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
			Condition: map[string]map[string]any{"StringEquals": {"aws:SourceAccount": account}},
		},
		policydoc.Statement{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: map[string]any{"AWS": "*"},
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicArn},
			Condition: map[string]map[string]any{"Bool": {"aws:SecureTransport": "false"}},
		},
	)
}
