// Package analyzer serves the policy pack over Pulumi's Analyzer gRPC protocol. It is a thin
// adapter: it converts requests into policy.Resources, asks package evaluate for the verdicts
// and converts the findings into diagnostics. No verdict is computed here.
package analyzer

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/packinfo"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

// Server implements pulumirpc.AnalyzerServer for a fixed list of policies.
type Server struct {
	pulumirpc.UnimplementedAnalyzerServer

	policies     []policy.Policy
	suppressions *suppressions.Set
	// now is the clock suppressions expire against.
	now func() time.Time

	mu     sync.RWMutex
	cfg    packconfig.Config
	stack  evaluate.Stack
	engine *engineLog

	expiredOnce sync.Once
}

// New returns a server for the policies with the pack's suppressions. The configuration starts
// at the policies' defaults until Configure is called.
func New(policies []policy.Policy, sup *suppressions.Set) *Server {
	return &Server{
		policies:     policies,
		suppressions: sup,
		now:          time.Now,
		cfg:          packconfig.Defaults(policies),
	}
}

// SetEngineAddress makes the server report messages (expired suppressions) to the engine.
func (s *Server) SetEngineAddress(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if addr != "" && (s.engine == nil || s.engine.addr != addr) {
		s.engine = newEngineLog(addr)
	}
}

// Close releases the engine connection.
func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine != nil {
		s.engine.close()
	}
}

// Handshake records the engine's address.
func (s *Server) Handshake(_ context.Context, req *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	s.SetEngineAddress(req.GetEngineAddress())
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

// GetPluginInfo returns the pack's version.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: packinfo.Version}, nil
}

// ConfigureStack records the stack and project policies are evaluated in.
func (s *Server) ConfigureStack(_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stack = evaluate.Stack{Project: req.GetProject(), Name: req.GetStack()}
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// Configure applies the policy configuration (enforcement levels and parameters) that the
// engine reconciled from --policy-pack-config and the defaults in GetAnalyzerInfo.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	raw := make(map[string]any, len(req.GetPolicyConfig()))
	for id, pc := range req.GetPolicyConfig() {
		entry := map[string]any{}
		if pc.GetProperties() != nil {
			for k, v := range pc.GetProperties().AsMap() {
				entry[k] = v
			}
		}
		level, err := enforcementFromRPC(pc.GetEnforcementLevel())
		if err != nil {
			return nil, status.Errorf(codes.InvalidArgument, "policy config %q: %v", id, err)
		}
		entry["enforcementLevel"] = string(level)
		raw[id] = entry
	}
	cfg, err := packconfig.FromMap(raw, s.policies)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "%s policy config: %v", packinfo.Name, err)
	}
	s.mu.Lock()
	s.cfg = cfg
	s.mu.Unlock()
	return &emptypb.Empty{}, nil
}

// GetAnalyzerInfo describes the pack and every policy. It works before ConfigureStack (as
// `pulumi policy publish` calls it) and reports the configured enforcement levels once
// Configure has been called.
func (s *Server) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	s.mu.RLock()
	cfg := s.cfg
	s.mu.RUnlock()
	infos := make([]*pulumirpc.PolicyInfo, 0, len(s.policies))
	for _, p := range s.policies {
		info, err := policyInfo(p, cfg.For(p.Metadata).Enforcement)
		if err != nil {
			return nil, status.Errorf(codes.Internal, "describing policy %s: %v", p.ID, err)
		}
		infos = append(infos, info)
	}
	return &pulumirpc.AnalyzerInfo{
		Name:           packinfo.Name,
		DisplayName:    packinfo.DisplayName,
		Version:        packinfo.Version,
		Description:    "HIPAA Security Rule checks for AWS resources, each citing its 45 CFR 164 controls.",
		SupportsConfig: true,
		Policies:       infos,
		Provider:       "aws",
		Tags:           []string{"hipaa", "aws", "compliance"},
	}, nil
}

