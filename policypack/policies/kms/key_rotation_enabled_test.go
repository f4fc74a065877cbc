package kms_test

import (
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/awstypes"
	"github.com/carepulse/hipaa-pipeline/policypack/policies/kms"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func TestKeyRotationEnabled(t *testing.T) {
	good := map[string]any{
		"description":          "ePHI stream key",
		"enableKeyRotation":    true,
		"rotationPeriodInDays": 365,
		"keyUsage":             "ENCRYPT_DECRYPT",
		"deletionWindowInDays": 30,
	}
	pt.Run(t, kms.KeyRotationEnabled, "kms-key-rotation-enabled", []string{"164.312(a)(2)(iv)"}, awstypes.KMSKey, good, []pt.Case{
		{Name: "rotation off", Set: map[string]any{"enableKeyRotation": false}, Want: policy.Fail, Msg: "enableKeyRotation"},
		{Name: "rotation missing takes AWS default off", Set: map[string]any{"enableKeyRotation": pt.Missing}, Want: policy.Fail, Msg: "enableKeyRotation"},
		{Name: "rotation unknown", Set: map[string]any{"enableKeyRotation": pt.Unknown}, Want: policy.Undetermined, Msg: "enableKeyRotation cannot be verified until the value is known"},
		{Name: "rotation as string true", Set: map[string]any{"enableKeyRotation": pt.Wrong("true")}, Want: policy.Pass},
		{Name: "rotation as a number", Set: map[string]any{"enableKeyRotation": pt.Wrong(1)}, Want: policy.Undetermined, Msg: "enableKeyRotation is of type number"},
		{Name: "rotation secret true", Set: map[string]any{"enableKeyRotation": pt.Secret(true)}, Want: policy.Pass},
		{Name: "period too long", Set: map[string]any{"rotationPeriodInDays": 730}, Want: policy.Fail, Msg: "rotationPeriodInDays is 730"},
		{Name: "period missing is 365", Set: map[string]any{"rotationPeriodInDays": pt.Missing}, Want: policy.Pass},
		{Name: "period missing above a stricter maximum", Set: map[string]any{"rotationPeriodInDays": pt.Missing}, Params: map[string]any{kms.MaxRotationPeriodParam: 180}, Want: policy.Fail, Msg: "rotationPeriodInDays is 365, above the allowed maximum of 180"},
		{Name: "period unknown", Set: map[string]any{"rotationPeriodInDays": pt.Unknown}, Want: policy.Undetermined, Msg: "rotationPeriodInDays cannot be verified"},
		{Name: "period secret over", Set: map[string]any{"rotationPeriodInDays": pt.Secret(400)}, Want: policy.Fail, Msg: "rotationPeriodInDays"},
		{Name: "period as string", Set: map[string]any{"rotationPeriodInDays": pt.Wrong("90")}, Want: policy.Pass},
		{Name: "period fractional", Set: map[string]any{"rotationPeriodInDays": 90.5}, Want: policy.Undetermined, Msg: "rotationPeriodInDays is of type number"},
		{Name: "asymmetric key", Set: map[string]any{"customerMasterKeySpec": "RSA_2048", "enableKeyRotation": false}, Want: policy.NotApplicable, Msg: "customerMasterKeySpec is RSA_2048"},
		{Name: "HMAC key", Set: map[string]any{"customerMasterKeySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC", "enableKeyRotation": false}, Want: policy.NotApplicable, Msg: "HMAC"},
		{Name: "symmetric default spec", Set: map[string]any{"customerMasterKeySpec": "SYMMETRIC_DEFAULT"}, Want: policy.Pass},
		{Name: "signing key", Set: map[string]any{"keyUsage": "SIGN_VERIFY", "enableKeyRotation": false}, Want: policy.NotApplicable, Msg: "keyUsage is SIGN_VERIFY"},
		{Name: "spec unknown", Set: map[string]any{"customerMasterKeySpec": pt.Unknown}, Want: policy.Undetermined, Msg: "customerMasterKeySpec cannot be verified"},
		{Name: "custom key store", Set: map[string]any{"customKeyStoreId": "cks-1234", "enableKeyRotation": false}, Want: policy.NotApplicable, Msg: "customKeyStoreId"},
	})
}

func TestExternalKeyNotApplicable(t *testing.T) {
	env := pt.Env(kms.KeyRotationEnabled, "", nil)
	got := kms.KeyRotationEnabled.Resource(env, policy.Resource{Type: awstypes.KMSExternalKey, Name: "imported", Properties: pt.ToPropertyMap(map[string]any{"enabled": true})})
	if got.Status != policy.NotApplicable {
		t.Fatalf("external key: got %s %q", got.Status, got.Messages)
	}
}
