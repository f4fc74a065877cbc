// Package image builds the services' OCI container images without a container engine (with
// go-containerregistry): one layer on an empty base holding a statically linked executable, the
// non-root user the task definitions use, and the RDS CA bundle. The same inputs always give the
// same digests.
package image

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// OCI annotation keys (image-spec annotations.md) used as labels, plus the CA bundle's.
const (
	LabelSource       = "org.opencontainers.image.source"
	LabelRevision     = "org.opencontainers.image.revision"
	LabelVersion      = "org.opencontainers.image.version"
	LabelCreated      = "org.opencontainers.image.created"
	LabelTitle        = "org.opencontainers.image.title"
	LabelDescription  = "org.opencontainers.image.description"
	LabelCABundleSHA  = "com.carepulse.hipaa.rds-ca-bundle.sha256"
	LabelCABundlePath = "com.carepulse.hipaa.rds-ca-bundle.path"
)

// Service is one deployable service.
type Service struct {
	// Name is the service's name in the infrastructure (repository hipaa-<Name>).
	Name string
	// Package is the Go main package, relative to the services module.
	Package string
	// Binary is the executable's file name in BinDir.
	Binary string
	// Ports are the TCP ports the container listens on (ExposedPorts).
	Ports []int
	// Description goes into the image's description label.
	Description string
}

// Services are the two Fargate services. The read API listens on 8443 in the task definition
// (infrastructure compute.ReadAPIPort, HIPAA_LISTEN_ADDR=:8443); the processor listens on nothing.
var Services = []Service{
	{Name: "processor", Package: "./cmd/processor", Binary: "processor",
		Description: "Kinesis stream processor: observations into Aurora PostgreSQL and the latest vitals into ElastiCache Redis"},
	{Name: "read-api", Package: "./cmd/readapi", Binary: "readapi", Ports: []int{8443},
		Description: "read API of the latest vitals and history, behind the network load balancer"},
}

// FallbackRootsEnv makes Go use the roots compiled into the services
// (golang.org/x/crypto/x509roots/fallback) as its system pool whatever files the image holds. The
// images have no system store (the RDS bundle lives outside /etc/ssl/certs), so Go would fall back
// to them anyway; the setting keeps it so if a certificate file is ever added: Go takes every file
// of /etc/ssl/certs as the whole system pool, and TLS to the AWS APIs (Kinesis, STS, ...) and
// ElastiCache would then fail verification.
const FallbackRootsEnv = "GODEBUG=x509usefallbackroots=1"

// Env is the images' environment.
var Env = []string{"PATH=" + BinDir, FallbackRootsEnv}

// Architectures are the platforms built; the task definitions run on ARM64 (Graviton).
var Architectures = []string{"arm64", "amd64"}

// Meta is what every image of a build records.
type Meta struct {
	Source   string    // repository URL
	Revision string    // source commit
	Version  string    // release version
	Created  time.Time // reproducible: SOURCE_DATE_EPOCH or the commit time, never the clock
}

