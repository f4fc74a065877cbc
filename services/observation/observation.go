// Package observation holds the wire format of one patient-monitoring measurement as devices put
// it on the stream, and its validation: schema, LOINC code / UCUM unit pairs and physiologically
// plausible ranges. An invalid record is reported with a reason that names the field and the rule
// broken, never an identifier's value, so reasons can be stored and logged without PHI.
package observation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// LOINC codes of the vital signs the pipeline accepts.
const (
	CodeHeartRate       = "8867-4"  // Heart rate
	CodeSpO2            = "59408-5" // Oxygen saturation in arterial blood by pulse oximetry
	CodeSystolicBP      = "8480-6"  // Systolic blood pressure
	CodeDiastolicBP     = "8462-4"  // Diastolic blood pressure
	CodeRespiratoryRate = "9279-1"  // Respiratory rate
	CodeBodyTemperature = "8310-5"  // Body temperature
)

// MaxRecordBytes bounds one encoded record; devices send a few hundred bytes.
const MaxRecordBytes = 4096

// MaxFutureSkew is how far in the future of the processor's clock an observation may be dated
// (device clocks drift); later ones are rejected as implausible.
const MaxFutureSkew = 5 * time.Minute

// MaxAge is how old an observation may be when it is validated: the stream keeps records for at
// most a year, and older dates are a device clock error.
const MaxAge = 366 * 24 * time.Hour

// Record is one measurement: who (patient, facility), by what (device), what (LOINC code, value,
// UCUM unit) and when (observed-at, with its time zone).
type Record struct {
	DeviceID   string    `json:"deviceId"`
	PatientID  string    `json:"patientId"`
	FacilityID string    `json:"facilityId"`
	Code       string    `json:"code"`
	Value      float64   `json:"value"`
	Unit       string    `json:"unit"`
	ObservedAt time.Time `json:"observedAt"`
}

// Range is the closed interval of plausible values of a code in one unit.
type Range struct {
	Min, Max float64
}

// Vital describes an accepted LOINC code: its name and the plausible range per accepted unit.
type Vital struct {
	Code  string
	Name  string
	Units map[string]Range
}

// vitals is the table of accepted codes. Ranges are wide on purpose: they reject what no living
// patient (or a working sensor) produces, not what is clinically abnormal; alarms are not the
// validator's job and abnormal values must be stored.
var vitals = map[string]Vital{
	CodeHeartRate: {Code: CodeHeartRate, Name: "heart rate", Units: map[string]Range{
		"/min": {Min: 20, Max: 300}, "{beats}/min": {Min: 20, Max: 300},
	}},
	CodeSpO2: {Code: CodeSpO2, Name: "oxygen saturation", Units: map[string]Range{
		"%": {Min: 50, Max: 100},
	}},
	CodeSystolicBP: {Code: CodeSystolicBP, Name: "systolic blood pressure", Units: map[string]Range{
		"mm[Hg]": {Min: 40, Max: 300},
	}},
	CodeDiastolicBP: {Code: CodeDiastolicBP, Name: "diastolic blood pressure", Units: map[string]Range{
		"mm[Hg]": {Min: 20, Max: 200},
	}},
	CodeRespiratoryRate: {Code: CodeRespiratoryRate, Name: "respiratory rate", Units: map[string]Range{
		"/min": {Min: 2, Max: 80}, "{breaths}/min": {Min: 2, Max: 80},
	}},
	CodeBodyTemperature: {Code: CodeBodyTemperature, Name: "body temperature", Units: map[string]Range{
		"Cel": {Min: 25, Max: 45}, "[degF]": {Min: 77, Max: 113},
	}},
}

// LookupVital returns the description of an accepted LOINC code.
func LookupVital(code string) (Vital, bool) {
	v, ok := vitals[code]
	return v, ok
}

// Codes returns the accepted LOINC codes.
func Codes() []string {
	return []string{CodeHeartRate, CodeSpO2, CodeSystolicBP, CodeDiastolicBP, CodeRespiratoryRate, CodeBodyTemperature}
}

// idPattern is the shape of device, patient and facility IDs: opaque tokens, no free text.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// InvalidError says why a record was rejected: the field (JSON name, or "record") and the rule.
// Its text never contains an identifier's value.
type InvalidError struct {
	Field  string
	Reason string
}

