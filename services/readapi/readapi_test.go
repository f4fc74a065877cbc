package readapi

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// These requests are refused before any database access (the API has none here).
func TestRefusedBeforeAnyLookup(t *testing.T) {
	auth := map[string]string{HeaderFacility: "fac-north", HeaderRole: "nurse", HeaderScope: "openid vitals:read"}
	tests := []struct {
		name, method, target string
		drop, set            map[string]string
		status               int
		body                 string
	}{
		{name: "no authorizer context", target: "/patients/pt-1/vitals/latest", drop: auth, status: 403, body: "forbidden"},
		{name: "no facility", target: "/patients/pt-1/vitals/latest", drop: map[string]string{HeaderFacility: ""}, status: 403, body: "forbidden"},
		{name: "no role", target: "/patients/pt-1/vitals/history", drop: map[string]string{HeaderRole: ""}, status: 403, body: "forbidden"},
		{name: "write scope only", target: "/patients/pt-1/vitals/latest", set: map[string]string{HeaderScope: "observations:write"}, status: 403, body: "forbidden"},
		{name: "free-text facility", target: "/patients/pt-1/vitals/latest", set: map[string]string{HeaderFacility: "North Wing"}, status: 403, body: "forbidden"},
		{name: "bad patient ID", target: "/patients/J%20Smith/vitals/latest", status: 400, body: "the patient ID is not valid"},
		{name: "history without range", target: "/patients/pt-1/vitals/history", status: 400, body: "from must be an RFC 3339 timestamp"},
		{name: "history range reversed", target: "/patients/pt-1/vitals/history?from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z", status: 400, body: "to must be after from"},
		{name: "history range too long", target: "/patients/pt-1/vitals/history?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", status: 400, body: "at most 168h0m0s later"},
		{name: "history unknown code", target: "/patients/pt-1/vitals/history?from=2026-12-03T09:00:00Z&to=2026-12-03T10:00:00Z&code=2339-0", status: 400, body: "code is not an accepted"},
		{name: "history bad limit", target: "/patients/pt-1/vitals/history?from=2026-12-03T09:00:00Z&to=2026-12-03T10:00:00Z&limit=0", status: 400, body: "limit must be"},
		{name: "unknown route", target: "/patients/pt-1", status: 404},
		{name: "write method", method: http.MethodPost, target: "/patients/pt-1/vitals/latest", status: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			api := New(nil, nil, slog.New(slog.NewJSONHandler(&logs, nil)))
			method := tt.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, tt.target, nil)
			for k, v := range auth {
				req.Header.Set(k, v)
			}
			for k := range tt.drop {
				req.Header.Del(k)
			}
			for k, v := range tt.set {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			api.ServeHTTP(rec, req)
			assert.Equal(t, tt.status, rec.Code)
			assert.Contains(t, rec.Body.String(), tt.body)
			for _, phi := range []string{"pt-1", "J Smith", "J%20Smith"} {
				assert.NotContains(t, rec.Body.String(), phi)
				assert.NotContains(t, logs.String(), phi)
			}
		})
	}
}
