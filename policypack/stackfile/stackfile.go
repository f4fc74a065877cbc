// Package stackfile reads the resources of a stack from the files Pulumi users have at hand —
// a `pulumi stack export`, a `pulumi preview --json` or a hand-made fixture — and writes the
// fixture format. All three use Pulumi's own JSON encodings for unknown and secret values, so a
// policy sees the same resource.PropertyMap it would get from the engine through the analyzer.
package stackfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// Format names the kind of file that was read.
type Format string

// Formats.
const (
	FormatStackExport Format = "stack-export"
	FormatPreview     Format = "preview"
	FormatFixture     Format = "fixture"
)

// Defaults used to build a URN for a fixture resource that has none.
const (
	DefaultProject = "fixture"
	DefaultStack   = "fixture"
)

// Info describes what was read.
type Info struct {
	Format Format
	// Project and Stack come from the resources' URNs (the first URN that parses), else the
	// defaults for fixtures.
	Project string
	Stack   string
	// Skipped counts resources that are not analyzed: providers, the stack itself,
	// components (in state and preview files) and resources being deleted (preview).
	Skipped int
}

// Read reads the file at path, detecting its format. Errors name the file and, where possible,
// the JSON position or path of the problem.
func Read(path string) ([]policy.Resource, Info, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Info{}, fmt.Errorf("reading %s: %w", path, err)
	}
	rs, info, err := Parse(data)
	if err != nil {
		return nil, Info{}, fmt.Errorf("%s: %w", path, err)
	}
	return rs, info, nil
}

// Parse reads the content of a stack export, preview or fixture file.
func Parse(data []byte) ([]policy.Resource, Info, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, Info{}, describeJSONError(data, err)
	}
	switch {
	case top["deployment"] != nil:
		return parseExport(top["deployment"])
	case top["steps"] != nil:
		return parsePreview(top["steps"])
	case top["resources"] != nil:
		return parseFixture(top["resources"])
	}
	return nil, Info{}, errors.New(`not a stack export ("deployment"), a preview ("steps") or a fixture ("resources") file`)
}

// describeJSONError turns a decoding error into one with a line and column.
func describeJSONError(data []byte, err error) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		line, col := position(data, syn.Offset)
		return fmt.Errorf("invalid JSON at line %d, column %d (offset %d): %w", line, col, syn.Offset, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Errorf("the file must be a JSON object, found JSON %s", typ.Value)
	}
	return fmt.Errorf("invalid JSON: %w", err)
}

func position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(offset) - (bytes.LastIndexByte(before, '\n') + 1)
	if col < 1 {
		col = 1
	}
	return line, col
}

// stateResource is a resource of a deployment (stack export) or a preview step's newState.
type stateResource struct {
	URN                  string              `json:"urn"`
	Custom               *bool               `json:"custom"`
	Delete               bool                `json:"delete"`
	Type                 string              `json:"type"`
	Inputs               map[string]any      `json:"inputs"`
	Outputs              map[string]any      `json:"outputs"`
	Parent               string              `json:"parent"`
	Dependencies         []string            `json:"dependencies"`
	PropertyDependencies map[string][]string `json:"propertyDependencies"`
}

