package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// FileInfo is one entry of a verified image's layer.
type FileInfo struct {
	Path string
	Mode int64
	Size int64
	Dir  bool
}

// Verified describes an image that passed Verify.
type Verified struct {
	Platform   string // linux/<arch>
	Digest     v1.Hash
	User       string
	Entrypoint []string
	Ports      []string
	Labels     map[string]string
	Files      []FileInfo
	// Compressed is the layers' compressed size in bytes.
	Compressed int64
}

// VerifyIndex checks every image of a service's index (see Verify), each blob (manifest, config,
// layers) against the digest and size it is named by, and that the index names each image's
// platform.
func VerifyIndex(idx v1.ImageIndex, s Service, now time.Time) ([]Verified, error) {
	m, err := idx.IndexManifest()
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", s.Name, err)
	}
	if len(m.Manifests) == 0 {
		return nil, fmt.Errorf("verify %s: the index holds no image", s.Name)
	}
	var out []Verified
	for _, d := range m.Manifests {
		if d.Platform == nil || d.Platform.OS != "linux" {
			return nil, fmt.Errorf("verify %s: image %s has no linux platform in the index", s.Name, d.Digest)
		}
		img, err := idx.Image(d.Digest)
		if err != nil {
			return nil, fmt.Errorf("verify %s: %w", s.Name, err)
		}
		if err := checkBlobDigests(img, d.Digest); err != nil {
			return nil, fmt.Errorf("verify %s: a blob does not match its digest or size: %w", s.Name, err)
		}
		v, err := Verify(img, s, d.Platform.Architecture, now)
		if err != nil {
			return nil, err
		}
		if want := m.Annotations[LabelVersion]; want != v.Labels[LabelVersion] {
			return nil, fmt.Errorf("verify %s %s: version label %q differs from the index's %q", s.Name, v.Platform, v.Labels[LabelVersion], want)
		}
		out = append(out, v)
	}
	return out, nil
}

