// Package registry is the one list of HIPAA checks of the pack: the Go policies and the Rego
// rules, validated together. The analyzer plugin, `hipaa-audit` and the compliance report all
// take their policies from All.
package registry

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/policies"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/regopolicies"
)

var load = sync.OnceValues(func() ([]policy.Policy, error) {
	goPolicies := policies.All()
	regoPolicies, err := regopolicies.Load()
	if err != nil {
		return nil, fmt.Errorf("loading Rego policies: %w", err)
	}
	all := make([]policy.Policy, 0, len(goPolicies)+len(regoPolicies))
	all = append(all, goPolicies...)
	all = append(all, regoPolicies...)
	if err := Validate(all); err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all, nil
})

// All returns every policy of the pack, sorted by ID, after validating them. The Rego rules are
// prepared once per process. Callers must not modify the returned policies.
func All() ([]policy.Policy, error) {
	all, err := load()
	if err != nil {
		return nil, err
	}
	return slices.Clone(all), nil
}

// Known returns a membership test over the policies' IDs (for suppressions naming a policy).
func Known(policies []policy.Policy) func(id string) bool {
	ids := make(map[string]bool, len(policies))
	for _, p := range policies {
		ids[p.ID] = true
	}
	return func(id string) bool { return ids[id] }
}

