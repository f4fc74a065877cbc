package ecr

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// RepositoryScanOnPush: every pushed image is scanned for known vulnerabilities.
var RepositoryScanOnPush = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "ecr-repository-scan-on-push",
		Title: "ECR repositories scan every image on push",
		Description: "An image with a known-vulnerable package is the usual way malicious software " +
			"reaches a container. imageScanningConfiguration.scanOnPush defaults to false (images are " +
			"scanned only when someone asks). Scanning finds known vulnerabilities; reviewing the " +
			"findings and acting on them before a release is the customer's procedure. A registry-level " +
			"scanning configuration (enhanced scanning) takes precedence over this setting when present, " +
			"but the repository setting must still be on, so the repository is scanned wherever it is deployed.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.308(a)(5)(ii)(B)"},
		ResourceTypes: []string{awstypes.ECRRepository},
		Remediation:   "Set imageScanningConfiguration: {scanOnPush: true} on the repository (and review the scan findings of each image before deploying it).",
		References:    []string{"https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-basic.html", refPulumi},
		Engine:        policy.EngineGo,
	},
	Resource: repositoryScanOnPush,
}

func repositoryScanOnPush(_ policy.Env, r policy.Resource) policy.Result {
	const path = "imageScanningConfiguration"
	// An object in Pulumi's encoding; a list of one object in some state encodings.
	cfgs, present, res := check.Objects(r.Properties, path)
	if res != nil {
		return *res
	}
	if !present || len(cfgs) == 0 {
		return policy.Failed("%s.scanOnPush is not true: pushed images are not scanned for known vulnerabilities", path)
	}
	on, res := check.Bool(cfgs[0], "scanOnPush", false)
	if res != nil {
		return *check.Within(path+".", res)
	}
	if !on {
		return policy.Failed("%s.scanOnPush is not true: pushed images are not scanned for known vulnerabilities", path)
	}
	return policy.Passed()
}
