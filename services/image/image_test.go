package image

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	helloOnce sync.Once
	hello     map[string][]byte
	helloErr  error
)

// helloBinaries compiles a tiny static Go program for each architecture (once per test run).
func helloBinaries(t *testing.T) map[string][]byte {
	t.Helper()
	helloOnce.Do(func() {
		dir, err := os.MkdirTemp("", "image-hello-*")
		if err != nil {
			helloErr = err
			return
		}
		defer func() { _ = os.RemoveAll(dir) }()
		src := "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o600); err != nil {
			helloErr = err
			return
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o600); err != nil {
			helloErr = err
			return
		}
		hello = map[string][]byte{}
		for _, arch := range Architectures {
			out := filepath.Join(dir, "hello-"+arch)
			cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-o", out, ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOWORK=off")
			if b, err := cmd.CombinedOutput(); err != nil {
				helloErr = errors.Join(err, errors.New(string(b)))
				return
			}
			if hello[arch], err = os.ReadFile(out); err != nil {
				helloErr = err
				return
			}
		}
	})
	require.NoError(t, helloErr)
	return hello
}

func testMeta() Meta {
	return Meta{Source: "https://github.com/carepulse/hipaa-pipeline", Revision: "2068fe179ae0a78933402b8f913829510270e47b",
		Version: "0.1.0", Created: time.Unix(1796325299, 0).UTC()}
}

func testBundle(t *testing.T) CABundle {
	t.Helper()
	ca, err := ParseCABundle(testCA(t, "Test RDS Root"), now)
	require.NoError(t, err)
	return ca
}

func readAPI() Service   { return Services[1] }
func processor() Service { return Services[0] }

// entry is a layer entry as read back from the image.
type entry struct {
	typ      byte
	mode     int64
	uid, gid int
	data     string
	mtime    time.Time
}

func layerEntries(t *testing.T, img v1.Image) (map[string]entry, []string) {
	t.Helper()
	layers, err := img.Layers()
	require.NoError(t, err)
	require.Len(t, layers, 1, "one layer on an empty base")
	mt, err := layers[0].MediaType()
	require.NoError(t, err)
	assert.Equal(t, types.OCILayer, mt)
	rc, err := layers[0].Uncompressed()
	require.NoError(t, err)
	defer func() { _ = rc.Close() }()
	tr := tar.NewReader(rc)
	files := map[string]entry{}
	var order []string
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		files[h.Name] = entry{typ: h.Typeflag, mode: h.Mode, uid: h.Uid, gid: h.Gid, data: string(b), mtime: h.ModTime.UTC()}
		order = append(order, h.Name)
	}
	return files, order
}

