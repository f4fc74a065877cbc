// Package packconfig reads Pulumi policy configuration — the JSON file given to
// `pulumi preview --policy-pack-config file.json` and to `hipaa-audit check --config` — and
// validates it against each policy's parameters:
//
//	{
//	  "all": "advisory",                                   // or {"enforcementLevel": "advisory"}
//	  "cloudwatch-log-group-retention-sufficient": "mandatory",
//	  "rds-cluster-backup-retention-sufficient": {"enforcementLevel": "mandatory", "minDays": 14}
//	}
//
// Per-policy entries override "all"; parameters not given take the defaults in the policy's
// Metadata.Params.
package packconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// AllKey is the key that applies an enforcement level to every policy.
const AllKey = "all"

// enforcementKey is the key of a policy's enforcement level inside its object form.
const enforcementKey = "enforcementLevel"

// PolicyConfig is the effective configuration of one policy.
type PolicyConfig struct {
	Enforcement policy.Enforcement
	// Params has a value for every parameter the policy declares: int, string, bool or
	// []string according to its type.
	Params map[string]any
}

// Config is the effective configuration of every policy of the pack.
type Config struct {
	policies map[string]PolicyConfig
}

// Defaults is the configuration with every policy at its default enforcement and parameters.
func Defaults(policies []policy.Policy) Config {
	c := Config{policies: make(map[string]PolicyConfig, len(policies))}
	for _, p := range policies {
		params := make(map[string]any, len(p.Params))
		for _, prm := range p.Params {
			params[prm.Name] = cloneDefault(prm.Default)
		}
		c.policies[p.ID] = PolicyConfig{Enforcement: p.Enforcement, Params: params}
	}
	return c
}

func cloneDefault(v any) any {
	if s, ok := v.([]string); ok {
		return slices.Clone(s)
	}
	return v
}

// For returns the effective configuration of a policy. A policy unknown to the configuration
// gets its own defaults.
func (c Config) For(m policy.Metadata) PolicyConfig {
	if pc, ok := c.policies[m.ID]; ok {
		return pc
	}
	return Defaults([]policy.Policy{{Metadata: m}}).policies[m.ID]
}

// Env is the evaluation environment of a policy in a stack.
func (c Config) Env(m policy.Metadata, project, stack string) policy.Env {
	return policy.Env{Project: project, Stack: stack, Params: c.For(m).Params}
}

// Load reads and validates a policy config file.
func Load(path string, policies []policy.Policy) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("reading policy config %s: %w", path, err)
	}
	c, err := Parse(data, policies)
	if err != nil {
		return Config{}, fmt.Errorf("policy config %s: %w", path, err)
	}
	return c, nil
}

// Parse reads and validates policy config JSON.
func Parse(data []byte, policies []policy.Policy) (Config, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return Config{}, fmt.Errorf("invalid JSON at offset %d: %w", syn.Offset, err)
		}
		return Config{}, fmt.Errorf("expected a JSON object of policy settings: %w", err)
	}
	if dec.More() {
		return Config{}, errors.New("unexpected data after the JSON object")
	}
	return FromMap(raw, policies)
}

// FromMap validates configuration already decoded from JSON (numbers as float64 or
// json.Number), keyed by policy ID or "all".
func FromMap(raw map[string]any, policies []policy.Policy) (Config, error) {
	c := Defaults(policies)
	byID := make(map[string]policy.Metadata, len(policies))
	for _, p := range policies {
		byID[p.ID] = p.Metadata
	}
	if all, ok := raw[AllKey]; ok {
		level, params, err := splitEntry(AllKey, all)
		if err != nil {
			return Config{}, err
		}
		if len(params) > 0 {
			return Config{}, fmt.Errorf("%q: only %q may be set for all policies, found %q", AllKey, enforcementKey, sortedKeys(params)[0])
		}
		if level != "" {
			for id, pc := range c.policies {
				pc.Enforcement = level
				c.policies[id] = pc
			}
		}
	}
	for _, id := range sortedKeys(raw) {
		if id == AllKey {
			continue
		}
		m, ok := byID[id]
		if !ok {
			return Config{}, fmt.Errorf("%q: no policy with this ID in the pack", id)
		}
		level, params, err := splitEntry(id, raw[id])
		if err != nil {
			return Config{}, err
		}
		pc := c.policies[id]
		pc.Params = maps.Clone(pc.Params)
		if level != "" {
			pc.Enforcement = level
		}
		for _, name := range sortedKeys(params) {
			prm, ok := findParam(m, name)
			if !ok {
				return Config{}, fmt.Errorf("%q: unknown parameter %q (known: %v)", id, name, paramNames(m))
			}
			v, err := Convert(prm, params[name])
			if err == nil {
				err = CheckConstraints(prm, v)
			}
			if err != nil {
				return Config{}, fmt.Errorf("%q.%s: %w", id, name, err)
			}
			pc.Params[name] = v
		}
		c.policies[id] = pc
	}
	return c, nil
}