func policyInfo(p policy.Policy, level policy.Enforcement) (*pulumirpc.PolicyInfo, error) {
	schema, err := configSchema(p.Params)
	if err != nil {
		return nil, err
	}
	kind := pulumirpc.PolicyType_POLICY_TYPE_RESOURCE
	if p.Stack != nil {
		kind = pulumirpc.PolicyType_POLICY_TYPE_STACK
	}
	url := ""
	if len(p.References) > 0 {
		url = p.References[0]
	}
	tags := []string{"hipaa", string(p.Engine), service(p.ID)}
	tags = append(tags, p.Controls...)
	return &pulumirpc.PolicyInfo{
		Name:             p.ID,
		DisplayName:      p.Title,
		Description:      p.Description,
		Message:          p.Remediation,
		EnforcementLevel: enforcementToRPC(level),
		ConfigSchema:     schema,
		PolicyType:       kind,
		Severity:         severityToRPC(p.Severity),
		Framework: &pulumirpc.PolicyComplianceFramework{
			Name:          packinfo.Framework,
			Version:       packinfo.FrameworkVersion,
			Reference:     strings.Join(p.Controls, ", "),
			Specification: "45 CFR " + strings.Join(p.Controls, ", 45 CFR "),
		},
		Tags:             tags,
		RemediationSteps: p.Remediation,
		Url:              url,
	}, nil
}

// service is the first segment of a policy ID (its AWS service).
func service(id string) string {
	s, _, _ := strings.Cut(id, "-")
	return s
}

// configSchema is the JSON schema of a policy's parameters, with their defaults.
func configSchema(params []policy.Param) (*pulumirpc.PolicyConfigSchema, error) {
	props := map[string]any{}
	for _, prm := range params {
		p := map[string]any{"type": string(prm.Type), "description": prm.Description}
		switch d := prm.Default.(type) {
		case []string:
			items := make([]any, len(d))
			for i, x := range d {
				items[i] = x
			}
			p["default"] = items
			itemSchema := map[string]any{"type": "string"}
			if prm.Pattern != "" {
				itemSchema["pattern"] = prm.Pattern
			}
			p["items"] = itemSchema
		case int:
			p["default"] = float64(d)
		default:
			p["default"] = d
		}
		if prm.Minimum != nil {
			p["minimum"] = float64(*prm.Minimum)
		}
		if prm.MinItems != nil {
			p["minItems"] = float64(*prm.MinItems)
		}
		if prm.Pattern != "" && prm.Type == policy.ParamString {
			p["pattern"] = prm.Pattern
		}
		props[prm.Name] = p
	}
	st, err := structpb.NewStruct(props)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.PolicyConfigSchema{Properties: st}, nil
}

// Analyze evaluates the resource-level policies on one resource.
func (s *Server) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	s.reportExpired()
	r, err := toResource(req.GetUrn(), req.GetType(), req.GetName(), req.GetProperties())
	if err != nil {
		return nil, err
	}
	ev := s.evaluator()
	ev.Stack = stackOr(ev.Stack, r.URN)
	report := ev.Resource(r)
	_, notApplicable := ev.Applicable(r.Type)
	resp := &pulumirpc.AnalyzeResponse{Diagnostics: diagnostics(report)}
	for _, id := range notApplicable {
		resp.NotApplicable = append(resp.NotApplicable, &pulumirpc.PolicyNotApplicable{
			PolicyName: id, Reason: "does not apply to resources of type " + r.Type,
		})
	}
	resp.NotApplicable = append(resp.NotApplicable, notApplicableOutcomes(report)...)
	resp.NotApplicable = append(resp.NotApplicable, disabled(ev, func(p policy.Policy) bool { return p.Resource != nil })...)
	return resp, nil
}

// disabled lists the policies disabled by the policy config as not applicable: the engine
// caches GetAnalyzerInfo from before Configure, so without this its summary would count a
// policy disabled by config as passed.
func disabled(ev *evaluate.Evaluator, kind func(policy.Policy) bool) []*pulumirpc.PolicyNotApplicable {
	var out []*pulumirpc.PolicyNotApplicable
	for _, p := range ev.Policies {
		if kind(p) && ev.Config.For(p.Metadata).Enforcement == policy.Disabled {
			out = append(out, &pulumirpc.PolicyNotApplicable{PolicyName: p.ID, Reason: "disabled by the policy pack config"})
		}
	}
	return out
}

