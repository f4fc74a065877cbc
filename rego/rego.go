// Package rego holds the Rego rules of the HIPAA policy pack, embedded so that the pack binary
// carries them: hipaa/<service>/<rule>.rego (one package per policy) and lib/ (shared helpers).
// The input the rules read and the sets they define are documented in README.md.
package rego

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// Source is the embedded tree of Rego files, tests included (the convention tests read them).
// The pack evaluates only what Files returns.
//
//go:embed hipaa lib
var Source embed.FS

// TestSuffix ends the name of a Rego test file; such files are never evaluated by the pack.
const TestSuffix = "_test.rego"

// Files returns every non-test .rego file, keyed by its slash path relative to the rego
// directory (for example "hipaa/sns/sns_topic_customer_key_encrypted.rego").
func Files() (map[string]string, error) {
	out := map[string]string{}
	err := fs.WalkDir(Source, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".rego") || strings.HasSuffix(path, TestSuffix) {
			return nil
		}
		b, err := Source.ReadFile(path)
		if err != nil {
			return fmt.Errorf("reading embedded %s: %w", path, err)
		}
		out[path] = string(b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing embedded Rego files: %w", err)
	}
	return out, nil
}
