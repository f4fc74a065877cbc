package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/carepulse/hipaa-pipeline/services/image"
)

type buildOptions struct {
	caBundle   string
	outDir     string
	moduleDir  string
	archs      []string
	services   []image.Service
	meta       image.Meta
	goBinary   string
	checkClock time.Time // the CA certificates must be valid now
}

func parseBuild(args []string, getenv func(string) string) (buildOptions, error) {
	fs := newFlagSet("build")
	ca := fs.String("rds-ca-bundle", "", "PEM file of the RDS CA bundle (required; see services/README.md for where to get and verify it)")
	out := fs.String("out", "", "directory of the OCI image layouts, one per service (required)")
	dir := fs.String("module", ".", "directory of the services module")
	archs := fs.String("arch", "arm64,amd64", "comma-separated GOARCHs (the task definitions run on arm64)")
	services := fs.String("services", "processor,read-api", "comma-separated services to build")
	source := fs.String("source", "", "repository URL (org.opencontainers.image.source; required)")
	revision := fs.String("revision", "", "source commit (required)")
	version := fs.String("version", "", "release version (required)")
	created := fs.String("created", "", "image creation time in unix seconds (default: SOURCE_DATE_EPOCH)")
	if err := fs.Parse(args); err != nil {
		return buildOptions{}, err
	}
	if fs.NArg() > 0 {
		return buildOptions{}, fmt.Errorf("build: unexpected arguments %q", fs.Args())
	}
	var errs []error
	o := buildOptions{caBundle: *ca, outDir: *out, moduleDir: *dir, goBinary: "go", checkClock: time.Now()}
	if *out == "" {
		errs = append(errs, errors.New("-out is required"))
	}
	for _, a := range splitList(*archs) {
		if !slices.Contains(image.Architectures, a) {
			errs = append(errs, fmt.Errorf("-arch %q: supported are %v", a, image.Architectures))
		}
		o.archs = append(o.archs, a)
	}
	if len(o.archs) == 0 {
		errs = append(errs, errors.New("-arch names no architecture"))
	}
	for _, name := range splitList(*services) {
		i := slices.IndexFunc(image.Services, func(s image.Service) bool { return s.Name == name })
		if i < 0 {
			errs = append(errs, fmt.Errorf("-services %q: unknown service", name))
			continue
		}
		o.services = append(o.services, image.Services[i])
	}
	if len(o.services) == 0 {
		errs = append(errs, errors.New("-services names no service"))
	}
	t, err := createdTime(*created, getenv)
	if err != nil {
		errs = append(errs, err)
	}
	o.meta = image.Meta{Source: *source, Revision: *revision, Version: *version, Created: t}
	if err == nil {
		if err := o.meta.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return buildOptions{}, fmt.Errorf("build: %w", errors.Join(errs...))
	}
	return o, nil
}

// build validates the CA bundle first (no compile when it is wrong), then builds every service.
func build(ctx context.Context, o buildOptions, out io.Writer) error {
	ca, err := image.LoadCABundle(o.caBundle, o.checkClock)
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	_, _ = fmt.Fprintf(out, "RDS CA bundle %s: %d CA certificates, sha256 %s, first expiry %s\n",
		o.caBundle, ca.Certificates, ca.SHA256, ca.EarliestExpiry.UTC().Format(time.DateOnly))
	for _, c := range ca.NotValidNow {
		_, _ = fmt.Fprintf(out, "RDS CA bundle %s: warning: %s (kept as published; it validates nothing now)\n", o.caBundle, c)
	}
	work, err := os.MkdirTemp("", "imagebuild-*")
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer func() { _ = os.RemoveAll(work) }() // compiled executables only
	for _, s := range o.services {
		images := map[string]v1.Image{}
		for _, arch := range o.archs {
			bin, err := compile(ctx, o.goBinary, o.moduleDir, s, arch, o.meta.Version, work)
			if err != nil {
				return fmt.Errorf("build: %w", err)
			}
			img, err := image.Build(s, arch, bin, ca, o.meta)
			if err != nil {
				return fmt.Errorf("build: %w", err)
			}
			images[arch] = img
		}
		idx, err := image.Index(s, images, o.meta, ca)
		if err != nil {
			return fmt.Errorf("build: %w", err)
		}
		dir := filepath.Join(o.outDir, s.Name)
		if err := image.WriteLayout(dir, idx, s.Name); err != nil {
			return fmt.Errorf("build: %w", err)
		}
		if err := describe(out, s.Name, dir, idx); err != nil {
			return fmt.Errorf("build: %w", err)
		}
	}
	return nil
}

// compile builds the static executable of s for linux/arch with the module's own pins and
// returns its bytes.
func compile(ctx context.Context, goBinary, moduleDir string, s image.Service, arch, version, work string) ([]byte, error) {
	outFile := filepath.Join(work, s.Binary+"-"+arch)
	cmd := exec.CommandContext(ctx, goBinary, "build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -buildid= -X main.version="+version, "-o", outFile, s.Package)
	cmd.Dir = moduleDir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+arch, "GOWORK=off")
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go build %s for linux/%s: %w", s.Package, arch, err)
	}
	bin, err := os.ReadFile(outFile)
	if err != nil {
		return nil, fmt.Errorf("read the %s executable: %w", s.Name, err)
	}
	return bin, nil
}

// describe prints the index digest and, per platform, the image digest and its size.
func describe(out io.Writer, service, dir string, idx v1.ImageIndex) error {
	h, err := idx.Digest()
	if err != nil {
		return err
	}
	m, err := idx.IndexManifest()
	if err != nil {
		return err
	}
	_, _ = fmt.Fprintf(out, "%s: %s (OCI layout %s)\n", service, h, dir)
	for _, d := range m.Manifests {
		img, err := idx.Image(d.Digest)
		if err != nil {
			return err
		}
		layers, err := img.Layers()
		if err != nil {
			return err
		}
		var compressed int64
		for _, l := range layers {
			n, err := l.Size()
			if err != nil {
				return err
			}
			compressed += n
		}
		_, _ = fmt.Fprintf(out, "  %s/%s: %s, layers %d bytes compressed\n", d.Platform.OS, d.Platform.Architecture, d.Digest, compressed)
	}
	return nil
}