// splitEntry reads "level" or {"enforcementLevel": level, params...}.
func splitEntry(key string, v any) (policy.Enforcement, map[string]any, error) {
	switch x := v.(type) {
	case string:
		level, err := ParseEnforcement(x)
		if err != nil {
			return "", nil, fmt.Errorf("%q: %w", key, err)
		}
		return level, nil, nil
	case map[string]any:
		var level policy.Enforcement
		params := make(map[string]any, len(x))
		for k, e := range x {
			if k != enforcementKey {
				params[k] = e
				continue
			}
			s, ok := e.(string)
			if !ok {
				return "", nil, fmt.Errorf("%q.%s: expected a string, found %s", key, enforcementKey, jsonType(e))
			}
			l, err := ParseEnforcement(s)
			if err != nil {
				return "", nil, fmt.Errorf("%q.%s: %w", key, enforcementKey, err)
			}
			level = l
		}
		return level, params, nil
	}
	return "", nil, fmt.Errorf("%q: expected an enforcement level string or an object, found %s", key, jsonType(v))
}

// ParseEnforcement reads an enforcement level as Pulumi spells it.
func ParseEnforcement(s string) (policy.Enforcement, error) {
	switch l := policy.Enforcement(s); l {
	case policy.Advisory, policy.Mandatory, policy.Disabled:
		return l, nil
	}
	return "", fmt.Errorf("enforcement level %q is not one of advisory, mandatory, disabled", s)
}

func findParam(m policy.Metadata, name string) (policy.Param, bool) {
	for _, p := range m.Params {
		if p.Name == name {
			return p, true
		}
	}
	return policy.Param{}, false
}

func paramNames(m policy.Metadata) []string {
	names := make([]string, 0, len(m.Params))
	for _, p := range m.Params {
		names = append(names, p.Name)
	}
	return names
}

// Convert checks a JSON value against a parameter's type and returns it as int, string, bool
// or []string.
func Convert(prm policy.Param, v any) (any, error) {
	switch prm.Type {
	case policy.ParamInteger:
		var f float64
		switch x := v.(type) {
		case json.Number:
			var err error
			if f, err = x.Float64(); err != nil {
				return nil, fmt.Errorf("expected an integer, found %s", x)
			}
		case float64:
			f = x
		case int:
			return x, nil
		case int64:
			f = float64(x)
		default:
			return nil, fmt.Errorf("expected an integer, found %s", jsonType(v))
		}
		if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return nil, fmt.Errorf("expected an integer, found %v", f)
		}
		return int(f), nil
	case policy.ParamString:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("expected a string, found %s", jsonType(v))
		}
		return s, nil
	case policy.ParamBoolean:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("expected a boolean, found %s", jsonType(v))
		}
		return b, nil
	case policy.ParamStrings:
		switch x := v.(type) {
		case []string:
			return slices.Clone(x), nil
		case []any:
			out := make([]string, len(x))
			for i, e := range x {
				s, ok := e.(string)
				if !ok {
					return nil, fmt.Errorf("element %d: expected a string, found %s", i, jsonType(e))
				}
				out[i] = s
			}
			return out, nil
		}
		return nil, fmt.Errorf("expected an array of strings, found %s", jsonType(v))
	}
	return nil, fmt.Errorf("parameter type %q is not supported", prm.Type)
}

// CheckConstraints checks a converted value (int, string, bool or []string, as Convert
// returns) against the parameter's Minimum, Pattern and MinItems.
func CheckConstraints(prm policy.Param, v any) error {
	var re *regexp.Regexp
	if prm.Pattern != "" {
		var err error
		if re, err = regexp.Compile(prm.Pattern); err != nil {
			return fmt.Errorf("parameter pattern %q is not a valid regular expression: %w", prm.Pattern, err)
		}
	}
	switch x := v.(type) {
	case int:
		if prm.Minimum != nil && x < *prm.Minimum {
			return fmt.Errorf("%d is less than the minimum %d", x, *prm.Minimum)
		}
	case string:
		if re != nil && !re.MatchString(x) {
			return fmt.Errorf("%q does not match the pattern %s", x, prm.Pattern)
		}
	case []string:
		if prm.MinItems != nil && len(x) < *prm.MinItems {
			return fmt.Errorf("expected at least %d element(s), found %d", *prm.MinItems, len(x))
		}
		if re != nil {
			for i, e := range x {
				if !re.MatchString(e) {
					return fmt.Errorf("element %d: %q does not match the pattern %s", i, e, prm.Pattern)
				}
			}
		}
	}
	return nil
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int, int64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
