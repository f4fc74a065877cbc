package stackfile

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Pulumi's JSON encodings (the same in state files, preview output and engine events).
const (
	// UnknownValue stands for a value that is not known yet (computed during preview).
	UnknownValue = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
	// SigKey is the key that marks a special object.
	SigKey = "4dabf18193072939515e22adb298388d"
	// SecretSig marks a secret: the value is in "value" (plain), "plaintext" (JSON text) or
	// "ciphertext" (encrypted, unreadable here).
	SecretSig = "1b47061264138c4ac30d75fd1eb44270"
	// AssetSig, ArchiveSig, ResourceReferenceSig and OutputValueSig mark the other special
	// objects.
	AssetSig             = "c44067f5952c0a294b673a41bacd8c17"
	ArchiveSig           = "0def7320c3a5731c473e5ecbe6d01bc7"
	ResourceReferenceSig = "5cf8f73096256a8f31e491e813e4eb8e"
	OutputValueSig       = "d0e6a833031e9bbcd3f4e8bde6ca49a4"

	// CiphertextPlaceholder is the content given to a secret whose value is encrypted: the
	// value is present and secret, but not readable. Policies reading it as a string see this
	// placeholder; reading it as any other type gives props.WrongType (undetermined).
	CiphertextPlaceholder = "[secret ciphertext]"
	// redactedCiphertext is what WriteFixture writes in place of every secret value.
	redactedCiphertext = "[redacted]"
)

// decodeValue turns a JSON value (as decoded by encoding/json into any) into a PropertyValue,
// honouring Pulumi's encodings. path names the value for error messages.
func decodeValue(v any, path string) (resource.PropertyValue, error) {
	switch x := v.(type) {
	case nil:
		return resource.NewNullProperty(), nil
	case bool:
		return resource.NewProperty(x), nil
	case float64:
		return resource.NewProperty(x), nil
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return resource.PropertyValue{}, fmt.Errorf("%s: number %s out of range", path, x)
		}
		return resource.NewProperty(f), nil
	case string:
		if x == UnknownValue {
			return resource.MakeComputed(resource.NewProperty("")), nil
		}
		return resource.NewProperty(x), nil
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			pv, err := decodeValue(e, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return resource.PropertyValue{}, err
			}
			arr[i] = pv
		}
		return resource.NewProperty(arr), nil
	case map[string]any:
		if sig, ok := x[SigKey]; ok {
			return decodeSpecial(x, sig, path)
		}
		m, err := decodeMap(x, path)
		if err != nil {
			return resource.PropertyValue{}, err
		}
		return resource.NewProperty(m), nil
	}
	return resource.PropertyValue{}, fmt.Errorf("%s: unexpected JSON value of type %T", path, v)
}

func decodeMap(x map[string]any, path string) (resource.PropertyMap, error) {
	m := make(resource.PropertyMap, len(x))
	for k, e := range x {
		pv, err := decodeValue(e, joinPath(path, k))
		if err != nil {
			return nil, err
		}
		m[resource.PropertyKey(k)] = pv
	}
	return m, nil
}

func decodeSpecial(x map[string]any, sig any, path string) (resource.PropertyValue, error) {
	switch sig {
	case SecretSig:
		if v, ok := x["value"]; ok {
			inner, err := decodeValue(v, path+".value")
			if err != nil {
				return resource.PropertyValue{}, err
			}
			return resource.MakeSecret(inner), nil
		}
		if p, ok := x["plaintext"]; ok {
			s, isString := p.(string)
			if !isString {
				return resource.PropertyValue{}, fmt.Errorf("%s: secret plaintext must be a JSON-encoded string", path)
			}
			var inner any
			if err := json.Unmarshal([]byte(s), &inner); err != nil {
				inner = s
			}
			pv, err := decodeValue(inner, path+".plaintext")
			if err != nil {
				return resource.PropertyValue{}, err
			}
			return resource.MakeSecret(pv), nil
		}
		if _, ok := x["ciphertext"]; ok {
			return resource.MakeSecret(resource.NewProperty(CiphertextPlaceholder)), nil
		}
		return resource.PropertyValue{}, fmt.Errorf("%s: secret has neither \"value\", \"plaintext\" nor \"ciphertext\"", path)
	case OutputValueSig:
		out := resource.Output{Element: resource.NewNullProperty()}
		if v, ok := x["value"]; ok {
			inner, err := decodeValue(v, path+".value")
			if err != nil {
				return resource.PropertyValue{}, err
			}
			out.Element, out.Known = inner, true
		}
		if s, ok := x["secret"].(bool); ok {
			out.Secret = s
		}
		return resource.NewProperty(out), nil
	case AssetSig, ArchiveSig, ResourceReferenceSig:
		// Kept as a plain object: no HIPAA check reads assets, archives or references by value.
		m, err := decodeMap(x, path)
		if err != nil {
			return resource.PropertyValue{}, err
		}
		return resource.NewProperty(m), nil
	}
	return resource.PropertyValue{}, fmt.Errorf("%s: unknown special-object signature %v", path, sig)
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// encodeValue renders a PropertyValue in Pulumi's JSON encoding with every secret replaced by
// the secret signature and a ciphertext placeholder: a secret value is never written.
func encodeValue(v resource.PropertyValue) any {
	switch {
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		f := v.NumberValue()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil
		}
		return f
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = encodeValue(e)
		}
		return out
	case v.IsObject():
		return encodeMap(v.ObjectValue())
	case v.IsComputed():
		return UnknownValue
	case v.IsSecret():
		return redactedSecret()
	case v.IsOutput():
		o := v.OutputValue()
		switch {
		case o.Secret:
			return redactedSecret()
		case !o.Known:
			return UnknownValue
		}
		return encodeValue(o.Element)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		out := map[string]any{SigKey: ResourceReferenceSig, "urn": string(ref.URN)}
		if ref.ID.HasValue() {
			out["id"] = encodeValue(ref.ID)
		}
		return out
	case v.IsAsset():
		a := v.AssetValue()
		return map[string]any{SigKey: AssetSig, "hash": a.Hash}
	case v.IsArchive():
		a := v.ArchiveValue()
		return map[string]any{SigKey: ArchiveSig, "hash": a.Hash}
	}
	return nil
}

func redactedSecret() map[string]any {
	return map[string]any{SigKey: SecretSig, "ciphertext": redactedCiphertext}
}

func encodeMap(m resource.PropertyMap) map[string]any {
	out := make(map[string]any, len(m))
	for _, k := range sortedKeys(m) {
		out[string(k)] = encodeValue(m[k])
	}
	return out
}

func sortedKeys(m resource.PropertyMap) []resource.PropertyKey {
	keys := make([]resource.PropertyKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
