package main

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImagesLinkTheTestedVersions: the images are compiled with the services module's own pins
// (GOWORK=off), the tests run in the workspace; both must link the same module versions, or the
// shipped executables are not the tested ones.
func TestImagesLinkTheTestedVersions(t *testing.T) {
	modules := func(gowork string) string {
		cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}} {{.Version}}{{end}}", "../processor", "../readapi")
		cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOFLAGS=")
		if gowork != "" {
			cmd.Env = append(cmd.Env, "GOWORK="+gowork)
		}
		out, err := cmd.Output()
		require.NoError(t, err)
		seen := map[string]bool{}
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if l != "" && !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
		slices.Sort(lines)
		return strings.Join(lines, "\n")
	}
	ws, err := exec.Command("go", "env", "GOWORK").Output()
	require.NoError(t, err)
	if strings.TrimSpace(string(ws)) == "" {
		t.Skip("not in the workspace: the module's own pins are the only ones")
	}
	assert.Equal(t, modules(""), modules("off"), "services/go.mod must pin what the workspace resolves (go get the workspace's versions)")
}
