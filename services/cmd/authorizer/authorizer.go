package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
)

// Scopes the API's routes require.
const (
	ScopeWrite = "observations:write"
	ScopeRead  = "vitals:read"
)

// MaxClockSkew bounds the configurable leeway on exp/nbf/iat.
const MaxClockSkew = 5 * time.Minute

// route is one method of the API (infrastructure/internal/components/api Routes) and the scope
// it needs. Path segments in braces match one segment.
type route struct {
	method, path, scope string
}

var routes = []route{
	{http.MethodPost, "/observations", ScopeWrite},
	{http.MethodGet, "/patients/{patientId}/vitals/latest", ScopeRead},
	{http.MethodGet, "/patients/{patientId}/vitals/history", ScopeRead},
}

// matchRoute returns the route of a method and concrete path.
func matchRoute(method, path string) (route, bool) {
	got := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range routes {
		if r.method != method {
			continue
		}
		want := strings.Split(strings.Trim(r.path, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		ok := true
		for i := range want {
			if strings.HasPrefix(want[i], "{") {
				ok = ok && got[i] != ""
			} else {
				ok = ok && want[i] == got[i]
			}
		}
		if ok {
			return r, true
		}
	}
	return route{}, false
}

// Config configures the authorizer; from the Lambda's environment with ConfigFromEnv.
type Config struct {
	Issuer    string        // exact `iss` (AUTHORIZER_ISSUER)
	Audience  string        // required in `aud` (AUTHORIZER_AUDIENCE)
	JWKSURL   string        // https URL of the issuer's keys (AUTHORIZER_JWKS_URL; default <issuer>/.well-known/jwks.json)
	ClockSkew time.Duration // leeway on exp/nbf/iat, at most MaxClockSkew (AUTHORIZER_CLOCK_SKEW_SECONDS; default 60)
	JWKSTTL   time.Duration // how long fetched keys are trusted (default 10m)
	Client    *http.Client  // default: 5s timeout
	Now       func() time.Time
	Logger    *slog.Logger
}

// ConfigFromEnv reads the configuration from the environment.
func ConfigFromEnv() (Config, error) {
	cfg := Config{
		Issuer:   os.Getenv("AUTHORIZER_ISSUER"),
		Audience: os.Getenv("AUTHORIZER_AUDIENCE"),
		JWKSURL:  os.Getenv("AUTHORIZER_JWKS_URL"),
	}
	if s := os.Getenv("AUTHORIZER_CLOCK_SKEW_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return Config{}, errors.New("AUTHORIZER_CLOCK_SKEW_SECONDS is not a whole number of seconds")
		}
		cfg.ClockSkew = time.Duration(n) * time.Second
	}
	return cfg, nil
}

// Authorizer validates bearer JWTs and answers API Gateway TOKEN authorizer requests.
type Authorizer struct {
	cfg    Config
	keys   *keySet
	parser *jwt.Parser
}

// New checks the configuration; an error means the Lambda must deny everything.
func New(cfg Config) (*Authorizer, error) {
	var errs []error
	iss, err := url.Parse(cfg.Issuer)
	if cfg.Issuer == "" || err != nil || iss.Scheme != "https" || iss.Host == "" {
		errs = append(errs, errors.New("the issuer must be an https URL"))
	}
	if cfg.Audience == "" {
		errs = append(errs, errors.New("the audience is required"))
	}
	if cfg.JWKSURL == "" && len(errs) == 0 {
		cfg.JWKSURL = strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/jwks.json"
	}
	if u, err := url.Parse(cfg.JWKSURL); cfg.JWKSURL != "" && (err != nil || u.Scheme != "https" || u.Host == "") {
		errs = append(errs, errors.New("the JWKS URL must be an https URL"))
	}
	if cfg.ClockSkew == 0 {
		cfg.ClockSkew = time.Minute
	}
	if cfg.ClockSkew < 0 || cfg.ClockSkew > MaxClockSkew {
		errs = append(errs, fmt.Errorf("the clock skew %s is outside [0, %s]", cfg.ClockSkew, MaxClockSkew))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("authorizer config: %w", err)
	}
	if cfg.JWKSTTL <= 0 {
		cfg.JWKSTTL = 10 * time.Minute
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return &Authorizer{
		cfg:  cfg,
		keys: &keySet{url: cfg.JWKSURL, client: cfg.Client, ttl: cfg.JWKSTTL, minRefresh: 30 * time.Second, now: cfg.Now},
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{"RS256", "ES256"}),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(cfg.ClockSkew),
			jwt.WithTimeFunc(cfg.Now),
		),
	}, nil
}

