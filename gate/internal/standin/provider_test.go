package standin

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func props(t *testing.T, m resource.PropertyMap) *pulumirpc.CreateRequest {
	t.Helper()
	s, err := marshal(m, "test")
	require.NoError(t, err)
	return &pulumirpc.CreateRequest{Properties: s}
}

func configured(t *testing.T) *Provider {
	t.Helper()
	p := New()
	args, err := marshal(resource.NewPropertyMapFromMap(map[string]any{
		"region":      "eu-west-1",
		"defaultTags": map[string]any{"tags": map[string]any{"environment": "prod", "owner": "platform"}},
	}), "config")
	require.NoError(t, err)
	_, err = p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: args})
	require.NoError(t, err)
	return p
}

func TestPluginInfoReportsTheAWSSDKVersion(t *testing.T) {
	info, err := New().GetPluginInfo(context.Background(), &pbempty.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "6.83.4", info.GetVersion())
}

func TestCreate(t *testing.T) {
	const stream = "urn:pulumi:prod::hipaa-pipeline::hipaa:stream:Stream$aws:kinesis/stream:Stream::stream-vitals"
	const key = "urn:pulumi:prod::hipaa-pipeline::aws:kms/key:Key::keys-stream"
	const vpc = "urn:pulumi:prod::hipaa-pipeline::aws:ec2/vpc:Vpc::network-vpc"
	const repo = "urn:pulumi:prod::hipaa-pipeline::hipaa:images:Images$aws:ecr/repository:Repository::images-processor-repository"
	tests := []struct {
		name    string
		urn     string
		inputs  map[string]any
		preview bool
		wantID  string
		want    map[string]any
		unknown []string
	}{
		{
			name:   "kinesis stream keeps its inputs and gets an ARN id",
			urn:    stream,
			inputs: map[string]any{"name": "vitals-prod", "encryptionType": "KMS", "tags": map[string]any{"team": "data"}},
			wantID: "arn:aws:kinesis:eu-west-1:111122223333:stream/vitals-prod",
			want: map[string]any{
				"name": "vitals-prod", "encryptionType": "KMS",
				"tagsAll": map[string]any{"environment": "prod", "owner": "platform", "team": "data"},
			},
		},
		{
			name:   "kms key gets a uuid id, keyId and a key ARN",
			urn:    key,
			inputs: map[string]any{"enableKeyRotation": true},
			wantID: uuidFrom(key),
			want: map[string]any{
				"keyId": uuidFrom(key), "arn": "arn:aws:kms:eu-west-1:111122223333:key/" + uuidFrom(key),
				"enableKeyRotation": true,
			},
		},
		{
			name:   "ecr repository gets its name as id, a repository ARN, URL and registry id",
			urn:    repo,
			inputs: map[string]any{"name": "hipaa-processor-prod", "imageTagMutability": "IMMUTABLE"},
			wantID: "hipaa-processor-prod",
			want: map[string]any{
				"arn":                "arn:aws:ecr:eu-west-1:111122223333:repository/hipaa-processor-prod",
				"repositoryUrl":      "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-prod",
				"registryId":         "111122223333",
				"imageTagMutability": "IMMUTABLE",
			},
		},
		{
			name:    "ecr repository URL is unknown in preview",
			urn:     repo,
			inputs:  map[string]any{"name": "hipaa-processor-prod"},
			preview: true,
			want:    map[string]any{"name": "hipaa-processor-prod"},
			unknown: []string{"arn", "repositoryUrl", "registryId"},
		},
		{
			name:    "preview leaves computed attributes unknown",
			urn:     vpc,
			inputs:  map[string]any{"cidrBlock": "10.20.0.0/16"},
			preview: true,
			wantID:  "",
			want:    map[string]any{"cidrBlock": "10.20.0.0/16"},
			unknown: []string{"arn", "defaultSecurityGroupId", "name"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := configured(t)
			req := props(t, resource.NewPropertyMapFromMap(tt.inputs))
			req.Urn, req.Preview = tt.urn, tt.preview
			res, err := p.Create(context.Background(), req)
			require.NoError(t, err)
			if tt.wantID != "" {
				assert.Equal(t, tt.wantID, res.GetId())
			}
			if tt.preview {
				assert.Empty(t, res.GetId())
			} else {
				assert.NotEmpty(t, res.GetId())
			}
			outs, err := unmarshal(res.GetProperties(), "outputs")
			require.NoError(t, err)
			for k, v := range tt.want {
				assert.Equal(t, resource.NewPropertyValue(v), outs[resource.PropertyKey(k)], k)
			}
			for _, k := range tt.unknown {
				assert.True(t, outs[resource.PropertyKey(k)].IsComputed(), "%s should be unknown in preview", k)
			}
		})
	}
}

