package ecr_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecr"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestRepositoryTagsImmutable(t *testing.T) {
	pt.Run(t, ecr.RepositoryTagsImmutable, "ecr-repository-tags-immutable", []string{"164.312(c)(1)"}, awstypes.ECRRepository, goodRepository(), []pt.Case{
		{Name: "mutable", Set: map[string]any{"imageTagMutability": "MUTABLE"}, Want: policy.Fail,
			Msg: "imageTagMutability is MUTABLE, not IMMUTABLE: a tag can be moved to another image"},
		{Name: "missing defaults to mutable", Set: map[string]any{"imageTagMutability": pt.Missing}, Want: policy.Fail,
			Msg: "imageTagMutability is not set: tags default to MUTABLE"},
		{Name: "empty defaults to mutable", Set: map[string]any{"imageTagMutability": ""}, Want: policy.Fail, Msg: "imageTagMutability is not set"},
		{Name: "immutable with exclusions", Set: map[string]any{"imageTagMutability": "IMMUTABLE_WITH_EXCLUSION"}, Want: policy.Fail,
			Msg: "imageTagMutability is IMMUTABLE_WITH_EXCLUSION, not IMMUTABLE"},
		{Name: "unknown", Set: map[string]any{"imageTagMutability": pt.Unknown}, Want: policy.Undetermined,
			Msg: "imageTagMutability cannot be verified until the value is known"},
		{Name: "secret immutable", Set: map[string]any{"imageTagMutability": pt.Secret("IMMUTABLE")}, Want: policy.Pass},
		{Name: "secret other mode is not shown", Set: map[string]any{"imageTagMutability": pt.Secret("IMMUTABLE_WITH_EXCLUSION")}, Want: policy.Fail,
			Msg: "imageTagMutability is [secret], not IMMUTABLE"},
		{Name: "boolean", Set: map[string]any{"imageTagMutability": pt.Wrong(true)}, Want: policy.Undetermined,
			Msg: "imageTagMutability is of type bool where a string was expected"},
	})
}
