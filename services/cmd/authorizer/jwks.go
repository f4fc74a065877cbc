package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// jwksMaxBytes bounds the key set document.
const jwksMaxBytes = 1 << 20

// minRSABits is the smallest RSA modulus accepted.
const minRSABits = 2048

// jwk is one key of a JSON Web Key Set (RFC 7517), RSA or EC P-256 only.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// publicKey is a verified key with the one algorithm it may verify.
type publicKey struct {
	alg string // RS256 or ES256
	key any    // *rsa.PublicKey or *ecdsa.PublicKey
}

func b64int(s string) (*big.Int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, errors.New("not base64url")
	}
	return new(big.Int).SetBytes(b), nil
}

// parseJWK turns a JWK into a key; keys not meant for signatures, or of other types, are refused.
func parseJWK(k jwk) (publicKey, error) {
	if k.Use != "" && k.Use != "sig" {
		return publicKey{}, fmt.Errorf("use %q is not sig", k.Use)
	}
	switch k.Kty {
	case "RSA":
		if k.Alg != "" && k.Alg != "RS256" {
			return publicKey{}, fmt.Errorf("RSA key for alg %q, only RS256 is accepted", k.Alg)
		}
		n, err := b64int(k.N)
		if err != nil {
			return publicKey{}, fmt.Errorf("modulus: %w", err)
		}
		e, err := b64int(k.E)
		if err != nil || !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31 {
			return publicKey{}, errors.New("exponent invalid")
		}
		if n.BitLen() < minRSABits {
			return publicKey{}, fmt.Errorf("RSA modulus of %d bits, under %d", n.BitLen(), minRSABits)
		}
		return publicKey{alg: "RS256", key: &rsa.PublicKey{N: n, E: int(e.Int64())}}, nil
	case "EC":
		if k.Crv != "P-256" || (k.Alg != "" && k.Alg != "ES256") {
			return publicKey{}, fmt.Errorf("EC key on %q for alg %q, only P-256 / ES256 is accepted", k.Crv, k.Alg)
		}
		x, errX := base64.RawURLEncoding.DecodeString(k.X)
		y, errY := base64.RawURLEncoding.DecodeString(k.Y)
		if errX != nil || errY != nil || len(x) != 32 || len(y) != 32 {
			return publicKey{}, errors.New("x and y must be 32 bytes of base64url each")
		}
		// ParseUncompressedPublicKey rejects points off the curve (invalid-curve attacks).
		pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), append(append([]byte{4}, x...), y...))
		if err != nil {
			return publicKey{}, errors.New("point is not on P-256")
		}
		return publicKey{alg: "ES256", key: pub}, nil
	default:
		return publicKey{}, fmt.Errorf("key type %q is not RSA or EC", k.Kty)
	}
}

// keySet fetches the issuer's JWKS over HTTPS and caches it; an unknown key ID triggers a
// refresh, at most once per minRefresh, so rotated keys are found and forged key IDs cannot make
// the authorizer hammer the issuer.
type keySet struct {
	url        string
	client     *http.Client
	ttl        time.Duration
	minRefresh time.Duration
	now        func() time.Time

	mu        sync.Mutex
	keys      map[string]publicKey
	fetchedAt time.Time
	triedAt   time.Time
}

func (s *keySet) fetch(ctx context.Context) (map[string]publicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("JWKS request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch JWKS: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch JWKS: HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, jwksMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read JWKS: %w", err)
	}
	if len(body) > jwksMaxBytes {
		return nil, fmt.Errorf("JWKS larger than %d bytes", jwksMaxBytes)
	}
	var doc struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("JWKS is not a JSON key set: %w", err)
	}
	keys := map[string]publicKey{}
	for _, k := range doc.Keys {
		if k.Kid == "" {
			continue // a token names its key: a key without an ID is never selected
		}
		pk, err := parseJWK(k)
		if err != nil {
			continue // one unusable key (e.g. an encryption key) must not hide the others
		}
		keys[k.Kid] = pk
	}
	if len(keys) == 0 {
		return nil, errors.New("JWKS holds no usable RS256 or ES256 signing key")
	}
	return keys, nil
}

// key returns the key of kid, fetching the set when it is missing, stale, or lacks kid.
func (s *keySet) key(ctx context.Context, kid string) (publicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	k, ok := s.keys[kid]
	fresh := s.keys != nil && now.Sub(s.fetchedAt) < s.ttl
	if ok && fresh {
		return k, nil
	}
	if now.Sub(s.triedAt) >= s.minRefresh || !fresh {
		s.triedAt = now
		keys, err := s.fetch(ctx)
		if err != nil && !fresh {
			return publicKey{}, err
		}
		if err == nil {
			s.keys, s.fetchedAt = keys, now
		}
	}
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	return publicKey{}, errors.New("unknown key ID")
}
