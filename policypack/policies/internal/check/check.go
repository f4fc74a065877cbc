// Package check holds the small readers every Go policy uses to turn a property into a value or
// into the undetermined result the policy must return: an unknown value "cannot be verified
// until the value is known", a value of a type that cannot be interpreted is named with its
// type, never with its content (it may be secret).
package check

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/sig"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

// Undetermined is the result for a value at path that is unknown or of the wrong type.
// want names the expected type ("a boolean", "a number", ...).
func Undetermined(m resource.PropertyMap, path string, st props.State, want string) *policy.Result {
	if st == props.Unknown {
		r := policy.UndeterminedBecause("%s cannot be verified until the value is known", path)
		return &r
	}
	v, _ := props.Get(m, path)
	r := policy.UndeterminedBecause("%s is of type %s where %s was expected; it cannot be interpreted", path, TypeName(v), want)
	return &r
}

// TypeName names the JSON-like type of a value (never its content).
func TypeName(v resource.PropertyValue) string {
	switch {
	case v.IsBool():
		return "bool"
	case v.IsNumber():
		return "number"
	case v.IsString():
		return "string"
	case v.IsArray():
		return "array"
	case v.IsObject():
		return "object"
	case v.IsNull():
		return "null"
	}
	return v.TypeString()
}

// read turns one props reader's state into the policies' convention: a known value is
// returned present, a missing one absent, anything else undetermined (wanting want).
func read[T any](m resource.PropertyMap, path, want string, get func(resource.PropertyMap, string) (T, props.State)) (v T, present bool, res *policy.Result) {
	v, st := get(m, path)
	switch st {
	case props.Missing:
		var zero T
		return zero, false, nil
	case props.Known:
		return v, true, nil
	}
	var zero T
	return zero, false, Undetermined(m, path, st, want)
}

// Bool reads a boolean; a missing value is def. A non-nil result means undetermined.
func Bool(m resource.PropertyMap, path string, def bool) (bool, *policy.Result) {
	v, present, res := read(m, path, "a boolean", props.Bool)
	if !present && res == nil {
		return def, nil
	}
	return v, res
}

// String reads a string; present is false when it is missing or empty.
func String(m resource.PropertyMap, path string) (s string, present bool, res *policy.Result) {
	s, present, res = read(m, path, "a string", props.String)
	return s, present && s != "", res
}

// Int reads a whole number; present is false when it is missing.
func Int(m resource.PropertyMap, path string) (n int, present bool, res *policy.Result) {
	return read(m, path, "a whole number", props.Int)
}

// Number reads a number; present is false when it is missing.
func Number(m resource.PropertyMap, path string) (f float64, present bool, res *policy.Result) {
	return read(m, path, "a number", props.Number)
}

// Strings reads a list of strings; present is false when it is missing.
func Strings(m resource.PropertyMap, path string) (s []string, present bool, res *policy.Result) {
	return read(m, path, "a list of strings", props.Strings)
}

// Object reads an object; present is false when it is missing.
func Object(m resource.PropertyMap, path string) (o resource.PropertyMap, present bool, res *policy.Result) {
	v, st := props.Object(m, path)
	switch st {
	case props.Missing:
		return nil, false, nil
	case props.Known:
		return v, true, nil
	}
	return nil, false, Undetermined(m, path, st, "an object")
}

// Objects reads a list of objects (an object alone is read as a list of one); present is false
// when it is missing. An unknown element makes the whole undetermined.
func Objects(m resource.PropertyMap, path string) (out []resource.PropertyMap, present bool, res *policy.Result) {
	v, st := props.Get(m, path)
	switch st {
	case props.Missing:
		return nil, false, nil
	case props.Unknown:
		return nil, false, Undetermined(m, path, st, "a list of objects")
	}
	if v.IsObject() {
		return []resource.PropertyMap{v.ObjectValue()}, true, nil
	}
	if !v.IsArray() {
		return nil, false, Undetermined(m, path, props.WrongType, "a list of objects")
	}
	for i := range v.ArrayValue() {
		elem := fmt.Sprintf("%s[%d]", path, i)
		o, st := props.Object(m, elem)
		switch st {
		case props.Known:
			out = append(out, o)
		case props.Missing:
		default:
			return nil, false, Undetermined(m, elem, st, "an object")
		}
	}
	return out, true, nil
}

