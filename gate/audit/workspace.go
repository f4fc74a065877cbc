// Package audit runs the infrastructure program through the real Pulumi engine (Automation API,
// inline program) with the policy pack, collects the engine's events and turns them into a
// verdict and evidence files. Offline it uses the pinned Pulumi CLI built from source, a local
// file:// backend, a private PULUMI_HOME and the stand-in AWS provider; online it uses whatever
// `pulumi`, backend and provider the environment has.
package audit

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OfflinePassphrase encrypts the secrets of the throw-away local backend of an offline run. It
// protects nothing real (no real secret ever enters an offline stack), so it is not a secret.
const OfflinePassphrase = "offline-audit-local-backend-only"

// Env describes where the engine runs.
type Env struct {
	// Offline selects the pinned CLI, local backend, private PULUMI_HOME and stand-in provider.
	Offline bool
	// CLIRoot holds bin/pulumi (offline: the pinned build). Empty means `pulumi` on PATH.
	CLIRoot string
	// CLIVersion is the version the CLI must report (offline: the pinned one).
	CLIVersion string
	// PulumiHome is the private PULUMI_HOME (offline), with the stand-in provider installed in
	// its plugin cache.
	PulumiHome string
	// BackendDir is the directory of the file:// backend (offline).
	BackendDir string
}

// Target names the program and its stack.
type Target struct {
	// ProjectDir holds Pulumi.yaml and Pulumi.<stack>.yaml of the infrastructure program.
	ProjectDir string
	Stack      string
	Program    pulumi.RunFunc
}

// envVars returns the environment of every CLI call.
func (e Env) envVars() map[string]string {
	vars := map[string]string{"PULUMI_SKIP_UPDATE_CHECK": "true"}
	if !e.Offline {
		return vars
	}
	vars["PULUMI_BACKEND_URL"] = "file://" + e.BackendDir
	vars["PULUMI_CONFIG_PASSPHRASE"] = OfflinePassphrase
	vars["PULUMI_HOME"] = e.PulumiHome
	// Only the plugin cache of the private PULUMI_HOME counts: nothing from PATH, no download.
	vars["PULUMI_IGNORE_AMBIENT_PLUGINS"] = "true"
	vars["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"
	return vars
}

// Stack is a ready-to-run stack of the program.
type Stack struct {
	auto.Stack
	Project string
	workDir string
}

// Close removes the temporary workspace directory (the backend keeps the stack's state).
func (s *Stack) Close() error {
	if s.workDir == "" {
		return nil
	}
	if err := os.RemoveAll(s.workDir); err != nil {
		return fmt.Errorf("removing workspace %s: %w", s.workDir, err)
	}
	return nil
}

// OpenStack creates (or selects) the stack in a fresh workspace whose project settings and stack
// config are those committed in the program's folder.
func OpenStack(ctx context.Context, env Env, target Target) (*Stack, error) {
	projectFile := filepath.Join(target.ProjectDir, "Pulumi.yaml")
	project, err := workspace.LoadProject(projectFile)
	if err != nil {
		return nil, fmt.Errorf("loading project %s: %w", projectFile, err)
	}
	stackFile := filepath.Join(target.ProjectDir, "Pulumi."+target.Stack+".yaml")
	if _, err := os.Stat(stackFile); err != nil {
		return nil, fmt.Errorf("stack %q has no config file: %w", target.Stack, err)
	}
	committed, err := workspace.LoadProjectStack(nil, project, stackFile)
	if err != nil {
		return nil, fmt.Errorf("loading stack config %s: %w", stackFile, err)
	}
	if env.Offline {
		for _, dir := range []string{env.BackendDir, env.PulumiHome} {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("creating %s: %w", dir, err)
			}
		}
	}

	var opts []auto.LocalWorkspaceOption
	cmd, err := pulumiCommand(env)
	if err != nil {
		return nil, err
	}
	workDir, err := os.MkdirTemp("", "hipaa-audit-")
	if err != nil {
		return nil, fmt.Errorf("creating workspace directory: %w", err)
	}
	// The inline program runs in-process; the workspace only holds the settings files.
	proj := *project
	proj.Main = ""
	opts = append(opts,
		auto.Pulumi(cmd),
		auto.WorkDir(workDir),
		auto.Project(proj),
		auto.EnvVars(env.envVars()),
	)
	if env.Offline {
		opts = append(opts, auto.PulumiHome(env.PulumiHome), auto.SecretsProvider("passphrase"))
	}
	st, err := auto.UpsertStackInlineSource(ctx, target.Stack, project.Name.String(), target.Program, opts...)
	if err != nil {
		_ = os.RemoveAll(workDir)
		return nil, fmt.Errorf("creating stack %s of project %s: %w", target.Stack, project.Name, err)
	}
	stack := &Stack{Stack: st, Project: project.Name.String(), workDir: workDir}

	// The committed stack config, with the workspace's own secrets settings (salt) kept.
	settings, err := st.Workspace().StackSettings(ctx, target.Stack)
	if err != nil {
		// No settings file yet in this fresh workspace (the backend keeps the salt): start empty.
		settings = &workspace.ProjectStack{}
	}
	settings.Config = committed.Config
	if committed.EncryptionSalt != "" && committed.EncryptionSalt != settings.EncryptionSalt && hasSecure(committed) {
		_ = stack.Close()
		return nil, fmt.Errorf("%s holds encrypted (secure:) values that this offline workspace cannot decrypt; "+
			"offline audits need plain stack config", stackFile)
	}
	if err := st.Workspace().SaveStackSettings(ctx, target.Stack, settings); err != nil {
		_ = stack.Close()
		return nil, fmt.Errorf("writing stack config for %s: %w", target.Stack, err)
	}
	return stack, nil
}

func hasSecure(ps *workspace.ProjectStack) bool {
	for _, v := range ps.Config {
		if v.Secure() {
			return true
		}
	}
	return false
}

func pulumiCommand(env Env) (auto.PulumiCommand, error) {
	if env.Offline {
		// NewPulumiCommand runs `pulumi version` with this process's environment: point it at the
		// private PULUMI_HOME too, so an offline run never writes into the user's ~/.pulumi.
		if err := os.Setenv("PULUMI_HOME", env.PulumiHome); err != nil {
			return nil, fmt.Errorf("setting PULUMI_HOME: %w", err)
		}
	}
	opts := &auto.PulumiCommandOptions{Root: env.CLIRoot}
	if env.CLIVersion != "" {
		v, err := semver.ParseTolerant(env.CLIVersion)
		if err != nil {
			return nil, fmt.Errorf("pulumi CLI version %q: %w", env.CLIVersion, err)
		}
		opts.Version = v
	}
	if env.CLIRoot != "" {
		bin := filepath.Join(env.CLIRoot, "bin", "pulumi")
		if _, err := os.Stat(bin); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("the Pulumi CLI is not built at %s (run `make pulumi-cli`)", bin)
		}
	}
	cmd, err := auto.NewPulumiCommand(opts)
	if err != nil {
		return nil, fmt.Errorf("using the Pulumi CLI: %w", err)
	}
	return cmd, nil
}

// StandinPluginPath is where the stand-in AWS provider goes in an offline PULUMI_HOME: the
// plugin cache entry of the real provider's version, so the engine loads it exactly where it
// would load `pulumi plugin install resource aws v<version>`.
func StandinPluginPath(pulumiHome, version string) string {
	return filepath.Join(pulumiHome, "plugins", "resource-aws-v"+version, "pulumi-resource-aws")
}
