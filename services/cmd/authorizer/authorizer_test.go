package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	issuer    = "https://idp.carepulse.example/realms/staff"
	audience  = "vitals-api"
	arnPrefix = "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod"
	readArn   = arnPrefix + "/GET/patients/pt-7f3a91/vitals/latest"
	writeArn  = arnPrefix + "/POST/observations"
)

var (
	now = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

	rsaKey, rsaKey2 *rsa.PrivateKey
	ecKey           *ecdsa.PrivateKey
	keysOnce        sync.Once
)

func keys(t *testing.T) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		rsaKey, err = rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		rsaKey2, err = rsa.GenerateKey(rand.Reader, 2048)
		require.NoError(t, err)
		ecKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		require.NoError(t, err)
	})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func rsaJWK(kid string, k *rsa.PublicKey) map[string]string {
	return map[string]string{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
}

func ecJWK(kid string, k *ecdsa.PublicKey) map[string]string {
	b, err := k.Bytes() // 0x04 || x || y
	if err != nil {
		panic(err)
	}
	return map[string]string{"kty": "EC", "kid": kid, "crv": "P-256", "x": b64(b[1:33]), "y": b64(b[33:])}
}

// idp serves a JWKS over TLS on loopback; its key list can change (rotation) and it counts fetches.
type idp struct {
	srv     *httptest.Server
	mu      sync.Mutex
	keys    []map[string]string
	fetches atomic.Int32
}

func newIDP(t *testing.T, keys ...map[string]string) *idp {
	t.Helper()
	p := &idp{keys: keys}
	p.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.fetches.Add(1)
		if r.URL.Path != "/jwks" {
			http.NotFound(w, r)
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": p.keys})
	}))
	t.Cleanup(p.srv.Close)
	return p
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newAuthorizer(t *testing.T, p *idp, clk *clock, logs *bytes.Buffer) *Authorizer {
	t.Helper()
	a, err := New(Config{Issuer: issuer, Audience: audience, JWKSURL: p.srv.URL + "/jwks", Client: p.srv.Client(),
		Now: clk.now, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	require.NoError(t, err)
	return a
}

func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": issuer, "aud": []string{audience, "other"}, "sub": "nurse-0042",
		"iat": now.Add(-time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "exp": now.Add(10 * time.Minute).Unix(),
		"scope": "openid vitals:read", "facility_id": "fac-north", "role": "nurse",
	}
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

func request(token, arn string) events.APIGatewayCustomAuthorizerRequest {
	return events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: "Bearer " + token, MethodArn: arn}
}

func assertDenied(t *testing.T, resp events.APIGatewayCustomAuthorizerResponse) {
	t.Helper()
	assert.Equal(t, denyAll(), resp)
}

func TestAuthorizerAllows(t *testing.T) {
	keys(t)
	p := newIDP(t, rsaJWK("rsa-1", &rsaKey.PublicKey), ecJWK("ec-1", &ecKey.PublicKey))
	clk := &clock{t: now}
	var logs bytes.Buffer
	a := newAuthorizer(t, p, clk, &logs)

	readToken := sign(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, goodClaims())
	resp, err := a.Handle(context.Background(), request(readToken, readArn))
	require.NoError(t, err)
	assert.Equal(t, events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: "nurse-0042",
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{Version: "2012-10-17", Statement: []events.IAMPolicyStatement{{
			Action: []string{"execute-api:Invoke"}, Effect: "Allow",
			Resource: []string{arnPrefix + "/GET/patients/*/vitals/latest", arnPrefix + "/GET/patients/*/vitals/history"},
		}}},
		Context: map[string]any{"facilityId": "fac-north", "role": "nurse", "scope": "openid vitals:read"},
	}, resp)

	c := goodClaims()
	c["scope"], c["role"], c["sub"] = "observations:write", "device", "gateway-7"
	writeToken := sign(t, jwt.SigningMethodES256, "ec-1", ecKey, c)
	resp, err = a.Handle(context.Background(), events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: "bearer " + writeToken, MethodArn: writeArn})
	require.NoError(t, err)
	require.Len(t, resp.PolicyDocument.Statement, 1)
	assert.Equal(t, "Allow", resp.PolicyDocument.Statement[0].Effect)
	assert.Equal(t, []string{arnPrefix + "/POST/observations"}, resp.PolicyDocument.Statement[0].Resource)
	assert.Equal(t, "gateway-7", resp.PrincipalID)

	// Expired 30s ago: inside the default 60s skew.
	c = goodClaims()
	c["exp"] = now.Add(-30 * time.Second).Unix()
	resp, err = a.Handle(context.Background(), request(sign(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, c), readArn))
	require.NoError(t, err)
	assert.Equal(t, "Allow", resp.PolicyDocument.Statement[0].Effect)

	assert.Equal(t, int32(1), p.fetches.Load(), "the key set is fetched once and cached")
	for _, tok := range []string{readToken, writeToken} {
		assert.NotContains(t, logs.String(), tok)
		assert.NotContains(t, logs.String(), tok[strings.LastIndex(tok, ".")+1:], "no signature in the logs")
	}
	assert.Contains(t, logs.String(), `"msg":"authorization allowed"`)
	assert.NotContains(t, logs.String(), "pt-7f3a91", "the patient ID of the path is not logged")
}

