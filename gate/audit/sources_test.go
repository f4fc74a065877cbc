package audit

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testRepo makes a git repository with a committed directory src/ and file top.txt.
func testRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("GIT_AUTHOR_NAME", "test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@carepulse.example")
	t.Setenv("GIT_COMMITTER_NAME", "test")
	t.Setenv("GIT_COMMITTER_EMAIL", "test@carepulse.example")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	write(t, dir, "src/main.go", "package main\n")
	write(t, dir, "src/sub/doc.md", "# doc\n")
	write(t, dir, "top.txt", "top\n")
	write(t, dir, ".gitignore", "bin/\n")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"commit", "-q", "-m", "first"}} {
		_, err := git(dir, nil, args...)
		require.NoError(t, err)
	}
	return dir
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
}

func revParse(t *testing.T, dir, rev string) string {
	t.Helper()
	id, err := git(dir, nil, "rev-parse", rev)
	require.NoError(t, err)
	return id
}

func TestSourceTrees(t *testing.T) {
	dir := testRepo(t)
	paths := []string{"src", "top.txt"}
	committed := []SourceTree{{"src", revParse(t, dir, "HEAD:src")}, {"top.txt", revParse(t, dir, "HEAD:top.txt")}}

	got, err := SourceTrees(dir, paths)
	require.NoError(t, err)
	assert.Equal(t, committed, got, "a clean tree has the committed IDs")

	write(t, dir, "src/bin/tool", "built\n") // ignored
	got, err = SourceTrees(dir, paths)
	require.NoError(t, err)
	assert.Equal(t, committed, got, "ignored files are not sources")

	write(t, dir, "src/new.go", "package main\n") // untracked
	write(t, dir, "top.txt", "changed\n")         // modified, not staged
	got, err = SourceTrees(dir, paths)
	require.NoError(t, err)
	assert.NotEqual(t, committed[0].ID, got[0].ID, "an untracked file changes the tree")
	assert.NotEqual(t, committed[1].ID, got[1].ID, "an edit changes the blob")
	staged, err := git(dir, nil, "diff", "--cached", "--name-only")
	require.NoError(t, err)
	assert.Empty(t, staged, "the repository's own index is not touched")

	_, err = git(dir, nil, "add", "-A")
	require.NoError(t, err)
	_, err = git(dir, nil, "commit", "-q", "-m", "second")
	require.NoError(t, err)
	assert.Equal(t, []SourceTree{{"src", revParse(t, dir, "HEAD:src")}, {"top.txt", revParse(t, dir, "HEAD:top.txt")}}, got,
		"the IDs computed before the commit are the committed ones")
}

// TestSourceTreesOfANestedProject: the project root may be a subfolder of the repository; the
// paths are the project's, not same-named folders at the repository's top.
func TestSourceTreesOfANestedProject(t *testing.T) {
	dir := testRepo(t) // has src/ and top.txt at the top
	write(t, dir, "project/src/main.go", "package nested\n")
	write(t, dir, "project/top.txt", "nested\n")
	for _, args := range [][]string{{"add", "-A"}, {"commit", "-q", "-m", "nested"}} {
		_, err := git(dir, nil, args...)
		require.NoError(t, err)
	}
	got, err := SourceTrees(filepath.Join(dir, "project"), []string{"src", "top.txt"})
	require.NoError(t, err)
	assert.Equal(t, []SourceTree{{"src", revParse(t, dir, "HEAD:project/src")}, {"top.txt", revParse(t, dir, "HEAD:project/top.txt")}}, got)
	assert.NotEqual(t, revParse(t, dir, "HEAD:src"), got[0].ID)
}

func TestSourceTreesErrors(t *testing.T) {
	_, err := SourceTrees(t.TempDir(), []string{"src"})
	assert.ErrorContains(t, err, "is not in a git work tree")

	dir := testRepo(t)
	_, err = SourceTrees(dir, []string{"missing"})
	assert.ErrorContains(t, err, "source trees: git add --all -- missing")
	assert.ErrorContains(t, err, "pathspec 'missing' did not match any files")
}

func TestDigest(t *testing.T) {
	root := t.TempDir()
	write(t, root, "cfg/strict.json", `{"all":"mandatory"}`)
	const sum = "66f0ac644fe7bebaf2b4fe78000738c93aba20de10cba4a2cf4edb195abfbe04" // sha256sum of the content
	outside := filepath.Join(t.TempDir(), "other.json")
	require.NoError(t, os.WriteFile(outside, []byte(`{"all":"mandatory"}`), 0o600))
	for _, tt := range []struct{ name, path, want string }{
		{"relative to the root", "cfg/strict.json", "cfg/strict.json"},
		{"absolute inside the root", filepath.Join(root, "cfg", "strict.json"), "cfg/strict.json"},
		{"outside the root", outside, filepath.ToSlash(outside)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Digest(root, tt.path)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Path)
			assert.Equal(t, sum, d.SHA256)
		})
	}
	write(t, root, "cfg/strict.json", `{"all":"advisory"}`)
	c, err := Digest(root, "cfg/strict.json")
	require.NoError(t, err)
	assert.NotEqual(t, sum, c.SHA256, "another content, another digest")

	_, err = Digest(root, "missing.json")
	assert.ErrorContains(t, err, "reading the policy pack config")
}
