package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// EntryName is the file name the provided.al2023 runtime executes.
const EntryName = "bootstrap"

// epoch is the fixed modification time of the entry (the zip format starts in 1980), so the
// same binary always gives the same archive bytes and the same Lambda source hash.
var epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Pack writes out as a zip holding the single executable entry "bootstrap" with the content of
// in. It writes a temporary file beside out and renames it, so a failure leaves nothing
// half-written.
func Pack(in, out string) (err error) {
	src, err := os.Open(in)
	if err != nil {
		return fmt.Errorf("open executable %s: %w", in, err)
	}
	defer func() { _ = src.Close() }() // read-only: a close error loses nothing
	info, err := src.Stat()
	if err != nil {
		return fmt.Errorf("stat executable %s: %w", in, err)
	}
	if !info.Mode().IsRegular() || info.Size() == 0 {
		return fmt.Errorf("executable %s: not a non-empty regular file", in)
	}

	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("create directory of %s: %w", out, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), filepath.Base(out)+".*.tmp")
	if err != nil {
		return fmt.Errorf("create temporary zip beside %s: %w", out, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()

	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("set mode of %s: %w", tmp.Name(), err)
	}
	zw := zip.NewWriter(tmp)
	hdr := &zip.FileHeader{Name: EntryName, Method: zip.Deflate, Modified: epoch}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return fmt.Errorf("add %s to %s: %w", EntryName, out, err)
	}
	if _, err := io.Copy(w, src); err != nil {
		return fmt.Errorf("copy %s into %s: %w", in, out, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finish zip %s: %w", out, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("move zip into place at %s: %w", out, err)
	}
	return nil
}
