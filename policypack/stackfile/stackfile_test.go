package stackfile_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
)

func byURN(t *testing.T, rs []policy.Resource, urn string) policy.Resource {
	t.Helper()
	for _, r := range rs {
		if r.URN == urn {
			return r
		}
	}
	require.Failf(t, "resource not found", "%s", urn)
	return policy.Resource{}
}

func TestReadStackExport(t *testing.T) {
	rs, info, err := stackfile.Read("testdata/export.json")
	require.NoError(t, err)
	assert.Equal(t, stackfile.Info{Format: stackfile.FormatStackExport, Project: "carepulse", Stack: "prod", Skipped: 3}, info)
	require.Len(t, rs, 2, "stack, provider and component are skipped")

	db := byURN(t, rs, "urn:pulumi:prod::carepulse::hipaa:database:Aurora$aws:rds/cluster:Cluster::db-cluster")
	assert.Equal(t, "aws:rds/cluster:Cluster", db.Type)
	assert.Equal(t, "db-cluster", db.Name)
	assert.Equal(t, "urn:pulumi:prod::carepulse::hipaa:database:Aurora::db", db.Parent)
	assert.Equal(t, []string{"urn:pulumi:prod::carepulse::aws:kms/key:Key::data-key"}, db.Dependencies)
	assert.Equal(t, map[string][]string{
		"kmsKeyId": {"urn:pulumi:prod::carepulse::aws:kms/key:Key::data-key"}, "engine": {},
	}, db.PropertyDependencies)

	// Inputs, not outputs, are read: they are what the analyzer sees.
	enc, st := props.Bool(db.Properties, "storageEncrypted")
	assert.Equal(t, props.Known, st)
	assert.True(t, enc)
	_, st = props.String(db.Properties, "arn")
	assert.Equal(t, props.Missing, st, "outputs are not mixed in")
	// The outputs are kept apart, for stack policies (as the engine's AnalyzeStack sees them).
	arn, st := props.String(db.Outputs, "arn")
	assert.Equal(t, props.Known, st)
	assert.Contains(t, arn, "arn:aws:rds:")
	days, st := props.Int(db.Properties, "backupRetentionPeriod")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 7, days)

	// A ciphertext secret is present and secret, and its content is not readable.
	pw, st := props.String(db.Properties, "masterPassword")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, stackfile.CiphertextPlaceholder, pw)
	assert.True(t, props.IsSecret(db.Properties, "masterPassword"))
	_, st = props.Bool(db.Properties, "masterPassword")
	assert.Equal(t, props.WrongType, st, "a ciphertext cannot be read as another type")

	// Old state without inputs falls back to outputs; "plaintext" secrets are JSON text.
	key := byURN(t, rs, "urn:pulumi:prod::carepulse::aws:kms/key:Key::data-key")
	rot, st := props.Bool(key.Properties, "enableKeyRotation")
	assert.Equal(t, props.Known, st)
	assert.True(t, rot)
	desc, st := props.String(key.Properties, "description")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "key for phi", desc)
	assert.True(t, props.IsSecret(key.Properties, "description"))
}

func TestReadPreview(t *testing.T) {
	rs, info, err := stackfile.Read("testdata/preview.json")
	require.NoError(t, err)
	assert.Equal(t, stackfile.FormatPreview, info.Format)
	assert.Equal(t, "carepulse", info.Project)
	assert.Equal(t, "dev", info.Stack)
	assert.Equal(t, 2, info.Skipped, "the stack and the delete step")
	require.Len(t, rs, 2, "a replacement's two steps give one resource")

	s := byURN(t, rs, "urn:pulumi:dev::carepulse::aws:kinesis/stream:Stream::vitals")
	_, st := props.String(s.Properties, "kmsKeyId")
	assert.Equal(t, props.Unknown, st)
	typ, st := props.String(s.Properties, "encryptionType")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "KMS", typ)
	mode, st := props.String(s.Properties, "streamModeDetails.streamMode")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "PROVISIONED", mode)
	owner, st := props.String(s.Properties, "tags.owner")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "ops@example.org", owner)
	assert.True(t, props.IsSecret(s.Properties, "tags.owner"))

	// The preview writes secrets as "[secret]": read as present, secret and unreadable.
	masked, st := props.String(s.Properties, "masked")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, stackfile.CiphertextPlaceholder, masked)
	assert.True(t, props.IsSecret(s.Properties, "masked"))
	assert.True(t, props.IsSecret(s.Properties, "list[0]"))
	assert.False(t, props.IsSecret(s.Properties, "list[1]"))
}

