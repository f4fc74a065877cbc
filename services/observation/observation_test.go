package observation

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var now = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// good returns a valid record's JSON fields; tests change one field from it.
func good() map[string]any {
	return map[string]any{
		"deviceId":   "dev-0001",
		"patientId":  "pat-42",
		"facilityId": "fac-north",
		"code":       CodeHeartRate,
		"value":      72.0,
		"unit":       "/min",
		"observedAt": "2026-12-03T11:59:58.250+01:00",
	}
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

func TestDecodeValid(t *testing.T) {
	rec, err := Decode(encode(t, good()), now)
	require.NoError(t, err)
	assert.Equal(t, "dev-0001", rec.DeviceID)
	assert.Equal(t, "pat-42", rec.PatientID)
	assert.Equal(t, "fac-north", rec.FacilityID)
	assert.Equal(t, CodeHeartRate, rec.Code)
	assert.InDelta(t, 72.0, rec.Value, 0)
	assert.Equal(t, "/min", rec.Unit)
	assert.True(t, rec.ObservedAt.Equal(time.Date(2026, 12, 3, 10, 59, 58, 250e6, time.UTC)))
}

func TestDecodeEveryVitalAtItsBounds(t *testing.T) {
	for _, code := range Codes() {
		v, ok := LookupVital(code)
		require.True(t, ok, code)
		for unit, rng := range v.Units {
			for _, value := range []float64{rng.Min, rng.Max, (rng.Min + rng.Max) / 2} {
				m := good()
				m["code"], m["unit"], m["value"] = code, unit, value
				_, err := Decode(encode(t, m), now)
				assert.NoError(t, err, "%s %g %s", code, value, unit)
			}
		}
	}
}

func TestDecodeInvalid(t *testing.T) {
	tests := []struct {
		name   string
		change func(m map[string]any)
		raw    string // used instead of the changed good record when set
		field  string
		reason string
	}{
		{name: "empty input", raw: " ", field: "record", reason: "not a valid observation JSON object: truncated"},
		{name: "not JSON", raw: "{deviceId: 1}", field: "record", reason: "syntax error at byte 2"},
		{name: "array", raw: "[1,2]", field: "record", reason: "must be a JSON object, not a JSON array"},
		{name: "trailing data", raw: string(encode(t, good())) + "{}", field: "record", reason: "trailing data"},
		{name: "too large", raw: `{"deviceId":"` + strings.Repeat("a", MaxRecordBytes) + `"}`, field: "record", reason: "more than the 4096 allowed"},
		{name: "unknown field", change: func(m map[string]any) { m["ssn"] = "x" }, field: "record", reason: `unknown field "ssn"`},
		{name: "missing deviceId", change: func(m map[string]any) { delete(m, "deviceId") }, field: "deviceId", reason: "missing"},
		{name: "missing patientId", change: func(m map[string]any) { delete(m, "patientId") }, field: "patientId", reason: "missing"},
		{name: "missing facilityId", change: func(m map[string]any) { delete(m, "facilityId") }, field: "facilityId", reason: "missing"},
		{name: "missing code", change: func(m map[string]any) { delete(m, "code") }, field: "code", reason: "missing"},
		{name: "missing unit", change: func(m map[string]any) { delete(m, "unit") }, field: "unit", reason: "missing"},
		{name: "missing value", change: func(m map[string]any) { delete(m, "value") }, field: "value", reason: "missing"},
		{name: "null value", change: func(m map[string]any) { m["value"] = nil }, field: "value", reason: "missing"},
		{name: "string value", change: func(m map[string]any) { m["value"] = "72" }, field: "value", reason: "not a number"},
		{name: "missing observedAt", change: func(m map[string]any) { delete(m, "observedAt") }, field: "observedAt", reason: "missing"},
		{name: "numeric patientId", change: func(m map[string]any) { m["patientId"] = 42 }, field: "record", reason: `field "patientId" must be a string, not a JSON number`},
		{name: "empty patientId", change: func(m map[string]any) { m["patientId"] = "" }, field: "patientId", reason: "empty"},
		{name: "free text deviceId", change: func(m map[string]any) { m["deviceId"] = "John Smith" }, field: "deviceId", reason: "must be 1-64 characters"},
		{name: "too long facilityId", change: func(m map[string]any) { m["facilityId"] = strings.Repeat("f", 65) }, field: "facilityId", reason: "must be 1-64 characters"},
		{name: "unknown code", change: func(m map[string]any) { m["code"] = "2339-0" }, field: "code", reason: "not an accepted LOINC vital-sign code"},
		{name: "unit of another code", change: func(m map[string]any) { m["unit"] = "mm[Hg]" }, field: "unit", reason: "not an accepted UCUM unit for 8867-4 (heart rate)"},
		{name: "non-UCUM unit", change: func(m map[string]any) { m["unit"] = "bpm" }, field: "unit", reason: "not an accepted UCUM unit for 8867-4"},
		{name: "temperature in wrong case unit", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeBodyTemperature, "cel", 37.0 }, field: "unit", reason: "not an accepted UCUM unit for 8310-5 (body temperature)"},
		{name: "heart rate too low", change: func(m map[string]any) { m["value"] = 19.9 }, field: "value", reason: "outside the plausible range [20, 300] /min of 8867-4 (heart rate)"},
		{name: "heart rate too high", change: func(m map[string]any) { m["value"] = 300.5 }, field: "value", reason: "outside the plausible range [20, 300]"},
		{name: "SpO2 above 100", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeSpO2, "%", 101.0 }, field: "value", reason: "[50, 100] % of 59408-5"},
		{name: "systolic zero", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeSystolicBP, "mm[Hg]", 0.0 }, field: "value", reason: "[40, 300] mm[Hg] of 8480-6"},
		{name: "diastolic too high", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeDiastolicBP, "mm[Hg]", 250.0 }, field: "value", reason: "[20, 200] mm[Hg] of 8462-4"},
		{name: "respiratory rate negative", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeRespiratoryRate, "/min", -4.0 }, field: "value", reason: "[2, 80] /min of 9279-1"},
		{name: "Celsius value sent as Fahrenheit", change: func(m map[string]any) { m["code"], m["unit"], m["value"] = CodeBodyTemperature, "[degF]", 37.0 }, field: "value", reason: "[77, 113] [degF] of 8310-5"},
		{name: "timestamp without zone", change: func(m map[string]any) { m["observedAt"] = "2026-12-03T11:59:58" }, field: "observedAt", reason: "not an RFC 3339 timestamp"},
		{name: "epoch number timestamp", change: func(m map[string]any) { m["observedAt"] = 1764763198 }, field: "record", reason: `field "observedAt" must be a string`},
		{name: "future timestamp", change: func(m map[string]any) { m["observedAt"] = now.Add(MaxFutureSkew + time.Second).Format(time.RFC3339) }, field: "observedAt", reason: "in the future"},
		{name: "ancient timestamp", change: func(m map[string]any) { m["observedAt"] = "1970-01-01T00:00:00Z" }, field: "observedAt", reason: "older than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.raw == "" {
				m := good()
				tt.change(m)
				data = encode(t, m)
			}
			_, err := Decode(data, now)
			require.Error(t, err)
			var inv *InvalidError
			require.ErrorAs(t, err, &inv)
			assert.Equal(t, tt.field, inv.Field)
			assert.Contains(t, inv.Reason, tt.reason)
			// A reason never echoes an identifier's value.
			for _, id := range []string{"dev-0001", "pat-42", "fac-north", "John Smith"} {
				assert.NotContains(t, err.Error(), id)
			}
		})
	}
}

func TestDecodeEmptyBytes(t *testing.T) {
	_, err := Decode(nil, now)
	require.EqualError(t, err, "record: empty")
}

func TestValidateNotFinite(t *testing.T) {
	rec := Record{DeviceID: "d", PatientID: "p", FacilityID: "f", Code: CodeHeartRate, Unit: "/min", ObservedAt: now}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		rec.Value = v
		err := rec.Validate(now)
		var inv *InvalidError
		require.ErrorAs(t, err, &inv, "%v", v)
		assert.Equal(t, "value", inv.Field)
	}
}

func TestValidateZeroTime(t *testing.T) {
	rec := Record{DeviceID: "d", PatientID: "p", FacilityID: "f", Code: CodeHeartRate, Unit: "/min", Value: 60}
	require.EqualError(t, rec.Validate(now), "observedAt: missing")
}
