// Package packinfo names the policy pack. PulumiPolicy.yaml carries the same version (a test
// in the pack's main package checks they agree).
package packinfo

// Name is the policy pack's name as Pulumi shows it.
const Name = "hipaa-security-rule"

// Version is the pack's version (semver).
const Version = "0.1.0"

// DisplayName is the human name of the pack.
const DisplayName = "HIPAA Security Rule (45 CFR 164 Subpart C) for AWS"

// Framework is the compliance framework every policy maps to.
const Framework = "HIPAA Security Rule"

// FrameworkVersion is the regulation text the control IDs cite.
const FrameworkVersion = "45 CFR Part 164 Subpart C"