// JSON reads a property holding a JSON document (Pulumi passes policy documents and container
// definitions as strings); an object or array value is accepted as the document itself.
// present is false when it is missing or empty. Parse errors are undetermined and never quote
// the document (it may carry secrets).
func JSON(m resource.PropertyMap, path string) (doc any, present bool, res *policy.Result) {
	v, st := props.Get(m, path)
	switch st {
	case props.Missing:
		return nil, false, nil
	case props.Unknown:
		return nil, false, Undetermined(m, path, st, "a JSON document")
	}
	var raw []byte
	switch {
	case v.IsString():
		if strings.TrimSpace(v.StringValue()) == "" {
			return nil, false, nil
		}
		raw = []byte(v.StringValue())
	case v.IsObject() || v.IsArray():
		if v.ContainsUnknowns() {
			return nil, false, Undetermined(m, path, props.Unknown, "a JSON document")
		}
		b, err := json.Marshal(v.Mappable())
		if err != nil {
			r := policy.UndeterminedBecause("%s cannot be read as a JSON document", path)
			return nil, false, &r
		}
		raw = b
	default:
		return nil, false, Undetermined(m, path, props.WrongType, "a JSON document")
	}
	if strings.Contains(string(raw), sig.UnknownStringValue) {
		return nil, false, Undetermined(m, path, props.Unknown, "a JSON document")
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		r := policy.UndeterminedBecause("%s is not valid JSON (%s); it cannot be interpreted", path, jsonErrorKind(err))
		return nil, false, &r
	}
	return doc, true, nil
}

// jsonErrorKind describes a JSON error without quoting the input.
func jsonErrorKind(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at offset %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("unexpected %s at offset %d", te.Value, te.Offset)
	}
	return "malformed document"
}

var isARN = regexp.MustCompile(`^arn:aws[a-z-]*:`)

// IsARN reports whether s looks like an AWS ARN.
func IsARN(s string) bool { return isARN.MatchString(s) }

// IsAWSManagedKey reports whether a KMS key reference names an AWS-managed key alias
// (alias/aws/<service>), which is not a customer-managed key.
func IsAWSManagedKey(ref string) bool {
	return strings.HasPrefix(ref, "alias/aws/") || strings.Contains(ref, ":alias/aws/")
}

// Within prefixes the messages of an undetermined result read from a nested object with the
// path of that object ("rules[0].").
func Within(prefix string, res *policy.Result) *policy.Result {
	if res == nil {
		return nil
	}
	out := *res
	out.Messages = make([]string, len(res.Messages))
	for i, m := range res.Messages {
		out.Messages[i] = prefix + m
	}
	return &out
}

// Show renders a value read from path for a message: "[secret]" when the value (or anything on
// the way to it) is secret, else the value as read.
func Show(m resource.PropertyMap, path string, v any) string {
	if props.IsSecret(m, path) {
		return "[secret]"
	}
	return fmt.Sprint(v)
}

// Set reports whether a property that only has to be present (an ARN, a destination) is set.
// An unknown value counts as set: during a preview it is an output of another resource (an
// ARN, an ID), which always has a value; only its content is not known yet, and a policy that
// needs the content must use String instead. An empty string is not set; a value of another
// type than string is undetermined.
func Set(m resource.PropertyMap, path string) (bool, *policy.Result) {
	v, st := props.Get(m, path)
	switch st {
	case props.Missing:
		return false, nil
	case props.Unknown:
		return true, nil
	}
	switch {
	case v.IsString():
		return v.StringValue() != "", nil
	case v.IsArray():
		return len(v.ArrayValue()) > 0, nil
	}
	return false, Undetermined(m, path, props.WrongType, "a string")
}

// CustomerKey reads a KMS key reference and says whether it names a customer-managed key.
// Missing or empty: false. A known value: true unless it is an AWS-managed alias
// (alias/aws/<service>, or its ARN). An unknown value: true, because during a preview it can
// only be an output of a resource of the program (a key, a replica key or a customer alias;
// aliases starting with alias/aws/ are reserved by AWS and cannot be created), whereas
// AWS-managed keys are named by literals or data-source lookups, which are known at preview.
func CustomerKey(m resource.PropertyMap, path string) (bool, *policy.Result) {
	v, st := props.Get(m, path)
	switch st {
	case props.Missing:
		return false, nil
	case props.Unknown:
		return true, nil
	}
	if !v.IsString() {
		return false, Undetermined(m, path, props.WrongType, "a key ID, ARN or alias")
	}
	return v.StringValue() != "" && !IsAWSManagedKey(v.StringValue()), nil
}
