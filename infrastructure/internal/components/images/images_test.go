package images_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/components/images"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/dptest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

func TestRepositoriesPerStack(t *testing.T) {
	for _, stack := range dptest.Stacks {
		t.Run(stack, func(t *testing.T) {
			rec := dptest.Stack(t, stack)
			comp := dptest.Component(t, rec, "hipaa:images:Images")
			assert.Equal(t, "images", comp.Name)
			dptest.RequireChildren(t, rec, comp)
			require.Len(t, rec.OfType("aws:ecr/repository:Repository"), 2)
			require.Len(t, rec.OfType("aws:ecr/lifecyclePolicy:LifecyclePolicy"), 2)
			assert.Empty(t, rec.OfType("aws:ecr/repositoryPolicy:RepositoryPolicy"), "no repository policy: IAM of this account only")
			imagesKey := dptest.KeyArn(t, rec, "images")

			for _, svc := range []string{"processor", "read-api"} {
				repo := dptest.One(t, rec, "aws:ecr/repository:Repository", "images-"+svc+"-repository")
				assert.Equal(t, comp.URN, repo.Parent)
				assert.Equal(t, "hipaa-"+svc+"-"+stack, repo.Str("name"))
				assert.Equal(t, "hipaa-"+svc+"-"+stack, repo.Str("tags.Name"))
				assert.Equal(t, "IMMUTABLE", repo.Str("imageTagMutability"))
				assert.True(t, dptest.Bool(t, repo, "imageScanningConfiguration.scanOnPush"))
				assert.Equal(t, "KMS", repo.Str("encryptionConfigurations.0.encryptionType"))
				assert.Equal(t, imagesKey, repo.Str("encryptionConfigurations.0.kmsKey"), "the customer-managed images key")
				assert.False(t, repo.Has("encryptionConfigurations.1"))
				assert.Equal(t, stack == "dev", dptest.Bool(t, repo, "forceDelete"), "prod keeps repositories that hold images")
				assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-"+svc+"-"+stack, dptest.Out(repo, "repositoryUrl"))

				lp := dptest.One(t, rec, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "images-"+svc+"-lifecycle")
				assert.Equal(t, comp.URN, lp.Parent)
				assert.Equal(t, "hipaa-"+svc+"-"+stack, lp.Str("repository"))
				doc, err := lp.JSON("policy")
				require.NoError(t, err)
				assert.Equal(t, map[string]any{"rules": []any{map[string]any{
					"rulePriority": 1.0,
					"description":  "Keep the newest 50 untagged images; tagged releases are kept",
					"selection":    map[string]any{"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 50.0},
					"action":       map[string]any{"type": "expire"},
				}}}, doc)
			}

			key := dptest.One(t, rec, "aws:kms/key:Key", "keys-images-key")
			assert.True(t, dptest.Bool(t, key, "enableKeyRotation"))
			assert.Equal(t, "hipaa-images-key-"+stack, key.Str("tags.Name"))
			pol, err := key.JSON("policy")
			require.NoError(t, err)
			st := pol["Statement"].([]any)
			require.Len(t, st, 1, "the account root only: ECR uses the key through grants")
			assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, st[0].(map[string]any)["Principal"])
		})
	}
}

func TestLifecyclePolicyIsValidJSON(t *testing.T) {
	s, err := images.LifecyclePolicy()
	require.NoError(t, err)
	var doc struct {
		Rules []struct {
			Selection struct {
				TagStatus   string `json:"tagStatus"`
				CountNumber int    `json:"countNumber"`
			} `json:"selection"`
		} `json:"rules"`
	}
	require.NoError(t, json.Unmarshal([]byte(s), &doc))
	require.Len(t, doc.Rules, 1)
	assert.Equal(t, "untagged", doc.Rules[0].Selection.TagStatus, "tagged releases never expire")
	assert.Equal(t, images.UntaggedImagesKept, doc.Rules[0].Selection.CountNumber)
}

func TestImageURI(t *testing.T) {
	assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-read-api-prod:0.1.0",
		images.ImageURI("111122223333", "eu-west-1", naming.New("prod"), "read-api", "0.1.0"))
}

func TestArgsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args images.Args
		want string
	}{
		{"no key", images.Args{Namer: naming.New("dev"), Services: []string{"processor"}}, "images: the images KMS key is required"},
		{"no service", images.Args{Namer: naming.New("dev"), KmsKeyArn: pulumi.String("k")}, "images: at least one service is required"},
		{"not kebab", images.Args{Namer: naming.New("dev"), KmsKeyArn: pulumi.String("k"), Services: []string{"Read API"}}, `images: service "Read API" is not kebab case`},
		{"twice", images.Args{Namer: naming.New("dev"), KmsKeyArn: pulumi.String("k"), Services: []string{"processor", "processor"}}, `images: service "processor" is listed twice`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := mocktest.Run(func(ctx *pulumi.Context) error {
				_, err := images.New(ctx, "images", tc.args)
				return err
			}, mocktest.Options{Project: "hipaa-pipeline", Stack: "dev", Config: map[string]string{}})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.Resources, "nothing is created")
		})
	}
}