// claims are the token's claims the authorizer reads.
type claims struct {
	jwt.RegisteredClaims
	Scope      string `json:"scope"`       // space-separated OAuth 2.0 scopes
	FacilityID string `json:"facility_id"` // the caller's facility: the read API shows only its patients
	Role       string `json:"role"`        // e.g. clinician, nurse, device
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

var tokenField = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// decision is the outcome of one request, logged without the token.
type decision struct {
	allow             bool
	reason            string
	subject, facility string
	role              string
	scopes            []string
}

// Handle answers API Gateway: an Allow of the routes the token's scopes grant, or a Deny of
// everything. It never returns an error (that would be a 500, not a 401/403) and never logs or
// echoes the token.
func (a *Authorizer) Handle(ctx context.Context, req events.APIGatewayCustomAuthorizerRequest) (events.APIGatewayCustomAuthorizerResponse, error) {
	d, arnPrefix, rt := a.decide(ctx, req)
	log := a.cfg.Logger.With("route", rt.method+" "+rt.path)
	if !d.allow {
		log.Info("authorization denied", "reason", d.reason, "sub", d.subject)
		return denyAll(), nil
	}
	log.Info("authorization allowed", "sub", d.subject, "facility", d.facility, "role", d.role, "scopes", strings.Join(d.scopes, " "))
	// The answer is cached per token (AuthorizerResultTtlInSeconds): it lists every route the
	// token may call, so a cached answer neither allows too much nor denies a permitted route.
	var resources []string
	for _, r := range routes {
		if hasScope(d.scopes, r.scope) {
			resources = append(resources, arnPrefix+"/"+r.method+pathParam.ReplaceAllString(r.path, "*"))
		}
	}
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: d.subject,
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version:   policyVersion,
			Statement: []events.IAMPolicyStatement{{Action: []string{"execute-api:Invoke"}, Effect: "Allow", Resource: resources}},
		},
		Context: map[string]any{"facilityId": d.facility, "role": d.role, "scope": strings.Join(d.scopes, " ")},
	}, nil
}

func hasScope(scopes []string, want string) bool {
	for _, s := range scopes {
		if s == want {
			return true
		}
	}
	return false
}

// decide validates the request; arnPrefix is "arn:...:<api>/<stage>" of the method ARN.
func (a *Authorizer) decide(ctx context.Context, req events.APIGatewayCustomAuthorizerRequest) (decision, string, route) {
	deny := func(reason string) (decision, string, route) { return decision{reason: reason}, "", route{} }
	if req.Type != "TOKEN" {
		return deny("not a TOKEN authorizer request")
	}
	// arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path...>
	parts := strings.SplitN(req.MethodArn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "execute-api" {
		return deny("malformed method ARN")
	}
	res := strings.SplitN(parts[5], "/", 4)
	if len(res) < 3 {
		return deny("malformed method ARN")
	}
	path := "/"
	if len(res) == 4 {
		path += res[3]
	}
	rt, ok := matchRoute(res[2], path)
	if !ok {
		return deny("no such route")
	}
	arnPrefix := strings.Join(parts[:5], ":") + ":" + res[0] + "/" + res[1]
	scheme, raw, ok := strings.Cut(req.AuthorizationToken, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || raw == "" {
		d, _, _ := deny("no bearer token")
		return d, arnPrefix, rt
	}
	var c claims
	_, err := a.parser.ParseWithClaims(raw, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("token names no key ID")
		}
		k, err := a.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
		if k.alg != t.Method.Alg() {
			return nil, errors.New("key and token algorithms differ")
		}
		return k.key, nil
	})
	if err != nil {
		d, _, _ := deny("invalid token: " + tokenError(err))
		return d, arnPrefix, rt
	}
	d := decision{subject: c.Subject, facility: c.FacilityID, role: c.Role, scopes: strings.Fields(c.Scope)}
	switch {
	case !tokenField.MatchString(c.Subject):
		d.reason = "token has no valid sub"
	case !tokenField.MatchString(c.FacilityID):
		d.reason = "token has no valid facility_id"
	case !tokenField.MatchString(c.Role):
		d.reason = "token has no valid role"
	case !hasScope(d.scopes, rt.scope):
		d.reason = "token lacks scope " + rt.scope
	default:
		d.allow = true
	}
	return d, arnPrefix, rt
}

// tokenError names why a token failed without quoting it.
func tokenError(err error) string {
	for _, e := range []struct {
		target error
		text   string
	}{
		{jwt.ErrTokenMalformed, "malformed"},
		{jwt.ErrTokenSignatureInvalid, "signature or algorithm not accepted"},
		{jwt.ErrTokenUnverifiable, "unverifiable (key)"},
		{jwt.ErrTokenExpired, "expired"},
		{jwt.ErrTokenNotValidYet, "not valid yet"},
		{jwt.ErrTokenUsedBeforeIssued, "issued in the future"},
		{jwt.ErrTokenInvalidIssuer, "wrong issuer"},
		{jwt.ErrTokenInvalidAudience, "wrong audience"},
		{jwt.ErrTokenRequiredClaimMissing, "required claim missing"},
	} {
		if errors.Is(err, e.target) {
			return e.text
		}
	}
	return "rejected"
}