func TestAuthorizerDenies(t *testing.T) {
	keys(t)
	p := newIDP(t, rsaJWK("rsa-1", &rsaKey.PublicKey), ecJWK("ec-1", &ecKey.PublicKey))
	rs := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, c) }
	with := func(k string, v any) jwt.MapClaims {
		c := goodClaims()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	valid := rs(goodClaims())
	parts := strings.Split(valid, ".")
	tamperedPayload, err := json.Marshal(with("scope", "vitals:read observations:write"))
	require.NoError(t, err)
	noneHeader := b64([]byte(`{"alg":"none","typ":"JWT","kid":"rsa-1"}`))
	pubDER, err := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	require.NoError(t, err)

	tests := []struct {
		name, token, arn, reason string
		header                   string // instead of "Bearer <token>" when set
	}{
		{name: "expired beyond the skew", token: rs(with("exp", now.Add(-2*time.Minute).Unix())), reason: "expired"},
		{name: "no exp", token: rs(with("exp", nil)), reason: "required claim missing"},
		{name: "not valid yet", token: rs(with("nbf", now.Add(5*time.Minute).Unix())), reason: "not valid yet"},
		{name: "issued in the future", token: rs(with("iat", now.Add(5*time.Minute).Unix())), reason: "issued in the future"},
		{name: "wrong audience", token: rs(with("aud", "billing-api")), reason: "wrong audience"},
		{name: "no audience", token: rs(with("aud", nil)), reason: "required claim missing"},
		{name: "wrong issuer", token: rs(with("iss", "https://evil.example/realms/staff")), reason: "wrong issuer"},
		{name: "unknown key ID", token: sign(t, jwt.SigningMethodRS256, "rsa-9", rsaKey, goodClaims()), reason: "unverifiable"},
		{name: "no key ID", token: sign(t, jwt.SigningMethodRS256, "", rsaKey, goodClaims()), reason: "unverifiable"},
		{name: "signed by another key under a known ID", token: sign(t, jwt.SigningMethodRS256, "rsa-1", rsaKey2, goodClaims()), reason: "signature or algorithm"},
		{name: "ES256 header on the RSA key", token: sign(t, jwt.SigningMethodES256, "rsa-1", ecKey, goodClaims()), reason: "unverifiable"},
		{name: "tampered payload", token: parts[0] + "." + b64(tamperedPayload) + "." + parts[2], arn: writeArn, reason: "signature or algorithm"},
		{name: "tampered signature", token: parts[0] + "." + parts[1] + "." + b64([]byte("not the signature")), reason: "signature or algorithm"},
		{name: "alg none", token: noneHeader + "." + parts[1] + ".", reason: "signature or algorithm"},
		{name: "HS256 keyed with the public key", token: sign(t, jwt.SigningMethodHS256, "rsa-1", pubDER, goodClaims()), reason: "signature or algorithm"},
		{name: "RS384", token: sign(t, jwt.SigningMethodRS384, "rsa-1", rsaKey, goodClaims()), reason: "signature or algorithm"},
		{name: "missing scope for the route", token: valid, arn: writeArn, reason: "lacks scope observations:write"},
		{name: "scope as a prefix only", token: rs(with("scope", "vitals:reader")), reason: "lacks scope vitals:read"},
		{name: "no facility", token: rs(with("facility_id", nil)), reason: "no valid facility_id"},
		{name: "free-text facility", token: rs(with("facility_id", "North Wing")), reason: "no valid facility_id"},
		{name: "no role", token: rs(with("role", "")), reason: "no valid role"},
		{name: "no subject", token: rs(with("sub", nil)), reason: "no valid sub"},
		{name: "garbage token", token: "abc.def", reason: "malformed"},
		{name: "no bearer scheme", header: valid, reason: "no bearer token"},
		{name: "basic scheme", header: "Basic " + valid, reason: "no bearer token"},
		{name: "unknown route", token: valid, arn: arnPrefix + "/DELETE/patients/pt-1/vitals/latest", reason: "no such route"},
		{name: "route with an extra segment", token: valid, arn: arnPrefix + "/GET/patients/pt-1/vitals/latest/x", reason: "no such route"},
		{name: "malformed ARN", token: valid, arn: "not-an-arn", reason: "malformed method ARN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			a := newAuthorizer(t, p, &clock{t: now}, &logs)
			req := request(tt.token, readArn)
			if tt.arn != "" {
				req.MethodArn = tt.arn
			}
			if tt.header != "" {
				req.AuthorizationToken = tt.header
			}
			resp, err := a.Handle(context.Background(), req)
			require.NoError(t, err)
			assertDenied(t, resp)
			assert.Contains(t, logs.String(), `"msg":"authorization denied"`)
			assert.Contains(t, logs.String(), tt.reason)
			if len(tt.token) > 8 {
				assert.NotContains(t, logs.String(), tt.token)
			}
		})
	}
	t.Run("not a TOKEN request", func(t *testing.T) {
		a := newAuthorizer(t, p, &clock{t: now}, &bytes.Buffer{})
		req := request(valid, readArn)
		req.Type = "REQUEST"
		resp, err := a.Handle(context.Background(), req)
		require.NoError(t, err)
		assertDenied(t, resp)
	})
}