func TestReadFixture(t *testing.T) {
	rs, info, err := stackfile.Read("testdata/fixture.json")
	require.NoError(t, err)
	assert.Equal(t, stackfile.Info{Format: stackfile.FormatFixture, Project: "carepulse", Stack: "prod", Skipped: 1}, info)
	require.Len(t, rs, 2)

	cache := rs[0]
	assert.Equal(t, "urn:pulumi:fixture::fixture::aws:elasticache/replicationGroup:ReplicationGroup::cache", cache.URN,
		"a missing URN is made from type and name with the default stack and project")
	assert.Equal(t, "cache", cache.Name)
	atRest, st := props.Bool(cache.Properties, "atRestEncryptionEnabled")
	assert.Equal(t, props.Known, st, "the string \"true\" reads as a boolean")
	assert.True(t, atRest)
	n, st := props.Int(cache.Properties, "numCacheClusters")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 2, n)
	_, st = props.Strings(cache.Properties, "subnetIds")
	assert.Equal(t, props.Unknown, st, "an unknown element makes the list unknown")
	_, st = props.Get(cache.Properties, "nothing")
	assert.Equal(t, props.Missing, st)
	tok, st := props.String(cache.Properties, "authToken")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "s3cr3t-token-value", tok)
	assert.True(t, props.IsSecret(cache.Properties, "authToken"))

	key := rs[1]
	assert.Equal(t, "urn:pulumi:prod::carepulse::aws:kms/key:Key::k", key.URN)
	assert.Equal(t, "k", key.Name)
	assert.Equal(t, "urn:pulumi:prod::carepulse::pulumi:pulumi:Stack::carepulse-prod", key.Parent)
	assert.Equal(t, []string{"urn:pulumi:prod::carepulse::aws:iam/role:Role::r"}, key.Dependencies)
	assert.Equal(t, map[string][]string{"policy": {"urn:pulumi:prod::carepulse::aws:iam/role:Role::r"}}, key.PropertyDependencies)
}

