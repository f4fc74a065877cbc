package ecr

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// RepositoryTagsImmutable: a pushed tag always names the same image.
var RepositoryTagsImmutable = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecr-repository-tags-immutable",
		Title: "ECR repositories have immutable image tags",
		Description: "Task definitions name images by tag. With mutable tags (imageTagMutability " +
			"defaults to MUTABLE) anyone allowed to push can replace the image behind a reviewed tag, " +
			"and the next task start runs code nobody reviewed against ePHI, with nothing in the " +
			"infrastructure changed. IMMUTABLE makes a tag name one image for good. The *_WITH_EXCLUSION " +
			"modes leave the tags matching their filters mutable and do not pass.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(c)(1)"},
		ResourceTypes: []string{awstypes.ECRRepository},
		Remediation:   `Set imageTagMutability: "IMMUTABLE" and publish every build under a new version tag (or reference images by digest).`,
		References:    []string{"https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html", refPulumi},
		Engine:        policy.EngineGo,
	},
	Resource: repositoryTagsImmutable,
}

func repositoryTagsImmutable(_ policy.Env, r policy.Resource) policy.Result {
	const path = "imageTagMutability"
	v, set, res := check.String(r.Properties, path)
	if res != nil {
		return *res
	}
	if !set {
		return policy.Failed("%s is not set: tags default to MUTABLE and can be moved to another image", path)
	}
	if v != "IMMUTABLE" {
		return policy.Failed("%s is %s, not IMMUTABLE: a tag can be moved to another image", path, check.Show(r.Properties, path, v))
	}
	return policy.Passed()
}
