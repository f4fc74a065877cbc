package evaluate

import (
	"io"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// stderr receives diagnostics for the pack's maintainers (a panicking policy's stack trace).
var stderr io.Writer = os.Stderr

// Redacted replaces a secret value found in a message.
const Redacted = "[secret]"

// minSecretLen is the shortest secret string redacted from messages: shorter ones ("1",
// "on") would mangle every message while revealing next to nothing.
const minSecretLen = 4

// secretStrings appends every string held under a secret (or a secret output) in props.
func secretStrings(props resource.PropertyMap, acc []string) []string {
	for _, v := range props {
		acc = collect(v, false, acc)
	}
	return acc
}

func collect(v resource.PropertyValue, secret bool, acc []string) []string {
	switch {
	case v.IsSecret():
		return collect(v.SecretValue().Element, true, acc)
	case v.IsOutput():
		o := v.OutputValue()
		return collect(o.Element, secret || o.Secret, acc)
	case v.IsString():
		if secret && len(v.StringValue()) >= minSecretLen {
			acc = append(acc, v.StringValue())
		}
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			acc = collect(e, secret, acc)
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			acc = collect(e, secret, acc)
		}
	}
	return acc
}

// redact replaces every secret in the messages, longest secrets first so that a secret
// containing another is removed whole.
func redact(msgs []string, secrets []string) []string {
	if len(secrets) == 0 {
		return msgs
	}
	sorted := append([]string(nil), secrets...)
	sort.Slice(sorted, func(i, j int) bool { return len(sorted[i]) > len(sorted[j]) })
	out := make([]string, len(msgs))
	for i, m := range msgs {
		for _, s := range sorted {
			if strings.Contains(m, s) {
				m = strings.ReplaceAll(m, s, Redacted)
			}
		}
		out[i] = m
	}
	return out
}
