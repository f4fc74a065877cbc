// Package regopolicies adapts the Rego rules to policy.Policy (placeholder until helper E fills it in).
package regopolicies

import "github.com/carepulse/hipaa-pipeline/policypack/policy"

// Load prepares every Rego rule of the pack as a policy.
func Load() ([]policy.Policy, error) { return nil, nil }
