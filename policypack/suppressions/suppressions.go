// Package suppressions holds the accepted findings of the pack: each entry names a policy, a
// URN pattern, why the finding is accepted, who owns the decision and until when. An expired
// entry stops suppressing and is reported as expired; no entry may expire more than a year after
// the evaluation (MaxHorizonDays). The pack's own list is suppressions.yaml
// beside this file, embedded in every binary built from the pack.
package suppressions

import (
	"bytes"
	_ "embed" // the pack's suppressions.yaml
	"errors"
	"fmt"
	"io"
	"net/mail"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

//go:embed suppressions.yaml
var packFile []byte

// PackFileName names the embedded file in messages.
const PackFileName = "policypack/suppressions/suppressions.yaml"

// dateLayout is the layout of the expires field.
const dateLayout = "2006-01-02"

// Entry is one accepted finding.
type Entry struct {
	// Policy is the exact policy ID.
	Policy string `yaml:"policy" json:"policy"`
	// URN is a pattern over resource URNs: "*" matches any run of characters, "?" one.
	URN     string `yaml:"urn" json:"urn"`
	Reason  string `yaml:"reason" json:"reason"`
	Owner   string `yaml:"owner" json:"owner"`
	Expires string `yaml:"expires" json:"expires"`

	until   time.Time
	pattern *regexp.Regexp
	index   int
}

// Expired reports whether the entry no longer suppresses at now: it is valid through the whole
// day of its expiry date (UTC).
func (e Entry) Expired(now time.Time) bool { return !now.UTC().Before(e.until) }

// Matches reports whether the entry covers the policy and URN (whatever its expiry).
func (e Entry) Matches(policyID, urn string) bool {
	return e.Policy == policyID && e.pattern.MatchString(urn)
}

// Name identifies the entry in messages.
func (e Entry) Name() string {
	return fmt.Sprintf("suppressions[%d] (policy %s, urn %s)", e.index, e.Policy, e.URN)
}

// Set is a validated list of suppressions.
type Set struct {
	Source  string
	Entries []Entry
}

type file struct {
	Suppressions []Entry `yaml:"suppressions"`
}

// Pack returns the pack's own suppressions (the embedded suppressions.yaml).
func Pack() (*Set, error) { return Parse(packFile, PackFileName) }

// Load reads and validates a suppressions file.
func Load(path string) (*Set, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading suppressions %s: %w", path, err)
	}
	return Parse(data, path)
}

// Open loads the suppressions a run uses, the pack's own (path "") or a file's, and validates
// them against the pack's policies (known) and the day of the evaluation (now).
func Open(path string, now time.Time, known func(id string) bool) (*Set, error) {
	var (
		s   *Set
		err error
	)
	if path == "" {
		s, err = Pack()
	} else {
		s, err = Load(path)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Validate(now, known); err != nil {
		return nil, err
	}
	return s, nil
}

// Parse validates suppressions YAML; source names it in errors.
func Parse(data []byte, source string) (*Set, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	s := &Set{Source: source}
	for i, e := range f.Suppressions {
		e.index = i
		if err := e.validate(); err != nil {
			return nil, fmt.Errorf("%s: suppressions[%d]: %w", source, i, err)
		}
		s.Entries = append(s.Entries, e)
	}
	return s, nil
}

var policyIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (e *Entry) validate() error {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"policy", e.Policy}, {"urn", e.URN}, {"reason", e.Reason}, {"owner", e.Owner}, {"expires", e.Expires},
	} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if !policyIDPattern.MatchString(e.Policy) {
		return fmt.Errorf("policy %q is not a policy ID (kebab case, no wildcards)", e.Policy)
	}
	if a, err := mail.ParseAddress(e.Owner); err != nil || a.Name != "" || a.Address != e.Owner {
		return fmt.Errorf("owner %q is not an e-mail address (the person or team who answers for the exception)", e.Owner)
	}
	if !strings.HasPrefix(e.URN, "urn:pulumi:") {
		return fmt.Errorf("urn %q must start with urn:pulumi: (a pattern over full URNs)", e.URN)
	}
	d, err := time.Parse(dateLayout, e.Expires)
	if err != nil {
		return fmt.Errorf("expires %q is not a date like 2027-01-31", e.Expires)
	}
	e.until = d.AddDate(0, 0, 1)
	e.pattern = globToRegexp(e.URN)
	return nil
}

func globToRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// MaxHorizonDays is how far after the day of an evaluation an entry may expire: a finding is
// accepted for at most a year before someone must look at it again (the periodic evaluation of
// 164.308(a)(8)). An entry only comes closer to its expiry as time passes, so a list valid when
// the pack is built stays valid until its entries expire.
const MaxHorizonDays = 366

// Validate checks the entries against the pack (every policy named exists, see CheckPolicies)
// and against the day of the evaluation (no entry expires more than MaxHorizonDays after now).
func (s *Set) Validate(now time.Time, known func(id string) bool) error {
	if err := s.CheckPolicies(known); err != nil {
		return err
	}
	return s.CheckHorizon(now)
}

// CheckHorizon reports the first entry that expires more than MaxHorizonDays after now (UTC).
func (s *Set) CheckHorizon(now time.Time) error {
	if s == nil {
		return nil
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	limit := today.AddDate(0, 0, MaxHorizonDays)
	for _, e := range s.Entries {
		if e.until.AddDate(0, 0, -1).After(limit) {
			return fmt.Errorf("%s: %s: expires %s is more than %d days after %s: an accepted finding must be "+
				"reviewed at least once a year (164.308(a)(8)); set expires to %s or earlier",
				s.Source, e.Name(), e.Expires, MaxHorizonDays, today.Format(dateLayout), limit.Format(dateLayout))
		}
	}
	return nil
}

// CheckPolicies reports entries naming a policy that is not in the pack.
func (s *Set) CheckPolicies(known func(id string) bool) error {
	if s == nil {
		return nil
	}
	for _, e := range s.Entries {
		if !known(e.Policy) {
			return fmt.Errorf("%s: %s: no policy %q in the pack", s.Source, e.Name(), e.Policy)
		}
	}
	return nil
}

// Match returns the entry that suppresses the finding of policyID on urn at now. An expired
// entry that matches is returned with active false.
func (s *Set) Match(policyID, urn string, now time.Time) (entry Entry, active, found bool) {
	if s == nil {
		return Entry{}, false, false
	}
	var expired *Entry
	for i := range s.Entries {
		e := &s.Entries[i]
		if !e.Matches(policyID, urn) {
			continue
		}
		if !e.Expired(now) {
			return *e, true, true
		}
		if expired == nil {
			expired = e
		}
	}
	if expired != nil {
		return *expired, false, true
	}
	return Entry{}, false, false
}

// Expired lists the entries that have expired at now.
func (s *Set) Expired(now time.Time) []Entry {
	if s == nil {
		return nil
	}
	var out []Entry
	for _, e := range s.Entries {
		if e.Expired(now) {
			out = append(out, e)
		}
	}
	return out
}
