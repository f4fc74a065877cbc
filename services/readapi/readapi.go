// Package readapi is the HTTP read API behind the network load balancer: a patient's latest
// vitals (Redis, completed from PostgreSQL) and history over a time range (PostgreSQL).
//
// The caller's identity comes from the API Gateway authorizer's context, which the integration
// maps into request headers (API Gateway replaces any client-sent value of a mapped header):
// X-Authz-Facility-Id, X-Authz-Role and X-Authz-Scope. A caller sees only patients of its own
// facility (minimum necessary): the facility is part of every lookup, and a patient of another
// facility is indistinguishable from an unknown one. Errors and logs never carry a patient ID
// or a value.
package readapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/carepulse/hipaa-pipeline/services/observation"
	"github.com/carepulse/hipaa-pipeline/services/store"
)

// Headers set by API Gateway from the authorizer's context.
const (
	HeaderFacility = "X-Authz-Facility-Id"
	HeaderRole     = "X-Authz-Role"
	HeaderScope    = "X-Authz-Scope"
)

// ScopeRead is the scope the read routes need.
const ScopeRead = "vitals:read"

// History bounds.
const (
	MaxHistoryRange = 7 * 24 * time.Hour
	DefaultLimit    = 1000
	MaxLimit        = 5000
)

// LatestCache is the Redis side (store.Vitals).
type LatestCache interface {
	LatestVitals(ctx context.Context, facilityID, patientID string) (map[string]store.Latest, error)
}

