package props_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/policypack/props"
)

func sample() resource.PropertyMap {
	unknown := resource.MakeComputed(resource.NewProperty(""))
	return resource.PropertyMap{
		"enabled":   resource.NewProperty(true),
		"enabledS":  resource.NewProperty(" TRUE "),
		"badBool":   resource.NewProperty("yes"),
		"days":      resource.NewProperty(7.0),
		"daysS":     resource.NewProperty("30"),
		"frac":      resource.NewProperty(1.5),
		"name":      resource.NewProperty("db"),
		"null":      resource.NewNullProperty(),
		"unknown":   unknown,
		"secret":    resource.MakeSecret(resource.NewProperty("s3cr3t")),
		"secretObj": resource.MakeSecret(resource.NewProperty(resource.PropertyMap{"inner": resource.NewProperty(5.0)})),
		"out":       resource.NewProperty(resource.Output{Element: resource.NewProperty("o"), Known: true}),
		"outSecret": resource.NewProperty(resource.Output{Element: resource.NewProperty("x"), Known: true, Secret: true}),
		"outUnk":    resource.NewProperty(resource.Output{Element: resource.NewNullProperty()}),
		"list":      resource.NewProperty([]resource.PropertyValue{resource.NewProperty("a"), resource.MakeSecret(resource.NewProperty("b"))}),
		"listUnk":   resource.NewProperty([]resource.PropertyValue{resource.NewProperty("a"), unknown}),
		"listBad":   resource.NewProperty([]resource.PropertyValue{resource.NewProperty(1.0)}),
		"nested":    resource.NewProperty(resource.PropertyMap{"rules": resource.NewProperty([]resource.PropertyValue{resource.NewProperty(resource.PropertyMap{"port": resource.NewProperty(443.0)})})}),
		"viaUnk":    resource.NewProperty(resource.PropertyMap{"a": unknown}),
	}
}

func TestLookup(t *testing.T) {
	m := sample()
	tests := []struct {
		path   string
		secret bool
		st     props.State
	}{
		{"name", false, props.Known},
		{"absent", false, props.Missing},
		{"null", false, props.Missing},
		{"unknown", false, props.Unknown},
		{"secret", true, props.Known},
		{"secretObj.inner", true, props.Known},
		{"out", false, props.Known},
		{"outSecret", true, props.Known},
		{"outUnk", false, props.Unknown},
		{"nested.rules[0].port", false, props.Known},
		{"nested.rules[1].port", false, props.Missing},
		{"nested.rules.port", false, props.Missing},
		{"name.x", false, props.Missing},
		{"viaUnk.a.b", false, props.Unknown},
		{"unknown.a", false, props.Unknown},
		{"list[1]", true, props.Known},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, secret, st := props.Lookup(m, tt.path)
			assert.Equal(t, tt.st, st)
			assert.Equal(t, tt.secret, secret)
		})
	}
	assert.Panics(t, func() { props.Lookup(m, "a[") })
}

func TestTypedReads(t *testing.T) {
	m := sample()
	b, st := props.Bool(m, "enabled")
	assert.Equal(t, props.Known, st)
	assert.True(t, b)
	b, st = props.Bool(m, "enabledS")
	assert.Equal(t, props.Known, st, `"TRUE" with spaces reads as true`)
	assert.True(t, b)
	_, st = props.Bool(m, "badBool")
	assert.Equal(t, props.WrongType, st)
	_, st = props.Bool(m, "unknown")
	assert.Equal(t, props.Unknown, st)
	_, st = props.Bool(m, "absent")
	assert.Equal(t, props.Missing, st)

	n, st := props.Int(m, "days")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 7, n)
	n, st = props.Int(m, "daysS")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, 30, n)
	_, st = props.Int(m, "frac")
	assert.Equal(t, props.WrongType, st)
	f, st := props.Number(m, "frac")
	assert.Equal(t, props.Known, st)
	assert.InDelta(t, 1.5, f, 0)
	_, st = props.Number(m, "name")
	assert.Equal(t, props.WrongType, st)

	s, st := props.String(m, "secret")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, "s3cr3t", s)
	_, st = props.String(m, "days")
	assert.Equal(t, props.WrongType, st, "numbers are not converted to strings")

	ss, st := props.Strings(m, "list")
	assert.Equal(t, props.Known, st)
	assert.Equal(t, []string{"a", "b"}, ss)
	_, st = props.Strings(m, "listUnk")
	assert.Equal(t, props.Unknown, st)
	_, st = props.Strings(m, "listBad")
	assert.Equal(t, props.WrongType, st)
	_, st = props.Array(m, "name")
	assert.Equal(t, props.WrongType, st)
	obj, st := props.Object(m, "secretObj")
	assert.Equal(t, props.Known, st)
	assert.Contains(t, obj, resource.PropertyKey("inner"))
	_, st = props.Object(m, "list")
	assert.Equal(t, props.WrongType, st)
	assert.True(t, props.IsSecret(m, "secret"))
	assert.False(t, props.IsSecret(m, "name"))
}

func TestDisplayNeverShowsSecrets(t *testing.T) {
	m := sample()
	assert.Equal(t, `"db"`, props.Display(m, "name"))
	assert.Equal(t, "[secret]", props.Display(m, "secret"))
	assert.Equal(t, "[secret]", props.Display(m, "outSecret"))
	assert.Equal(t, "[secret]", props.Display(m, "secretObj.inner"))
	assert.Equal(t, "unknown", props.Display(m, "unknown"))
	assert.Equal(t, "missing", props.Display(m, "absent"))
	assert.Equal(t, "7", props.Display(m, "days"))
	assert.Equal(t, "true", props.Display(m, "enabled"))
	assert.Equal(t, "object", props.Display(m, "nested"))
	assert.Equal(t, "wrong type", props.WrongType.String())
	assert.Equal(t, "State(9)", props.State(9).String())
}

// TestValueAgreesWithLookup: a value in hand is classified as Lookup classifies it at its path.
func TestValueAgreesWithLookup(t *testing.T) {
	m := sample()
	for key, v := range m {
		t.Run(string(key), func(t *testing.T) {
			wantV, wantSecret, wantSt := props.Lookup(m, string(key))
			gotV, gotSecret, gotSt := props.Value(v)
			assert.Equal(t, wantSt, gotSt)
			assert.Equal(t, wantSecret, gotSecret)
			assert.Equal(t, wantV, gotV)
		})
	}
	v, secret, st := props.Value(resource.MakeSecret(resource.NewProperty(resource.Output{Element: resource.NewProperty("x"), Known: true})))
	assert.Equal(t, props.Known, st)
	assert.True(t, secret)
	assert.Equal(t, "x", v.StringValue())
}
