package main

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/carepulse/hipaa-pipeline/services/readapi"
)

func TestHandlerServesHealthAndAPI(t *testing.T) {
	h := handler(readapi.New(nil, nil, nil))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "ok\n", rec.Body.String())

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/patients/pt-1/vitals/latest", nil))
	assert.Equal(t, http.StatusForbidden, rec.Code, "the API behind it still requires the authorizer's context")
}
