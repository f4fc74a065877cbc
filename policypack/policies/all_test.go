package policies_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policies"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	pt "github.com/carepulse/hipaa-pipeline/policypack/policytest"
)

// policyVar finds the declaration of a policy in a source file.
var policyVar = regexp.MustCompile(`(?m)^var [A-Z][A-Za-z0-9]* = policy\.Policy\{`)

// fileOf maps a policy ID to its file: <service>/<rest of the ID with _ for ->.go.
func fileOf(id string) string {
	service, rest, _ := strings.Cut(id, "-")
	return filepath.Join(service, strings.ReplaceAll(rest, "-", "_")+".go")
}

func TestRegistryIsComplete(t *testing.T) {
	all := policies.All()
	require.NotEmpty(t, all)
	ids := map[string]bool{}
	for _, p := range all {
		assert.False(t, ids[p.ID], "duplicate policy ID %s", p.ID)
		ids[p.ID] = true
		assert.Equal(t, policy.EngineGo, p.Engine, p.ID)
		assert.True(t, (p.Resource == nil) != (p.Stack == nil), "%s: exactly one of Resource and Stack", p.ID)
	}

	// Every file declaring a policy is registered, and each declares exactly one.
	var declared []string
	dirs, err := os.ReadDir(".")
	require.NoError(t, err)
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "awstypes" || d.Name() == "internal" {
			continue
		}
		files, err := filepath.Glob(filepath.Join(d.Name(), "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			n := len(policyVar.FindAll(src, -1))
			assert.LessOrEqual(t, n, 1, "%s declares %d policies; one policy per file", f, n)
			if n == 1 {
				declared = append(declared, f)
			}
		}
	}
	var registered []string
	for _, p := range all {
		registered = append(registered, fileOf(p.ID))
	}
	slices.Sort(declared)
	slices.Sort(registered)
	assert.Equal(t, declared, registered, "policy files and registered policies (by ID) differ")
}

func TestEveryPolicyFileMatchesItsIDAndHasTests(t *testing.T) {
	for _, p := range policies.All() {
		f := fileOf(p.ID)
		src, err := os.ReadFile(f)
		if !assert.NoError(t, err, "policy %s must live in %s", p.ID, f) {
			continue
		}
		assert.Regexp(t, `\bID:\s+"`+regexp.QuoteMeta(p.ID)+`"`, string(src), "%s must declare ID %s", f, p.ID)
		test := strings.TrimSuffix(f, ".go") + "_test.go"
		tsrc, err := os.ReadFile(test)
		if assert.NoError(t, err, "policy %s has no test file %s", p.ID, test) {
			assert.Contains(t, string(tsrc), `"`+p.ID+`"`, "%s must assert the policy ID %s", test, p.ID)
		}
	}
}

func TestParamsHaveUsableDefaults(t *testing.T) {
	for _, p := range policies.All() {
		env := pt.Env(p, "", nil)
		for _, prm := range p.Params {
			assert.NotPanics(t, func() {
				switch prm.Type {
				case policy.ParamInteger:
					env.Int(prm.Name)
				case policy.ParamStrings:
					env.Strings(prm.Name)
				case policy.ParamString:
					env.String(prm.Name)
				case policy.ParamBoolean:
					env.Bool(prm.Name)
				default:
					t.Errorf("%s: parameter %s has unknown type %q", p.ID, prm.Name, prm.Type)
				}
			}, "%s: default of %s", p.ID, prm.Name)
		}
	}
}

// readProperties are the top-level properties the policies read.
var readProperties = strings.Fields(`
accessLogSettings apiKeyRequired assignIpv6AddressOnCreation authorizationType authorizerId atRestEncryptionEnabled automaticFailoverEnabled availabilityZone backupRetentionPeriod bucket cloudWatchLogsGroupArn
cloudWatchLogsRoleArn cluster clusterIdentifier containerDefinitions customKeyStoreId customerMasterKeySpec dbSubnetGroupName defaultActions
deletionProtection domainNameConfiguration egress enableKeyRotation encryptionConfigurations environment enableLogFileValidation enableLogging enabledCloudwatchLogsExports engine
engineMode executionRoleArn family gatewayId globalClusterIdentifier imageScanningConfiguration imageTagMutability ingress inlinePolicies isMultiRegionTrail
keySpec keyUsage kmsKeyId kmsMasterKeyId logDestinationConfigs manageMasterUserPassword mapPublicIpOnLaunch masterPassword
masterUserSecretKmsKeyId multiAzEnabled name networkConfiguration numCacheClusters numNodeGroups parameters performanceInsightsEnabled
performanceInsightsKmsKeyId policy principal principalOrgId protocol publiclyAccessible replicasPerNodeGroup replicateSourceDb replicationSourceIdentifier routeKey secretBinary secretString
resourceArn resourceId rotationEnabled rotationPeriodInDays rotationRules routeTableId routes rules
scalableDimension secretId securityPolicy serverlessv2ScalingConfiguration settings snapshotIdentifier snapshotRetentionLimit sourceArn
sslPolicy storageEncrypted subnetGroupName subnetId subnetIds taskRoleArn trafficType vpcId
xksKeyId xrayTracingEnabled
`)

// TestNoPolicyCrashesOnOddInput feeds every policy resources of each of its types that are
// empty, or whose every read property is unknown, of an unexpected shape, or a secret list
// holding an unknown: none may panic, and none may return a status outside the four known
// ones. Stack policies get the same resources as a stack.
func TestNoPolicyCrashesOnOddInput(t *testing.T) {
	odd := []map[string]any{{}, {}, {}, {}, {}, {}}
	for _, name := range readProperties {
		odd[1][name] = pt.Unknown
		odd[2][name] = map[string]any{"unexpected": []any{1, "x", nil}}
		odd[3][name] = pt.Secret([]any{pt.Unknown, 7})
		// Canary secrets: no message may ever contain them (checked below).
		odd[4][name] = pt.Secret("canary-" + name)
		odd[5][name] = pt.Secret([]any{"canary-" + name, map[string]any{"value": "canary-nested"}})
	}
	statuses := []policy.Status{policy.Pass, policy.Fail, policy.NotApplicable, policy.Undetermined}
	for _, p := range policies.All() {
		env := pt.Env(p, "", nil)
		if p.Stack != nil {
			var stack []policy.Resource
			for i, props := range odd {
				for _, typ := range p.ResourceTypes {
					name := fmt.Sprintf("odd-%d", i)
					stack = append(stack, policy.Resource{Type: typ, Name: name, URN: pt.URN("prod", typ, name), Properties: pt.ToPropertyMap(props)})
				}
			}
			assert.NotPanics(t, func() {
				for _, res := range p.Stack(env, stack) {
					assert.Contains(t, statuses, res.Status, p.ID)
					assertNoCanary(t, p.ID, res.Result)
				}
			}, p.ID)
			continue
		}
		for _, typ := range p.ResourceTypes {
			for _, props := range odd {
				r := policy.Resource{Type: typ, Name: "odd", URN: pt.URN("prod", typ, "odd"), Properties: pt.ToPropertyMap(props)}
				assert.NotPanics(t, func() {
					res := p.Resource(env, r)
					assert.Contains(t, statuses, res.Status, p.ID)
					assertNoCanary(t, p.ID, res)
				}, "%s on %s", p.ID, typ)
			}
		}
	}
}

func assertNoCanary(t *testing.T, id string, res policy.Result) {
	t.Helper()
	for _, m := range res.Messages {
		assert.NotContains(t, m, pt.CanaryMarker, "%s leaks a secret value: %q", id, m)
	}
}
