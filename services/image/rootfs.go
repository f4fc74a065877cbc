package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"path"
	"time"
)

// The non-root user and group of every image: the task definitions run the containers as
// "10001:10001" (infrastructure compute.ContainerUser).
const (
	UID       = 10001
	GID       = 10001
	UserName  = "app"
	GroupName = "app"
)

// CABundlePath is where the RDS CA bundle lives in the images; the task definitions point
// HIPAA_DB_SSLROOTCERT at it.
const CABundlePath = "/etc/ssl/rds/global-bundle.pem"

// BinDir is the directory of the service's executable in the image.
const BinDir = "/usr/local/bin"

// File is one entry of the image's single layer.
type File struct {
	Path string // absolute, clean
	Mode int64  // permission bits (with the sticky bit for /tmp)
	Dir  bool
	Data []byte
}

// RootFS lists the files of a service image, parents first: the executable (root-owned, not
// writable), passwd and group naming the non-root user, the CA bundle and an empty /tmp (the
// task mounts a writable volume there; the root filesystem is read-only). No shell, no package
// manager, no system CA store (the binaries embed their roots for the AWS APIs).
func RootFS(binaryName string, binary, caPEM []byte) []File {
	passwd := fmt.Sprintf("root:x:0:0:root:/root:/sbin/nologin\n%s:x:%d:%d:%s:/nonexistent:/sbin/nologin\n", UserName, UID, GID, UserName)
	group := fmt.Sprintf("root:x:0:\n%s:x:%d:\n", GroupName, GID)
	return []File{
		{Path: "/etc", Mode: 0o755, Dir: true},
		{Path: "/etc/group", Mode: 0o644, Data: []byte(group)},
		{Path: "/etc/passwd", Mode: 0o644, Data: []byte(passwd)},
		{Path: "/etc/ssl", Mode: 0o755, Dir: true},
		{Path: path.Dir(CABundlePath), Mode: 0o755, Dir: true},
		{Path: CABundlePath, Mode: 0o444, Data: caPEM},
		{Path: "/tmp", Mode: 0o1777, Dir: true},
		{Path: "/usr", Mode: 0o755, Dir: true},
		{Path: "/usr/local", Mode: 0o755, Dir: true},
		{Path: BinDir, Mode: 0o755, Dir: true},
		{Path: path.Join(BinDir, binaryName), Mode: 0o555, Data: binary},
	}
}

// Tar writes files as an uncompressed tar owned by root:root with every timestamp at mtime, so
// the same files always give the same bytes.
func Tar(files []File, mtime time.Time) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	mtime = mtime.UTC().Truncate(time.Second)
	for _, f := range files {
		if !path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || f.Path == "/" {
			return nil, fmt.Errorf("layer file %q: want an absolute clean path", f.Path)
		}
		h := &tar.Header{
			Name: f.Path[1:], Mode: f.Mode, ModTime: mtime, Uname: "root", Gname: "root",
			Typeflag: tar.TypeReg, Size: int64(len(f.Data)), Format: tar.FormatPAX,
		}
		if f.Dir {
			h.Name += "/"
			h.Typeflag = tar.TypeDir
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, fmt.Errorf("layer file %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, fmt.Errorf("layer file %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("layer: %w", err)
	}
	return buf.Bytes(), nil
}
