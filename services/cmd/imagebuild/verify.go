package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/carepulse/hipaa-pipeline/services/image"
)

type verifyOptions struct {
	dir      string
	services []string
}

func parseVerify(args []string) (verifyOptions, error) {
	fs := newFlagSet("verify")
	dir := fs.String("dir", "", "directory of the OCI image layouts written by build (required)")
	services := fs.String("services", "processor,read-api", "comma-separated services to verify")
	if err := fs.Parse(args); err != nil {
		return verifyOptions{}, err
	}
	if fs.NArg() > 0 {
		return verifyOptions{}, fmt.Errorf("verify: unexpected arguments %q", fs.Args())
	}
	o := verifyOptions{dir: *dir, services: splitList(*services)}
	if o.dir == "" {
		return verifyOptions{}, errors.New("verify: -dir is required")
	}
	return o, nil
}

// loadVerified reads a service's layout and verifies every image of it (image.VerifyIndex).
func loadVerified(dir, service string, now time.Time) (v1.ImageIndex, []image.Verified, error) {
	i := slices.IndexFunc(image.Services, func(s image.Service) bool { return s.Name == service })
	if i < 0 {
		return nil, nil, fmt.Errorf("unknown service %q", service)
	}
	idx, err := image.ReadLayout(filepath.Join(dir, service), service)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (run imagebuild build first)", err)
	}
	vs, err := image.VerifyIndex(idx, image.Services[i], now)
	if err != nil {
		return nil, nil, err
	}
	return idx, vs, nil
}

// verify prints what each image holds once it passed verification.
func verify(o verifyOptions, now time.Time, out io.Writer) error {
	for _, s := range o.services {
		idx, vs, err := loadVerified(o.dir, s, now)
		if err != nil {
			return fmt.Errorf("verify: %w", err)
		}
		h, err := idx.Digest()
		if err != nil {
			return fmt.Errorf("verify %s: %w", s, err)
		}
		_, _ = fmt.Fprintf(out, "%s: %s verified\n", s, h)
		for _, v := range vs {
			_, _ = fmt.Fprintf(out, "  %s %s: user %s, entrypoint %v, ports %v, layers %d bytes compressed\n",
				v.Platform, v.Digest, v.User, v.Entrypoint, v.Ports, v.Compressed)
			for _, f := range v.Files {
				_, _ = fmt.Fprintf(out, "    %04o %9d %s\n", f.Mode, f.Size, f.Path)
			}
		}
		if len(vs) > 0 {
			keys := make([]string, 0, len(vs[0].Labels))
			for k := range vs[0].Labels {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				_, _ = fmt.Fprintf(out, "  label %s=%s\n", k, vs[0].Labels[k])
			}
		}
	}
	return nil
}
