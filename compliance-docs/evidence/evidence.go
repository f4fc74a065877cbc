// Package evidence turns what an evaluation leaves behind into the input of a report: the
// evidence directory of `make audit` (compliance-docs/reports/<stack>/ with resources.json,
// policy-events.json and summary.json) or any single file `hipaa-audit check` reads (a stack
// export, a preview, a fixture). The resources are evaluated by the pack's own evaluator with
// the pack's registry, default configuration and suppressions, so verdicts are computed in the
// same place as in the analyzer plugin.
package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/carepulse/hipaa-pipeline/compliance-docs/catalog"
	"github.com/carepulse/hipaa-pipeline/compliance-docs/report"
	"github.com/carepulse/hipaa-pipeline/policypack/evaluate"
	"github.com/carepulse/hipaa-pipeline/policypack/packconfig"
	"github.com/carepulse/hipaa-pipeline/policypack/packinfo"
	"github.com/carepulse/hipaa-pipeline/policypack/policy"
	"github.com/carepulse/hipaa-pipeline/policypack/registry"
	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
	"github.com/carepulse/hipaa-pipeline/policypack/suppressions"
)

// File names of a `make audit` evidence directory.
const (
	ResourcesFile = "resources.json"
	EventsFile    = "policy-events.json"
	SummaryFile   = "summary.json"
)

// Options adjust what is written into the report's scope.
type Options struct {
	// Stack overrides the stack name (else summary.json's, else the file's URNs').
	Stack string
	// Commit is the repository commit of the evidence run (else summary.json's "commit", if
	// any); empty leaves it out.
	Commit string
	// Sources are the git object IDs of the sources of the evidence run (else summary.json's
	// "sources", if any).
	Sources []report.SourceTree
	// GeneratedAt is written into the report when set; empty keeps the output stable.
	GeneratedAt string
	// AsOf is the date suppressions expire against; zero means now.
	AsOf time.Time
	// Display names the evidence in the report (e.g. a repository-relative path); empty uses
	// the path as given.
	Display string
	// ConfigPath is a Pulumi policy config JSON (as for --policy-pack-config); empty means the
	// pack's defaults.
	ConfigPath string
	// SuppressionsPath replaces the pack's own suppressions file when set.
	SuppressionsPath string
}

