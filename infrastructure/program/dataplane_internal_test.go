package program

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/foundation"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/naming"
)

// TestExportsHoldNoSecret runs the whole program per stack and resolves every data-plane
// output: each is an identifier of the expected shape and none is a Pulumi secret.
func TestExportsHoldNoSecret(t *testing.T) {
	shapes := map[string]*regexp.Regexp{
		"streamName":             regexp.MustCompile(`^hipaa-vitals-stream-(dev|prod)$`),
		"streamArn":              regexp.MustCompile(`^arn:aws:kinesis:`),
		"processorRepositoryUrl": regexp.MustCompile(`^111122223333\.dkr\.ecr\.eu-west-1\.amazonaws\.com/hipaa-processor-(dev|prod)$`),
		"readApiRepositoryUrl":   regexp.MustCompile(`^111122223333\.dkr\.ecr\.eu-west-1\.amazonaws\.com/hipaa-read-api-(dev|prod)$`),
		"dbClusterArn":           regexp.MustCompile(`^arn:aws:rds:`),
		"dbEndpoint":             regexp.MustCompile(`\.rds\.amazonaws\.com$`),
		"dbReaderEndpoint":       regexp.MustCompile(`\.rds\.amazonaws\.com$`),
		"dbMasterUserSecretArn":  regexp.MustCompile(`^arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-`),
		"cacheEndpoint":          regexp.MustCompile(`\.cache\.amazonaws\.com$`),
		"ecsClusterName":         regexp.MustCompile(`^hipaa-pipeline-(dev|prod)$`),
		"apiInvokeUrl":           regexp.MustCompile(`^https://[a-z0-9]+\.execute-api\.eu-west-1\.amazonaws\.com/v1$`),
		"apiStageArn":            regexp.MustCompile(`^arn:aws:apigateway:eu-west-1::/restapis/[a-z0-9]+/stages/v1$`),
		"apiWebAclArn":           regexp.MustCompile(`^arn:aws:wafv2:`),
	}
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			dir, err := mocktest.InfrastructureDir()
			require.NoError(t, err)
			project, cfgMap, err := mocktest.StackConfig(dir, stack)
			require.NoError(t, err)
			var mu sync.Mutex
			values := map[string]string{}
			secret := map[string]bool{}
			_, err = mocktest.Run(func(ctx *pulumi.Context) error {
				cfg, err := config.Load(ctx)
				if err != nil {
					return err
				}
				f, err := foundation.New(ctx, cfg)
				if err != nil {
					return err
				}
				dp, err := NewDataPlane(ctx, f)
				if err != nil {
					return err
				}
				for k, o := range dp.Exports() {
					k := k
					o.ApplyT(func(v string) string {
						mu.Lock()
						values[k] = v
						mu.Unlock()
						return v
					})
					isSecret := pulumi.IsSecret(o)
					mu.Lock()
					secret[k] = isSecret
					mu.Unlock()
				}
				return nil
			}, mocktest.Options{Project: project, Stack: stack, Config: cfgMap})
			require.NoError(t, err)
			var names []string
			for k := range values {
				names = append(names, k)
			}
			sort.Strings(names)
			var want []string
			for k := range shapes {
				want = append(want, k)
			}
			sort.Strings(want)
			assert.Equal(t, want, names)
			for k, v := range values {
				assert.Regexp(t, shapes[k], v, k)
				assert.False(t, secret[k], "%s is not a secret output", k)
			}
		})
	}
}

func TestAuthorizerZipPath(t *testing.T) {
	wd, err := os.Getwd()
	require.NoError(t, err)
	// The repository root is the nearest parent holding go.work (two levels up from program/).
	root := filepath.Dir(filepath.Dir(wd))
	_, err = os.Stat(filepath.Join(root, "go.work"))
	require.NoError(t, err, "test runs inside the workspace")

	got, err := AuthorizerZipPath("")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(root, "bin", "authorizer.zip"), got)

	got, err = AuthorizerZipPath("/opt/build/authorizer.zip")
	require.NoError(t, err)
	assert.Equal(t, "/opt/build/authorizer.zip", got)

	got, err = AuthorizerZipPath("../bin/authorizer.zip")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(filepath.Dir(wd), "bin", "authorizer.zip"), got)

	t.Chdir(t.TempDir())
	_, err = AuthorizerZipPath("")
	require.EqualError(t, err, "authorizer zip: no go.work above the working directory; set hipaa-pipeline:authorizerZipPath")
}

func TestImageOrDefault(t *testing.T) {
	cfg := config.Config{AccountID: "111122223333", Region: "eu-west-1"}
	assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-processor-prod:0.1.0", imageOrDefault("", cfg, naming.New("prod"), "processor"))
	assert.Equal(t, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/hipaa-read-api-dev:0.1.0", imageOrDefault("", cfg, naming.New("dev"), "read-api"))
	assert.Equal(t, "reg.example/app@sha256:"+strings.Repeat("a", 64), imageOrDefault("reg.example/app@sha256:"+strings.Repeat("a", 64), cfg, naming.New("prod"), "processor"))
}

// TestPreviewRunsWithoutTheAuthorizerZip runs both stacks as a preview (dry run) from a working
// directory whose repository has no bin/authorizer.zip: the program only passes the archive's
// path; the engine reads it at deployment.
func TestPreviewRunsWithoutTheAuthorizerZip(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			dir, err := mocktest.InfrastructureDir()
			require.NoError(t, err)
			project, cfgMap, err := mocktest.StackConfig(dir, stack)
			require.NoError(t, err)
			missing := filepath.Join(t.TempDir(), "no-such-dir", "authorizer.zip")
			cfgMap["hipaa-pipeline:authorizerZipPath"] = missing
			rec, err := mocktest.Run(Run, mocktest.Options{Project: project, Stack: stack, Config: cfgMap, DryRun: true})
			require.NoError(t, err)
			fns := rec.OfType("aws:lambda/function:Function")
			require.Len(t, fns, 1)
			code, ok := fns[0].Value("code")
			require.True(t, ok)
			assert.Equal(t, missing, code.ArchiveValue().Path)
		})
	}
}
