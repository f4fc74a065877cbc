package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/carepulse/hipaa-pipeline/services/image"
)

type pushOptions struct {
	dir, registry, prefix, suffix, tag string
	noTag, allowDirty                  bool
	services                           []string
	remoteOptions                      []remote.Option // tests: the in-process registry's transport
}

func parsePush(args []string) (pushOptions, error) {
	fs := newFlagSet("push")
	dir := fs.String("dir", "", "directory of the OCI image layouts written by build (required)")
	registry := fs.String("registry", "", "registry host, e.g. <account>.dkr.ecr.eu-west-1.amazonaws.com (required)")
	prefix := fs.String("repository-prefix", "hipaa-", "repository name before the service name")
	suffix := fs.String("repository-suffix", "", "repository name after the service name (e.g. -prod)")
	tag := fs.String("tag", "", "also point this tag at the pushed digest (default: the image's version label)")
	noTag := fs.Bool("no-tag", false, "push by digest only, no tag (in ECR, untagged images may be expired by the lifecycle policy)")
	services := fs.String("services", "processor,read-api", "comma-separated services to push")
	allowDirty := fs.Bool("allow-dirty", false, "push images built from a tree with uncommitted changes (version ending -dirty)")
	if err := fs.Parse(args); err != nil {
		return pushOptions{}, err
	}
	if fs.NArg() > 0 {
		return pushOptions{}, fmt.Errorf("push: unexpected arguments %q", fs.Args())
	}
	o := pushOptions{dir: *dir, registry: *registry, prefix: *prefix, suffix: *suffix, tag: *tag, noTag: *noTag, allowDirty: *allowDirty, services: splitList(*services)}
	var errs []error
	if o.dir == "" {
		errs = append(errs, errors.New("-dir is required"))
	}
	if o.registry == "" {
		errs = append(errs, errors.New("-registry is required (REGISTRY=<account>.dkr.ecr.<region>.amazonaws.com)"))
	}
	if len(o.services) == 0 {
		errs = append(errs, errors.New("-services names no service"))
	}
	if o.noTag && o.tag != "" {
		errs = append(errs, errors.New("-tag and -no-tag exclude each other"))
	}
	if len(errs) > 0 {
		return pushOptions{}, fmt.Errorf("push: %w", errors.Join(errs...))
	}
	return o, nil
}

// push uploads every service's layout and prints the digest references to deploy.
func push(ctx context.Context, o pushOptions, out io.Writer) error {
	for _, s := range o.services {
		idx, _, err := loadVerified(o.dir, s, time.Now())
		if err != nil {
			return fmt.Errorf("push: %w", err)
		}
		version, _ := versionOf(idx) // no version: -tag or -no-tag decide below
		if err := checkClean(version, o.allowDirty); err != nil {
			return fmt.Errorf("push %s: %w", s, err)
		}
		tag := o.tag
		if tag == "" && !o.noTag {
			if tag, err = versionOf(idx); err != nil {
				return fmt.Errorf("push %s: %w", s, err)
			}
		}
		ref, err := image.Push(ctx, idx, o.registry+"/"+o.prefix+s+o.suffix, tag, o.remoteOptions...)
		if err != nil {
			return err
		}
		if tag != "" {
			_, _ = fmt.Fprintf(out, "%s: %s (tag %s)\n", s, ref, tag)
		} else {
			_, _ = fmt.Fprintf(out, "%s: %s\n", s, ref)
		}
	}
	return nil
}

// versionOf is the version annotation the build put on the index.
// checkClean refuses images built from a tree with uncommitted changes (git describe --dirty):
// their revision label names a commit that is not what they hold, so the audit trail from a
// running task back to reviewed source would be false.
func checkClean(version string, allowDirty bool) error {
	if strings.HasSuffix(version, "-dirty") && !allowDirty {
		return fmt.Errorf("version %s was built from a tree with uncommitted changes, so its revision label does not describe it: commit, rebuild, push (or -allow-dirty)", version)
	}
	return nil
}

func versionOf(idx v1.ImageIndex) (string, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return "", err
	}
	v := m.Annotations[image.LabelVersion]
	if v == "" {
		return "", fmt.Errorf("the index has no %s annotation: give -tag or -no-tag", image.LabelVersion)
	}
	return v, nil
}
