// Package ecr holds the policies on ECR repositories, which hold the container images the ECS
// services run: the code that processes ePHI.
package ecr

const (
	refPulumi     = "https://www.pulumi.com/registry/packages/aws/api-docs/ecr/repository/"
	refEncryption = "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html"
)