func TestOutputValues(t *testing.T) {
	data := `{"resources":[{"type":"aws:s3/bucket:Bucket","name":"b","properties":{
	  "known": {"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4","value":"x","secret":true},
	  "unknown": {"4dabf18193072939515e22adb298388d":"d0e6a833031e9bbcd3f4e8bde6ca49a4"}}}]}`
	rs, _, err := stackfile.Parse([]byte(data))
	require.NoError(t, err)
	v, st := props.String(rs[0].Properties, "known")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "x", v)
	assert.True(t, props.IsSecret(rs[0].Properties, "known"))
	_, st = props.String(rs[0].Properties, "unknown")
	assert.Equal(t, props.Unknown, st)
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"not JSON", "{\n  \"resources\": [\n  }", "invalid JSON at line 3, column 3"},
		{"not an object", `[1, 2]`, "the file must be a JSON object, found JSON array"},
		{"unknown shape", `{"foo": 1}`, `not a stack export ("deployment"), a preview ("steps") or a fixture ("resources") file`},
		{"resources not a list", `{"resources": {"a": 1}}`, "resources: expected []json.RawMessage, found JSON object"},
		{"missing type", `{"resources": [{"name": "a", "properties": {}}]}`, `resources[0]: missing "type"`},
		{"bad type", `{"resources": [{"type": "rds", "name": "a"}]}`, `resources[0].type: "rds" is not a Pulumi type token`},
		{"missing name", `{"resources": [{"type": "aws:s3/bucket:Bucket"}]}`, `resources[0]: missing "name" (and no "urn")`},
		{"name wrong type", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": 3}]}`, "resources[0].name: expected string, found JSON number"},
		{"bad urn", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": "a", "urn": "nope"}]}`, "resources[0].urn: "},
		{"duplicate", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": "a"}, {"type": "aws:s3/bucket:Bucket", "name": "a"}]}`,
			"resources[1]: URN urn:pulumi:fixture::fixture::aws:s3/bucket:Bucket::a already used by resources[0]"},
		{"properties wrong type", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": "a", "properties": [1]}]}`,
			"resources[0].properties: expected map[string]interface {}, found JSON array"},
		{"bad secret", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": "a", "properties": {"x": {"y": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}}}}]}`,
			`resources[0].properties.x.y: secret has neither "value", "plaintext" nor "ciphertext"`},
		{"bad signature", `{"resources": [{"type": "aws:s3/bucket:Bucket", "name": "a", "properties": {"x": [{"4dabf18193072939515e22adb298388d": "zzz"}]}}]}`,
			"resources[0].properties.x[0]: unknown special-object signature zzz"},
		{"export without urn", `{"deployment": {"resources": [{"type": "aws:s3/bucket:Bucket"}]}}`, `deployment.resources[0]: missing "urn"`},
		{"preview steps wrong", `{"steps": {"x": 1}}`, "steps: expected"},
		{"export duplicate", `{"deployment": {"resources": [{"urn": "urn:pulumi:p::q::aws:s3/bucket:Bucket::b", "custom": true}, {"urn": "urn:pulumi:p::q::aws:s3/bucket:Bucket::b", "custom": true}]}}`,
			"deployment.resources[1]: URN urn:pulumi:p::q::aws:s3/bucket:Bucket::b already used by deployment.resources[0]"},
		{"update step without new state", `{"steps": [{"op": "update", "urn": "urn:pulumi:p::q::aws:s3/bucket:Bucket::b"}]}`, `steps[0].newState: missing for a "update" step of urn:pulumi:p::q::aws:s3/bucket:Bucket::b`},
		{"state type", `{"steps": [{"newState": {"urn": "urn:pulumi:p::q::0::x"}}]}`, `steps[0].newState: "0" is not a Pulumi type token`},
		{"state without name", `{"steps": [{"newState": {"urn": "urn:pulumi:p::q::aws:s3/bucket:Bucket::"}}]}`, `steps[0].newState.urn: "urn:pulumi:p::q::aws:s3/bucket:Bucket::" names no resource`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, _, err := stackfile.Parse([]byte(tt.data))
			require.Error(t, err)
			assert.Nil(t, rs)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestReadErrorNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "broken.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"resources": [{"name": "a"}]}`), 0o600))
	_, _, err := stackfile.Read(path)
	require.Error(t, err)
	assert.Equal(t, path+`: resources[0]: missing "type"`, err.Error())

	_, _, err = stackfile.Read(filepath.Join(t.TempDir(), "absent.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "absent.json")
}

func TestWriteFixtureRoundTripAndRedaction(t *testing.T) {
	const canary = "CANARY-7f3a9c-never-print-me"
	rs := []policy.Resource{
		{
			URN: "urn:pulumi:prod::carepulse::aws:s3/bucket:Bucket::zeta", Type: "aws:s3/bucket:Bucket", Name: "zeta",
			Properties: resource.PropertyMap{
				"b":        resource.NewProperty(true),
				"a":        resource.NewProperty(3.0),
				"unknown":  resource.MakeComputed(resource.NewProperty("")),
				"password": resource.MakeSecret(resource.NewProperty(canary)),
				"nested": resource.NewProperty(resource.PropertyMap{
					"list": resource.NewProperty([]resource.PropertyValue{
						resource.NewProperty("x"), resource.MakeSecret(resource.NewProperty(resource.PropertyMap{"k": resource.NewProperty(canary)})),
					}),
				}),
				"out": resource.NewProperty(resource.Output{Element: resource.NewProperty(canary), Known: true, Secret: true}),
			},
			Dependencies: []string{"urn:pulumi:prod::carepulse::aws:kms/key:Key::k"},
		},
		{URN: "urn:pulumi:prod::carepulse::aws:kms/key:Key::alpha", Type: "aws:kms/key:Key", Name: "alpha", Properties: resource.PropertyMap{}},
	}
	var buf bytes.Buffer
	require.NoError(t, stackfile.WriteFixture(&buf, rs))
	out := buf.String()
	assert.NotContains(t, out, canary)
	assert.NotContains(t, out, "CANARY")

	var doc struct {
		Resources []map[string]any `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	require.Len(t, doc.Resources, 2)
	assert.Equal(t, "alpha", doc.Resources[0]["name"], "sorted by URN")
	p := doc.Resources[1]["properties"].(map[string]any)
	assert.Equal(t, stackfile.UnknownValue, p["unknown"])
	assert.Equal(t, map[string]any{stackfile.SigKey: stackfile.SecretSig, "ciphertext": "[redacted]"}, p["password"])
	assert.Less(t, strings.Index(out, `"a": 3`), strings.Index(out, `"b": true`), "keys sorted")

	// Reading it back keeps types, unknowns and secrecy (not the secret's content).
	back, info, err := stackfile.Parse(buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, "prod", info.Stack)
	z := back[1]
	assert.Equal(t, []string{"urn:pulumi:prod::carepulse::aws:kms/key:Key::k"}, z.Dependencies)
	_, st := props.Get(z.Properties, "unknown")
	assert.Equal(t, props.Unknown, st)
	assert.True(t, props.IsSecret(z.Properties, "password"))
	assert.True(t, props.IsSecret(z.Properties, "out"))
	v, _ := props.Bool(z.Properties, "b")
	assert.True(t, v)

	// Stable: writing again gives the same bytes.
	var again bytes.Buffer
	require.NoError(t, stackfile.WriteFixture(&again, rs))
	assert.Equal(t, out, again.String())
}