var (
	revisionRE = regexp.MustCompile(`^[0-9a-f]{7,64}$`)
	versionRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$`)
)

// Validate reports every missing or malformed field.
func (m Meta) Validate() error {
	var errs []error
	if m.Source == "" {
		errs = append(errs, errors.New("source (repository URL) is not set"))
	}
	if !revisionRE.MatchString(m.Revision) {
		errs = append(errs, fmt.Errorf("revision %q is not a hex commit id", m.Revision))
	}
	if !versionRE.MatchString(m.Version) {
		errs = append(errs, fmt.Errorf("version %q: want 1-128 of A-Z a-z 0-9 . _ + - starting with a letter or digit", m.Version))
	}
	if m.Created.IsZero() || m.Created.Unix() <= 0 {
		errs = append(errs, errors.New("created time is not set (SOURCE_DATE_EPOCH or the commit time)"))
	}
	return errors.Join(errs...)
}

// Labels are the image's labels (also the index's annotations).
func Labels(s Service, m Meta, ca CABundle) map[string]string {
	return map[string]string{
		LabelSource:       m.Source,
		LabelRevision:     m.Revision,
		LabelVersion:      m.Version,
		LabelCreated:      m.Created.UTC().Format(time.RFC3339),
		LabelTitle:        "hipaa-" + s.Name,
		LabelDescription:  s.Description,
		LabelCABundleSHA:  ca.SHA256,
		LabelCABundlePath: CABundlePath,
	}
}

// Build makes the image of service s for linux/arch from its executable.
func Build(s Service, arch string, binary []byte, ca CABundle, m Meta) (v1.Image, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("image %s: %w", s.Name, err)
	}
	if err := CheckStaticELF(binary, arch); err != nil {
		return nil, fmt.Errorf("image %s (linux/%s): executable: %w", s.Name, arch, err)
	}
	if len(ca.PEM) == 0 || ca.SHA256 == "" {
		return nil, fmt.Errorf("image %s: the RDS CA bundle is missing", s.Name)
	}
	created := m.Created.UTC().Truncate(time.Second)
	layerTar, err := Tar(RootFS(s.Binary, binary, ca.PEM), created)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", s.Name, err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layerTar)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, fmt.Errorf("image %s: layer: %w", s.Name, err)
	}

	exposed := map[string]struct{}{}
	for _, p := range s.Ports {
		exposed[strconv.Itoa(p)+"/tcp"] = struct{}{}
	}
	if len(exposed) == 0 {
		exposed = nil
	}
	base := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	base = mutate.ConfigMediaType(base, types.OCIConfigJSON)
	img, err := mutate.ConfigFile(base, &v1.ConfigFile{
		Architecture: arch,
		OS:           "linux",
		Config: v1.Config{
			User:         strconv.Itoa(UID) + ":" + strconv.Itoa(GID),
			Entrypoint:   []string{path.Join(BinDir, s.Binary)},
			WorkingDir:   "/",
			Env:          slices.Clone(Env),
			ExposedPorts: exposed,
			Labels:       Labels(s, m, ca),
		},
		RootFS: v1.RootFS{Type: "layers"},
	})
	if err != nil {
		return nil, fmt.Errorf("image %s: config: %w", s.Name, err)
	}
	img, err = mutate.Append(img, mutate.Addendum{
		Layer:   layer,
		History: v1.History{Created: v1.Time{Time: created}, CreatedBy: "services/cmd/imagebuild " + s.Package},
	})
	if err != nil {
		return nil, fmt.Errorf("image %s: add layer: %w", s.Name, err)
	}
	img, err = mutate.CreatedAt(img, v1.Time{Time: created})
	if err != nil {
		return nil, fmt.Errorf("image %s: created time: %w", s.Name, err)
	}
	return img, nil
}

// Index puts the per-architecture images of one service into an OCI image index carrying the
// service's labels as annotations; images are keyed by GOARCH and sorted, so the order of the
// map never changes the digest.
func Index(s Service, images map[string]v1.Image, m Meta, ca CABundle) (v1.ImageIndex, error) {
	if len(images) == 0 {
		return nil, fmt.Errorf("index %s: no image", s.Name)
	}
	archs := make([]string, 0, len(images))
	for a := range images {
		archs = append(archs, a)
	}
	sort.Strings(archs)
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, a := range archs {
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        images[a],
			Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: a}},
		})
	}
	annotated, ok := mutate.Annotations(idx, Labels(s, m, ca)).(v1.ImageIndex)
	if !ok {
		return nil, fmt.Errorf("index %s: annotations did not keep an index", s.Name)
	}
	if _, err := annotated.Digest(); err != nil {
		return nil, fmt.Errorf("index %s: %w", s.Name, err)
	}
	return annotated, nil
}
