package kms

import (
	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/check"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// MaxRotationPeriodParam bounds rotationPeriodInDays.
const MaxRotationPeriodParam = "maxRotationPeriodInDays"

// defaultRotationPeriod is the period AWS applies when rotationPeriodInDays is not set.
const defaultRotationPeriod = 365

// KeyRotationEnabled: symmetric customer-managed keys rotate automatically, at least as often as
// the configured maximum period.
var KeyRotationEnabled = policy.Policy{
	Metadata: policy.Metadata{
		ID:    "kms-key-rotation-enabled",
		Title: "Symmetric customer-managed KMS keys rotate automatically within the maximum period",
		Description: "Keys that encrypt ePHI must have automatic rotation so that a compromised or " +
			"over-used key version stops protecting new data; the rotation period is bounded by " +
			"policy. Keys that AWS cannot rotate (asymmetric, HMAC, imported key material, custom " +
			"key stores) are not applicable.",
		Severity:      policy.SeverityMedium,
		Enforcement:   policy.Mandatory,
		Controls:      []string{"164.312(a)(2)(iv)"},
		ResourceTypes: []string{awstypes.KMSKey, awstypes.KMSExternalKey},
		Remediation:   "Set enableKeyRotation: true and rotationPeriodInDays to at most the configured maximum (90-2560 days allowed by KMS).",
		References: []string{
			"https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
		},
		Engine: policy.EngineGo,
		Params: []policy.Param{{
			Name:        MaxRotationPeriodParam,
			Type:        policy.ParamInteger,
			Description: "Largest allowed automatic rotation period of a KMS key, in days.",
			Default:     365,
			Minimum:     policy.IntPtr(1),
		}},
	},
	Resource: keyRotationEnabled,
}

func keyRotationEnabled(env policy.Env, r policy.Resource) policy.Result {
	if r.Type == awstypes.KMSExternalKey {
		return policy.NotApplicableBecause("keys with imported (EXTERNAL origin) key material cannot rotate automatically")
	}
	if res, na := notRotatable(r); res != nil || na != "" {
		if res != nil {
			return *res
		}
		return policy.NotApplicableBecause("%s", na)
	}
	on, res := check.Bool(r.Properties, "enableKeyRotation", false)
	if res != nil {
		return *res
	}
	if !on {
		return policy.Failed("enableKeyRotation is not true: automatic rotation of this symmetric key is off (the AWS default)")
	}
	period, present, res := check.Int(r.Properties, "rotationPeriodInDays")
	if res != nil {
		return *res
	}
	if !present {
		period = defaultRotationPeriod
	}
	if max := env.Int(MaxRotationPeriodParam); period > max {
		return policy.Failed("rotationPeriodInDays is %s, above the allowed maximum of %d days", check.Show(r.Properties, "rotationPeriodInDays", period), max)
	}
	return policy.Passed()
}

// notRotatable says why a key cannot rotate automatically ("" when it can), or returns an
// undetermined result when that cannot be decided yet.
func notRotatable(r policy.Resource) (*policy.Result, string) {
	for _, p := range []string{"customerMasterKeySpec", "keySpec"} {
		spec, present, res := check.String(r.Properties, p)
		if res != nil {
			return res, ""
		}
		if present && spec != "SYMMETRIC_DEFAULT" {
			return nil, p + " is " + check.Show(r.Properties, p, spec) + ": asymmetric and HMAC keys cannot rotate automatically"
		}
	}
	usage, present, res := check.String(r.Properties, "keyUsage")
	if res != nil {
		return res, ""
	}
	if present && usage != "ENCRYPT_DECRYPT" {
		return nil, "keyUsage is " + check.Show(r.Properties, "keyUsage", usage) + ": only symmetric encryption keys rotate automatically"
	}
	for _, p := range []string{"customKeyStoreId", "xksKeyId"} {
		_, present, res := check.String(r.Properties, p)
		if res != nil {
			return res, ""
		}
		if present {
			return nil, p + " is set: keys in custom key stores cannot rotate automatically"
		}
	}
	return nil, ""
}