// summaryFile is what the report reads of summary.json (other fields are ignored).
type summaryFile struct {
	Stack      string              `json:"stack"`
	Project    string              `json:"project"`
	Commit     string              `json:"commit"`
	Sources    []report.SourceTree `json:"sources"`
	PackConfig *report.FileDigest  `json:"packConfig"`
	Engine     struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"engine"`
}

// eventsFile is what the report reads of policy-events.json.
type eventsFile struct {
	Findings []struct {
		Policy      string `json:"policy"`
		URN         string `json:"urn"`
		Enforcement string `json:"enforcement"`
		Message     string `json:"message"`
		Excepted    bool   `json:"excepted"`
	} `json:"findings"`
}

// FromDir reads a `make audit` evidence directory: resources.json is required, summary.json and
// policy-events.json are read when present.
func FromDir(dir string, opt Options) (report.Input, error) {
	resPath := filepath.Join(dir, ResourcesFile)
	if _, err := os.Stat(resPath); err != nil {
		return report.Input{}, fmt.Errorf("evidence directory %s has no %s (run `make audit STACK=<stack>` first): %w", dir, ResourcesFile, err)
	}
	var sum summaryFile
	hasSummary, err := readJSON(filepath.Join(dir, SummaryFile), &sum)
	if err != nil {
		return report.Input{}, err
	}
	if opt.Stack == "" {
		opt.Stack = sum.Stack
	}
	if opt.Commit == "" {
		opt.Commit = sum.Commit
	}
	if len(opt.Sources) == 0 {
		opt.Sources = sum.Sources
	}
	display := opt.Display
	if display == "" {
		display = dir
	}
	opt.Display = filepath.ToSlash(filepath.Join(display, ResourcesFile))
	in, err := FromFile(resPath, opt)
	if err != nil {
		return report.Input{}, err
	}
	if hasSummary {
		if sum.Project != "" {
			in.Scope.Project = sum.Project
		}
		if sum.Engine.Version != "" {
			in.Scope.EngineVersion = sum.Engine.Name + " " + sum.Engine.Version
			if sum.Engine.Name == "" {
				in.Scope.EngineVersion = sum.Engine.Version
			}
		}
		in.Scope.PackConfig = sum.PackConfig
	}
	var ev eventsFile
	hasEvents, err := readJSON(filepath.Join(dir, EventsFile), &ev)
	if err != nil {
		return report.Input{}, err
	}
	if hasEvents {
		e := &report.EngineEvidence{Source: filepath.ToSlash(filepath.Join(display, EventsFile))}
		for _, f := range ev.Findings {
			if f.Excepted || strings.HasPrefix(f.Message, evaluate.SuppressedPrefix) {
				// Pulumi's own exceptions, and findings the pack's suppressions accept (sent as
				// advisory diagnostics so they stay visible): the offline evaluation reports
				// them as accepted, not open, findings.
				continue
			}
			e.PolicyEvents++
			e.Findings = append(e.Findings, report.EngineFinding{Policy: f.Policy, URN: f.URN, Enforcement: f.Enforcement})
			if f.Enforcement == string(policy.Mandatory) {
				e.Mandatory++
			} else {
				e.Advisory++
			}
		}
		in.Engine = e
	}
	return in, nil
}

// FromFile evaluates one file stackfile reads (stack export, preview or fixture).
func FromFile(path string, opt Options) (report.Input, error) {
	cat, err := catalog.Load()
	if err != nil {
		return report.Input{}, err
	}
	policies, err := registry.All()
	if err != nil {
		return report.Input{}, fmt.Errorf("loading the policy pack: %w", err)
	}
	cfg := packconfig.Defaults(policies)
	if opt.ConfigPath != "" {
		if cfg, err = packconfig.Load(opt.ConfigPath, policies); err != nil {
			return report.Input{}, err
		}
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	sup, err := suppressions.Open(opt.SuppressionsPath, asOf, registry.Known(policies))
	if err != nil {
		return report.Input{}, fmt.Errorf("loading suppressions: %w", err)
	}
	resources, info, err := stackfile.Read(path)
	if err != nil {
		return report.Input{}, err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return report.Input{}, fmt.Errorf("reading %s: %w", path, err)
	}
	stack := evaluate.Stack{Project: info.Project, Name: info.Stack}
	if opt.Stack != "" {
		stack.Name = opt.Stack
	}
	ev := &evaluate.Evaluator{
		Policies: policies, Config: cfg, Suppressions: sup, Stack: stack,
		Now: opt.AsOf,
	}
	result := ev.All(resources)
	meta := make([]policy.Metadata, len(policies))
	for i, p := range policies {
		meta[i] = p.Metadata
		// The report shows the enforcement this evaluation ran with, not the pack default.
		meta[i].Enforcement = cfg.For(p.Metadata).Enforcement
	}
	display := opt.Display
	if display == "" {
		display = filepath.ToSlash(path)
	}
	sort.SliceStable(resources, func(i, j int) bool { return resources[i].URN < resources[j].URN })
	return report.Input{
		Catalog:     cat,
		Policies:    meta,
		Resources:   resources,
		Evaluation:  result,
		SourceLines: urnLines(data, resources),
		Scope: report.Scope{
			Stack: stack.Name, Project: stack.Project, Source: display, Format: string(info.Format),
			PackName: packinfo.Name, PackVersion: packinfo.Version, Commit: opt.Commit, Sources: opt.Sources, GeneratedAt: opt.GeneratedAt,
		},
	}, nil
}

// urnLines finds the line where each resource is written in the file: the first line with a
// "urn" key and the resource's URN, else the first line with the URN (fixtures may have none).
func urnLines(data []byte, resources []policy.Resource) map[string]int {
	lines := strings.Split(string(data), "\n")
	out := make(map[string]int, len(resources))
	for _, r := range resources {
		enc, err := json.Marshal(r.URN)
		if err != nil {
			continue
		}
		first := 0
		for i, l := range lines {
			if !strings.Contains(l, string(enc)) {
				continue
			}
			if first == 0 {
				first = i + 1
			}
			if strings.Contains(l, `"urn"`) {
				first = i + 1
				break
			}
		}
		if first > 0 {
			out[r.URN] = first
		}
	}
	return out
}

// readJSON decodes an optional file; a missing file is not an error.
func readJSON(path string, v any) (bool, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("reading %s: %w", path, err)
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(v); err != nil {
		return false, fmt.Errorf("%s: invalid JSON: %w", path, err)
	}
	return true, nil
}