// Verify checks what the task definitions and the services rely on, reading the image back:
// linux/arch; user 10001:10001; the entrypoint; the environment (Env, with FallbackRootsEnv); the exposed ports; one layer holding exactly
// RootFS's files with their modes, owned by root; a static executable for arch; a CA bundle that
// is valid at now and matches its SHA-256 label; the OCI source, revision, version and created labels.
func Verify(img v1.Image, s Service, arch string, now time.Time) (Verified, error) {
	v := Verified{Platform: "linux/" + arch}
	fail := func(format string, a ...any) (Verified, error) {
		return Verified{}, fmt.Errorf("verify %s %s: %s", s.Name, v.Platform, fmt.Sprintf(format, a...))
	}
	var err error
	if v.Digest, err = img.Digest(); err != nil {
		return fail("%v", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return fail("config: %v", err)
	}
	if cf.OS != "linux" || cf.Architecture != arch {
		return fail("config platform %s/%s", cf.OS, cf.Architecture)
	}
	v.User, v.Entrypoint, v.Labels = cf.Config.User, cf.Config.Entrypoint, cf.Config.Labels
	if want := strconv.Itoa(UID) + ":" + strconv.Itoa(GID); v.User != want {
		return fail("user %q, want %q", v.User, want)
	}
	bin := path.Join(BinDir, s.Binary)
	if !slices.Equal(v.Entrypoint, []string{bin}) || len(cf.Config.Cmd) > 0 {
		return fail("entrypoint %q cmd %q, want [%s] and no cmd", v.Entrypoint, cf.Config.Cmd, bin)
	}
	if !slices.Equal(cf.Config.Env, Env) {
		return fail("environment %q, want %q", cf.Config.Env, Env)
	}
	v.Ports = slices.Sorted(maps.Keys(cf.Config.ExposedPorts))
	var wantPorts []string
	for _, p := range s.Ports {
		wantPorts = append(wantPorts, strconv.Itoa(p)+"/tcp")
	}
	if !slices.Equal(v.Ports, wantPorts) {
		return fail("exposed ports %v, want %v", v.Ports, wantPorts)
	}
	for _, k := range []string{LabelSource, LabelRevision, LabelVersion, LabelCreated, LabelCABundleSHA} {
		if v.Labels[k] == "" {
			return fail("label %s is missing", k)
		}
	}

	layers, err := img.Layers()
	if err != nil {
		return fail("layers: %v", err)
	}
	if len(layers) != 1 {
		return fail("%d layers, want 1", len(layers))
	}
	if v.Compressed, err = layers[0].Size(); err != nil {
		return fail("layer: %v", err)
	}
	contents, err := readLayer(layers[0])
	if err != nil {
		return fail("layer: %v", err)
	}
	want := RootFS(s.Binary, nil, nil)
	if len(contents) != len(want) {
		return fail("layer holds %d entries, want %d (%s)", len(contents), len(want), names(contents))
	}
	for i, w := range want {
		got := contents[i]
		if got.info.Path != w.Path || got.info.Dir != w.Dir || got.info.Mode != w.Mode || got.uid != 0 || got.gid != 0 {
			return fail("layer entry %d is %s (mode %o, dir %t, owner %d:%d), want %s (mode %o, dir %t, owner 0:0)",
				i+1, got.info.Path, got.info.Mode, got.info.Dir, got.uid, got.gid, w.Path, w.Mode, w.Dir)
		}
		v.Files = append(v.Files, got.info)
		switch w.Path {
		case bin:
			if err := CheckStaticELF(got.data, arch); err != nil {
				return fail("%s: %v", bin, err)
			}
		case CABundlePath:
			ca, err := ParseCABundle(got.data, now)
			if err != nil {
				return fail("%s: %v", CABundlePath, err)
			}
			if ca.SHA256 != v.Labels[LabelCABundleSHA] {
				return fail("%s has SHA-256 %s, its label says %s", CABundlePath, ca.SHA256, v.Labels[LabelCABundleSHA])
			}
		}
	}
	return v, nil
}

// checkBlobDigests hashes what an image's files hold: the manifest against the digest the index
// names, the config and each compressed layer against the digest and size the manifest names (a
// file edited in place in a layout keeps its name, so only its bytes tell).
func checkBlobDigests(img v1.Image, want v1.Hash) error {
	raw, err := img.RawManifest()
	if err != nil {
		return err
	}
	if got, _, err := v1.SHA256(bytes.NewReader(raw)); err != nil || got != want {
		return fmt.Errorf("manifest %s has digest %s", want, got)
	}
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	rc, err := img.RawConfigFile()
	if err != nil {
		return err
	}
	if got, size, err := v1.SHA256(bytes.NewReader(rc)); err != nil || got != m.Config.Digest || size != m.Config.Size {
		return fmt.Errorf("config %s (%d bytes) has digest %s (%d bytes)", m.Config.Digest, m.Config.Size, got, size)
	}
	for _, d := range m.Layers {
		l, err := img.LayerByDigest(d.Digest)
		if err != nil {
			return fmt.Errorf("layer %s: %w", d.Digest, err)
		}
		r, err := l.Compressed()
		if err != nil {
			return fmt.Errorf("layer %s: %w", d.Digest, err)
		}
		got, size, err := v1.SHA256(r)
		_ = r.Close() // read-only
		if err != nil || got != d.Digest || size != d.Size {
			return fmt.Errorf("layer %s (%d bytes) has digest %s (%d bytes)", d.Digest, d.Size, got, size)
		}
	}
	return nil
}

type layerEntry struct {
	info     FileInfo
	uid, gid int
	data     []byte
}

func readLayer(l v1.Layer) ([]layerEntry, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return nil, err
	}
	defer func() { _ = rc.Close() }() // read-only
	var out []layerEntry
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		dir := h.Typeflag == tar.TypeDir
		if !dir && h.Typeflag != tar.TypeReg {
			return nil, fmt.Errorf("entry %s: type %q is neither a file nor a directory", h.Name, h.Typeflag)
		}
		p := "/" + path.Clean(h.Name)
		out = append(out, layerEntry{info: FileInfo{Path: p, Mode: h.Mode, Size: h.Size, Dir: dir}, uid: h.Uid, gid: h.Gid, data: data})
	}
}

func names(es []layerEntry) []string {
	n := make([]string, len(es))
	for i, e := range es {
		n[i] = e.info.Path
	}
	return n
}
