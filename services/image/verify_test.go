package image

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerify(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	good, err := Build(readAPI(), "arm64", bins["arm64"], ca, m)
	require.NoError(t, err)

	v, err := Verify(good, readAPI(), "arm64", now)
	require.NoError(t, err)
	assert.Equal(t, "linux/arm64", v.Platform)
	assert.Equal(t, "10001:10001", v.User)
	assert.Equal(t, []string{"8443/tcp"}, v.Ports)
	require.Len(t, v.Files, 11)
	assert.Equal(t, FileInfo{Path: "/usr/local/bin/readapi", Mode: 0o555, Size: int64(len(bins["arm64"]))}, v.Files[10])
	assert.Positive(t, v.Compressed)

	withConfig := func(edit func(c *v1.Config)) v1.Image {
		cf, err := good.ConfigFile()
		require.NoError(t, err)
		c := *cf.Config.DeepCopy()
		edit(&c)
		img, err := mutate.Config(good, c)
		require.NoError(t, err)
		return img
	}
	layerOf := func(files []File) v1.Layer {
		b, err := Tar(files, m.Created)
		require.NoError(t, err)
		l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil })
		require.NoError(t, err)
		return l
	}
	base, err := Build(readAPI(), "arm64", bins["arm64"], ca, m)
	require.NoError(t, err)
	extraLayer, err := mutate.AppendLayers(base, layerOf([]File{{Path: "/etc/motd", Mode: 0o644, Data: []byte("hi")}}))
	require.NoError(t, err)
	withShell := func() v1.Image {
		files := append(RootFS("readapi", bins["arm64"], ca.PEM), File{Path: "/usr/local/bin/sh", Mode: 0o755, Data: bins["arm64"]})
		img, err := mutate.Append(emptyLike(t, good), mutate.Addendum{Layer: layerOf(files)})
		require.NoError(t, err)
		return img
	}()
	writable := func() v1.Image {
		files := RootFS("readapi", bins["arm64"], ca.PEM)
		files[len(files)-1].Mode = 0o777
		img, err := mutate.Append(emptyLike(t, good), mutate.Addendum{Layer: layerOf(files)})
		require.NoError(t, err)
		return img
	}()
	expiredLater := now.AddDate(11, 0, 0)

	tests := []struct {
		name    string
		img     v1.Image
		svc     Service
		arch    string
		wantErr string
	}{
		{name: "root user", img: withConfig(func(c *v1.Config) { c.User = "0:0" }), svc: readAPI(), arch: "arm64", wantErr: `user "0:0", want "10001:10001"`},
		{name: "shell command", img: withConfig(func(c *v1.Config) { c.Cmd = []string{"sh"} }), svc: readAPI(), arch: "arm64", wantErr: "want [/usr/local/bin/readapi] and no cmd"},
		{name: "other service", img: good, svc: processor(), arch: "arm64", wantErr: "entrypoint"},
		{name: "wrong platform", img: good, svc: readAPI(), arch: "amd64", wantErr: "config platform linux/arm64"},
		{name: "system roots from the RDS bundle", img: withConfig(func(c *v1.Config) { c.Env = []string{"PATH=/usr/local/bin"} }), svc: readAPI(), arch: "arm64",
			wantErr: `environment ["PATH=/usr/local/bin"], want ["PATH=/usr/local/bin" "GODEBUG=x509usefallbackroots=1"]`},
		{name: "no port", img: withConfig(func(c *v1.Config) { c.ExposedPorts = nil }), svc: readAPI(), arch: "arm64", wantErr: "exposed ports [], want [8443/tcp]"},
		{name: "no revision label", img: withConfig(func(c *v1.Config) { delete(c.Labels, LabelRevision) }), svc: readAPI(), arch: "arm64", wantErr: "label org.opencontainers.image.revision is missing"},
		{name: "CA label mismatch", img: withConfig(func(c *v1.Config) { c.Labels[LabelCABundleSHA] = "00" }), svc: readAPI(), arch: "arm64", wantErr: "its label says 00"},
		{name: "second layer", img: extraLayer, svc: readAPI(), arch: "arm64", wantErr: "2 layers, want 1"},
		{name: "extra shell", img: withShell, svc: readAPI(), arch: "arm64", wantErr: "layer holds 12 entries, want 11"},
		{name: "writable executable", img: writable, svc: readAPI(), arch: "arm64", wantErr: "layer entry 11 is /usr/local/bin/readapi (mode 777"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(tt.img, tt.svc, tt.arch, now)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
	_, err = Verify(good, readAPI(), "arm64", expiredLater)
	require.ErrorContains(t, err, "/etc/ssl/rds/global-bundle.pem: no CA certificate is valid at")
}

// emptyLike is img's configuration on an empty base, to put other layers under it.
func emptyLike(t *testing.T, img v1.Image) v1.Image {
	t.Helper()
	cf, err := img.ConfigFile()
	require.NoError(t, err)
	cf = cf.DeepCopy()
	cf.RootFS.DiffIDs = nil
	cf.History = nil
	base, err := mutate.ConfigFile(mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON), cf)
	require.NoError(t, err)
	return base
}

// TestVerifyIndexRefusesABlobEditedInTheLayout edits one byte of an image's config blob in a
// written layout (its file name, the digest, unchanged): verification must refuse the layout.
func TestVerifyIndexRefusesABlobEditedInTheLayout(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	img, err := Build(processor(), "amd64", bins["amd64"], ca, m)
	require.NoError(t, err)
	idx, err := Index(processor(), map[string]v1.Image{"amd64": img}, m, ca)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "processor")
	require.NoError(t, WriteLayout(dir, idx, "processor"))

	back, err := ReadLayout(dir, "processor")
	require.NoError(t, err)
	_, err = VerifyIndex(back, processor(), now)
	require.NoError(t, err, "the layout as written verifies")

	cfg, err := img.ConfigName()
	require.NoError(t, err)
	blob := filepath.Join(dir, "blobs", cfg.Algorithm, cfg.Hex)
	b, err := os.ReadFile(blob)
	require.NoError(t, err)
	i := bytes.Index(b, []byte("hipaa-processor"))
	require.GreaterOrEqual(t, i, 0, "the config names the service")
	b[i+len("hipaa-processor")-1] = 'X'
	require.NoError(t, os.WriteFile(blob, b, 0o644))

	back, err = ReadLayout(dir, "processor")
	require.NoError(t, err)
	_, err = VerifyIndex(back, processor(), now)
	require.ErrorContains(t, err, "verify processor: a blob does not match its digest or size: config sha256:")

	// Put the config back, then cut the layer short.
	b[i+len("hipaa-processor")-1] = 'r'
	require.NoError(t, os.WriteFile(blob, b, 0o644))
	layers, err := img.Layers()
	require.NoError(t, err)
	ld, err := layers[0].Digest()
	require.NoError(t, err)
	lblob := filepath.Join(dir, "blobs", ld.Algorithm, ld.Hex)
	lb, err := os.ReadFile(lblob)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(lblob, lb[:len(lb)-10], 0o644))
	back, err = ReadLayout(dir, "processor")
	require.NoError(t, err)
	_, err = VerifyIndex(back, processor(), now)
	require.ErrorContains(t, err, "verify processor: a blob does not match its digest or size: layer "+ld.String())
}