func TestBuildReadAPIImage(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	img, err := Build(readAPI(), "arm64", bins["arm64"], ca, m)
	require.NoError(t, err)

	mt, err := img.MediaType()
	require.NoError(t, err)
	assert.Equal(t, types.OCIManifestSchema1, mt)
	manifest, err := img.Manifest()
	require.NoError(t, err)
	assert.Equal(t, types.OCIConfigJSON, manifest.Config.MediaType)

	cf, err := img.ConfigFile()
	require.NoError(t, err)
	assert.Equal(t, "linux", cf.OS)
	assert.Equal(t, "arm64", cf.Architecture)
	assert.Equal(t, m.Created, cf.Created.UTC())
	assert.Equal(t, "10001:10001", cf.Config.User)
	assert.Equal(t, []string{"/usr/local/bin/readapi"}, cf.Config.Entrypoint)
	assert.Empty(t, cf.Config.Cmd)
	assert.Equal(t, []string{"PATH=/usr/local/bin", "GODEBUG=x509usefallbackroots=1"}, cf.Config.Env)
	assert.Equal(t, map[string]struct{}{"8443/tcp": {}}, cf.Config.ExposedPorts)
	assert.Equal(t, map[string]string{
		"org.opencontainers.image.source":          "https://github.com/carepulse/hipaa-pipeline",
		"org.opencontainers.image.revision":        "2068fe179ae0a78933402b8f913829510270e47b",
		"org.opencontainers.image.version":         "0.1.0",
		"org.opencontainers.image.created":         "2026-12-03T19:14:59Z",
		"org.opencontainers.image.title":           "hipaa-read-api",
		"org.opencontainers.image.description":     readAPI().Description,
		"com.carepulse.hipaa.rds-ca-bundle.sha256": ca.SHA256,
		"com.carepulse.hipaa.rds-ca-bundle.path":   "/etc/ssl/rds/global-bundle.pem",
	}, cf.Config.Labels)
	sum := sha256.Sum256(ca.PEM)
	assert.Equal(t, hex.EncodeToString(sum[:]), cf.Config.Labels[LabelCABundleSHA])

	files, order := layerEntries(t, img)
	assert.Equal(t, []string{"etc/", "etc/group", "etc/passwd", "etc/ssl/", "etc/ssl/rds/", "etc/ssl/rds/global-bundle.pem",
		"tmp/", "usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/readapi"}, order, "exactly these files: no shell, no package manager")
	for name, e := range files {
		assert.Equal(t, 0, e.uid, name)
		assert.Equal(t, 0, e.gid, name)
		assert.Equal(t, m.Created, e.mtime, name)
	}
	bin := files["usr/local/bin/readapi"]
	assert.Equal(t, byte(tar.TypeReg), bin.typ)
	assert.Equal(t, int64(0o555), bin.mode, "executable, not writable")
	assert.Equal(t, string(bins["arm64"]), bin.data)
	assert.Equal(t, int64(0o444), files["etc/ssl/rds/global-bundle.pem"].mode)
	assert.Equal(t, string(ca.PEM), files["etc/ssl/rds/global-bundle.pem"].data)
	assert.Equal(t, int64(0o1777), files["tmp/"].mode)
	assert.Equal(t, byte(tar.TypeDir), files["tmp/"].typ)
	assert.Equal(t, int64(0o644), files["etc/passwd"].mode)
	assert.Contains(t, files["etc/passwd"].data, "\napp:x:10001:10001:app:/nonexistent:/sbin/nologin\n")
	assert.Equal(t, "root:x:0:\napp:x:10001:\n", files["etc/group"].data)
}

func TestBuildProcessorImageExposesNothing(t *testing.T) {
	img, err := Build(processor(), "amd64", helloBinaries(t)["amd64"], testBundle(t), testMeta())
	require.NoError(t, err)
	cf, err := img.ConfigFile()
	require.NoError(t, err)
	assert.Equal(t, "amd64", cf.Architecture)
	assert.Nil(t, cf.Config.ExposedPorts)
	assert.Equal(t, []string{"/usr/local/bin/processor"}, cf.Config.Entrypoint)
	assert.Equal(t, "hipaa-processor", cf.Config.Labels[LabelTitle])
}

func digestOf(t *testing.T, d interface{ Digest() (v1.Hash, error) }) string {
	t.Helper()
	h, err := d.Digest()
	require.NoError(t, err)
	return h.String()
}

func TestBuildIsReproducible(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	build := func(s Service, arch string, ca CABundle, m Meta) v1.Image {
		img, err := Build(s, arch, bins[arch], ca, m)
		require.NoError(t, err)
		return img
	}
	first := digestOf(t, build(readAPI(), "arm64", ca, m))
	assert.Equal(t, first, digestOf(t, build(readAPI(), "arm64", ca, m)), "same inputs, same digest")

	later := m
	later.Created = m.Created.Add(time.Second)
	newVersion := m
	newVersion.Version = "0.1.1"
	changed := map[string]v1.Image{
		"architecture": build(readAPI(), "amd64", ca, m),
		"service":      build(processor(), "arm64", ca, m),
		"created":      build(readAPI(), "arm64", ca, later),
		"version":      build(readAPI(), "arm64", ca, newVersion),
		"CA bundle":    build(readAPI(), "arm64", testBundle(t), m),
	}
	for what, img := range changed {
		assert.NotEqual(t, first, digestOf(t, img), "a different %s gives a different digest", what)
	}

	index := func(order []string) string {
		imgs := map[string]v1.Image{}
		for _, a := range order {
			imgs[a] = build(readAPI(), a, ca, m)
		}
		idx, err := Index(readAPI(), imgs, m, ca)
		require.NoError(t, err)
		return digestOf(t, idx)
	}
	assert.Equal(t, index([]string{"arm64", "amd64"}), index([]string{"amd64", "arm64"}))
}

