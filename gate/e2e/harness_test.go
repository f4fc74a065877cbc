// Package e2e runs the real infrastructure program through the real Pulumi engine (the pinned CLI
// built from source), the real policy pack binary and the stand-in AWS provider, offline.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/gate/audit"
	"github.com/carepulse/hipaa-pipeline/gate/internal/standin"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

// setup is what TestMain built once for every test.
var setup struct {
	root       string
	cliRoot    string
	cliVersion string
	pulumiHome string
	pack       string
	hipaaAudit string
	audit      string
}

func TestMain(m *testing.M) {
	os.Exit(mainWithSetup(m))
}

func mainWithSetup(m *testing.M) int {
	if err := prepare(); err != nil {
		fmt.Fprintf(os.Stderr, "gate e2e: %v\n", err)
		return 1
	}
	defer func() { _ = os.RemoveAll(filepath.Dir(setup.pulumiHome)) }()
	return m.Run()
}

// prepare finds the pinned CLI and builds the stand-in provider, the pack and hipaa-audit into a
// temporary folder (go build's cache makes this quick after the first time).
func prepare() error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.work")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return fmt.Errorf("no go.work above %s", wd)
		}
		root = parent
	}
	setup.root = root
	gomod, err := os.ReadFile(filepath.Join(root, "tools", "pulumi", "go.mod"))
	if err != nil {
		return fmt.Errorf("reading the pinned CLI version: %w", err)
	}
	v := regexp.MustCompile(`github.com/pulumi/pulumi/pkg/v3 (v[0-9.]+)`).FindSubmatch(gomod)
	if v == nil {
		return fmt.Errorf("tools/pulumi/go.mod does not pin github.com/pulumi/pulumi/pkg/v3")
	}
	setup.cliVersion = string(v[1])
	setup.cliRoot = filepath.Join(root, ".cache", "pulumi", setup.cliVersion)
	if _, err := os.Stat(filepath.Join(setup.cliRoot, "bin", "pulumi")); err != nil {
		return fmt.Errorf("the Pulumi CLI %s is not built in %s: run `make pulumi-cli` (make test does): %w",
			setup.cliVersion, setup.cliRoot, err)
	}
	// The program's Lambda archive is read by the engine (the program resolves it under bin/).
	if _, err := os.Stat(filepath.Join(root, "bin", "authorizer.zip")); err != nil {
		return fmt.Errorf("the authorizer Lambda is not built: run `make lambda` (make test does): %w", err)
	}
	tmp, err := os.MkdirTemp("", "gate-e2e-")
	if err != nil {
		return err
	}
	setup.pulumiHome = filepath.Join(tmp, "home")
	packDir := filepath.Join(tmp, "policypack")
	setup.pack = filepath.Join(packDir, "hipaa-policy-pack")
	setup.hipaaAudit = filepath.Join(tmp, "hipaa-audit")
	setup.audit = filepath.Join(tmp, "audit")
	builds := [][]string{
		{audit.StandinPluginPath(setup.pulumiHome, standin.Version), "./gate/cmd/pulumi-resource-aws"},
		{setup.pack, "./policypack"},
		{setup.hipaaAudit, "./policypack/cmd/hipaa-audit"},
		{setup.audit, "./gate/cmd/audit"},
	}
	for _, b := range builds {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", b[1], err, out)
		}
	}
	yaml, err := os.ReadFile(filepath.Join(root, "policypack", "PulumiPolicy.yaml"))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(packDir, "PulumiPolicy.yaml"), yaml, 0o600)
}

// env returns an offline environment with a fresh backend for one test.
func env(t *testing.T) audit.Env {
	t.Helper()
	return audit.Env{
		Offline: true, CLIRoot: setup.cliRoot, CLIVersion: setup.cliVersion,
		PulumiHome: setup.pulumiHome, BackendDir: t.TempDir(),
	}
}

// open opens a stack of the real program (optionally with a transform that breaks it).
func open(t *testing.T, e audit.Env, stack string, prog pulumi.RunFunc) *audit.Stack {
	t.Helper()
	if prog == nil {
		prog = program.Run
	}
	s, err := audit.OpenStack(context.Background(), e,
		audit.Target{ProjectDir: filepath.Join(setup.root, "infrastructure"), Stack: stack, Program: prog})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// logWriter keeps the engine's output and prints it only when the test fails.
type logWriter struct{ buf bytes.Buffer }

func (l *logWriter) Write(p []byte) (int, error) { return l.buf.Write(p) }

func engineOutput(t *testing.T) io.Writer {
	t.Helper()
	l := &logWriter{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("engine output:\n%s", l.buf.String())
		}
	})
	return l
}

// broken records the resource a breaking transform changed.
type broken struct {
	mu   sync.Mutex
	name string
}

func (b *broken) Name() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.name
}

// breaking returns the real program with a stack transform that changes the first resource of
// type typ whose logical name contains nameHas; hit records which resource it changed.
func breaking(typ, nameHas string, change func(pulumi.Map), hit *broken) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		err := ctx.RegisterResourceTransform(func(_ context.Context, a *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
			hit.mu.Lock()
			defer hit.mu.Unlock()
			if a.Type != typ || !strings.Contains(a.Name, nameHas) || hit.name != "" {
				return nil
			}
			hit.name = a.Name
			props := a.Props
			if props == nil {
				props = pulumi.Map{}
			}
			change(props)
			return &pulumi.ResourceTransformResult{Props: props, Opts: a.Opts}
		})
		if err != nil {
			return fmt.Errorf("registering the breaking transform: %w", err)
		}
		return program.Run(ctx)
	}
}