// API serves the read routes.
type API struct {
	db     *pgxpool.Pool
	cache  LatestCache
	logger *slog.Logger
	mux    *http.ServeMux
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// New returns the API; cache may be nil (PostgreSQL only).
func New(db *pgxpool.Pool, cache LatestCache, logger *slog.Logger) *API {
	if logger == nil {
		logger = slog.Default()
	}
	a := &API{db: db, cache: cache, logger: logger, mux: http.NewServeMux()}
	a.mux.HandleFunc("GET /patients/{patientId}/vitals/latest", a.latest)
	a.mux.HandleFunc("GET /patients/{patientId}/vitals/history", a.history)
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mux.ServeHTTP(w, r)
}

// LatestResponse is the body of the latest-vitals route.
type LatestResponse struct {
	PatientID string                  `json:"patientId"`
	Vitals    map[string]store.Latest `json:"vitals"`
}

// HistoryItem is one observation of the history route.
type HistoryItem struct {
	Code       string    `json:"code"`
	Value      float64   `json:"value"`
	Unit       string    `json:"unit"`
	ObservedAt time.Time `json:"observedAt"`
	DeviceID   string    `json:"deviceId"`
}

// HistoryResponse is the body of the history route.
type HistoryResponse struct {
	PatientID    string        `json:"patientId"`
	From         time.Time     `json:"from"`
	To           time.Time     `json:"to"`
	Observations []HistoryItem `json:"observations"`
	Truncated    bool          `json:"truncated"`
}

type caller struct{ facility, role string }

// authorize reads the authorizer's context and the path's patient ID; it writes the error.
func (a *API) authorize(w http.ResponseWriter, r *http.Request, route string) (caller, string, bool) {
	c := caller{facility: r.Header.Get(HeaderFacility), role: r.Header.Get(HeaderRole)}
	if !idPattern.MatchString(c.facility) || !idPattern.MatchString(c.role) || !hasScope(r.Header.Get(HeaderScope), ScopeRead) {
		a.fail(w, route, http.StatusForbidden, "forbidden")
		return caller{}, "", false
	}
	patient := r.PathValue("patientId")
	if !idPattern.MatchString(patient) {
		a.fail(w, route, http.StatusBadRequest, "the patient ID is not valid")
		return caller{}, "", false
	}
	return c, patient, true
}

func hasScope(scopes, want string) bool {
	for _, s := range strings.Fields(scopes) {
		if s == want {
			return true
		}
	}
	return false
}

func (a *API) fail(w http.ResponseWriter, route string, status int, msg string) {
	a.logger.Info("request refused", "route", route, "status", status, "error", msg)
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client went away: nothing to do
}

const latestSQL = `
SELECT DISTINCT ON (code) code, value, unit, observed_at, device_id
FROM observations
WHERE facility_id = $1 AND patient_id = $2 AND code = ANY($3)
ORDER BY code, observed_at DESC`

func (a *API) latest(w http.ResponseWriter, r *http.Request) {
	const route = "GET /patients/{patientId}/vitals/latest"
	c, patient, ok := a.authorize(w, r, route)
	if !ok {
		return
	}
	vitals := map[string]store.Latest{}
	if a.cache != nil {
		cached, err := a.cache.LatestVitals(r.Context(), c.facility, patient)
		if err != nil {
			a.logger.Warn("latest vitals cache unavailable, reading PostgreSQL", "route", route, "error", err)
		}
		for k, v := range cached {
			vitals[k] = v
		}
	}
	var missing []string
	for _, code := range observation.Codes() {
		if _, ok := vitals[code]; !ok {
			missing = append(missing, code)
		}
	}
	if len(missing) > 0 {
		rows, err := a.db.Query(r.Context(), latestSQL, c.facility, patient, missing)
		if err != nil {
			a.logger.Error("latest vitals query failed", "route", route, "error", err)
			a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
			return
		}
		for rows.Next() {
			var code string
			var l store.Latest
			if err := rows.Scan(&code, &l.Value, &l.Unit, &l.ObservedAt, &l.DeviceID); err != nil {
				rows.Close()
				a.logger.Error("latest vitals row unreadable", "route", route, "error", err)
				a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
				return
			}
			l.ObservedAt = l.ObservedAt.UTC()
			vitals[code] = l
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			a.logger.Error("latest vitals query failed", "route", route, "error", err)
			a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
			return
		}
	}
	if len(vitals) == 0 {
		a.fail(w, route, http.StatusNotFound, "no observations of this patient in your facility")
		return
	}
	a.logger.Info("request served", "route", route, "status", http.StatusOK, "facility", c.facility, "role", c.role)
	writeJSON(w, http.StatusOK, LatestResponse{PatientID: patient, Vitals: vitals})
}

const historySQL = `
SELECT code, value, unit, observed_at, device_id
FROM observations
WHERE facility_id = $1 AND patient_id = $2 AND observed_at >= $3 AND observed_at < $4
  AND ($5 = '' OR code = $5)
ORDER BY observed_at, code
LIMIT $6`

// parseHistory reads from, to (RFC 3339, to exclusive, at most MaxHistoryRange apart), code and limit.
func parseHistory(r *http.Request) (from, to time.Time, code string, limit int, err error) {
	q := r.URL.Query()
	from, err = time.Parse(time.RFC3339Nano, q.Get("from"))
	if err != nil {
		return from, to, "", 0, errors.New("from must be an RFC 3339 timestamp")
	}
	to, err = time.Parse(time.RFC3339Nano, q.Get("to"))
	if err != nil {
		return from, to, "", 0, errors.New("to must be an RFC 3339 timestamp")
	}
	if !to.After(from) || to.Sub(from) > MaxHistoryRange {
		return from, to, "", 0, fmt.Errorf("to must be after from, at most %s later", MaxHistoryRange)
	}
	code = q.Get("code")
	if _, ok := observation.LookupVital(code); code != "" && !ok {
		return from, to, "", 0, errors.New("code is not an accepted LOINC vital-sign code")
	}
	limit = DefaultLimit
	if s := q.Get("limit"); s != "" {
		limit, err = strconv.Atoi(s)
		if err != nil || limit < 1 || limit > MaxLimit {
			return from, to, "", 0, fmt.Errorf("limit must be a whole number in [1, %d]", MaxLimit)
		}
	}
	return from, to, code, limit, nil
}

func (a *API) history(w http.ResponseWriter, r *http.Request) {
	const route = "GET /patients/{patientId}/vitals/history"
	c, patient, ok := a.authorize(w, r, route)
	if !ok {
		return
	}
	from, to, code, limit, err := parseHistory(r)
	if err != nil {
		a.fail(w, route, http.StatusBadRequest, err.Error())
		return
	}
	rows, err := a.db.Query(r.Context(), historySQL, c.facility, patient, from, to, code, limit+1)
	if err != nil {
		a.logger.Error("history query failed", "route", route, "error", err)
		a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
		return
	}
	defer rows.Close()
	resp := HistoryResponse{PatientID: patient, From: from.UTC(), To: to.UTC(), Observations: []HistoryItem{}}
	for rows.Next() {
		var it HistoryItem
		if err := rows.Scan(&it.Code, &it.Value, &it.Unit, &it.ObservedAt, &it.DeviceID); err != nil {
			a.logger.Error("history row unreadable", "route", route, "error", err)
			a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
			return
		}
		it.ObservedAt = it.ObservedAt.UTC()
		resp.Observations = append(resp.Observations, it)
	}
	if err := rows.Err(); err != nil {
		a.logger.Error("history query failed", "route", route, "error", err)
		a.fail(w, route, http.StatusServiceUnavailable, "vitals are unavailable, retry later")
		return
	}
	if len(resp.Observations) > limit {
		resp.Observations, resp.Truncated = resp.Observations[:limit], true
	}
	// An empty history is a 200 with no observations: a 404 here would tell a caller whether the
	// patient has data in the range only; the facility filter already hides other facilities.
	a.logger.Info("request served", "route", route, "status", http.StatusOK, "facility", c.facility, "role", c.role,
		"observations", len(resp.Observations))
	writeJSON(w, http.StatusOK, resp)
}