func TestIndexListsPlatformsAndAnnotations(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	imgs := map[string]v1.Image{}
	for _, a := range Architectures {
		img, err := Build(processor(), a, bins[a], ca, m)
		require.NoError(t, err)
		imgs[a] = img
	}
	idx, err := Index(processor(), imgs, m, ca)
	require.NoError(t, err)
	im, err := idx.IndexManifest()
	require.NoError(t, err)
	assert.Equal(t, types.OCIImageIndex, im.MediaType)
	require.Len(t, im.Manifests, 2)
	assert.Equal(t, "amd64", im.Manifests[0].Platform.Architecture)
	assert.Equal(t, "arm64", im.Manifests[1].Platform.Architecture)
	assert.Equal(t, digestOf(t, imgs["arm64"]), im.Manifests[1].Digest.String())
	assert.Equal(t, "linux", im.Manifests[1].Platform.OS)
	assert.Equal(t, "0.1.0", im.Annotations[LabelVersion])
	assert.Equal(t, ca.SHA256, im.Annotations[LabelCABundleSHA])

	verified, err := VerifyIndex(idx, processor(), now)
	require.NoError(t, err)
	require.Len(t, verified, 2)
	assert.Equal(t, "linux/amd64", verified[0].Platform)
	assert.Equal(t, "linux/arm64", verified[1].Platform)
	_, err = VerifyIndex(idx, readAPI(), now)
	require.ErrorContains(t, err, "verify read-api linux/amd64: entrypoint")

	_, err = Index(processor(), nil, m, ca)
	require.ErrorContains(t, err, "index processor: no image")
}

