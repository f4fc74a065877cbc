package image

import (
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPushRefusesBadTargetsBeforeAnyRequest(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	img, err := Build(processor(), "amd64", bins["amd64"], ca, m)
	require.NoError(t, err)
	idx, err := Index(processor(), map[string]v1.Image{"amd64": img}, m, ca)
	require.NoError(t, err)

	tests := []struct{ repository, tag, wantErr string }{
		{"10.1.2.3:5000/hipaa-processor-prod", "", "refusing plain HTTP to a registry that is not on loopback"},
		{"", "", `push: repository ""`},
		{"111122223333.dkr.ecr.eu-west-1.amazonaws.com/Hipaa Processor", "", "push: repository"},
	}
	for _, tt := range tests {
		t.Run(tt.repository, func(t *testing.T) {
			_, err := Push(context.Background(), idx, tt.repository, tt.tag)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestLoopback(t *testing.T) {
	for registry, want := range map[string]bool{
		"localhost:5000": true, "127.0.0.1:41234": true, "[::1]:5000": true, "localhost": true,
		"10.0.0.1:5000": false, "registry.local": false, "111122223333.dkr.ecr.eu-west-1.amazonaws.com": false,
	} {
		assert.Equal(t, want, loopback(registry), registry)
	}
}