func (e *InvalidError) Error() string { return e.Field + ": " + e.Reason }

func invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// wire mirrors Record with pointers, so a missing field is told from a zero value.
type wire struct {
	DeviceID   *string          `json:"deviceId"`
	PatientID  *string          `json:"patientId"`
	FacilityID *string          `json:"facilityId"`
	Code       *string          `json:"code"`
	Value      *json.RawMessage `json:"value"`
	Unit       *string          `json:"unit"`
	ObservedAt *string          `json:"observedAt"`
}

// Decode parses one record strictly (one JSON object, no unknown fields, every field present and
// of the right type) and validates it against now. Any error is an *InvalidError.
func Decode(data []byte, now time.Time) (Record, error) {
	if len(data) == 0 {
		return Record{}, invalid("record", "empty")
	}
	if len(data) > MaxRecordBytes {
		return Record{}, invalid("record", "%d bytes, more than the %d allowed", len(data), MaxRecordBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wire
	if err := dec.Decode(&w); err != nil {
		return Record{}, invalid("record", "not a valid observation JSON object: %s", describeJSONError(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Record{}, invalid("record", "trailing data after the JSON object")
	}
	var rec Record
	for _, f := range []struct {
		name string
		src  *string
		dst  *string
	}{
		{"deviceId", w.DeviceID, &rec.DeviceID},
		{"patientId", w.PatientID, &rec.PatientID},
		{"facilityId", w.FacilityID, &rec.FacilityID},
		{"code", w.Code, &rec.Code},
		{"unit", w.Unit, &rec.Unit},
	} {
		if f.src == nil {
			return Record{}, invalid(f.name, "missing")
		}
		*f.dst = *f.src
	}
	if w.Value == nil || string(*w.Value) == "null" {
		return Record{}, invalid("value", "missing")
	}
	if err := json.Unmarshal(*w.Value, &rec.Value); err != nil {
		return Record{}, invalid("value", "not a number")
	}
	if w.ObservedAt == nil {
		return Record{}, invalid("observedAt", "missing")
	}
	at, err := time.Parse(time.RFC3339Nano, *w.ObservedAt)
	if err != nil {
		return Record{}, invalid("observedAt", "not an RFC 3339 timestamp with a time zone")
	}
	rec.ObservedAt = at
	if err := rec.Validate(now); err != nil {
		return Record{}, err
	}
	return rec, nil
}

// describeJSONError names the kind of JSON error without quoting the input.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return "must be a JSON object, not a JSON " + typ.Value
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be a %s, not a JSON %s", typ.Field, typ.Type.Kind(), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	default:
		return "malformed"
	}
}

// Validate checks identifiers, the code/unit pair, the plausible range and the timestamp against
// now. Any error is an *InvalidError.
func (r Record) Validate(now time.Time) error {
	for _, f := range []struct{ name, v string }{
		{"deviceId", r.DeviceID}, {"patientId", r.PatientID}, {"facilityId", r.FacilityID},
	} {
		if f.v == "" {
			return invalid(f.name, "empty")
		}
		if !idPattern.MatchString(f.v) {
			return invalid(f.name, "must be 1-64 characters of letters, digits, '.', '_', ':' or '-', starting with a letter or digit")
		}
	}
	v, ok := vitals[r.Code]
	if !ok {
		return invalid("code", "not an accepted LOINC vital-sign code (accepted: %s)", strings.Join(Codes(), ", "))
	}
	rng, ok := v.Units[r.Unit]
	if !ok {
		return invalid("unit", "not an accepted UCUM unit for %s (%s)", v.Code, v.Name)
	}
	if r.Value < rng.Min || r.Value > rng.Max || r.Value != r.Value {
		return invalid("value", "outside the plausible range [%g, %g] %s of %s (%s)", rng.Min, rng.Max, r.Unit, v.Code, v.Name)
	}
	if r.ObservedAt.IsZero() {
		return invalid("observedAt", "missing")
	}
	if r.ObservedAt.After(now.Add(MaxFutureSkew)) {
		return invalid("observedAt", "more than %s in the future", MaxFutureSkew)
	}
	if r.ObservedAt.Before(now.Add(-MaxAge)) {
		return invalid("observedAt", "older than %s", MaxAge)
	}
	return nil
}
