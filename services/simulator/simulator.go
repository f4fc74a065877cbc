// Package simulator produces realistic observation streams for demos and load tests: patients
// with a bedside monitor each, vitals that drift around a personal baseline, some patients
// deteriorating into clinically abnormal (still plausible) ranges, and a share of malformed or
// implausible records that the processor must dead-letter.
package simulator

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/carepulse/hipaa-pipeline/services/observation"
)

// Config shapes a simulation.
type Config struct {
	Patients   int           // number of patients (each with one device)
	Facilities int           // patients are spread over this many facilities (default 2)
	Interval   time.Duration // time between two measurements of one patient (default 5s)
	Abnormal   float64       // share of patients deteriorating, [0, 1]
	Malformed  float64       // share of records made invalid, [0, 1]
	Seed       uint64        // same seed, same stream
}

// Record is one generated stream record.
type Record struct {
	PartitionKey string // the patient ID: a patient's records stay in one shard, in order
	Data         []byte
	Valid        bool   // false for the records made malformed or implausible on purpose
	Kind         string // "normal", "abnormal" or the kind of defect
}

type vital struct {
	code, unit string
	normal     float64 // baseline
	abnormal   float64 // where a deteriorating patient drifts
	noise      float64
	decimals   int
}

var vitals = []vital{
	{observation.CodeHeartRate, "/min", 72, 135, 3, 0},
	{observation.CodeSpO2, "%", 97, 86, 0.7, 0},
	{observation.CodeSystolicBP, "mm[Hg]", 118, 85, 4, 0},
	{observation.CodeDiastolicBP, "mm[Hg]", 76, 50, 3, 0},
	{observation.CodeRespiratoryRate, "/min", 15, 28, 1, 0},
	{observation.CodeBodyTemperature, "Cel", 36.8, 39.4, 0.1, 1},
}

type patient struct {
	id, device, facility string
	baseline             []float64
	deteriorating        bool
}

// Simulator generates records tick by tick.
type Simulator struct {
	cfg      Config
	rng      *rand.Rand
	patients []patient
	tick     int
	start    time.Time
}

// New checks the configuration; start is the first measurement time.
func New(cfg Config, start time.Time) (*Simulator, error) {
	if cfg.Patients < 1 || cfg.Patients > 1_000_000 {
		return nil, fmt.Errorf("simulator: %d patients is outside [1, 1000000]", cfg.Patients)
	}
	if cfg.Facilities == 0 {
		cfg.Facilities = 2
	}
	if cfg.Facilities < 1 {
		return nil, fmt.Errorf("simulator: %d facilities", cfg.Facilities)
	}
	if cfg.Interval == 0 {
		cfg.Interval = 5 * time.Second
	}
	if cfg.Interval < time.Millisecond {
		return nil, fmt.Errorf("simulator: interval %s is under 1ms", cfg.Interval)
	}
	for name, v := range map[string]float64{"abnormal": cfg.Abnormal, "malformed": cfg.Malformed} {
		if v < 0 || v > 1 || math.IsNaN(v) {
			return nil, fmt.Errorf("simulator: %s share %g is outside [0, 1]", name, v)
		}
	}
	s := &Simulator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)), start: start.UTC()}
	for i := range cfg.Patients {
		p := patient{id: fmt.Sprintf("pt-%06d", i), device: fmt.Sprintf("mon-%06d", i), facility: fmt.Sprintf("fac-%02d", i%cfg.Facilities),
			deteriorating: s.rng.Float64() < cfg.Abnormal}
		for _, v := range vitals {
			p.baseline = append(p.baseline, v.normal+s.rng.NormFloat64()*v.noise)
		}
		s.patients = append(s.patients, p)
	}
	return s, nil
}

// Next returns the records of the next tick: one measurement of each vital for every patient.
func (s *Simulator) Next() []Record {
	at := s.start.Add(time.Duration(s.tick) * s.cfg.Interval)
	// Deterioration reaches its abnormal target over 60 ticks.
	progress := math.Min(1, float64(s.tick)/60)
	s.tick++
	out := make([]Record, 0, len(s.patients)*len(vitals))
	for _, p := range s.patients {
		for i, v := range vitals {
			value := p.baseline[i] + s.rng.NormFloat64()*v.noise
			kind := "normal"
			if p.deteriorating {
				value += (v.abnormal - v.normal) * progress
				kind = "abnormal"
			}
			rng, _ := observation.LookupVital(v.code)
			lim := rng.Units[v.unit]
			value = math.Max(lim.Min, math.Min(lim.Max, round(value, v.decimals)))
			rec := map[string]any{"deviceId": p.device, "patientId": p.id, "facilityId": p.facility, "code": v.code,
				"value": value, "unit": v.unit, "observedAt": at.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano)}
			r := Record{PartitionKey: p.id, Valid: true, Kind: kind}
			if s.rng.Float64() < s.cfg.Malformed {
				r.Kind, r.Valid = s.corrupt(rec), false
			}
			if r.Kind == "truncated" {
				b, _ := json.Marshal(rec)
				r.Data = b[:len(b)/2]
			} else {
				r.Data, _ = json.Marshal(rec) // maps of strings and numbers always encode
			}
			out = append(out, r)
		}
	}
	return out
}

// corrupt breaks a record the way faulty devices or gateways do; it returns the defect's name.
func (s *Simulator) corrupt(rec map[string]any) string {
	switch s.rng.IntN(6) {
	case 0:
		return "truncated"
	case 1:
		delete(rec, "patientId")
		return "missing patient"
	case 2:
		rec["unit"] = "bpm"
		return "non-UCUM unit"
	case 3:
		rec["value"] = -1.0
		return "implausible value"
	case 4:
		rec["code"] = "0000-0"
		return "unknown code"
	default:
		rec["observedAt"] = "yesterday"
		return "bad timestamp"
	}
}

func round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}
