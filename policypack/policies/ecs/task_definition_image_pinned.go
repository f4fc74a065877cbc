package ecs

import (
	"regexp"
	"strings"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// TaskDefinitionImagePinned: production containers run an image that cannot change behind its
// reference (stack-level).
var TaskDefinitionImagePinned = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecs-task-definition-image-pinned",
		Title: "Production ECS containers run images pinned by digest or by an immutable tag",
		Description: "A task definition names its image; every task start pulls it again. If the " +
			"reference can be moved (no tag, latest, or a tag in a repository with mutable tags) the " +
			"code that processes ePHI can change without any reviewed change to the stack. An image " +
			"passes when it is referenced by digest (@sha256:...) or by a tag of an ECR repository of " +
			"this stack (same registry, i.e. account and region, and name; read from repositoryUrl or arn) whose imageTagMutability is IMMUTABLE. Stack-level (it reads the stack's " +
			"aws:ecr/repository resources); stacks not named in productionStacks are not applicable. " +
			"containerDefinitions built from other resources' outputs are unknown at preview: the " +
			"verdict then comes on up.",
		Severity:      policy.SeverityHigh,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(c)(1)"},
		ResourceTypes: []string{awstypes.ECSTaskDefinition, awstypes.ECRRepository},
		Remediation: "Reference each image by digest (<repository>@sha256:<digest>), or by a version tag of an ECR " +
			`repository of the stack with imageTagMutability: "IMMUTABLE"; never by latest or without a tag.`,
		References: []string{refTaskDefinition + "#container_definition_image", "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"},
		Engine:     policy.EngineGo,
		Params:     []policy.Param{policy.ProductionStacksParam},
	},
	Stack: taskDefinitionImagePinned,
}

