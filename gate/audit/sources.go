package audit

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// SourcePaths are the parts of the repository the evidence of `make audit` depends on: the
// program (infrastructure), the policy pack with its Rego rules, and the runner with the
// stand-in provider (gate/audit, gate/cmd and gate's module files). Test files and READMEs are
// part of these trees too: the evidence names the exact sources it was produced from.
var SourcePaths = []string{"infrastructure", "policypack", "rego", "gate/audit", "gate/cmd", "gate/go.mod", "gate/go.sum"}

// SourceTree names one source path and its git object ID: for a directory, the tree `git
// rev-parse HEAD:<path>` gives once the working tree is committed; for a file, its blob.
type SourceTree struct {
	Path string `json:"path"`
	ID   string `json:"id"`
}

// SourceTrees computes the git object IDs of paths (relative to the repository root) as they
// are in the working tree of the repository holding dir, uncommitted changes and new files
// included, ignored files excluded, without touching the repository's own index.
func SourceTrees(dir string, paths []string) ([]SourceTree, error) {
	top, err := git(dir, nil, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("source trees: %s is not in a git work tree: %w", dir, err)
	}
	tmp, err := os.MkdirTemp("", "audit-index-")
	if err != nil {
		return nil, fmt.Errorf("source trees: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	env := append(os.Environ(), "GIT_INDEX_FILE="+filepath.Join(tmp, "index"))
	if _, err := git(top, env, "read-tree", "HEAD"); err != nil {
		return nil, fmt.Errorf("source trees: reading HEAD: %w", err)
	}
	if _, err := git(top, env, append([]string{"add", "--all", "--"}, paths...)...); err != nil {
		return nil, fmt.Errorf("source trees: %w", err)
	}
	out := make([]SourceTree, 0, len(paths))
	for _, p := range paths {
		info, err := os.Stat(filepath.Join(top, p))
		if err != nil {
			return nil, fmt.Errorf("source trees: %w", err)
		}
		var id string
		if info.IsDir() {
			id, err = git(top, env, "write-tree", "--prefix="+strings.TrimSuffix(p, "/")+"/")
		} else {
			id, err = git(top, env, "rev-parse", ":"+p)
		}
		if err != nil {
			return nil, fmt.Errorf("source trees: %s: %w", p, err)
		}
		out = append(out, SourceTree{Path: p, ID: id})
	}
	return out, nil
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
