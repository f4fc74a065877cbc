// Package catalog holds every standard and implementation specification of the HIPAA Security
// Rule (45 CFR 164.308, 164.310, 164.312, 164.314, 164.316) with what this system does about
// each: automated by policies, partially, or left to a manual / shared-responsibility process.
//
// The catalog lists controls only. Which policies enforce a control comes from the policies'
// own metadata; the report inverts that mapping.
package catalog

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed controls.yaml
var controlsYAML []byte

// Safeguard is the part of the Security Rule a control belongs to.
type Safeguard string

// Safeguards, one per section.
const (
	Administrative Safeguard = "administrative" // 164.308
	Physical       Safeguard = "physical"       // 164.310
	Technical      Safeguard = "technical"      // 164.312
	Organizational Safeguard = "organizational" // 164.314
	Documentation  Safeguard = "documentation"  // 164.316
)

var sectionSafeguard = map[string]Safeguard{
	"164.308": Administrative,
	"164.310": Physical,
	"164.312": Technical,
	"164.314": Organizational,
	"164.316": Documentation,
}

// Kind tells a standard from an implementation specification.
type Kind string

// Kinds.
const (
	Standard                    Kind = "standard"
	ImplementationSpecification Kind = "implementation-specification"
)

// Designation is Required or Addressable, as Appendix A to Subpart C (or the section) says.
type Designation string

// Designations.
const (
	Required    Designation = "R"
	Addressable Designation = "A"
)

// Status is what this system does about a control.
type Status string

// Statuses.
const (
	// Automated: the infrastructure side of the control is enforced by policies.
	Automated Status = "automated"
	// Partial: policies enforce a technical part; the rest is procedure.
	Partial Status = "partial"
	// Manual: nothing in the infrastructure code can show it (shared responsibility).
	Manual Status = "manual"
)

// Owner carries what the pack does not enforce.
type Owner string

// Owners.
const (
	Customer Owner = "customer"
	AWS      Owner = "aws"
	Shared   Owner = "shared"
)

// Control is one standard or implementation specification.
type Control struct {
	ID          string      `yaml:"id" json:"id"`
	Title       string      `yaml:"title" json:"title"`
	Safeguard   Safeguard   `yaml:"safeguard" json:"safeguard"`
	Kind        Kind        `yaml:"kind" json:"kind"`
	Standard    string      `yaml:"standard,omitempty" json:"standard,omitempty"`
	Designation Designation `yaml:"designation" json:"designation"`
	Status      Status      `yaml:"status" json:"status"`
	Owner       Owner       `yaml:"owner,omitempty" json:"owner,omitempty"`
	Summary     string      `yaml:"summary" json:"summary"`
	Rationale   string      `yaml:"rationale,omitempty" json:"rationale,omitempty"`
}

// Section is the CFR section of the control, e.g. "164.312".
func (c Control) Section() string { return Section(c.ID) }

// Catalog is the ordered list of controls (regulation order) with an index by ID.
type Catalog struct {
	Controls []Control
	byID     map[string]int
}

// Get returns the control with the given ID.
func (c *Catalog) Get(id string) (Control, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Control{}, false
	}
	return c.Controls[i], true
}

// Has reports whether the ID is in the catalog.
func (c *Catalog) Has(id string) bool { _, ok := c.byID[id]; return ok }

// idPattern is a citation as the regulation writes it: section, then (a)-style paragraph,
// (1)-style, (i)-style and (A)-style levels, in that order; a level needs the one before it.
var idPattern = regexp.MustCompile(`^(164\.3(?:08|10|12|14|16))\([a-z]\)(?:\([0-9]+\)(?:\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)(?:\([A-Z]\))?)?)?$`)

// WellFormed reports whether id is written like 164.312(a)(2)(iv): a Security Rule section
// without the section sign, followed by the paragraph levels in regulation order.
func WellFormed(id string) bool { return idPattern.MatchString(id) }

// Section returns the "164.3xx" part of a well-formed id, or "" when it is not well formed.
func Section(id string) string {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return ""
	}
	return m[1]
}

// Load parses and validates the embedded catalog.
func Load() (*Catalog, error) {
	return Parse(controlsYAML)
}