var (
	// idPattern: kebab case, at least <service>-<resource>-<state>.
	idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+){2,}$`)
	// controlPattern: a HIPAA Security Rule citation (45 CFR 164.302-164.318) as the regulation
	// writes it, without the section sign: 164.312(a)(2)(iv), 164.308(a)(7)(ii)(A), 164.312(b).
	controlPattern = regexp.MustCompile(
		`^164\.3(0[2-9]|1[0-8])(\([a-z]\)(\([1-9][0-9]?\)(\((i|ii|iii|iv|v|vi|vii|viii|ix|x)\)(\([A-Z]\))?)?)?)?$`)
	// typePattern: a Pulumi type token package:module:Type.
	typePattern = regexp.MustCompile(`^[a-z][a-z0-9-]*:[A-Za-z0-9/._-]+:[A-Z][A-Za-z0-9]*$`)
	// paramPattern: a JSON property name in lower camel case.
	paramPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
)

// reservedParams are keys that Pulumi's policy config gives a meaning of its own.
var reservedParams = []string{"enforcementLevel"}

// Validate checks every policy's metadata and that IDs are unique; the error lists every
// problem, each naming the policy.
func Validate(all []policy.Policy) error {
	var errs []error
	seen := map[string]int{}
	for i, p := range all {
		name := p.ID
		if name == "" {
			name = fmt.Sprintf("policy #%d (%q)", i, p.Title)
		}
		for _, err := range Check(p) {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
		if p.ID == "" {
			continue
		}
		if j, dup := seen[p.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: ID used twice (policies #%d and #%d)", p.ID, j, i))
		}
		seen[p.ID] = i
	}
	return errors.Join(errs...)
}

// Check returns every problem of one policy's metadata.
func Check(p policy.Policy) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	switch {
	case p.ID == "":
		add("missing id")
	case p.ID == "all":
		add(`id "all" is reserved by Pulumi policy config`)
	case !idPattern.MatchString(p.ID):
		add("id %q is not kebab case <service>-<resource>-<compliant-state>", p.ID)
	}
	for _, f := range []struct{ name, v string }{
		{"title", p.Title}, {"description", p.Description}, {"remediation", p.Remediation},
	} {
		if strings.TrimSpace(f.v) == "" {
			add("missing %s", f.name)
		}
	}
	if strings.Contains(p.Title, "\n") {
		add("title must be one line")
	}
	switch p.Severity {
	case policy.SeverityLow, policy.SeverityMedium, policy.SeverityHigh, policy.SeverityCritical:
	default:
		add("severity %q is not low, medium, high or critical", p.Severity)
	}
	switch p.Enforcement {
	case policy.Advisory, policy.Mandatory:
	default:
		add("default enforcement %q is not advisory or mandatory", p.Enforcement)
	}
	switch p.Engine {
	case policy.EngineGo, policy.EngineRego:
	default:
		add("engine %q is not go or rego", p.Engine)
	}
	if len(p.Controls) == 0 {
		add("no HIPAA controls")
	}
	for _, c := range p.Controls {
		if !controlPattern.MatchString(c) {
			add("control %q is not a HIPAA Security Rule citation like 164.312(a)(2)(iv)", c)
		}
	}
	if dup := firstDuplicate(p.Controls); dup != "" {
		add("control %q listed twice", dup)
	}
	if len(p.References) == 0 {
		add("no references")
	}
	for _, r := range p.References {
		if !strings.HasPrefix(r, "https://") || strings.ContainsAny(r, " \t\n") {
			add("reference %q is not an https URL", r)
		}
	}
	switch {
	case p.Resource == nil && p.Stack == nil:
		add("neither a resource nor a stack check")
	case p.Resource != nil && p.Stack != nil:
		add("both a resource and a stack check (exactly one must be set)")
	}
	if p.Resource != nil && len(p.ResourceTypes) == 0 {
		add("resource check without resource types")
	}
	for _, t := range p.ResourceTypes {
		if !typePattern.MatchString(t) {
			add("resource type %q is not a Pulumi type token like aws:rds/cluster:Cluster", t)
		}
	}
	if dup := firstDuplicate(p.ResourceTypes); dup != "" {
		add("resource type %q listed twice", dup)
	}
	errs = append(errs, checkParams(p.Params)...)
	return errs
}

func checkParams(params []policy.Param) []error {
	var errs []error
	seen := map[string]bool{}
	for i, prm := range params {
		name := prm.Name
		if name == "" {
			name = fmt.Sprintf("#%d", i)
		}
		add := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("param %s: %s", name, fmt.Sprintf(format, args...)))
		}
		switch {
		case prm.Name == "":
			add("missing name")
		case slices.Contains(reservedParams, prm.Name):
			add("name is reserved by Pulumi policy config")
		case !paramPattern.MatchString(prm.Name):
			add("name is not lower camel case")
		case seen[prm.Name]:
			add("declared twice")
		}
		seen[prm.Name] = true
		if strings.TrimSpace(prm.Description) == "" {
			add("missing description")
		}
		if err := checkDefault(prm); err != nil {
			add("%v", err)
		}
	}
	return errs
}

func checkDefault(prm policy.Param) error {
	var ok bool
	switch prm.Type {
	case policy.ParamInteger:
		_, ok = prm.Default.(int)
	case policy.ParamString:
		_, ok = prm.Default.(string)
	case policy.ParamBoolean:
		_, ok = prm.Default.(bool)
	case policy.ParamStrings:
		_, ok = prm.Default.([]string)
	default:
		return fmt.Errorf("type %q is not integer, string, boolean or array", prm.Type)
	}
	if !ok {
		return fmt.Errorf("default %#v is not of type %s", prm.Default, prm.Type)
	}
	switch {
	case prm.Minimum != nil && prm.Type != policy.ParamInteger:
		return fmt.Errorf("minimum is only for integer params, not %s", prm.Type)
	case prm.MinItems != nil && prm.Type != policy.ParamStrings:
		return fmt.Errorf("minItems is only for array params, not %s", prm.Type)
	case prm.Pattern != "" && prm.Type != policy.ParamString && prm.Type != policy.ParamStrings:
		return fmt.Errorf("pattern is only for string and array params, not %s", prm.Type)
	}
	if err := packconfig.CheckConstraints(prm, prm.Default); err != nil {
		return fmt.Errorf("default breaks its own constraints: %w", err)
	}
	return nil
}

func firstDuplicate(xs []string) string {
	seen := make(map[string]bool, len(xs))
	for _, x := range xs {
		if seen[x] {
			return x
		}
		seen[x] = true
	}
	return ""
}
