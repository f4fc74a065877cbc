package main

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPackWritesReproducibleBootstrapZip(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bootstrap")
	require.NoError(t, os.WriteFile(in, []byte("\x7fELF fake binary"), 0o755))

	first := filepath.Join(dir, "out", "a.zip")
	second := filepath.Join(dir, "out", "b.zip")
	require.NoError(t, Pack(in, first))
	require.NoError(t, Pack(in, second))

	a, err := os.ReadFile(first)
	require.NoError(t, err)
	b, err := os.ReadFile(second)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(a, b), "same input gives the same bytes")

	zr, err := zip.OpenReader(first)
	require.NoError(t, err)
	defer func() { _ = zr.Close() }()
	require.Len(t, zr.File, 1)
	f := zr.File[0]
	assert.Equal(t, "bootstrap", f.Name)
	assert.Equal(t, os.FileMode(0o755), f.Mode().Perm())
	rc, err := f.Open()
	require.NoError(t, err)
	content, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, "\x7fELF fake binary", string(content))

	entries, err := os.ReadDir(filepath.Join(dir, "out"))
	require.NoError(t, err)
	assert.Len(t, entries, 2, "no temporary file is left behind")
}

func TestPackRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	require.NoError(t, os.WriteFile(empty, nil, 0o755))
	out := filepath.Join(dir, "out.zip")

	tests := []struct {
		name, in, wantErr string
	}{
		{"missing file", filepath.Join(dir, "nope"), "open executable"},
		{"empty file", empty, "not a non-empty regular file"},
		{"directory", dir, "not a non-empty regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Pack(tt.in, out)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), tt.in)
			_, statErr := os.Stat(out)
			assert.True(t, os.IsNotExist(statErr), "nothing half-written")
		})
	}
	require.EqualError(t, run("", out), `both -in and -out are required (got -in "", -out "`+out+`")`)
}

func TestPackedZipIsWorldReadable(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "bootstrap")
	require.NoError(t, os.WriteFile(in, []byte("x"), 0o755))
	out := filepath.Join(dir, "a.zip")
	require.NoError(t, Pack(in, out))
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), info.Mode().Perm())
}
