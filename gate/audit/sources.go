package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SourcePaths are the parts of the repository the evidence of `make audit` depends on, relative
// to the project root (the folder of go.work): the program (infrastructure), the policy pack
// with its Rego rules, the runner with the stand-in provider (gate/audit, gate/cmd and gate's
// module files), and what selects the versions of everything they link: go.work, go.work.sum
// and the go.mod of the workspace's other modules (in a workspace every module's requirements
// take part in version selection). Test files and READMEs are part of these trees too: the
// evidence names the exact sources it was produced from.
var SourcePaths = []string{
	"infrastructure", "policypack", "rego", "gate/audit", "gate/cmd", "gate/go.mod", "gate/go.sum",
	"go.work", "go.work.sum", "compliance-docs/go.mod", "services/go.mod",
}

// SourceTree names one source path and its git object ID: for a directory, the tree `git
// rev-parse HEAD:<path>` gives once the working tree is committed; for a file, its blob.
type SourceTree struct {
	Path string `json:"path"`
	ID   string `json:"id"`
}

// SourceTrees computes the git object IDs of paths (relative to root, the project root, which
// may itself lie in a subfolder of the repository) as they are in the working tree, uncommitted
// changes and new files included, ignored files excluded, without touching the repository's own
// index.
func SourceTrees(root string, paths []string) ([]SourceTree, error) {
	prefix, err := git(root, nil, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, fmt.Errorf("source trees: %s is not in a git work tree: %w", root, err)
	}
	tmp, err := os.MkdirTemp("", "audit-index-")
	if err != nil {
		return nil, fmt.Errorf("source trees: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	env := append(os.Environ(), "GIT_INDEX_FILE="+filepath.Join(tmp, "index"))
	if _, err := git(root, env, "read-tree", "HEAD"); err != nil {
		return nil, fmt.Errorf("source trees: reading HEAD: %w", err)
	}
	// Pathspecs are relative to root (git runs there); the index holds repository paths.
	if _, err := git(root, env, append([]string{"add", "--all", "--"}, paths...)...); err != nil {
		return nil, fmt.Errorf("source trees: %w", err)
	}
	out := make([]SourceTree, 0, len(paths))
	for _, p := range paths {
		info, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			return nil, fmt.Errorf("source trees: %w", err)
		}
		inRepo := prefix + strings.TrimSuffix(filepath.ToSlash(p), "/")
		var id string
		if info.IsDir() {
			id, err = git(root, env, "write-tree", "--prefix="+inRepo+"/")
		} else {
			id, err = git(root, env, "rev-parse", ":"+inRepo)
		}
		if err != nil {
			return nil, fmt.Errorf("source trees: %s: %w", p, err)
		}
		out = append(out, SourceTree{Path: p, ID: id})
	}
	return out, nil
}

// FileDigest names a file given to the run (a path relative to the project root when it lies
// in it) and the SHA-256 of its content.
type FileDigest struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Digest reads the file at path (relative to root unless absolute) and returns its digest.
func Digest(root, path string) (*FileDigest, error) {
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, path)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("reading the policy pack config: %w", err)
	}
	shown := filepath.ToSlash(path)
	if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
		shown = filepath.ToSlash(rel)
	}
	sum := sha256.Sum256(data)
	return &FileDigest{Path: shown, SHA256: hex.EncodeToString(sum[:])}, nil
}

// git runs git in dir (with env when not nil) and returns its trimmed standard output; an
// error carries git's standard error.
func git(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
