package rego

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFilesMatchTheTree proves the embedded files are exactly the non-test .rego files on disk.
func TestFilesMatchTheTree(t *testing.T) {
	files, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]string{}
	for _, root := range []string{"hipaa", "lib"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, TestSuffix) {
				return err
			}
			b, err := os.ReadFile(path)
			onDisk[filepath.ToSlash(path)] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(onDisk) == 0 {
		t.Fatal("no .rego files found on disk")
	}
	for path, src := range onDisk {
		if files[path] != src {
			t.Errorf("%s: embedded content differs from the file on disk (or is missing)", path)
		}
	}
	for path := range files {
		if _, ok := onDisk[path]; !ok {
			t.Errorf("%s: embedded but not on disk", path)
		}
		if strings.HasSuffix(path, TestSuffix) {
			t.Errorf("%s: a test file is exposed by Files", path)
		}
	}
	if _, ok := files["lib/values.rego"]; !ok {
		t.Error("lib/values.rego is not embedded")
	}
}
