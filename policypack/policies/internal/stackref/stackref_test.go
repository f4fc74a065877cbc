package stackref_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/policypack/policies/internal/stackref"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

func stack() []policy.Resource {
	return pt.BuildStack("", []pt.Res{
		{Type: "aws:kms/key:Key", Name: "a", Props: map[string]any{"arn": "arn:aws:kms:us-east-1:1:key/aaa", "keyId": "aaa"}},
		{Type: "aws:kms/key:Key", Name: "b", Props: map[string]any{"keyId": "bbb"}},
		{Type: "aws:rds/cluster:Cluster", Name: "by-arn", Props: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/aaa"}},
		{Type: "aws:rds/cluster:Cluster", Name: "by-id-suffix", Props: map[string]any{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/bbb"}},
		{Type: "aws:rds/cluster:Cluster", Name: "by-dep", Props: map[string]any{"kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"b"}}},
		{Type: "aws:rds/cluster:Cluster", Name: "unknown", Props: map[string]any{"kmsKeyId": pt.Unknown}},
		{Type: "aws:rds/cluster:Cluster", Name: "other-dep", Props: map[string]any{"kmsKeyId": pt.Unknown}, Deps: map[string][]string{"kmsKeyId": {"by-arn"}}},
		{Type: "aws:rds/subnetGroup:SubnetGroup", Name: "list", Props: map[string]any{"subnetIds": []any{"x", pt.Unknown, pt.Secret("y")}}},
	})
}

func names(rs []policy.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestRefs(t *testing.T) {
	rs := stack()
	s := stackref.New(rs)
	keys := s.OfType("aws:kms/key:Key")
	assert.Equal(t, []string{"a", "b"}, names(keys))
	for _, tc := range []struct {
		from       string
		want       []string
		unresolved bool
	}{
		{"by-arn", []string{"a"}, false},
		{"by-id-suffix", []string{"b"}, false},
		{"by-dep", []string{"b"}, false},
		{"unknown", nil, true},
		{"other-dep", nil, false}, // resolved by its dependency, to something that is not a key
	} {
		from, _ := s.ByURN(pt.URN(pt.DefaultStack, "aws:rds/cluster:Cluster", tc.from))
		found, unresolved := s.Refs(from, "kmsKeyId", keys)
		assert.Equal(t, tc.want, names(found), tc.from)
		assert.Equal(t, tc.unresolved, unresolved, tc.from)
	}
	b, _ := s.ByURN(pt.URN(pt.DefaultStack, "aws:kms/key:Key", "b"))
	found, unresolved := s.ReferredBy(b, s.OfType("aws:rds/cluster:Cluster"), "kmsKeyId")
	assert.Equal(t, []string{"by-id-suffix", "by-dep"}, names(found))
	assert.Equal(t, []string{"unknown"}, names(unresolved))
}

func TestValues(t *testing.T) {
	vals, unknown := stackref.Values(stack()[7].Properties, "subnetIds")
	assert.Equal(t, []string{"x", "y"}, vals)
	assert.True(t, unknown)
	assert.False(t, stackref.Matches("", stack()[0]))
	assert.True(t, stackref.Matches("aaa", stack()[0]), "a bare ID names the key whose ARN ends in it")
}

func TestJudge(t *testing.T) {
	s := stackref.New(stack())
	keys := s.OfType("aws:kms/key:Key")
	got := stackref.Judge(keys, func(r policy.Resource) policy.Result {
		if r.Name == "a" {
			return policy.Passed()
		}
		return policy.Failed("key %s", r.Name)
	})
	assert.Equal(t, []policy.StackResult{
		{URN: keys[0].URN, Result: policy.Passed()},
		{URN: keys[1].URN, Result: policy.Failed("key b")},
	}, got, "one verdict per resource, in order")
	assert.Empty(t, stackref.Judge(nil, func(policy.Resource) policy.Result { panic("no resource to judge") }))
}
