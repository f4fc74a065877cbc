package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
)

// canary is a secret value that must never appear in any output of the pack.
const canary = "CANARY-5ecret-9d2f71c4-do-not-print"

// canaryKeys are property names the policies read, and a few they might print.
var canaryKeys = []string{
	"atRestEncryptionEnabled", "authorization", "authorizationType", "authorizerId", "automaticFailoverEnabled", "backupRetentionPeriod", "bucket",
	"cidrBlocks", "cidrIpv4", "cidrIpv6", "cloudWatchLogsGroupArn", "containerDefinitions", "defaultActions",
	"deletionProtection", "description", "enableKeyRotation", "enableLogFileValidation", "enableLogging",
	"enabledCloudwatchLogsExports", "encryptionType", "engine", "engineMode", "environment", "family",
	"ingress", "isMultiRegionTrail", "keyUsage", "kmsKeyId", "kmsMasterKeyId", "manageMasterUserPassword",
	"masterPassword", "name", "numCacheClusters", "parameters", "performanceInsightsEnabled",
	"performanceInsightsKmsKeyId", "policy", "port", "prefixListId", "prefixListIds", "principal", "protocol", "publiclyAccessible",
	"replicateSourceDb", "routeKey", "secretBinary", "secretString", "snapshotIdentifier",
	"retentionInDays", "rotationPeriodInDays", "rules", "securityPolicy", "settings", "sourceArn", "sslPolicy",
	"storageEncrypted", "tags", "trafficType", "transitEncryptionEnabled", "transitEncryptionMode",
	"xrayTracingEnabled",
}

// canaryValues wrap the canary in the shapes policies meet: a secret string, a secret object,
// a secret list, and a plain list of objects whose fields are secret.
func canaryValues() []resource.PropertyValue {
	s := func() resource.PropertyValue { return resource.MakeSecret(resource.NewProperty(canary)) }
	return []resource.PropertyValue{
		s(),
		resource.MakeSecret(resource.NewProperty(resource.PropertyMap{
			"name": resource.NewProperty(canary), "value": resource.NewProperty(canary), "type": resource.NewProperty(canary),
			"loggingLevel": resource.NewProperty(canary), "dataTraceEnabled": resource.NewProperty(canary),
		})),
		resource.MakeSecret(resource.NewProperty([]resource.PropertyValue{resource.NewProperty(canary)})),
		resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{
			"name": s(), "value": s(), "type": s(), "protocol": s(), "cidrBlocks": s(), "fromPort": s(),
		})}),
		resource.NewProperty(resource.Output{Element: resource.NewProperty(canary), Known: true, Secret: true}),
	}
}

// canaryResources gives, for every resource type the pack reads, one resource per property
// name with the canary in it, plus one per value shape with the canary everywhere.
func canaryResources(t *testing.T) []policy.Resource {
	t.Helper()
	all, err := registry.All()
	require.NoError(t, err)
	types := map[string]bool{}
	for _, p := range all {
		for _, typ := range p.ResourceTypes {
			types[typ] = true
		}
	}
	sorted := make([]string, 0, len(types))
	for typ := range types {
		sorted = append(sorted, typ)
	}
	sort.Strings(sorted)
	var out []policy.Resource
	add := func(typ string, props resource.PropertyMap) {
		name := fmt.Sprintf("canary-%d", len(out))
		out = append(out, policy.Resource{
			URN: string(resource.CreateURN(name, typ, "", "carepulse", "prod")), Type: typ, Name: name, Properties: props,
		})
	}
	for _, typ := range sorted {
		// One property at a time (a policy may stop at the first value it cannot use)...
		for _, k := range canaryKeys {
			add(typ, resource.PropertyMap{resource.PropertyKey(k): resource.MakeSecret(resource.NewProperty(canary))})
		}
		// ...and every property at once, in each shape.
		for i := range canaryValues() {
			everything := resource.PropertyMap{}
			for _, k := range canaryKeys {
				everything[resource.PropertyKey(k)] = canaryValues()[i]
			}
			add(typ, everything)
		}
	}
	return out
}

func TestCanarySecretNeverPrinted(t *testing.T) {
	resources := canaryResources(t)
	require.NotEmpty(t, resources)
	var outputs bytes.Buffer

	// 1. The analyzer plugin, over gRPC: Analyze for each resource, AnalyzeStack over all.
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	client, stopPack := startPack(t)
	_, err := client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Stack: "prod", Project: "carepulse"})
	require.NoError(t, err)
	var stackReq pulumirpc.AnalyzeStackRequest
	diagnostics := 0
	for _, r := range resources {
		props := marshal(t, r.Properties)
		resp, err := client.Analyze(ctx, &pulumirpc.AnalyzeRequest{Urn: r.URN, Type: r.Type, Name: r.Name, Properties: props})
		require.NoError(t, err, r.URN)
		diagnostics += len(resp.Diagnostics)
		outputs.WriteString(protojson.Format(resp))
		stackReq.Resources = append(stackReq.Resources, &pulumirpc.AnalyzerResource{Urn: r.URN, Type: r.Type, Name: r.Name, Properties: props})
	}
	stackResp, err := client.AnalyzeStack(ctx, &stackReq)
	require.NoError(t, err)
	outputs.WriteString(protojson.Format(stackResp))
	outputs.WriteString(stopPack())
	assert.Positive(t, diagnostics, "the canary resources must produce findings for the test to mean anything")

	// 2. WriteFixture, then hipaa-audit check on that fixture and on one with the secrets in
	// plain "value" form, in both formats.
	var fixture bytes.Buffer
	require.NoError(t, stackfile.WriteFixture(&fixture, resources))
	outputs.Write(fixture.Bytes())
	plain := strings.ReplaceAll(fixture.String(), `"ciphertext": "[redacted]"`, fmt.Sprintf("%q: %q", "value", canary))
	require.Contains(t, plain, canary, "the plain-secret fixture carries the canary into hipaa-audit")
	dir := t.TempDir()
	for name, content := range map[string]string{"redacted.json": fixture.String(), "plain.json": plain} {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
		for _, format := range []string{"text", "json"} {
			cmd := exec.Command(filepath.Join(binDir, "hipaa-audit"), "check", "--format", format, path)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if exitErr, ok := err.(*exec.ExitError); ok {
				require.Contains(t, []int{0, 1}, exitErr.ExitCode(), "%s %s: %s", name, format, stderr.String())
			} else {
				require.NoError(t, err)
			}
			require.NotEmpty(t, stdout.String())
			outputs.Write(stdout.Bytes())
			outputs.Write(stderr.Bytes())
		}
	}

	out := outputs.String()
	assert.NotContains(t, out, canary)
	assert.NotContains(t, out, "CANARY", "not even part of the canary")
	assert.Contains(t, out, "[secret]", "redaction (or the policies' own masking) was exercised")
}
