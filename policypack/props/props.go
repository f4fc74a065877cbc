// Package props reads resource properties the way every policy must: a missing value is
// reported as missing (the caller applies the AWS default), an unknown value (computed during
// preview) as unknown, a secret is unwrapped but remembered as secret, and a value of an
// unexpected type is interpreted when its meaning is clear ("true"/"false" strings) or reported
// as the wrong type.
package props

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// State says what was found at a path.
type State int

// States.
const (
	// Missing: no value (absent or null). The caller applies the provider/AWS default.
	Missing State = iota
	// Known: a value of the expected type (or one converted unambiguously).
	Known
	// Unknown: the value is computed and not known yet (preview).
	Unknown
	// WrongType: a value is present but cannot be read as the expected type.
	WrongType
)

func (s State) String() string {
	switch s {
	case Missing:
		return "missing"
	case Known:
		return "known"
	case Unknown:
		return "unknown"
	case WrongType:
		return "wrong type"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Lookup walks a dotted path ("a.b[0].c") through objects, arrays, secrets and outputs. It
// returns the value with secrets and known outputs unwrapped, whether any step was secret, and
// the state: Missing, Unknown (a computed value or unknown output on the way) or Known (the
// value itself may still be of any type).
func Lookup(m resource.PropertyMap, path string) (v resource.PropertyValue, secret bool, st State) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		panic(fmt.Sprintf("props: bad property path %q: %v", path, err))
	}
	cur := resource.NewProperty(m)
	for _, key := range p {
		cur, secret = unwrap(cur, secret)
		switch {
		case cur.IsComputed() || (cur.IsOutput() && !cur.OutputValue().Known):
			return resource.PropertyValue{}, secret, Unknown
		case cur.IsObject():
			k, ok := key.(string)
			if !ok {
				return resource.PropertyValue{}, secret, Missing
			}
			next, ok := cur.ObjectValue()[resource.PropertyKey(k)]
			if !ok {
				return resource.PropertyValue{}, secret, Missing
			}
			cur = next
		case cur.IsArray():
			i, ok := key.(int)
			if !ok || i < 0 || i >= len(cur.ArrayValue()) {
				return resource.PropertyValue{}, secret, Missing
			}
			cur = cur.ArrayValue()[i]
		default:
			return resource.PropertyValue{}, secret, Missing
		}
	}
	v, s, st := Value(cur)
	return v, secret || s, st
}

// Value classifies a value already in hand (an element of an object or array read earlier) as
// Lookup classifies the value at a path: wrappers removed, whether it was secret, its state.
func Value(v resource.PropertyValue) (resource.PropertyValue, bool, State) {
	v, secret := unwrap(v, false)
	switch {
	case v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known):
		return resource.PropertyValue{}, secret, Unknown
	case v.IsNull():
		return v, secret, Missing
	}
	return v, secret, Known
}

// unwrap removes secret and known-output wrappers, remembering secrecy.
func unwrap(v resource.PropertyValue, secret bool) (resource.PropertyValue, bool) {
	for {
		switch {
		case v.IsSecret():
			secret = true
			v = v.SecretValue().Element
		case v.IsOutput() && v.OutputValue().Known:
			secret = secret || v.OutputValue().Secret
			v = v.OutputValue().Element
		default:
			return v, secret
		}
	}
}

// Get returns the value at path with wrappers removed, and its state.
func Get(m resource.PropertyMap, path string) (resource.PropertyValue, State) {
	v, _, st := Lookup(m, path)
	return v, st
}

// IsSecret reports whether the value at path, or anything on the way to it, is secret.
func IsSecret(m resource.PropertyMap, path string) bool {
	_, secret, _ := Lookup(m, path)
	return secret
}

// Bool reads a boolean. The strings "true" and "false" (any case) are read as booleans.
func Bool(m resource.PropertyMap, path string) (bool, State) {
	v, st := Get(m, path)
	if st != Known {
		return false, st
	}
	switch {
	case v.IsBool():
		return v.BoolValue(), Known
	case v.IsString():
		b, err := strconv.ParseBool(strings.TrimSpace(v.StringValue()))
		if err == nil {
			return b, Known
		}
	}
	return false, WrongType
}

// String reads a string. Numbers and booleans are not converted.
func String(m resource.PropertyMap, path string) (string, State) {
	v, st := Get(m, path)
	if st != Known {
		return "", st
	}
	if v.IsString() {
		return v.StringValue(), Known
	}
	return "", WrongType
}

// Number reads a number. A string holding a decimal number is read as that number.
func Number(m resource.PropertyMap, path string) (float64, State) {
	v, st := Get(m, path)
	if st != Known {
		return 0, st
	}
	switch {
	case v.IsNumber():
		return v.NumberValue(), Known
	case v.IsString():
		f, err := strconv.ParseFloat(strings.TrimSpace(v.StringValue()), 64)
		if err == nil {
			return f, Known
		}
	}
	return 0, WrongType
}

// Int reads a whole number (see Number); a fractional number is the wrong type.
func Int(m resource.PropertyMap, path string) (int, State) {
	f, st := Number(m, path)
	if st != Known {
		return 0, st
	}
	if f != float64(int(f)) {
		return 0, WrongType
	}
	return int(f), Known
}

// Array reads an array; its elements may still be secret or unknown.
func Array(m resource.PropertyMap, path string) ([]resource.PropertyValue, State) {
	v, st := Get(m, path)
	if st != Known {
		return nil, st
	}
	if v.IsArray() {
		return v.ArrayValue(), Known
	}
	return nil, WrongType
}

// Object reads an object.
func Object(m resource.PropertyMap, path string) (resource.PropertyMap, State) {
	v, st := Get(m, path)
	if st != Known {
		return nil, st
	}
	if v.IsObject() {
		return v.ObjectValue(), Known
	}
	return nil, WrongType
}

// Strings reads an array of strings. Any unknown element makes the whole Unknown; any element
// that is not a string makes it WrongType.
func Strings(m resource.PropertyMap, path string) ([]string, State) {
	arr, st := Array(m, path)
	if st != Known {
		return nil, st
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		e, _ = unwrap(e, false)
		switch {
		case e.IsComputed() || (e.IsOutput() && !e.OutputValue().Known):
			return nil, Unknown
		case e.IsString():
			out = append(out, e.StringValue())
		default:
			return nil, WrongType
		}
	}
	return out, Known
}

// Display renders the value at path for a message: the value itself when known and not
// secret, "[secret]" when secret, "unknown" when computed, "missing" when absent.
func Display(m resource.PropertyMap, path string) string {
	v, secret, st := Lookup(m, path)
	switch {
	case secret:
		return "[secret]"
	case st == Unknown:
		return "unknown"
	case st == Missing:
		return "missing"
	case v.IsString():
		return strconv.Quote(v.StringValue())
	case v.IsBool() || v.IsNumber():
		return fmt.Sprint(v.V)
	}
	return v.TypeString()
}