func TestAuthorizerKeyRotationAndOutage(t *testing.T) {
	keys(t)
	p := newIDP(t, rsaJWK("rsa-1", &rsaKey.PublicKey))
	clk := &clock{t: now}
	a := newAuthorizer(t, p, clk, &bytes.Buffer{})
	ctx := context.Background()
	ecToken := sign(t, jwt.SigningMethodES256, "ec-new", ecKey, goodClaims())

	resp, err := a.Handle(ctx, request(ecToken, readArn))
	require.NoError(t, err)
	assertDenied(t, resp) // not published yet
	require.Equal(t, int32(1), p.fetches.Load())

	p.mu.Lock()
	p.keys = append(p.keys, ecJWK("ec-new", &ecKey.PublicKey))
	p.mu.Unlock()
	resp, err = a.Handle(ctx, request(ecToken, readArn))
	require.NoError(t, err)
	assertDenied(t, resp)
	assert.Equal(t, int32(1), p.fetches.Load(), "unknown key IDs refresh at most every 30s")

	clk.add(31 * time.Second)
	resp, err = a.Handle(ctx, request(ecToken, readArn))
	require.NoError(t, err)
	assert.Equal(t, "Allow", resp.PolicyDocument.Statement[0].Effect, "the rotated key is found after a refresh")
	assert.Equal(t, int32(2), p.fetches.Load())

	// The issuer goes away: cached keys serve until their TTL, then every request is denied.
	p.srv.Close()
	tok := sign(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, func() jwt.MapClaims { c := goodClaims(); c["exp"] = now.Add(time.Hour).Unix(); return c }())
	resp, err = a.Handle(ctx, request(tok, readArn))
	require.NoError(t, err)
	assert.Equal(t, "Allow", resp.PolicyDocument.Statement[0].Effect)
	clk.add(11 * time.Minute)
	resp, err = a.Handle(ctx, request(tok, readArn))
	require.NoError(t, err)
	assertDenied(t, resp)
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"empty", Config{}, "the issuer must be an https URL"},
		{"http issuer", Config{Issuer: "http://idp.example", Audience: "a"}, "the issuer must be an https URL"},
		{"no audience", Config{Issuer: issuer}, "the audience is required"},
		{"http JWKS", Config{Issuer: issuer, Audience: "a", JWKSURL: "http://idp.example/jwks"}, "the JWKS URL must be an https URL"},
		{"skew too large", Config{Issuer: issuer, Audience: "a", ClockSkew: 10 * time.Minute}, "outside [0, 5m0s]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			require.ErrorContains(t, err, tt.want)
		})
	}
	a, err := New(Config{Issuer: issuer + "/", Audience: "a"})
	require.NoError(t, err)
	assert.Equal(t, issuer+"/.well-known/jwks.json", a.cfg.JWKSURL)
	assert.Equal(t, time.Minute, a.cfg.ClockSkew)
}

func TestParseJWKRejectsWeakOrForeignKeys(t *testing.T) {
	keys(t)
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	require.NoError(t, err)
	offCurve := ecJWK("e", &ecKey.PublicKey)
	offCurve["y"] = b64(big.NewInt(7).FillBytes(make([]byte, 32)))
	encRSA := rsaJWK("r", &rsaKey.PublicKey)
	encRSA["use"] = "enc"
	p384 := ecJWK("e", &ecKey.PublicKey)
	p384["crv"] = "P-384"
	for name, k := range map[string]map[string]string{
		"1024-bit RSA": rsaJWK("r", &small.PublicKey), "point off the curve": offCurve, "encryption key": encRSA,
		"P-384": p384, "symmetric": {"kty": "oct", "kid": "o", "k": "c2VjcmV0"},
	} {
		raw, err := json.Marshal(k)
		require.NoError(t, err)
		var j jwk
		require.NoError(t, json.Unmarshal(raw, &j))
		_, err = parseJWK(j)
		assert.Error(t, err, name)
	}
}
