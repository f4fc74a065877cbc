package ecs_test

import (
	"strings"
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/ecs"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestTaskDefinitionImagePinned(t *testing.T) {
	const registry = "111122223333.dkr.ecr.us-east-1.amazonaws.com/"
	digest := "@sha256:" + strings.Repeat("ab", 32)
	td := func(images ...string) map[string]any {
		p := goodTaskDefinition()
		var defs []map[string]any
		for _, img := range images {
			c := goodContainer()
			c["image"] = img
			defs = append(defs, c)
		}
		p["containerDefinitions"] = containerDefs(defs...)
		return p
	}
	repo := func(name string) map[string]any {
		return map[string]any{"name": name, "imageTagMutability": "IMMUTABLE", "imageScanningConfiguration": map[string]any{"scanOnPush": true},
			"repositoryUrl": registry + name}
	}
	good := []pt.Res{
		{Type: awstypes.ECRRepository, Name: "ingest-repo", Props: repo("ingest")},
		{Type: awstypes.ECRRepository, Name: "api-repo", Props: repo("team/api")},
		// goodTaskDefinition's image is a tag of the ingest repository.
		{Type: awstypes.ECSTaskDefinition, Name: "ingest-td", Props: goodTaskDefinition()},
		{Type: awstypes.ECSTaskDefinition, Name: "api-td", Props: td(registry+"team/api:2.0.1", "public.ecr.aws/aws-observability/aws-otel-collector"+digest)},
	}
	id := "ecs-task-definition-image-pinned"
	pt.RunStack(t, ecs.TaskDefinitionImagePinned, id, []string{"164.312(c)(1)"}, good, []pt.StackCase{
		{Name: "mutable repository", Target: "ingest-repo", Set: map[string]any{"imageTagMutability": "MUTABLE"}, Check: "ingest-td", Want: policy.Fail,
			Msg: "containerDefinitions[0] (ingest) image 111122223333.dkr.ecr.us-east-1.amazonaws.com/ingest:1.4.2 is referenced by a tag of an ECR repository whose tags are mutable"},
		{Name: "repository mutability missing is mutable", Target: "ingest-repo", Set: map[string]any{"imageTagMutability": pt.Missing}, Check: "ingest-td", Want: policy.Fail, Msg: "whose tags are mutable"},
		{Name: "repository mutability unknown", Target: "ingest-repo", Set: map[string]any{"imageTagMutability": pt.Unknown}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "repository ingest-repo: imageTagMutability cannot be verified until the value is known"},
		{Name: "repository mutability of the wrong type", Target: "ingest-repo", Set: map[string]any{"imageTagMutability": pt.Wrong(true)}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "repository ingest-repo: imageTagMutability is of type bool"},
		{Name: "repository name unknown", Target: "ingest-repo", Set: map[string]any{"name": pt.Unknown}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "the names of repositories ingest-repo cannot be verified until the value is known"},
		{Name: "repository not in the stack", Remove: []string{"ingest-repo"}, Check: "api-td", Target: "api-td", Set: map[string]any{"containerDefinitions": td(registry + "elsewhere:1.0.0")["containerDefinitions"]},
			Want: policy.Fail, Msg: "is referenced by a tag of an ECR repository that is not in this stack"},
		{Name: "same name in another account", Target: "ingest-td", Set: map[string]any{"containerDefinitions": td("999999999999.dkr.ecr.us-east-1.amazonaws.com/ingest:1.4.2")["containerDefinitions"]},
			Want: policy.Fail, Msg: "is referenced by a tag of an ECR repository that is not in this stack (same name and registry)"},
		{Name: "same name in another region", Target: "ingest-td", Set: map[string]any{"containerDefinitions": td("111122223333.dkr.ecr.ap-south-1.amazonaws.com/ingest:1.4.2")["containerDefinitions"]},
			Want: policy.Fail, Msg: "not in this stack (same name and registry)"},
		{Name: "repository URL from the arn", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Missing, "arn": "arn:aws:ecr:us-east-1:111122223333:repository/ingest"},
			Check: "ingest-td", Want: policy.Pass},
		{Name: "arn of another region", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Missing, "arn": "arn:aws:ecr:eu-west-1:111122223333:repository/ingest"},
			Check: "ingest-td", Want: policy.Fail, Msg: "not in this stack (same name and registry)"},
		{Name: "secret arn of another repository is not shown", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Missing, "arn": pt.Secret("arn:aws:ecr:us-east-1:111122223333:repository/canary-other")},
			Check: "ingest-td", Want: policy.Undetermined, Msg: "is not this repository's ARN"},
		{Name: "repository URL unknown at preview", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Unknown}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "the registry of repositories ingest-repo (repositoryUrl cannot be verified until the value is known) cannot be verified yet"},
		{Name: "repository URL and arn missing", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Missing}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "ingest-repo (neither repositoryUrl nor arn is set)"},
		{Name: "repository URL of the wrong type", Target: "ingest-repo", Set: map[string]any{"repositoryUrl": pt.Wrong(5)}, Check: "ingest-td", Want: policy.Undetermined,
			Msg: "repositoryUrl is of type number"},
		{Name: "latest", Target: "api-td", Set: map[string]any{"containerDefinitions": td(registry + "team/api:latest")["containerDefinitions"]}, Want: policy.Fail,
			Msg: "containerDefinitions[0] (ingest) image 111122223333.dkr.ecr.us-east-1.amazonaws.com/team/api:latest uses the tag latest"},
		{Name: "no tag", Target: "api-td", Set: map[string]any{"containerDefinitions": td("registry.example:5000/team/api")["containerDefinitions"]}, Want: policy.Fail,
			Msg: "has no tag or digest"},
		{Name: "other registry by tag", Target: "api-td", Set: map[string]any{"containerDefinitions": td("registry.example/team/api:2.0.1")["containerDefinitions"]}, Want: policy.Fail,
			Msg: "in a registry whose tag immutability the stack does not show: reference it by digest"},
		{Name: "other registry by digest", Target: "api-td", Set: map[string]any{"containerDefinitions": td("registry.example/team/api" + digest)["containerDefinitions"]}, Want: policy.Pass},
		{Name: "second container unpinned", Target: "api-td", Set: map[string]any{"containerDefinitions": td(registry+"team/api:2.0.1", "busybox")["containerDefinitions"]}, Want: policy.Fail,
			Msg: "containerDefinitions[1] (ingest) image busybox has no tag or digest"},
		{Name: "image missing", Target: "ingest-td", Set: map[string]any{"containerDefinitions": withContainer("image", nil)}, Want: policy.Fail, Msg: "containerDefinitions[0] (ingest) has no image"},
		{Name: "image a number", Target: "ingest-td", Set: map[string]any{"containerDefinitions": withContainer("image", 7)}, Want: policy.Undetermined, Msg: "image is not a string"},
		{Name: "definitions missing", Target: "ingest-td", Set: map[string]any{"containerDefinitions": pt.Missing}, Want: policy.Fail, Msg: "containerDefinitions is empty"},
		{Name: "definitions unknown at preview", Target: "ingest-td", Set: map[string]any{"containerDefinitions": pt.Unknown}, Want: policy.Undetermined,
			Msg: "containerDefinitions cannot be verified until the value is known"},
		{Name: "secret definitions hide the image", Target: "ingest-td", Set: map[string]any{"containerDefinitions": pt.Secret(containerDefs(map[string]any{"name": "canary-x", "image": "canary-registry.example/x:latest"}))},
			Want: policy.Fail, Msg: "containerDefinitions[0] image uses the tag latest"},
		{Name: "definitions a number", Target: "ingest-td", Set: map[string]any{"containerDefinitions": pt.Wrong(3)}, Want: policy.Undetermined, Msg: "containerDefinitions is of type number"},
		{Name: "dev is not applicable", Stack: "dev", Target: "api-td", Set: map[string]any{"containerDefinitions": td("busybox")["containerDefinitions"]}, Want: policy.NotApplicable,
			Msg: "stack dev is not a production stack"},
	})
}
