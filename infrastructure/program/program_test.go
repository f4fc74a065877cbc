package program_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/mocktest"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

func TestStacksRunUnderMocks(t *testing.T) {
	for _, stack := range []string{"dev", "prod"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := mocktest.RunStack(program.Run, stack)
			require.NoError(t, err)
			require.Empty(t, rec.Calls, "the program makes no provider invokes")
			t.Logf("%s stack under mocks:\n%s", stack, rec.Summary())
		})
	}
}

// A bad value fails the run with a message naming the key and the allowed values, before a
// single resource (not even a component) is registered.
func TestRunValidatesConfigBeforeCreatingAnything(t *testing.T) {
	dir, err := mocktest.InfrastructureDir()
	require.NoError(t, err)
	for _, tc := range []struct {
		name, stack, key, value, want string
	}{
		{"unknown environment", "prod", "hipaa-pipeline:environment", "staging",
			`hipaa-pipeline:environment: "staging" is not an environment (allowed: dev, prod)`},
		{"one AZ", "prod", "hipaa-pipeline:availabilityZones", `["eu-west-1a"]`,
			`hipaa-pipeline:availabilityZones: 1 availability zone(s) given, at least 2 are required for high availability (e.g. [eu-west-1a, eu-west-1b])`},
		{"auto-pause on the critical tier", "prod", "hipaa-pipeline:dbMinCapacity", "0",
			`hipaa-pipeline:dbMinCapacity: tier "critical" forbids Aurora auto-pause`},
		{"unsupported log retention", "dev", "hipaa-pipeline:logRetentionDays", "400000",
			`hipaa-pipeline:logRetentionDays: 400000 is not a CloudWatch Logs retention period (allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)`},
		{"malformed number", "dev", "hipaa-pipeline:kmsKeyRotationDays", "yearly",
			`hipaa-pipeline:kmsKeyRotationDays: "yearly" is not a whole number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			project, cfg, err := mocktest.StackConfig(dir, tc.stack)
			require.NoError(t, err)
			cfg[tc.key] = tc.value
			rec, err := mocktest.Run(program.Run, mocktest.Options{Project: project, Stack: tc.stack, Config: cfg})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Empty(t, rec.Resources, "nothing is created when the config is invalid")
		})
	}
}

// Conventions over the whole program (foundation and data plane): every log group is
// encrypted with the logs key and keeps the configured retention; every key rotates yearly;
// every physical name and Name tag has the environment suffix; every resource sits in a
// component and its logical name is kebab case prefixed by that component.
func TestWholeStackConventions(t *testing.T) {
	for _, tc := range []struct {
		stack     string
		retention float64
	}{{"prod", 2192}, {"dev", 365}} {
		t.Run(tc.stack, func(t *testing.T) {
			rec, err := mocktest.RunStack(program.Run, tc.stack)
			require.NoError(t, err)
			sfx := "-" + tc.stack

			logsKey, ok := rec.One("aws:kms/key:Key", "keys-logs-key")
			require.True(t, ok)
			logsKeyArn := logsKey.Outputs["arn"].StringValue()
			groups := rec.OfType("aws:cloudwatch/logGroup:LogGroup")
			require.NotEmpty(t, groups)
			for _, g := range groups {
				assert.Equal(t, logsKeyArn, g.Str("kmsKeyId"), "log group %s uses the logs key", g.Name)
				r, ok := g.Num("retentionInDays")
				assert.True(t, ok, "log group %s has a retention", g.Name)
				assert.Equal(t, tc.retention, r, "log group %s retention", g.Name)
			}

			keys := rec.OfType("aws:kms/key:Key")
			assert.Len(t, keys, 7)
			for _, k := range keys {
				rot, _ := k.Bool("enableKeyRotation")
				assert.True(t, rot, k.Name)
				days, _ := k.Num("rotationPeriodInDays")
				assert.Equal(t, 365.0, days, k.Name)
			}

			components := map[string]string{}
			for _, r := range rec.Resources {
				if !r.Custom {
					components[r.URN] = r.Name
				}
			}
			for _, r := range rec.Resources {
				assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, r.Name, "%s logical name is kebab case", r.Type)
				if r.Custom {
					comp, ok := components[r.Parent]
					if assert.True(t, ok, "%s %s has a component parent", r.Type, r.Name) {
						assert.True(t, strings.HasPrefix(r.Name, comp+"-"), "%s %s is prefixed by its component %s", r.Type, r.Name, comp)
					}
				} else {
					assert.True(t, strings.HasPrefix(r.Type, "hipaa:"), "component type token %s", r.Type)
				}
				for _, k := range []string{"name", "bucket", "tags.Name", "clusterIdentifier", "replicationGroupId", "functionName", "streamName"} {
					v := r.Str(k)
					if v == "" || (k == "name" && !physicalName(r.Type)) {
						continue
					}
					assert.True(t, strings.HasSuffix(v, sfx), "%s %s: %s %q lacks the suffix %s", r.Type, r.Name, k, v, sfx)
				}
			}
		})
	}
}

// scopedNames are types whose "name" is scoped inside another resource (a model or validator
// of one REST API), not an account-wide physical name, so it needs no environment suffix.
var scopedNames = map[string]bool{
	"aws:apigateway/model:Model":                       true,
	"aws:apigateway/requestValidator:RequestValidator": true,
}

func physicalName(typ string) bool { return !scopedNames[typ] }