func TestCreateIsDeterministic(t *testing.T) {
	p := configured(t)
	req := props(t, resource.NewPropertyMapFromMap(map[string]any{"cidrBlock": "10.0.0.0/16"}))
	req.Urn = "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::vpc"
	a, err := p.Create(context.Background(), req)
	require.NoError(t, err)
	b, err := p.Create(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, a.GetId(), b.GetId())
	assert.Regexp(t, `^vpc-[0-9a-f]{17}$`, a.GetId())
}

func TestSecretsStaySecret(t *testing.T) {
	p := configured(t)
	in := resource.PropertyMap{"masterPassword": resource.MakeSecret(resource.NewProperty("canary-do-not-print"))}
	req := props(t, in)
	req.Urn = "urn:pulumi:dev::p::aws:rds/cluster:Cluster::db"
	res, err := p.Create(context.Background(), req)
	require.NoError(t, err)
	outs, err := unmarshal(res.GetProperties(), "outputs")
	require.NoError(t, err)
	assert.True(t, outs["masterPassword"].IsSecret())
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		olds, new map[string]any
		want      pulumirpc.DiffResponse_DiffChanges
		diffs     []string
	}{
		{"same inputs", map[string]any{"a": "x"}, map[string]any{"a": "x"}, pulumirpc.DiffResponse_DIFF_NONE, nil},
		{"changed value", map[string]any{"a": "x", "b": 1.0}, map[string]any{"a": "y", "b": 1.0}, pulumirpc.DiffResponse_DIFF_SOME, []string{"a"}},
		{"added key", map[string]any{}, map[string]any{"c": true}, pulumirpc.DiffResponse_DIFF_SOME, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := marshal(resource.NewPropertyMapFromMap(tt.olds), "olds")
			require.NoError(t, err)
			n, err := marshal(resource.NewPropertyMapFromMap(tt.new), "news")
			require.NoError(t, err)
			res, err := New().Diff(context.Background(), &pulumirpc.DiffRequest{OldInputs: o, News: n})
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.GetChanges())
			assert.Equal(t, tt.diffs, res.GetDiffs())
		})
	}
}

func TestInvoke(t *testing.T) {
	p := configured(t)
	call := func(tok string, args map[string]any) (resource.PropertyMap, error) {
		s, err := marshal(resource.NewPropertyMapFromMap(args), "args")
		require.NoError(t, err)
		res, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tok, Args: s})
		if err != nil {
			return nil, err
		}
		return unmarshal(res.GetReturn(), "return")
	}
	id, err := call("aws:index/getCallerIdentity:getCallerIdentity", nil)
	require.NoError(t, err)
	assert.Equal(t, "111122223333", id["accountId"].StringValue())

	doc, err := call("aws:iam/getPolicyDocument:getPolicyDocument", map[string]any{"statements": []any{
		map[string]any{"actions": []any{"kms:Decrypt"}, "resources": []any{"*"},
			"principals": []any{map[string]any{"type": "Service", "identifiers": []any{"logs.amazonaws.com"}}}},
	}})
	require.NoError(t, err)
	var parsed map[string]any
	require.NoError(t, json.Unmarshal([]byte(doc["json"].StringValue()), &parsed))
	assert.Equal(t, map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
			"Principal": map[string]any{"Service": "logs.amazonaws.com"},
		}},
	}, parsed)

	_, err = call("aws:ec2/getAmi:getAmi", nil)
	require.ErrorContains(t, err, `data source "aws:ec2/getAmi:getAmi" is not implemented`)
}

func TestUpdateKeepsComputedAttributes(t *testing.T) {
	p := configured(t)
	const urn = "urn:pulumi:prod::p::aws:kms/key:Key::k"
	olds := resource.NewPropertyMapFromMap(map[string]any{
		"enableKeyRotation": false, "arn": "arn:aws:kms:eu-west-1:111122223333:key/old", "keyId": "old",
	})
	news := resource.NewPropertyMapFromMap(map[string]any{"enableKeyRotation": true})
	o, err := marshal(olds, "olds")
	require.NoError(t, err)
	n, err := marshal(news, "news")
	require.NoError(t, err)
	res, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{Urn: urn, Olds: o, News: n})
	require.NoError(t, err)
	outs, err := unmarshal(res.GetProperties(), "outputs")
	require.NoError(t, err)
	assert.True(t, outs["enableKeyRotation"].BoolValue())
	assert.Equal(t, "arn:aws:kms:eu-west-1:111122223333:key/old", outs["arn"].StringValue())
	assert.Equal(t, "old", outs["keyId"].StringValue())
}
