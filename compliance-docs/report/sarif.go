package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/carepulse/hipaa-pipeline/policypack/policy"
)

// SARIFSchemaURI is the schema URI of SARIF 2.1.0 (OASIS errata 01).
const SARIFSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Results           []sarifResult     `json:"results"`
	Properties        map[string]string `json:"properties"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name     string      `json:"name"`
	FullName string      `json:"fullName"`
	Version  string      `json:"version"`
	Rules    []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifText          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	HIPAAControls    []string `json:"hipaaControls"`
	Severity         string   `json:"severity"`
	SecuritySeverity string   `json:"security-severity"`
	Enforcement      string   `json:"enforcement"`
	Engine           string   `json:"engine"`
	ResourceTypes    []string `json:"resourceTypes"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Kind                string             `json:"kind"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifResultProps struct {
	HIPAAControls []string `json:"hipaaControls"`
	Enforcement   string   `json:"enforcement"`
	Status        string   `json:"status"`
	ResourceType  string   `json:"resourceType"`
	Remediation   string   `json:"remediation"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string            `json:"kind"`
	Status        string            `json:"status"`
	Justification string            `json:"justification"`
	Properties    map[string]string `json:"properties"`
}

// securitySeverity maps severities to the numeric scale code-scanning tools sort by.
var securitySeverity = map[policy.Severity]string{
	policy.SeverityCritical: "9.5", policy.SeverityHigh: "8.0", policy.SeverityMedium: "5.5", policy.SeverityLow: "3.0",
}

// SARIF writes the report as a SARIF 2.1.0 log: one rule per policy (HIPAA controls in its
// properties and tags), one result per finding, located by the resource's URN as a logical
// location. Passing verdicts are not results; the JSON report has them.
func SARIF(w io.Writer, r *Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "hipaa-audit", FullName: r.Scope.PackName + " policy pack", Version: r.Scope.PackVersion,
			Rules: []sarifRule{},
		}},
		AutomationDetails: sarifAutomation{ID: "hipaa-audit/" + r.Scope.Stack + "/"},
		Results:           []sarifResult{},
		Properties:        map[string]string{"stack": r.Scope.Stack},
	}
	if r.Scope.Project != "" {
		run.Properties["project"] = r.Scope.Project
	}
	if r.Scope.Commit != "" {
		run.Properties["commit"] = r.Scope.Commit
	}
	for _, t := range r.Scope.Sources {
		run.Properties["source:"+t.Path] = t.ID
	}
	index := map[string]int{}
	for i, p := range r.Policies {
		index[p.ID] = i
		level := "warning"
		if p.Enforcement == policy.Mandatory {
			level = "error"
		}
		tags := append([]string{"HIPAA", "security", "compliance"}, p.Controls...)
		rule := sarifRule{
			ID: p.ID, Name: p.ID,
			ShortDescription:     sarifText{Text: p.Title},
			FullDescription:      sarifText{Text: p.Description},
			Help:                 sarifText{Text: p.Remediation},
			DefaultConfiguration: sarifConfiguration{Level: level},
			Properties: sarifRuleProps{
				Tags: tags, HIPAAControls: p.Controls, Severity: string(p.Severity),
				SecuritySeverity: securitySeverity[p.Severity], Enforcement: string(p.Enforcement),
				Engine: string(p.Engine), ResourceTypes: p.ResourceTypes,
			},
		}
		if len(p.References) > 0 {
			rule.HelpURI = p.References[0]
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, f := range r.Findings {
		i, ok := index[f.Policy]
		if !ok {
			return fmt.Errorf("sarif: finding of policy %s, which has no rule", f.Policy)
		}
		res := sarifResult{
			RuleID: f.Policy, RuleIndex: i,
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{location(r.Scope.Source, f)},
			PartialFingerprints: map[string]string{"hipaaFinding/v1": f.Policy + "|" + f.URN},
			Properties: sarifResultProps{
				HIPAAControls: f.Controls, Enforcement: string(f.Enforcement), Status: string(f.Status),
				ResourceType: f.Type, Remediation: f.Remediation,
			},
		}
		switch {
		case f.Status == policy.Fail && f.Enforcement == policy.Mandatory:
			res.Kind, res.Level = "fail", "error"
		case f.Status == policy.Fail:
			res.Kind, res.Level = "fail", "warning"
		default:
			// Undetermined: SARIF's "open" kind (not enough information to decide); any kind
			// other than fail takes level none.
			res.Kind, res.Level = "open", "none"
		}
		if f.Suppression != nil {
			res.Suppressions = []sarifSuppression{{
				Kind: "external", Status: "accepted", Justification: f.Suppression.Reason,
				Properties: map[string]string{"owner": f.Suppression.Owner, "expires": f.Suppression.Expires, "urnPattern": f.Suppression.URN},
			}}
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: SARIFSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}})
}

// location places a finding: logically by the resource's URN and, when the evidence file is
// known, physically at the resource's line in it (code-scanning tools such as GitHub's reject
// results without a physical location).
func location(source string, f Finding) sarifLocation {
	loc := sarifLocation{LogicalLocations: []sarifLogicalLocation{{Name: f.Name, FullyQualifiedName: f.URN, Kind: "resource"}}}
	if source != "" {
		loc.PhysicalLocation = &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: source}}
		if f.SourceLine > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.SourceLine}
		}
	}
	return loc
}

// JSON writes the whole report as indented JSON.
func JSON(w io.Writer, r *Report) error { return writeJSON(w, r) }

func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding report: %w", err)
	}
	data = append(data, '\n')
	_, err = w.Write(data)
	return err
}