func decodeStrict(raw json.RawMessage, what string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			field := typ.Field
			if field != "" {
				field = "." + field
			}
			return fmt.Errorf("%s%s: expected %s, found JSON %s", what, field, typ.Type, typ.Value)
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func parseExport(raw json.RawMessage) ([]policy.Resource, Info, error) {
	var dep struct {
		Resources []json.RawMessage `json:"resources"`
	}
	if err := decodeStrict(raw, "deployment", &dep); err != nil {
		return nil, Info{}, err
	}
	info := Info{Format: FormatStackExport}
	var out []policy.Resource
	urns := map[string]int{}
	for i, rr := range dep.Resources {
		where := fmt.Sprintf("deployment.resources[%d]", i)
		var sr stateResource
		if err := decodeStrict(rr, where, &sr); err != nil {
			return nil, Info{}, err
		}
		if sr.Delete {
			info.Skipped++
			continue
		}
		r, keep, err := fromState(sr, where)
		if err != nil {
			return nil, Info{}, err
		}
		if !keep {
			info.Skipped++
			continue
		}
		// The engine shows stack policies a deployed resource's outputs (AnalyzeStack after an
		// update): keep them apart from the inputs resource policies read.
		if sr.Inputs != nil && sr.Outputs != nil {
			if r.Outputs, err = decodeMap(sr.Outputs, where+".outputs"); err != nil {
				return nil, Info{}, err
			}
		}
		if prev, dup := urns[r.URN]; dup {
			return nil, Info{}, fmt.Errorf("%s: URN %s already used by deployment.resources[%d]", where, r.URN, prev)
		}
		urns[r.URN] = i
		out = append(out, r)
	}
	fillStack(&info, out)
	return out, info, nil
}

// removingOps are the preview step operations that leave no new state behind.
var removingOps = map[string]bool{
	"delete": true, "delete-replaced": true, "discard": true, "discard-replaced": true,
	"remove-pending-replace": true,
}

func parsePreview(raw json.RawMessage) ([]policy.Resource, Info, error) {
	var steps []struct {
		Op       string          `json:"op"`
		URN      string          `json:"urn"`
		NewState json.RawMessage `json:"newState"`
	}
	if err := decodeStrict(raw, "steps", &steps); err != nil {
		return nil, Info{}, err
	}
	info := Info{Format: FormatPreview}
	var out []policy.Resource
	seen := map[string]bool{}
	for i, st := range steps {
		where := fmt.Sprintf("steps[%d].newState", i)
		if len(st.NewState) == 0 || string(st.NewState) == "null" {
			// Only the steps that remove a resource carry no new state; any other step without
			// one is a truncated file, and skipping it would check less than the stack.
			if !removingOps[st.Op] {
				return nil, Info{}, fmt.Errorf("%s: missing for a %q step of %s (only delete steps have no new state)", where, st.Op, st.URN)
			}
			info.Skipped++
			continue
		}
		var sr stateResource
		if err := decodeStrict(st.NewState, where, &sr); err != nil {
			return nil, Info{}, err
		}
		if sr.URN == "" {
			sr.URN = st.URN
		}
		// A replacement shows up as several steps of one URN; keep the first new state.
		if seen[sr.URN] {
			continue
		}
		r, keep, err := fromState(sr, where)
		if err != nil {
			return nil, Info{}, err
		}
		if !keep {
			info.Skipped++
			continue
		}
		seen[sr.URN] = true
		r.Properties = unmaskPreviewSecrets(r.Properties)
		out = append(out, r)
	}
	fillStack(&info, out)
	return out, info, nil
}

// fromState builds a Resource from a state resource; keep is false for resources that are not
// analyzed (providers, the stack, components).
func fromState(sr stateResource, where string) (policy.Resource, bool, error) {
	if sr.URN == "" {
		return policy.Resource{}, false, fmt.Errorf("%s: missing \"urn\"", where)
	}
	urn, err := resource.ParseURN(sr.URN)
	if err != nil {
		return policy.Resource{}, false, fmt.Errorf("%s.urn: %w", where, err)
	}
	typ := sr.Type
	if typ == "" {
		typ = string(urn.Type())
	}
	if !typeToken.MatchString(typ) {
		return policy.Resource{}, false, fmt.Errorf("%s: %q is not a Pulumi type token (like aws:rds/cluster:Cluster)", where, typ)
	}
	if urn.Name() == "" {
		return policy.Resource{}, false, fmt.Errorf("%s.urn: %q names no resource", where, sr.URN)
	}
	if skipType(typ) || (sr.Custom != nil && !*sr.Custom) {
		return policy.Resource{}, false, nil
	}
	// The analyzer sees a resource's inputs; state files from old CLIs may only have outputs.
	src, key := sr.Inputs, "inputs"
	if src == nil {
		src, key = sr.Outputs, "outputs"
	}
	props, err := decodeMap(src, where+"."+key)
	if err != nil {
		return policy.Resource{}, false, err
	}
	return policy.Resource{
		URN:                  sr.URN,
		Type:                 typ,
		Name:                 urn.Name(),
		Properties:           props,
		Parent:               sr.Parent,
		Dependencies:         sr.Dependencies,
		PropertyDependencies: nonEmptyDeps(sr.PropertyDependencies),
	}, true, nil
}

// typeToken is the shape of a Pulumi type token: package:module:Type.
var typeToken = regexp.MustCompile(`^[^:\s]+:[^:\s]*:[^:\s]+$`)

// skipType reports whether resources of this type are never analyzed.
func skipType(typ string) bool {
	return strings.HasPrefix(typ, "pulumi:providers:") || typ == "pulumi:pulumi:Stack"
}

func nonEmptyDeps(m map[string][]string) map[string][]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func fillStack(info *Info, rs []policy.Resource) {
	for _, r := range rs {
		if urn, err := resource.ParseURN(r.URN); err == nil {
			info.Project, info.Stack = string(urn.Project()), string(urn.Stack())
			return
		}
	}
}

// fixtureResource is one resource of a fixture file.
type fixtureResource struct {
	URN                  string              `json:"urn,omitempty"`
	Type                 string              `json:"type"`
	Name                 string              `json:"name"`
	Parent               string              `json:"parent,omitempty"`
	Dependencies         []string            `json:"dependencies,omitempty"`
	PropertyDependencies map[string][]string `json:"propertyDependencies,omitempty"`
	Properties           map[string]any      `json:"properties"`
}

func parseFixture(raw json.RawMessage) ([]policy.Resource, Info, error) {
	var items []json.RawMessage
	if err := decodeStrict(raw, "resources", &items); err != nil {
		return nil, Info{}, err
	}
	info := Info{Format: FormatFixture}
	out := make([]policy.Resource, 0, len(items))
	urns := map[string]int{}
	var explicit []policy.Resource // resources whose URN the file gives: they name the stack
	for i, item := range items {
		where := fmt.Sprintf("resources[%d]", i)
		var fr fixtureResource
		if err := decodeStrict(item, where, &fr); err != nil {
			return nil, Info{}, err
		}
		if fr.Type == "" {
			return nil, Info{}, fmt.Errorf("%s: missing \"type\"", where)
		}
		if !typeToken.MatchString(fr.Type) {
			return nil, Info{}, fmt.Errorf("%s.type: %q is not a Pulumi type token (like aws:rds/cluster:Cluster)", where, fr.Type)
		}
		if fr.URN != "" {
			urn, err := resource.ParseURN(fr.URN)
			if err != nil {
				return nil, Info{}, fmt.Errorf("%s.urn: %w", where, err)
			}
			if fr.Name == "" {
				fr.Name = urn.Name()
			}
		}
		if fr.Name == "" {
			return nil, Info{}, fmt.Errorf("%s: missing \"name\" (and no \"urn\")", where)
		}
		if fr.URN == "" {
			fr.URN = string(resource.CreateURN(fr.Name, fr.Type, "", DefaultProject, DefaultStack))
		} else {
			explicit = append(explicit, policy.Resource{URN: fr.URN})
		}
		if prev, dup := urns[fr.URN]; dup {
			return nil, Info{}, fmt.Errorf("%s: URN %s already used by resources[%d]", where, fr.URN, prev)
		}
		urns[fr.URN] = i
		if skipType(fr.Type) {
			info.Skipped++
			continue
		}
		props, err := decodeMap(fr.Properties, where+".properties")
		if err != nil {
			return nil, Info{}, err
		}
		out = append(out, policy.Resource{
			URN:                  fr.URN,
			Type:                 fr.Type,
			Name:                 fr.Name,
			Properties:           props,
			Parent:               fr.Parent,
			Dependencies:         fr.Dependencies,
			PropertyDependencies: nonEmptyDeps(fr.PropertyDependencies),
		})
	}
	info.Project, info.Stack = DefaultProject, DefaultStack
	fillStack(&info, explicit)
	return out, info, nil
}

// WriteFixture writes resources in the fixture format, sorted by URN, with object keys sorted,
// unknown values in Pulumi's encoding and every secret replaced by the secret signature with a
// ciphertext placeholder: no secret value is ever written. Nothing is written on error.
func WriteFixture(w io.Writer, resources []policy.Resource) error {
	items := make([]fixtureResource, len(resources))
	for i, r := range resources {
		items[i] = fixtureResource{
			URN:                  r.URN,
			Type:                 r.Type,
			Name:                 r.Name,
			Parent:               r.Parent,
			Dependencies:         r.Dependencies,
			PropertyDependencies: nonEmptyDeps(r.PropertyDependencies),
			Properties:           encodeMap(r.Properties),
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].URN < items[j].URN })
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(struct {
		Resources []fixtureResource `json:"resources"`
	}{items}); err != nil {
		return fmt.Errorf("encoding fixture: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing fixture: %w", err)
	}
	return nil
}

// previewSecretMask is what `pulumi preview --json` writes in place of a secret value (without
// --show-secrets).
const previewSecretMask = "[secret]"

// unmaskPreviewSecrets turns the "[secret]" strings of a preview into secrets whose content is
// not readable, like ciphertext in a state file: present and secret.
func unmaskPreviewSecrets(m resource.PropertyMap) resource.PropertyMap {
	for k, v := range m {
		m[k] = unmaskValue(v)
	}
	return m
}

func unmaskValue(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsString() && v.StringValue() == previewSecretMask:
		return resource.MakeSecret(resource.NewProperty(CiphertextPlaceholder))
	case v.IsArray():
		arr := v.ArrayValue()
		for i := range arr {
			arr[i] = unmaskValue(arr[i])
		}
	case v.IsObject():
		unmaskPreviewSecrets(v.ObjectValue())
	case v.IsSecret():
		v.SecretValue().Element = unmaskValue(v.SecretValue().Element)
	}
	return v
}
