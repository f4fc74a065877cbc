package main

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/image"
)

const testRevision = "2068fe179ae0a78933402b8f913829510270e47b"

// writeCA writes a CA certificate generated here (valid for a year) as a PEM file.
func writeCA(t *testing.T, dir string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test RDS Root"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	path := filepath.Join(dir, "rds-ca.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	return path
}

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseBuild(t *testing.T) {
	base := []string{"-out", "out", "-source", "https://github.com/carepulse/hipaa-pipeline", "-revision", testRevision, "-version", "0.1.0"}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr []string
		check   func(t *testing.T, o buildOptions)
	}{
		{name: "defaults with SOURCE_DATE_EPOCH", args: base, env: map[string]string{"SOURCE_DATE_EPOCH": "1796325299"},
			check: func(t *testing.T, o buildOptions) {
				assert.Equal(t, []string{"arm64", "amd64"}, o.archs)
				require.Len(t, o.services, 2)
				assert.Equal(t, "processor", o.services[0].Name)
				assert.Equal(t, "read-api", o.services[1].Name)
				assert.Equal(t, time.Unix(1796325299, 0).UTC(), o.meta.Created)
			}},
		{name: "-created wins over SOURCE_DATE_EPOCH", args: append([]string{"-created", "1700000000", "-arch", "arm64", "-services", "read-api"}, base...),
			env: map[string]string{"SOURCE_DATE_EPOCH": "1796325299"},
			check: func(t *testing.T, o buildOptions) {
				assert.Equal(t, time.Unix(1700000000, 0).UTC(), o.meta.Created)
				assert.Equal(t, []string{"arm64"}, o.archs)
				require.Len(t, o.services, 1)
				assert.Equal(t, "read-api", o.services[0].Name)
			}},
		{name: "no creation time", args: base, wantErr: []string{"creation time is not set", "SOURCE_DATE_EPOCH"}},
		{name: "bad SOURCE_DATE_EPOCH", args: base, env: map[string]string{"SOURCE_DATE_EPOCH": "yesterday"},
			wantErr: []string{`SOURCE_DATE_EPOCH must be a positive number of seconds since 1970 (has "yesterday")`}},
		{name: "everything wrong at once", args: []string{"-arch", "s390x", "-services", "web", "-created", "1", "-revision", "HEAD"},
			wantErr: []string{"-out is required", `-arch "s390x"`, `-services "web": unknown service`, "source (repository URL) is not set", `revision "HEAD" is not a hex commit id`, `version ""`}},
		{name: "stray argument", args: append(base, "extra"), env: map[string]string{"SOURCE_DATE_EPOCH": "1"}, wantErr: []string{`unexpected arguments ["extra"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseBuild(tt.args, env(tt.env))
			if len(tt.wantErr) > 0 {
				require.Error(t, err)
				for _, w := range tt.wantErr {
					assert.Contains(t, err.Error(), w)
				}
				return
			}
			require.NoError(t, err)
			tt.check(t, o)
		})
	}
}

func TestParsePush(t *testing.T) {
	o, err := parsePush([]string{"-dir", "bin/images", "-registry", "111122223333.dkr.ecr.eu-west-1.amazonaws.com", "-repository-suffix", "-prod", "-tag", "0.1.0"})
	require.NoError(t, err)
	assert.Equal(t, pushOptions{dir: "bin/images", registry: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", prefix: "hipaa-", suffix: "-prod",
		tag: "0.1.0", services: []string{"processor", "read-api"}}, o)

	_, err = parsePush([]string{"-tag", "v1", "-no-tag"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-dir is required")
	assert.Contains(t, err.Error(), "-registry is required")
	assert.Contains(t, err.Error(), "-tag and -no-tag exclude each other")
}

func TestCheckClean(t *testing.T) {
	for _, tt := range []struct {
		version string
		allow   bool
		wantErr string
	}{
		{version: "0.1.0"},
		{version: "7325ac7"},
		{version: ""},
		{version: "7325ac7-dirty", wantErr: "version 7325ac7-dirty was built from a tree with uncommitted changes"},
		{version: "7325ac7-dirty", allow: true},
	} {
		err := checkClean(tt.version, tt.allow)
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.version)
		} else {
			assert.ErrorContains(t, err, tt.wantErr, tt.version)
		}
	}
	o, err := parsePush([]string{"-dir", "d", "-registry", "r", "-allow-dirty"})
	require.NoError(t, err)
	assert.True(t, o.allowDirty)
}

func TestParseVerify(t *testing.T) {
	o, err := parseVerify([]string{"-dir", "bin/images", "-services", "read-api"})
	require.NoError(t, err)
	assert.Equal(t, verifyOptions{dir: "bin/images", services: []string{"read-api"}}, o)
	_, err = parseVerify(nil)
	require.ErrorContains(t, err, "verify: -dir is required")
	require.ErrorContains(t, verify(verifyOptions{dir: t.TempDir(), services: []string{"web"}}, time.Now(), io.Discard), `unknown service "web"`)
}

func TestRunRejectsUnknownSubcommand(t *testing.T) {
	require.ErrorContains(t, run(context.Background(), nil, env(nil), io.Discard), "usage: imagebuild build|verify|push")
	require.ErrorContains(t, run(context.Background(), []string{"deploy"}, env(nil), io.Discard), `unknown subcommand "deploy"`)
}

// TestBuildRefusesABadCABundleBeforeCompiling: the bundle is checked first; "go" is replaced by
// a program that does not exist, so reaching the compile step would fail differently.
func TestBuildRefusesABadCABundleBeforeCompiling(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "bundle.html")
	require.NoError(t, os.WriteFile(notPEM, []byte("<html>404</html>"), 0o600))
	for _, tt := range []struct{ bundle, wantErr string }{
		{"", "RDS CA bundle: no path given"},
		{filepath.Join(dir, "absent.pem"), "absent.pem: open"},
		{notPEM, "bundle.html: not a PEM file"},
	} {
		o, err := parseBuild([]string{"-rds-ca-bundle", tt.bundle, "-out", filepath.Join(dir, "out"), "-source", "https://example.test/repo",
			"-revision", testRevision, "-version", "0.1.0", "-created", "1796325299"}, env(nil))
		require.NoError(t, err)
		o.goBinary = filepath.Join(dir, "no-go-here")
		err = build(context.Background(), o, io.Discard)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tt.wantErr)
		_, statErr := os.Stat(filepath.Join(dir, "out"))
		assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing is written")
	}
}

var digestLine = regexp.MustCompile(`(?m)^(processor|read-api): (sha256:[0-9a-f]{64}) \(OCI layout`)

func digests(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, m := range digestLine.FindAllStringSubmatch(out, -1) {
		got[m[1]] = m[2]
	}
	require.Len(t, got, 2, out)
	return got
}

// TestBuildPushPullRun builds the real services for both architectures (twice: same digests),
// pushes them to an in-process registry on loopback, pulls them back by digest, checks their
// configuration and files, and runs the host architecture's executable from the pulled image.
func TestBuildPushPullRun(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles both services for two architectures")
	}
	if runtime.GOOS != "linux" || (runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64") {
		t.Skip("runs a linux/amd64 or linux/arm64 executable")
	}
	dir := t.TempDir()
	ca := writeCA(t, dir)
	args := func(out string) []string {
		return []string{"build", "-rds-ca-bundle", ca, "-out", out, "-module", "../..", "-source", "https://github.com/carepulse/hipaa-pipeline",
			"-revision", testRevision, "-version", "0.1.0-test"}
	}
	sde := env(map[string]string{"SOURCE_DATE_EPOCH": "1796325299"})
	ctx := context.Background()
	var first, second bytes.Buffer
	require.NoError(t, run(ctx, args(filepath.Join(dir, "a")), sde, &first))
	require.NoError(t, run(ctx, args(filepath.Join(dir, "b")), sde, &second))
	built := digests(t, first.String())
	assert.Equal(t, built, digests(t, second.String()), "same sources and inputs, same digests")
	t.Log(first.String())

	var verified bytes.Buffer
	require.NoError(t, run(ctx, []string{"verify", "-dir", filepath.Join(dir, "a")}, env(nil), &verified))
	for svc, d := range built {
		assert.Contains(t, verified.String(), svc+": "+d+" verified\n")
	}
	assert.Regexp(t, `(?m)^    0555 +[0-9]{6,} /usr/local/bin/processor$`, verified.String())
	assert.Regexp(t, `(?m)^    1777 +0 /tmp$`, verified.String())
	assert.Contains(t, verified.String(), "  label org.opencontainers.image.version=0.1.0-test\n")
	assert.Contains(t, verified.String(), "  linux/arm64 sha256:")

	// Push to the in-process registry, anonymously (an empty Docker config).
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	var pushed bytes.Buffer
	require.NoError(t, run(ctx, []string{"push", "-dir", filepath.Join(dir, "a"), "-registry", host}, env(nil), &pushed))
	for svc, d := range built {
		assert.Contains(t, pushed.String(), svc+": "+host+"/hipaa-"+svc+"@"+d+" (tag 0.1.0-test)\n", "tagged with the image's version")
	}
	var digestOnly bytes.Buffer
	require.NoError(t, run(ctx, []string{"push", "-dir", filepath.Join(dir, "b"), "-registry", host, "-repository-suffix", "-dev",
		"-services", "read-api", "-no-tag"}, env(nil), &digestOnly))
	assert.Equal(t, "read-api: "+host+"/hipaa-read-api-dev@"+built["read-api"]+"\n", digestOnly.String())
	devTag, err := name.NewTag(host + "/hipaa-read-api-dev:0.1.0-test")
	require.NoError(t, err)
	_, err = remote.Head(devTag)
	require.Error(t, err, "-no-tag pushes no tag")
	require.ErrorContains(t, run(ctx, []string{"push", "-dir", filepath.Join(dir, "missing"), "-registry", host}, env(nil), io.Discard),
		"run imagebuild build first")

	for _, svc := range image.Services {
		ref, err := name.NewDigest(host + "/hipaa-" + svc.Name + "@" + built[svc.Name])
		require.NoError(t, err)
		idx, err := remote.Index(ref)
		require.NoError(t, err)
		got, err := idx.Digest()
		require.NoError(t, err)
		assert.Equal(t, built[svc.Name], got.String(), "the registry serves exactly the built index")
		tagged, err := remote.Head(ref.Context().Tag("0.1.0-test"))
		require.NoError(t, err)
		assert.Equal(t, built[svc.Name], tagged.Digest.String(), "the tag points at the pushed digest")

		im, err := idx.IndexManifest()
		require.NoError(t, err)
		require.Len(t, im.Manifests, 2)
		for _, d := range im.Manifests {
			img, err := idx.Image(d.Digest)
			require.NoError(t, err)
			cf, err := img.ConfigFile()
			require.NoError(t, err)
			assert.Equal(t, d.Platform.Architecture, cf.Architecture)
			assert.Equal(t, "10001:10001", cf.Config.User)
			assert.Equal(t, []string{"/usr/local/bin/" + svc.Binary}, cf.Config.Entrypoint)
			assert.Equal(t, []string{"PATH=/usr/local/bin", "GODEBUG=x509usefallbackroots=1"}, cf.Config.Env)
			assert.Equal(t, "0.1.0-test", cf.Config.Labels[image.LabelVersion])
			assert.Equal(t, testRevision, cf.Config.Labels[image.LabelRevision])
			assert.Equal(t, "2026-12-03T19:14:59Z", cf.Config.Labels[image.LabelCreated])
			if svc.Name == "read-api" {
				assert.Equal(t, map[string]struct{}{"8443/tcp": {}}, cf.Config.ExposedPorts)
			}
			bin := checkFiles(t, img, svc, ca)
			require.NoError(t, image.CheckStaticELF(bin, cf.Architecture))
			if cf.Architecture == runtime.GOARCH {
				runExtracted(t, bin, svc)
			}
		}
	}
}

// checkFiles asserts the image's file list and modes and returns the executable.
func checkFiles(t *testing.T, img v1.Image, svc image.Service, caPath string) []byte {
	t.Helper()
	layers, err := img.Layers()
	require.NoError(t, err)
	require.Len(t, layers, 1)
	rc, err := layers[0].Uncompressed()
	require.NoError(t, err)
	defer func() { _ = rc.Close() }()
	want := map[string]int64{"etc/": 0o755, "etc/group": 0o644, "etc/passwd": 0o644, "etc/ssl/": 0o755, "etc/ssl/rds/": 0o755,
		"etc/ssl/rds/global-bundle.pem": 0o444, "tmp/": 0o1777, "usr/": 0o755, "usr/local/": 0o755, "usr/local/bin/": 0o755,
		"usr/local/bin/" + svc.Binary: 0o555}
	got := map[string]int64{}
	var bin []byte
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		got[h.Name] = h.Mode
		assert.Equal(t, 0, h.Uid, h.Name)
		b, err := io.ReadAll(tr)
		require.NoError(t, err)
		switch h.Name {
		case "usr/local/bin/" + svc.Binary:
			bin = b
		case "etc/ssl/rds/global-bundle.pem":
			pemBytes, err := os.ReadFile(caPath)
			require.NoError(t, err)
			assert.Equal(t, pemBytes, b)
		case "etc/passwd":
			assert.Contains(t, string(b), "app:x:10001:10001:")
		}
	}
	assert.Equal(t, want, got)
	require.NotEmpty(t, bin)
	return bin
}

// runExtracted runs the pulled executable: -version names the build's version, and with no
// configuration it stops with runtimecfg's clear error, proving it is the real service.
func runExtracted(t *testing.T, bin []byte, svc image.Service) {
	t.Helper()
	path := filepath.Join(t.TempDir(), svc.Binary)
	require.NoError(t, os.WriteFile(path, bin, 0o700))

	out, err := exec.Command(path, "-version").Output()
	require.NoError(t, err)
	assert.Equal(t, "0.1.0-test\n", string(out))

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Env = append([]string{"HIPAA_REDIS_ADDR=not-an-address"}, image.Env...) // as in the image
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, stderr.String())
	assert.Equal(t, 1, exit.ExitCode())
	assert.Contains(t, stderr.String(), "HIPAA_PG_DSN (or HIPAA_DB_HOST for IAM authentication) is not set")
	assert.Contains(t, stderr.String(), "HIPAA_REDIS_ADDR must be host:port")
	stopped := map[string]string{"processor": `"msg":"processor stopped"`, "read-api": `"msg":"read API stopped"`}[svc.Name]
	assert.Contains(t, stderr.String(), stopped)
}
