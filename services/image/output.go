package image

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// RefNameAnnotation names an image in an OCI layout's index.json.
const RefNameAnnotation = "org.opencontainers.image.ref.name"

// WriteLayout writes idx as the OCI image layout directory dir (index.json naming it refName,
// blobs/sha256/...). It builds the layout beside dir and swaps it in, so dir never holds a
// half-written or stale mix of images.
func WriteLayout(dir string, idx v1.ImageIndex, refName string) error {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(dir)+".*.tmp")
	if err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // gone after the rename; a leftover on failure
	p, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	if err := p.AppendIndex(idx, layout.WithAnnotations(map[string]string{RefNameAnnotation: refName})); err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("OCI layout %s: remove the previous layout: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	return nil
}

// ReadLayout returns the index named refName in the OCI layout dir.
func ReadLayout(dir, refName string) (v1.ImageIndex, error) {
	p, err := layout.FromPath(dir)
	if err != nil {
		return nil, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	root, err := p.ImageIndex()
	if err != nil {
		return nil, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	m, err := root.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("OCI layout %s: %w", dir, err)
	}
	for _, d := range m.Manifests {
		if d.Annotations[RefNameAnnotation] == refName {
			idx, err := root.ImageIndex(d.Digest)
			if err != nil {
				return nil, fmt.Errorf("OCI layout %s: %s: %w", dir, refName, err)
			}
			return idx, nil
		}
	}
	return nil, fmt.Errorf("OCI layout %s: no image named %q", dir, refName)
}

// Push uploads idx (its images and their layers) to repository ("registry/name") and returns its
// digest reference, the one to deploy: the push is by digest, so no tag can point elsewhere.
// With tag set, the tag is also pointed at that digest (for people and lifecycle rules; the task
// definitions use the digest). Credentials come from authn.DefaultKeychain (the Docker config's
// credential helpers, e.g. docker-credential-ecr-login) unless opts give others.
func Push(ctx context.Context, idx v1.ImageIndex, repository, tag string, opts ...remote.Option) (name.Digest, error) {
	repo, err := name.NewRepository(repository, name.StrictValidation)
	if err != nil {
		return name.Digest{}, fmt.Errorf("push: repository %q: %w", repository, err)
	}
	if repo.Scheme() != "https" && !loopback(repo.RegistryStr()) {
		return name.Digest{}, fmt.Errorf("push %s: refusing plain HTTP to a registry that is not on loopback (credentials would travel in clear)", repository)
	}
	h, err := idx.Digest()
	if err != nil {
		return name.Digest{}, fmt.Errorf("push %s: %w", repository, err)
	}
	ref := repo.Digest(h.String())
	all := append([]remote.Option{remote.WithContext(ctx), remote.WithAuthFromKeychain(authn.DefaultKeychain)}, opts...)
	if err := remote.WriteIndex(ref, idx, all...); err != nil {
		return name.Digest{}, fmt.Errorf("push %s: %w", ref, err)
	}
	if tag != "" {
		t, err := name.NewTag(repo.Name()+":"+tag, name.StrictValidation)
		if err != nil {
			return name.Digest{}, fmt.Errorf("push %s: tag %q: %w", repository, tag, err)
		}
		if err := remote.Tag(t, idx, all...); err != nil {
			return name.Digest{}, fmt.Errorf("push %s: tag %s: %w", ref, tag, err)
		}
	}
	return ref, nil
}

// loopback reports whether a registry host[:port] is this machine (go-containerregistry speaks
// plain HTTP to it, and also to private and .local addresses, which Push refuses).
func loopback(registry string) bool {
	host := registry
	if h, _, err := net.SplitHostPort(registry); err == nil {
		host = h
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
