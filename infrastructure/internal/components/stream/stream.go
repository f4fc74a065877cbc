// Package stream holds the ingest component: the Kinesis Data Stream that receives every
// observation from the API, encrypted with the customer-managed stream key.
package stream

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kinesis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("stream", "Stream")

// ShardLevelMetrics are the enhanced (shard-level) metrics the stream publishes, so iterator age
// and throttling can be traced to a shard.
var ShardLevelMetrics = []string{
	"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
	"WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds",
}

// Args configures the stream.
type Args struct {
	Namer naming.Namer
	// KmsKeyID is the ID or ARN of the customer-managed stream key (never alias/aws/kinesis).
	KmsKeyID pulumi.StringInput
	// Config is the stream section of the stack config.
	Config config.StreamConfig
}

// Stream is the ingest component.
type Stream struct {
	pulumi.ResourceState

	Stream *kinesis.Stream
	// Name and Arn identify the stream for consumers and producers.
	Name pulumi.StringOutput
	Arn  pulumi.StringOutput
}

// New creates the stream.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Stream, error) {
	if args.KmsKeyID == nil {
		return nil, errors.New("stream: the stream KMS key is required")
	}
	c := &Stream{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("stream: register component: %w", err)
	}
	sa := &kinesis.StreamArgs{
		Name:              pulumi.String(args.Namer.Physical("vitals", "stream")),
		EncryptionType:    pulumi.String("KMS"),
		KmsKeyId:          args.KmsKeyID,
		RetentionPeriod:   pulumi.Int(args.Config.RetentionHours),
		ShardLevelMetrics: pulumi.ToStringArray(ShardLevelMetrics),
		StreamModeDetails: &kinesis.StreamStreamModeDetailsArgs{StreamMode: pulumi.String(args.Config.Mode)},
		Tags:              args.Namer.Tags("vitals", "stream"),
	}
	if args.Config.Mode == config.StreamProvisioned {
		sa.ShardCount = pulumi.Int(args.Config.ShardCount)
	}
	s, err := kinesis.NewStream(ctx, naming.Logical(name, "vitals"), sa, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("stream: kinesis stream: %w", err)
	}
	c.Stream, c.Name, c.Arn = s, s.Name, s.Arn
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"name": s.Name, "arn": s.Arn}); err != nil {
		return nil, fmt.Errorf("stream: register outputs: %w", err)
	}
	return c, nil
}