// AnalyzeStack evaluates the stack-level policies over every resource of the stack.
func (s *Server) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	s.reportExpired()
	resources := make([]policy.Resource, 0, len(req.GetResources()))
	for _, ar := range req.GetResources() {
		r, err := toResource(ar.GetUrn(), ar.GetType(), ar.GetName(), ar.GetProperties())
		if err != nil {
			return nil, err
		}
		r.Parent = ar.GetParent()
		r.Dependencies = ar.GetDependencies()
		for k, deps := range ar.GetPropertyDependencies() {
			if r.PropertyDependencies == nil {
				r.PropertyDependencies = map[string][]string{}
			}
			r.PropertyDependencies[k] = deps.GetUrns()
		}
		resources = append(resources, r)
	}
	ev := s.evaluator()
	if len(resources) > 0 {
		ev.Stack = stackOr(ev.Stack, resources[0].URN)
	}
	report := ev.StackLevel(resources)
	resp := &pulumirpc.AnalyzeResponse{Diagnostics: diagnostics(report)}
	// A stack policy that judged nothing, or found every resource not applicable, is not
	// applicable to this stack.
	judged := map[string]bool{}
	for _, o := range report.Outcomes {
		if o.Status != policy.NotApplicable {
			judged[o.Policy] = true
		}
	}
	for _, p := range s.policies {
		if p.Stack == nil || judged[p.ID] || ev.Config.For(p.Metadata).Enforcement == policy.Disabled {
			continue
		}
		resp.NotApplicable = append(resp.NotApplicable, &pulumirpc.PolicyNotApplicable{
			PolicyName: p.ID, Reason: "no resource of this stack is subject to it",
		})
	}
	resp.NotApplicable = append(resp.NotApplicable, disabled(ev, func(p policy.Policy) bool { return p.Stack != nil })...)
	return resp, nil
}

// Remediate changes nothing: the pack reports, it never rewrites resources. Every policy is
// reported not applicable so that Pulumi's remediation summary does not count them as passed.
func (s *Server) Remediate(context.Context, *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	resp := &pulumirpc.RemediateResponse{}
	for _, p := range s.policies {
		resp.NotApplicable = append(resp.NotApplicable, &pulumirpc.PolicyNotApplicable{
			PolicyName: p.ID, Reason: "the HIPAA pack does not remediate; see its analysis",
		})
	}
	return resp, nil
}

// Cancel has nothing to stop: every call finishes quickly.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

func (s *Server) evaluator() *evaluate.Evaluator {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &evaluate.Evaluator{
		Policies:     s.policies,
		Config:       s.cfg,
		Suppressions: s.suppressions,
		Stack:        s.stack,
		Now:          s.now(),
	}
}

// reportExpired tells the engine, once, which suppressions have expired.
func (s *Server) reportExpired() {
	s.expiredOnce.Do(func() {
		s.mu.RLock()
		engine := s.engine
		s.mu.RUnlock()
		for _, e := range s.suppressions.Expired(s.now()) {
			engine.warn(fmt.Sprintf("%s: suppression of %s for %s expired on %s (owner %s); its findings are reported again",
				packinfo.Name, e.Policy, e.URN, e.Expires, e.Owner))
		}
	})
}

// stackOr returns the stack given by ConfigureStack or, when the engine did not call it
// (older engines), the stack and project named in a resource's URN, so that production-only
// rules still know the stack.
func stackOr(st evaluate.Stack, urn string) evaluate.Stack {
	if st.Name != "" {
		return st
	}
	if u, err := resource.ParseURN(urn); err == nil {
		return evaluate.Stack{Project: string(u.Project()), Name: string(u.Stack())}
	}
	return st
}

