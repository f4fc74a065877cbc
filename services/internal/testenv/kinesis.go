package testenv

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// KinesisRegion is the region the test clients sign for; kinesalite accepts any.
const KinesisRegion = "eu-west-1"

// NewKinesis returns a real AWS SDK Kinesis client of the test's Kinesis-compatible server
// (kinesalite, in memory, started on loopback by scripts/testdb.sh) named by
// HIPAA_TEST_KINESIS_ENDPOINT (http://127.0.0.1:<port>). The credentials are dummies: kinesalite
// checks that requests are signed, not by whom.
func NewKinesis(t testing.TB) *kinesis.Client {
	t.Helper()
	endpoint := env(t, "HIPAA_TEST_KINESIS_ENDPOINT")
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		t.Fatalf("HIPAA_TEST_KINESIS_ENDPOINT %q must be http://127.0.0.1:<port> (tests reach loopback only)", endpoint)
	}
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDTESTONLY", SecretAccessKey: "test-only-not-a-secret", Source: "testenv"}, nil
	})
	return kinesis.New(kinesis.Options{
		Region:           KinesisRegion,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      aws.NewCredentialsCache(creds),
		RetryMaxAttempts: 3,
	})
}

// NewStream creates a stream of the test's own with that many shards, waits until it is
// ACTIVE and returns its name and ARN; it is deleted when the test ends.
func NewStream(t testing.TB, client *kinesis.Client, shards int32) (name, arn string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name = randomName("vitals-test-")
	if _, err := client.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatalf("create test stream: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := client.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String(name), EnforceConsumerDeletion: aws.Bool(true)})
		var gone *types.ResourceNotFoundException
		if err != nil && !errors.As(err, &gone) {
			t.Errorf("delete test stream %s: %v", name, err)
		}
	})
	arn, err := WaitStreamActive(ctx, client, name)
	if err != nil {
		t.Fatal(err)
	}
	return name, arn
}

// WaitStreamActive waits until the stream is ACTIVE (after a create or a reshard) and returns
// its ARN.
func WaitStreamActive(ctx context.Context, client *kinesis.Client, name string) (string, error) {
	for {
		out, err := client.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			return "", fmt.Errorf("describe stream %s: %w", name, err)
		}
		if s := out.StreamDescriptionSummary; s.StreamStatus == types.StreamStatusActive {
			return aws.ToString(s.StreamARN), nil
		}
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("stream %s is not ACTIVE: %w", name, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
