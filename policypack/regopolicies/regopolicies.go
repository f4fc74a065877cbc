// Package regopolicies adapts the Rego rules of rego/ to policy.Policy. Each rule's METADATA
// becomes its policy.Metadata; each rule gets one query, prepared once when the rules are
// loaded and reused for every resource (never compiled per resource). The input the rules read
// (unknown values, secrets, parameters) is documented in rego/README.md.
package regopolicies

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	regorules "github.com/carepulse/hipaa-pipeline/rego"
)

// The sets a rule package defines; deny and undetermined are required.
const (
	setDeny          = "deny"
	setUndetermined  = "undetermined"
	setNotApplicable = "not_applicable"
)

// RulesDir is the directory of the rule packages (the rest, lib/, holds shared helpers).
const RulesDir = "hipaa/"

// Load prepares every Rego rule embedded in package rego as a policy.
func Load() ([]policy.Policy, error) {
	files, err := regorules.Files()
	if err != nil {
		return nil, err
	}
	return LoadFiles(files)
}

// Rule is one loaded Rego rule: its file, package and metadata.
type Rule struct {
	File     string
	Package  string // e.g. data.hipaa.sns.sns_topic_customer_key_encrypted
	Module   *ast.Module
	Metadata policy.Metadata
}

// LoadFiles prepares the rules among files (slash path -> Rego source; files under RulesDir
// are rules, the others helpers). Every error names the file.
func LoadFiles(files map[string]string) ([]policy.Policy, error) {
	rules, compiler, err := Compile(files)
	if err != nil {
		return nil, err
	}
	out := make([]policy.Policy, 0, len(rules))
	for _, r := range rules {
		p, err := prepare(r, compiler)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// Compile parses every file (with METADATA), compiles them together and reads each rule's
// metadata. Rules come back sorted by file.
func Compile(files map[string]string) ([]Rule, *ast.Compiler, error) {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	modules := make(map[string]*ast.Module, len(files))
	var rules []Rule
	var errs []error
	for _, name := range names {
		m, err := ast.ParseModuleWithOpts(name, files[name], ast.ParserOptions{
			ProcessAnnotation: true,
			RegoVersion:       ast.RegoV1,
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("parsing Rego file %s: %w", name, err))
			continue
		}
		modules[name] = m
		if !strings.HasPrefix(name, RulesDir) {
			continue
		}
		r, err := ruleOf(name, m)
		if err != nil {
			errs = append(errs, fmt.Errorf("rule %s: %w", name, err))
			continue
		}
		rules = append(rules, r)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	compiler := ast.NewCompiler().WithStrict(true)
	if compiler.Compile(modules); compiler.Failed() {
		return nil, nil, fmt.Errorf("compiling Rego rules: %w", compiler.Errors)
	}
	return rules, compiler, nil
}

func ruleOf(file string, m *ast.Module) (Rule, error) {
	a, err := packageAnnotations(m)
	if err != nil {
		return Rule{}, err
	}
	md, err := metadataOf(a)
	if err != nil {
		return Rule{}, fmt.Errorf("METADATA: %w", err)
	}
	sets := definedSets(m)
	for _, required := range []string{setDeny, setUndetermined} {
		if !slices.Contains(sets, required) {
			return Rule{}, fmt.Errorf("package %s defines no %q set", m.Package.Path, required)
		}
	}
	return Rule{File: file, Package: m.Package.Path.String(), Module: m, Metadata: md}, nil
}

// definedSets lists which of deny, undetermined and not_applicable the module defines.
func definedSets(m *ast.Module) []string {
	var out []string
	for _, r := range m.Rules {
		name := r.Head.Name.String()
		if len(r.Head.Reference) > 0 {
			name = r.Head.Reference[0].Value.(ast.Var).String()
		}
		switch name {
		case setDeny, setUndetermined, setNotApplicable:
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// query is the one query of a rule: its three sets bound to variables.
func query(r Rule) string {
	sets := definedSets(r.Module)
	parts := make([]string, len(sets))
	for i, s := range sets {
		parts[i] = fmt.Sprintf("%s := %s.%s", s, r.Package, s)
	}
	return strings.Join(parts, "; ")
}

// prepare makes the policy of one rule, its query prepared against the shared compiler.
func prepare(r Rule, compiler *ast.Compiler) (policy.Policy, error) {
	pq, err := rego.New(
		rego.Query(query(r)),
		rego.Compiler(compiler),
		rego.StrictBuiltinErrors(false),
	).PrepareForEval(context.Background())
	if err != nil {
		return policy.Policy{}, fmt.Errorf("preparing Rego rule %s: %w", r.File, err)
	}
	e := evaluator{file: r.File, params: r.Metadata.Params, query: pq}
	return policy.Policy{Metadata: r.Metadata, Resource: e.evaluate}, nil
}

type evaluator struct {
	file   string
	params []policy.Param
	query  rego.PreparedEvalQuery
}

// evaluate runs the prepared query on one resource and maps its sets to a result:
// not_applicable non-empty -> not-applicable, else deny -> fail, else undetermined ->
// undetermined, else pass.
func (e evaluator) evaluate(env policy.Env, r policy.Resource) policy.Result {
	in := buildInput(env, r, e.params)
	rs, err := e.query.Eval(context.Background(), rego.EvalParsedInput(in.value))
	if err != nil {
		// OPA error messages can quote values; only the error code is reported.
		code := "eval_error"
		var te *topdown.Error
		if errors.As(err, &te) {
			code = te.Code
		}
		return policy.UndeterminedBecause("Rego rule %s could not be evaluated (%s)", e.file, code)
	}
	if len(rs) != 1 {
		return policy.UndeterminedBecause("Rego rule %s gave %d results instead of one", e.file, len(rs))
	}
	sets := map[string][]string{}
	for _, name := range []string{setDeny, setUndetermined, setNotApplicable} {
		msgs, err := messages(rs[0].Bindings[name])
		if err != nil {
			return policy.UndeterminedBecause("Rego rule %s: %s %v", e.file, name, err)
		}
		sets[name] = redact(msgs, in.secrets)
	}
	switch {
	case len(sets[setNotApplicable]) > 0:
		return policy.Result{Status: policy.NotApplicable, Messages: sets[setNotApplicable]}
	case len(sets[setDeny]) > 0:
		return policy.Result{Status: policy.Fail, Messages: sets[setDeny]}
	case len(sets[setUndetermined]) > 0:
		return policy.Result{Status: policy.Undetermined, Messages: sets[setUndetermined]}
	}
	return policy.Passed()
}

// messages reads a set of strings as the Go API returns it (a slice), sorted.
func messages(v any) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("is not a set (%T)", v)
	}
	out := make([]string, 0, len(list))
	for _, m := range list {
		s, ok := m.(string)
		if !ok {
			return nil, fmt.Errorf("holds a %T where a message string was expected", m)
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// redact replaces any secret string that a message would quote (rules never do; this keeps a
// faulty rule from leaking one).
func redact(msgs, secrets []string) []string {
	if len(secrets) == 0 {
		return msgs
	}
	for i, m := range msgs {
		for _, s := range secrets {
			m = strings.ReplaceAll(m, s, "[secret]")
		}
		msgs[i] = m
	}
	return msgs
}