func toResource(urn, typ, name string, props *structpb.Struct) (policy.Resource, error) {
	pm, err := plugin.UnmarshalProperties(props, plugin.MarshalOptions{
		Label:            "analyze " + urn,
		KeepUnknowns:     true,
		KeepSecrets:      true,
		KeepResources:    true,
		KeepOutputValues: true,
	})
	if err != nil {
		return policy.Resource{}, status.Errorf(codes.InvalidArgument, "reading the properties of %s: %v", urn, err)
	}
	return policy.Resource{URN: urn, Type: typ, Name: name, Properties: pm}, nil
}

// diagnostics turns findings, and suppressed findings, into Pulumi diagnostics. A suppressed
// finding stays visible as an advisory diagnostic that names the suppression.
func diagnostics(r evaluate.Report) []*pulumirpc.AnalyzeDiagnostic {
	out := make([]*pulumirpc.AnalyzeDiagnostic, 0, len(r.Findings)+len(r.Suppressed))
	for _, f := range r.Findings {
		out = append(out, diagnostic(r.Pack, f, f.Enforcement, findingMessage(f)))
	}
	for _, sf := range r.Suppressed {
		msg := fmt.Sprintf("%s%s (owner %s; reason: %s): %s", evaluate.SuppressedPrefix,
			sf.Suppression.Expires, sf.Suppression.Owner, sf.Suppression.Reason, findingMessage(sf.Finding))
		out = append(out, diagnostic(r.Pack, sf.Finding, policy.Advisory, msg))
	}
	return out
}

func diagnostic(pack evaluate.Pack, f evaluate.Finding, level policy.Enforcement, msg string) *pulumirpc.AnalyzeDiagnostic {
	return &pulumirpc.AnalyzeDiagnostic{
		PolicyName:        f.Policy,
		PolicyPackName:    pack.Name,
		PolicyPackVersion: pack.Version,
		Description:       f.Title,
		Message:           msg,
		EnforcementLevel:  enforcementToRPC(level),
		Urn:               f.URN,
		Severity:          severityToRPC(f.Severity),
	}
}

// findingMessage is what the user reads: the controls, what is wrong and how to fix it.
func findingMessage(f evaluate.Finding) string {
	msg := fmt.Sprintf("[HIPAA %s] %s", strings.Join(f.Controls, ", "), f.Message)
	if f.Status == policy.Fail && f.Remediation != "" {
		msg += "\nFix: " + f.Remediation
	}
	return msg
}

func notApplicableOutcomes(r evaluate.Report) []*pulumirpc.PolicyNotApplicable {
	var out []*pulumirpc.PolicyNotApplicable
	for _, o := range r.Outcomes {
		if o.Status == policy.NotApplicable {
			out = append(out, &pulumirpc.PolicyNotApplicable{PolicyName: o.Policy, Reason: strings.Join(o.Messages, "; ")})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PolicyName < out[j].PolicyName })
	return out
}

func enforcementToRPC(l policy.Enforcement) pulumirpc.EnforcementLevel {
	switch l {
	case policy.Mandatory:
		return pulumirpc.EnforcementLevel_MANDATORY
	case policy.Disabled:
		return pulumirpc.EnforcementLevel_DISABLED
	}
	return pulumirpc.EnforcementLevel_ADVISORY
}

var errRemediate = errors.New("enforcement level remediate is not supported by this pack (it never rewrites resources)")

func enforcementFromRPC(l pulumirpc.EnforcementLevel) (policy.Enforcement, error) {
	switch l {
	case pulumirpc.EnforcementLevel_ADVISORY:
		return policy.Advisory, nil
	case pulumirpc.EnforcementLevel_MANDATORY:
		return policy.Mandatory, nil
	case pulumirpc.EnforcementLevel_DISABLED:
		return policy.Disabled, nil
	case pulumirpc.EnforcementLevel_REMEDIATE:
		return "", errRemediate
	}
	return "", fmt.Errorf("unknown enforcement level %v", l)
}

func severityToRPC(s policy.Severity) pulumirpc.PolicySeverity {
	switch s {
	case policy.SeverityLow:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW
	case policy.SeverityMedium:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM
	case policy.SeverityHigh:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH
	case policy.SeverityCritical:
		return pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL
	}
	return pulumirpc.PolicySeverity_POLICY_SEVERITY_UNSPECIFIED
}