// Parse reads a catalog from YAML and validates it.
func Parse(data []byte) (*Catalog, error) {
	var doc struct {
		Controls []Control `yaml:"controls"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("catalog: parse controls.yaml: %w", err)
	}
	for i := range doc.Controls {
		doc.Controls[i].Summary = strings.TrimSpace(doc.Controls[i].Summary)
		doc.Controls[i].Rationale = strings.TrimSpace(doc.Controls[i].Rationale)
	}
	c := &Catalog{Controls: doc.Controls, byID: make(map[string]int, len(doc.Controls))}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Catalog) validate() error {
	if len(c.Controls) == 0 {
		return fmt.Errorf("catalog: no controls")
	}
	var errs []string
	bad := func(i int, id, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("control #%d (%s): %s", i+1, id, fmt.Sprintf(format, args...)))
	}
	for i, ctl := range c.Controls {
		if _, dup := c.byID[ctl.ID]; dup {
			bad(i, ctl.ID, "duplicate id")
			continue
		}
		c.byID[ctl.ID] = i
		if !WellFormed(ctl.ID) {
			bad(i, ctl.ID, "id is not written like 164.312(a)(2)(iv)")
			continue
		}
		if want := sectionSafeguard[ctl.Section()]; ctl.Safeguard != want {
			bad(i, ctl.ID, "safeguard %q, want %q for section %s", ctl.Safeguard, want, ctl.Section())
		}
		if strings.TrimSpace(ctl.Title) == "" {
			bad(i, ctl.ID, "title is empty")
		}
		if ctl.Summary == "" {
			bad(i, ctl.ID, "summary is empty")
		}
		switch ctl.Designation {
		case Required, Addressable:
		default:
			bad(i, ctl.ID, "designation %q, want R or A", ctl.Designation)
		}
		switch ctl.Kind {
		case Standard:
			if ctl.Standard != "" {
				bad(i, ctl.ID, "a standard names no parent standard (has %q)", ctl.Standard)
			}
			if ctl.Designation != Required {
				bad(i, ctl.ID, "standards are required (164.306(c)), designation is %q", ctl.Designation)
			}
		case ImplementationSpecification:
			if ctl.Standard == "" {
				bad(i, ctl.ID, "implementation specification names no standard")
			}
		default:
			bad(i, ctl.ID, "kind %q, want standard or implementation-specification", ctl.Kind)
		}
		switch ctl.Status {
		case Automated:
			if ctl.Owner != "" {
				bad(i, ctl.ID, "automated control names an owner (%q)", ctl.Owner)
			}
		case Partial, Manual:
			if ctl.Rationale == "" {
				bad(i, ctl.ID, "status %s needs a rationale", ctl.Status)
			}
			switch ctl.Owner {
			case Customer, AWS, Shared:
			default:
				bad(i, ctl.ID, "status %s needs an owner (customer, aws or shared), got %q", ctl.Status, ctl.Owner)
			}
		default:
			bad(i, ctl.ID, "status %q, want automated, partial or manual", ctl.Status)
		}
	}
	// Parents are checked once every ID is indexed.
	for i, ctl := range c.Controls {
		if ctl.Kind != ImplementationSpecification || ctl.Standard == "" {
			continue
		}
		j, ok := c.byID[ctl.Standard]
		switch {
		case !ok:
			bad(i, ctl.ID, "parent standard %s is not in the catalog", ctl.Standard)
		case c.Controls[j].Kind != Standard:
			bad(i, ctl.ID, "parent %s is not a standard", ctl.Standard)
		case Section(ctl.Standard) != ctl.Section():
			bad(i, ctl.ID, "parent standard %s is in another section", ctl.Standard)
		case !strings.HasPrefix(ctl.ID, parentParagraph(ctl.Standard)):
			bad(i, ctl.ID, "is not a paragraph of its standard %s", ctl.Standard)
		case j > i:
			bad(i, ctl.ID, "listed before its standard %s", ctl.Standard)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("catalog: %d problem(s):\n  %s", len(errs), strings.Join(errs, "\n  "))
	}
	return nil
}

// parentParagraph drops the last level of a standard's citation: the implementation
// specifications of 164.308(a)(1)(i) are paragraphs of 164.308(a)(1).
func parentParagraph(standard string) string {
	if i := strings.LastIndex(standard, "("); i > 0 {
		return standard[:i]
	}
	return standard
}
