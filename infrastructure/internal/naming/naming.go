// Package naming builds every name the program gives out, so the conventions live in one place:
//
//   - physical names (what AWS shows) start with "hipaa-" and end with the environment suffix
//     ("-dev", "-prod"): Namer.Physical("audit", "trail") = "hipaa-audit-trail-prod";
//   - Name tags carry the physical name: Namer.Tags("vpc") = {"Name": "hipaa-vpc-prod"};
//   - Pulumi logical names are kebab case and prefixed by their component:
//     Logical("network", "private", "subnet", "a") = "network-private-subnet-a";
//   - component type tokens are hipaa:<module>:<Type>: TypeToken("network", "Network").
package naming

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Prefix starts every physical name.
const Prefix = "hipaa"

// Namer makes physical names for one environment.
type Namer struct {
	// Env is the environment (dev, prod): the suffix of every physical name.
	Env string
}

// New returns a Namer for env.
func New(env string) Namer { return Namer{Env: env} }

// Suffix is "-<env>".
func (n Namer) Suffix() string { return "-" + n.Env }

// Physical joins "hipaa", the kebab-cased parts and the environment: hipaa-<parts>-<env>.
func (n Namer) Physical(parts ...string) string {
	return Prefix + "-" + Kebab(parts...) + n.Suffix()
}

// PhysicalWithPrefix is Physical under a prefix AWS imposes (e.g. "aws-waf-logs-" for WAF log
// groups): <prefix>hipaa-<parts>-<env>.
func (n Namer) PhysicalWithPrefix(prefix string, parts ...string) string {
	return prefix + n.Physical(parts...)
}

// LogGroup is the name of a CloudWatch log group: /hipaa/<component>/<parts>-<env>.
func (n Namer) LogGroup(component string, parts ...string) string {
	name := "/" + Prefix + "/" + Kebab(component)
	if len(parts) > 0 {
		name += "/" + Kebab(parts...)
	}
	return name + n.Suffix()
}

// KeyAlias is the KMS alias of a domain's key: alias/hipaa-<domain>-<env>.
func (n Namer) KeyAlias(domain string) string { return "alias/" + n.Physical(domain) }

// Tags returns the Name tag of a resource (its physical name), merged with extra tags.
// Environment, classification, framework and owner tags come from the provider's default tags.
func (n Namer) Tags(parts ...string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(n.Physical(parts...))}
}

// TagsWith returns Tags(parts...) plus extra tags.
func (n Namer) TagsWith(extra map[string]string, parts ...string) pulumi.StringMap {
	t := n.Tags(parts...)
	for k, v := range extra {
		t[k] = pulumi.String(v)
	}
	return t
}

// Logical is a Pulumi logical name: the component followed by the parts, kebab case.
func Logical(component string, parts ...string) string {
	return Kebab(append([]string{component}, parts...)...)
}

// TypeToken is a component type token: hipaa:<module>:<Type>.
func TypeToken(module, typ string) string {
	return fmt.Sprintf("%s:%s:%s", Prefix, module, typ)
}

var (
	camelBoundary = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	nonAlnum      = regexp.MustCompile(`[^a-z0-9]+`)
)

// Kebab lower-cases the parts, splits camelCase, turns any run of other characters into one
// hyphen and joins the non-empty parts with hyphens: Kebab("Private", "routeTable", "eu-west-1a")
// = "private-route-table-eu-west-1a".
func Kebab(parts ...string) string {
	var out []string
	for _, p := range parts {
		p = camelBoundary.ReplaceAllString(p, "$1-$2")
		p = nonAlnum.ReplaceAllString(strings.ToLower(p), "-")
		p = strings.Trim(p, "-")
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "-")
}

var kebabPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// IsKebab reports whether s is already kebab case.
func IsKebab(s string) bool { return kebabPattern.MatchString(s) }

// AZLetter returns the zone letter of an AZ name ("eu-west-1b" -> "b"), or the whole name when
// it does not end in a letter.
func AZLetter(az string) string {
	if az == "" {
		return az
	}
	last := az[len(az)-1]
	if last >= 'a' && last <= 'z' {
		return string(last)
	}
	return az
}