func TestBuildRefuses(t *testing.T) {
	bins, ca := helloBinaries(t), testBundle(t)
	dynamic, err := os.ReadFile("/bin/true") // the host's dynamically linked executable
	require.NoError(t, err)
	noVersion := testMeta()
	noVersion.Version = ""
	badRevision := testMeta()
	badRevision.Revision = "main"
	noCreated := testMeta()
	noCreated.Created = time.Time{}
	noSource := testMeta()
	noSource.Source = ""

	tests := []struct {
		name    string
		arch    string
		bin     []byte
		ca      CABundle
		meta    Meta
		wantErr string
	}{
		{"wrong architecture", "arm64", bins["amd64"], ca, testMeta(), "image read-api (linux/arm64): executable: ELF machine EM_X86_64, want EM_AARCH64 for arm64"},
		{"unsupported architecture", "riscv64", bins["amd64"], ca, testMeta(), `architecture "riscv64": only amd64 and arm64 are supported`},
		{"not an executable", "amd64", []byte("#!/bin/sh\necho hi\n"), ca, testMeta(), "not an ELF executable"},
		{"dynamically linked", "amd64", dynamic, ca, testMeta(), "image read-api (linux/amd64): executable: ELF type ET_DYN"},
		{"no CA bundle", "amd64", bins["amd64"], CABundle{}, testMeta(), "image read-api: the RDS CA bundle is missing"},
		{"no version", "amd64", bins["amd64"], ca, noVersion, `version "": want 1-128`},
		{"revision not a commit", "amd64", bins["amd64"], ca, badRevision, `revision "main" is not a hex commit id`},
		{"no created time", "amd64", bins["amd64"], ca, noCreated, "created time is not set"},
		{"no source", "amd64", bins["amd64"], ca, noSource, "source (repository URL) is not set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := Build(readAPI(), tt.arch, tt.bin, tt.ca, tt.meta)
			require.Error(t, err)
			assert.Nil(t, img)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestCheckStaticELFAcceptsStaticExecutables(t *testing.T) {
	require.NoError(t, CheckStaticELF(helloBinaries(t)["arm64"], "arm64"))
	require.NoError(t, CheckStaticELF(helloBinaries(t)["amd64"], "amd64"))
}

func TestWriteAndReadLayout(t *testing.T) {
	bins, ca, m := helloBinaries(t), testBundle(t), testMeta()
	img, err := Build(processor(), "amd64", bins["amd64"], ca, m)
	require.NoError(t, err)
	idx, err := Index(processor(), map[string]v1.Image{"amd64": img}, m, ca)
	require.NoError(t, err)

	root := t.TempDir()
	dir := filepath.Join(root, "images", "processor")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "stale"), []byte("old"), 0o600))
	require.NoError(t, WriteLayout(dir, idx, "processor"))

	_, err = os.Stat(filepath.Join(dir, "stale"))
	assert.ErrorIs(t, err, os.ErrNotExist, "the previous layout is replaced, not merged")
	for _, f := range []string{"oci-layout", "index.json"} {
		_, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
	}
	entries, err := os.ReadDir(filepath.Join(root, "images"))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary directory is left")

	back, err := ReadLayout(dir, "processor")
	require.NoError(t, err)
	assert.Equal(t, digestOf(t, idx), digestOf(t, back))
	h, err := img.Digest()
	require.NoError(t, err)
	backImg, err := back.Image(h)
	require.NoError(t, err)
	files, _ := layerEntries(t, backImg)
	assert.Equal(t, string(bins["amd64"]), files["usr/local/bin/processor"].data)

	_, err = ReadLayout(dir, "read-api")
	require.ErrorContains(t, err, `no image named "read-api"`)
	_, err = ReadLayout(filepath.Join(root, "nothing"), "processor")
	require.ErrorContains(t, err, "OCI layout")
}

// TestImageEnvKeepsPublicRootsBesideTheRDSBundle runs a program linked like the services (with the
// fallback roots): where Go's only certificate directory held the RDS bundle, without the images'
// GODEBUG the system pool would be the RDS CA alone; with it, or with no system store at all (as
// in the images), the public roots the AWS API endpoints chain to.
func TestImageEnvKeepsPublicRootsBesideTheRDSBundle(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "rootscheck")
	build := exec.Command("go", "build", "-o", bin, "./testdata/rootscheck")
	build.Env = append(os.Environ(), "GOWORK=off", "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	certs := filepath.Join(dir, "certs")
	require.NoError(t, os.MkdirAll(certs, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(certs, "rds-global-bundle.pem"), testBundle(t).PEM, 0o644))

	count := func(extra ...string) int {
		cmd := exec.Command(bin)
		cmd.Env = append([]string{"SSL_CERT_FILE=" + filepath.Join(dir, "absent.pem"), "SSL_CERT_DIR=" + certs}, extra...)
		out, err := cmd.Output()
		require.NoError(t, err)
		n, err := strconv.Atoi(strings.TrimSpace(string(out)))
		require.NoError(t, err)
		return n
	}
	assert.Equal(t, 1, count(), "a bundle in a certificate directory would be the whole system pool")
	assert.Greater(t, count(Env...), 100, "with the images' environment, the compiled-in public roots")

	// As in the images: no certificate file or directory at all (the RDS bundle lives outside
	// /etc/ssl/certs), so Go falls back to the compiled-in roots even without GODEBUG.
	bare := exec.Command(bin)
	bare.Env = []string{"SSL_CERT_FILE=" + filepath.Join(dir, "absent.pem"), "SSL_CERT_DIR=" + filepath.Join(dir, "absent")}
	out, err = bare.Output()
	require.NoError(t, err)
	n, err := strconv.Atoi(strings.TrimSpace(string(out)))
	require.NoError(t, err)
	assert.Greater(t, n, 100, "no system store: the compiled-in public roots")
}