var (
	digestRef = regexp.MustCompile(`@sha256:[a-f0-9]{64}$`)
	// ecrImage matches <account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>:<tag>.
	ecrImage = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/([^:@]+):([^:@/]+)$`)
)

// repoMutability is what the stack shows about an ECR repository's tags.
type repoMutability struct {
	name      string // logical name
	immutable bool
	// undetermined says why the mutability cannot be read (unknown, wrong type); "" if it can.
	undetermined string
	// url is the repository's <registry host>/<name> (repositoryUrl, else from its arn); "" when
	// not known yet (preview), with urlUnknown saying why.
	url, urlUnknown string
}

// repositoryURL is where the repository's images are pulled from: its repositoryUrl output, or
// <account>.dkr.ecr.<region>.amazonaws.com/<name> from its arn.
func repositoryURL(r policy.Resource, name string) (url, unknown string) {
	if u, set, res := check.String(r.Properties, "repositoryUrl"); res == nil && set {
		return u, ""
	} else if res != nil {
		return "", strings.Join(res.Messages, "; ")
	}
	arn, set, res := check.String(r.Properties, "arn")
	switch {
	case res != nil:
		return "", strings.Join(res.Messages, "; ")
	case !set:
		return "", "neither repositoryUrl nor arn is set"
	}
	// arn:<partition>:ecr:<region>:<account>:repository/<name>
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "ecr" || parts[5] != "repository/"+name {
		return "", "arn " + check.Show(r.Properties, "arn", arn) + " is not this repository's ARN"
	}
	host := parts[4] + ".dkr.ecr." + parts[3] + ".amazonaws.com"
	if parts[1] == "aws-cn" {
		host += ".cn"
	}
	return host + "/" + name, ""
}

func taskDefinitionImagePinned(env policy.Env, rs []policy.Resource) []policy.StackResult {
	production := env.IsProduction()
	repos := map[string][]repoMutability{}
	var unnamed []string // repositories whose name is not known (preview)
	for _, r := range rs {
		if r.Type != awstypes.ECRRepository {
			continue
		}
		name, set, res := check.String(r.Properties, "name")
		if res != nil || !set {
			unnamed = append(unnamed, r.Name)
			continue
		}
		m, mset, mres := check.String(r.Properties, "imageTagMutability")
		rm := repoMutability{name: r.Name, immutable: mres == nil && mset && m == "IMMUTABLE"}
		if mres != nil {
			rm.undetermined = strings.Join(mres.Messages, "; ")
		}
		rm.url, rm.urlUnknown = repositoryURL(r, name)
		repos[name] = append(repos[name], rm)
	}
	var out []policy.StackResult
	for _, r := range rs {
		if r.Type != awstypes.ECSTaskDefinition {
			continue
		}
		if !production {
			out = append(out, policy.StackResult{URN: r.URN, Result: policy.NotApplicableBecause("stack %s is not a production stack", env.Stack)})
			continue
		}
		out = append(out, policy.StackResult{URN: r.URN, Result: imagesPinned(r, repos, unnamed)})
	}
	return out
}

func imagesPinned(r policy.Resource, repos map[string][]repoMutability, unnamed []string) policy.Result {
	cs, res := containers(r)
	if res != nil {
		return *res
	}
	// Image references are part of the definitions: not shown when they are secret.
	secret := props.IsSecret(r.Properties, "containerDefinitions")
	results := []policy.Result{policy.Passed()}
	for _, c := range cs {
		image, ok := c.def["image"].(string)
		if !ok {
			if c.def["image"] == nil {
				results = append(results, policy.Failed("%s has no image", c.label))
			} else {
				results = append(results, policy.UndeterminedBecause("%s image is not a string; it cannot be interpreted", c.label))
			}
			continue
		}
		what := c.label + " image"
		if !secret {
			what += " " + image
		}
		results = append(results, imagePinned(what, image, repos, unnamed))
	}
	return policy.Merge(results...)
}

func imagePinned(what, image string, repos map[string][]repoMutability, unnamed []string) policy.Result {
	if digestRef.MatchString(image) {
		return policy.Passed()
	}
	tag := ""
	if last := image[strings.LastIndex(image, "/")+1:]; strings.Contains(last, ":") {
		tag = last[strings.LastIndex(last, ":")+1:]
	}
	switch tag {
	case "":
		return policy.Failed("%s has no tag or digest: it means latest, which moves with every push", what)
	case "latest":
		return policy.Failed("%s uses the tag latest, which moves with every push", what)
	}
	m := ecrImage.FindStringSubmatch(image)
	if m == nil {
		return policy.Failed("%s is referenced by a tag in a registry whose tag immutability the stack does not show: reference it by digest", what)
	}
	// The repository must be this one: same name AND same registry (account, region).
	pulled := strings.TrimSuffix(image, ":"+tag)
	var pending []string
	for _, repo := range repos[m[2]] {
		switch {
		case repo.url == pulled && repo.undetermined != "":
			return policy.UndeterminedBecause("%s: repository %s: %s", what, repo.name, repo.undetermined)
		case repo.url == pulled && repo.immutable:
			return policy.Passed()
		case repo.url == pulled:
			return policy.Failed("%s is referenced by a tag of an ECR repository whose tags are mutable: set imageTagMutability IMMUTABLE or reference it by digest", what)
		case repo.url == "":
			pending = append(pending, repo.name+" ("+repo.urlUnknown+")")
		}
	}
	switch {
	case len(pending) > 0:
		return policy.UndeterminedBecause("%s: the registry of repositories %s cannot be verified yet", what, strings.Join(pending, ", "))
	case len(unnamed) > 0:
		return policy.UndeterminedBecause("%s: the names of repositories %s cannot be verified until the value is known", what, strings.Join(unnamed, ", "))
	}
	return policy.Failed("%s is referenced by a tag of an ECR repository that is not in this stack (same name and registry), whose tag immutability it cannot show: "+
		"reference it by digest or create the repository in the stack with immutable tags", what)
}
