// Package images holds the container registry of the pipeline: one private ECR repository per
// service image per environment (hipaa-<service>-<env>), encrypted with the customer-managed
// images key, with immutable tags (a released tag always names the same image, so what a task
// definition runs is what was reviewed), scan on push, and a lifecycle policy that keeps a bounded
// number of untagged images (tagged releases are kept: they are the record of what ran).
//
// There is no repository policy: without one, no other account can use the repositories, and in
// this account only principals whose IAM policies allow it can. The ECS execution roles
// (internal/components/compute) may pull from exactly their own service's repository.
package images

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TypeToken is the component's Pulumi type.
var TypeToken = naming.TypeToken("images", "Images")

// Fixed choices.
const (
	// TagMutability: a pushed tag can never be moved to another image.
	TagMutability = "IMMUTABLE"
	// EncryptionType: SSE-KMS with the customer-managed images key (the ECR default is AES256).
	EncryptionType = "KMS"
	// UntaggedImagesKept is how many untagged images (interrupted pushes, replaced manifests)
	// a repository keeps; older ones expire. The per-platform manifests of a multi-platform
	// release (services/image builds arm64 and amd64 under one tagged index) are untagged too,
	// and whether ECR's lifecycle evaluation spares manifests an index still references is not
	// something this program can show; 50 keeps those of the last 25 releases in the worst case,
	// so a rollback to a recent tag never meets a missing manifest.
	UntaggedImagesKept = 50
)

// Args configures the repositories.
type Args struct {
	Namer naming.Namer
	// Production repositories refuse deletion while they hold images (forceDelete false).
	Production bool
	// KmsKeyArn is the ARN of the customer-managed images key.
	KmsKeyArn pulumi.StringInput
	// Services are the services that get a repository, e.g. processor, read-api.
	Services []string
}

// Repository is one service's repository.
type Repository struct {
	Repository *ecr.Repository
	Lifecycle  *ecr.LifecyclePolicy
}

// Images is the component.
type Images struct {
	pulumi.ResourceState

	// ByService maps a service name to its repository.
	ByService map[string]*Repository
}

// RepositoryName is the physical name of a service's repository: hipaa-<service>-<env>.
func RepositoryName(n naming.Namer, service string) string { return n.Physical(service) }

// ImageURI is the URI of a service's image in this account's registry at a tag.
func ImageURI(account, region string, n naming.Namer, service, tag string) string {
	return fmt.Sprintf("%s.dkr.ecr.%s.amazonaws.com/%s:%s", account, region, RepositoryName(n, service), tag)
}

// LifecyclePolicy is the repositories' lifecycle policy document: untagged images beyond the
// newest UntaggedImagesKept expire; tagged images are never expired.
func LifecyclePolicy() (string, error) {
	doc := map[string]any{"rules": []any{map[string]any{
		"rulePriority": 1,
		"description":  fmt.Sprintf("Keep the newest %d untagged images; tagged releases are kept", UntaggedImagesKept),
		"selection": map[string]any{
			"tagStatus":   "untagged",
			"countType":   "imageCountMoreThan",
			"countNumber": UntaggedImagesKept,
		},
		"action": map[string]any{"type": "expire"},
	}}}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("lifecycle policy: %w", err)
	}
	return string(b), nil
}

// New creates one repository (and its lifecycle policy) per service.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Images, error) {
	if args.KmsKeyArn == nil {
		return nil, errors.New("images: the images KMS key is required")
	}
	if len(args.Services) == 0 {
		return nil, errors.New("images: at least one service is required")
	}
	for i, s := range args.Services {
		if !naming.IsKebab(s) {
			return nil, fmt.Errorf("images: service %q is not kebab case", s)
		}
		if slices.Contains(args.Services[:i], s) {
			return nil, fmt.Errorf("images: service %q is listed twice", s)
		}
	}
	lifecycle, err := LifecyclePolicy()
	if err != nil {
		return nil, fmt.Errorf("images: %w", err)
	}
	c := &Images{ByService: map[string]*Repository{}}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("images: register component: %w", err)
	}
	parent := pulumi.Parent(c)
	urls := pulumi.StringMap{}
	for _, svc := range args.Services {
		physical := RepositoryName(args.Namer, svc)
		repo, err := ecr.NewRepository(ctx, naming.Logical(name, svc, "repository"), &ecr.RepositoryArgs{
			Name:               pulumi.String(physical),
			ImageTagMutability: pulumi.String(TagMutability),
			ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{
				ScanOnPush: pulumi.Bool(true),
			},
			EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{ecr.RepositoryEncryptionConfigurationArgs{
				EncryptionType: pulumi.String(EncryptionType),
				KmsKey:         args.KmsKeyArn,
			}},
			ForceDelete: pulumi.Bool(!args.Production),
			Tags:        args.Namer.Tags(svc),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("images: %s repository: %w", svc, err)
		}
		lp, err := ecr.NewLifecyclePolicy(ctx, naming.Logical(name, svc, "lifecycle"), &ecr.LifecyclePolicyArgs{
			Repository: repo.Name,
			Policy:     pulumi.String(lifecycle),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("images: %s lifecycle policy: %w", svc, err)
		}
		c.ByService[svc] = &Repository{Repository: repo, Lifecycle: lp}
		urls[svc] = repo.RepositoryUrl
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"repositoryUrls": urls}); err != nil {
		return nil, fmt.Errorf("images: register outputs: %w", err)
	}
	return c, nil
}

// URL returns the repository URL of a service (<account>.dkr.ecr.<region>.amazonaws.com/<name>).
func (c *Images) URL(service string) pulumi.StringOutput {
	return c.ByService[service].Repository.RepositoryUrl
}

// Resources returns the repositories, for resources that must wait for them (task definitions
// whose images they hold).
func (c *Images) Resources() []pulumi.Resource {
	out := make([]pulumi.Resource, 0, len(c.ByService))
	for _, svc := range sortedServices(c.ByService) {
		out = append(out, c.ByService[svc].Repository)
	}
	return out
}

func sortedServices(m map[string]*Repository) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
