package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/packinfo"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
)

// binDir holds the pack and hipaa-audit binaries built once for the tests of this file.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hipaa-pack-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	for _, b := range []struct{ out, pkg string }{{"hipaa-policy-pack", "."}, {"hipaa-audit", "./cmd/hipaa-audit"}} {
		cmd := exec.Command("go", "build", "-o", filepath.Join(dir, b.out), b.pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", b.pkg, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// startPack starts the built pack binary as the engine does (engine address as the last
// argument, after logging flags), reads its port and returns a client, and a function that
// stops the pack and returns what it wrote on stderr.
func startPack(t *testing.T) (pulumirpc.AnalyzerClient, func() string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(binDir, "hipaa-policy-pack"), "--logtostderr", "-v=3", "127.0.0.1:1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	stop := sync.OnceValue(func() string {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return stderr.String()
	})
	t.Cleanup(func() {
		if out := stop(); t.Failed() {
			t.Logf("pack stderr:\n%s", out)
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatal("the pack did not print its port")
	}
	port, err := strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err, "first stdout line must be the port, got %q", line)
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn), stop
}

func marshal(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	st, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	require.NoError(t, err)
	return st
}

func computed() resource.PropertyValue { return resource.MakeComputed(resource.NewProperty("")) }

func TestProtocol(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	client, _ := startPack(t)
	all, err := registry.All()
	require.NoError(t, err)
	require.NotEmpty(t, all)

	dir, err := os.Getwd()
	require.NoError(t, err)
	_, err = client.Handshake(ctx, &pulumirpc.AnalyzerHandshakeRequest{EngineAddress: "127.0.0.1:1", RootDirectory: &dir, ProgramDirectory: &dir})
	require.NoError(t, err)

	pi, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, packinfo.Version, pi.Version)

	// GetAnalyzerInfo works before ConfigureStack (as `pulumi policy publish` calls it).
	info, err := client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, packinfo.Name, info.Name)
	assert.Equal(t, packinfo.Version, info.Version)
	require.Len(t, info.Policies, len(all))
	for i, p := range info.Policies {
		assert.Equal(t, all[i].ID, p.Name)
		assert.Equal(t, all[i].Title, p.DisplayName)
		assert.NotEqual(t, pulumirpc.PolicySeverity_POLICY_SEVERITY_UNSPECIFIED, p.Severity, p.Name)
		assert.Equal(t, "HIPAA Security Rule", p.Framework.GetName(), p.Name)
		assert.Equal(t, strings.Join(all[i].Controls, ", "), p.Framework.GetReference(), p.Name)
		assert.NotEmpty(t, p.RemediationSteps, p.Name)
		assert.NotEmpty(t, p.Url, p.Name)
		assert.NotNil(t, p.ConfigSchema, p.Name)
	}

	_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: "carepulse", DryRun: true})
	require.NoError(t, err)

	// Configure: disable one policy, as the engine sends --policy-pack-config.
	disabled := all[0].ID
	_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{
		disabled: {EnforcementLevel: pulumirpc.EnforcementLevel_DISABLED},
	}})
	require.NoError(t, err)
	info, err = client.GetAnalyzerInfo(ctx, &emptypb.Empty{})
	require.NoError(t, err)
	assert.Equal(t, pulumirpc.EnforcementLevel_DISABLED, info.Policies[0].EnforcementLevel)

	// A bad config is refused with a clear error.
	_, err = client.Configure(ctx, &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: map[string]*pulumirpc.PolicyConfig{"no-such-policy-id": {}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"no-such-policy-id": no policy with this ID in the pack`)

	// Analyze during preview: storageEncrypted is not known yet.
	const clusterURN = "urn:pulumi:prod::carepulse::aws:rds/cluster:Cluster::db"
	resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{
		Urn: clusterURN, Type: "aws:rds/cluster:Cluster", Name: "db",
		Properties: marshal(t, resource.PropertyMap{
			"engine":           resource.NewProperty("aurora-postgresql"),
			"storageEncrypted": computed(),
			"kmsKeyId":         computed(),
		}),
	})
	require.NoError(t, err)
	var found bool
	for _, d := range resp.Diagnostics {
		assert.Equal(t, clusterURN, d.Urn)
		assert.Equal(t, packinfo.Name, d.PolicyPackName)
		if d.PolicyName == "rds-cluster-storage-encrypted" {
			found = true
			assert.Equal(t, pulumirpc.EnforcementLevel_ADVISORY, d.EnforcementLevel)
			assert.Contains(t, d.Message, "cannot be verified")
			assert.Contains(t, d.Message, "164.312(a)(2)(iv)")
		}
	}
	assert.True(t, found, "rds-cluster-storage-encrypted reports the unknown value: %v", resp.Diagnostics)
	// Every resource policy is accounted for: a diagnostic, not applicable, or (implicitly) passed.
	na := map[string]bool{}
	for _, n := range resp.NotApplicable {
		na[n.PolicyName] = true
	}
	for _, p := range all {
		if p.Resource != nil && (p.ID == disabled || !p.Applies("aws:rds/cluster:Cluster")) {
			assert.True(t, na[p.ID], "%s must be reported not applicable to a cluster (or disabled)", p.ID)
		}
	}

	// The same cluster once known and unencrypted: a mandatory violation.
	resp, err = client.Analyze(ctx, &pulumirpc.AnalyzeRequest{
		Urn: clusterURN, Type: "aws:rds/cluster:Cluster", Name: "db",
		Properties: marshal(t, resource.PropertyMap{"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.NewProperty(false)}),
	})
	require.NoError(t, err)
	found = false
	for _, d := range resp.Diagnostics {
		if d.PolicyName == "rds-cluster-storage-encrypted" {
			found = true
			assert.Equal(t, pulumirpc.EnforcementLevel_MANDATORY, d.EnforcementLevel)
		}
	}
	assert.True(t, found)

	// AnalyzeStack: every stack policy either reports or is not applicable.
	stackResp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
		{Urn: clusterURN, Type: "aws:rds/cluster:Cluster", Name: "db", Properties: marshal(t, resource.PropertyMap{
			"engine": resource.NewProperty("aurora-postgresql"), "storageEncrypted": resource.NewProperty(true),
			"kmsKeyId": resource.NewProperty("arn:aws:kms:us-east-1:111122223333:key/k1"),
		})},
		{Urn: "urn:pulumi:prod::carepulse::aws:kms/key:Key::k1", Type: "aws:kms/key:Key", Name: "k1",
			Properties: marshal(t, resource.PropertyMap{"enableKeyRotation": resource.NewProperty(true)})},
	}})
	require.NoError(t, err)
	reported := map[string]bool{}
	for _, d := range stackResp.Diagnostics {
		reported[d.PolicyName] = true
	}
	for _, n := range stackResp.NotApplicable {
		reported[n.PolicyName] = true
		assert.NotEmpty(t, n.Reason)
	}
	for _, d := range stackResp.Diagnostics {
		assert.NotEqual(t, "", d.Urn)
	}
	// The cluster has no instances: the multi-AZ stack policy reports it.
	assert.True(t, reported["rds-cluster-multi-az"], "%v", stackResp.Diagnostics)

	_, err = client.Cancel(ctx, &emptypb.Empty{})
	require.NoError(t, err)
}

func TestPulumiPolicyYAML(t *testing.T) {
	proj, err := workspace.LoadPolicyPack("PulumiPolicy.yaml")
	require.NoError(t, err)
	assert.Equal(t, "go", proj.Runtime.Name())
	assert.Equal(t, packinfo.Version, proj.Version, "PulumiPolicy.yaml and packinfo carry the same version")
	require.NotNil(t, proj.Description)
	assert.NotEmpty(t, *proj.Description)
}

// TestInterruptStopsCleanly: the engine stops plugins with SIGINT (then a kill after 5s).
func TestInterruptStopsCleanly(t *testing.T) {
	cmd := exec.Command(filepath.Join(binDir, "hipaa-policy-pack"), "127.0.0.1:1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	_, err = strconv.Atoi(strings.TrimSpace(line))
	require.NoError(t, err, "stdout starts with the port: %q", line)
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "exit status 0 after SIGINT")
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("the pack did not stop within 5s of SIGINT")
	}
}

// TestAnalyzerAgreesWithOfflineEvaluation: the plugin and hipaa-audit compute verdicts in the
// same place, so the engine sees exactly the findings the offline evaluation reports.
func TestAnalyzerAgreesWithOfflineEvaluation(t *testing.T) {
	for _, file := range []string{"testdata/noncompliant.json", "testdata/compliant.json", "testdata/preview.json"} {
		t.Run(file, func(t *testing.T) {
			resources, info, err := stackfile.Read(file)
			require.NoError(t, err)
			all, err := registry.All()
			require.NoError(t, err)
			stack := evaluate.Stack{Project: info.Project, Name: info.Stack}
			report := evaluate.Evaluate(all, packconfig.Defaults(all), nil, stack, resources)
			var want []string
			for _, f := range report.Findings {
				want = append(want, fmt.Sprintf("%s %s %s", f.Policy, f.URN, f.Enforcement))
			}
			sort.Strings(want)

			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			client, _ := startPack(t)
			_, err = client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: info.Stack, Project: info.Project})
			require.NoError(t, err)
			var got []string
			collect := func(ds []*pulumirpc.AnalyzeDiagnostic) {
				for _, d := range ds {
					level := "advisory"
					if d.EnforcementLevel == pulumirpc.EnforcementLevel_MANDATORY {
						level = "mandatory"
					}
					got = append(got, fmt.Sprintf("%s %s %s", d.PolicyName, d.Urn, level))
				}
			}
			var stackReq pulumirpc.AnalyzeStackRequest
			for _, r := range resources {
				props := marshal(t, r.Properties)
				resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name, Properties: props})
				require.NoError(t, err)
				collect(resp.Diagnostics)
				ar := &pulumirpc.AnalyzerResource{Urn: r.URN, Type: r.Type, Name: r.Name, Properties: props, Parent: r.Parent, Dependencies: r.Dependencies}
				for k, deps := range r.PropertyDependencies {
					if ar.PropertyDependencies == nil {
						ar.PropertyDependencies = map[string]*pulumirpc.AnalyzerPropertyDependencies{}
					}
					ar.PropertyDependencies[k] = &pulumirpc.AnalyzerPropertyDependencies{Urns: deps}
				}
				stackReq.Resources = append(stackReq.Resources, ar)
			}
			resp, err := client.AnalyzeStack(ctx, &stackReq)
			require.NoError(t, err)
			collect(resp.Diagnostics)
			sort.Strings(got)
			assert.Equal(t, want, got)
		})
	}
}
