package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/carepulse/hipaa-pipeline/services/readapi"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// serve starts the read API handler on a loopback port with tlsCfg and returns its address.
func serve(t *testing.T, tlsCfg *tls.Config) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := newServer(ln.Addr().String(), handler(readapi.New(nil, nil, nil)), tlsCfg)
	done := make(chan error, 1)
	go func() { done <- srv.ServeTLS(ln, "", "") }()
	t.Cleanup(func() {
		require.NoError(t, srv.Close())
		assert.ErrorIs(t, <-done, http.ErrServerClosed)
	})
	return ln.Addr().String()
}

// client trusts only the server's leaf certificate (verification on, not skipped).
func client(leaf *x509.Certificate, maxVersion uint16) *http.Client {
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots, MaxVersion: maxVersion}}}
}

func leafOf(t *testing.T, cfg *tls.Config) *x509.Certificate {
	t.Helper()
	if len(cfg.Certificates) > 0 {
		leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
		require.NoError(t, err)
		return leaf
	}
	require.NotNil(t, cfg.GetCertificate)
	cert, err := cfg.GetCertificate(&tls.ClientHelloInfo{})
	require.NoError(t, err)
	return cert.Leaf
}

func TestServerTLSSelfSigned(t *testing.T) {
	cfg, err := serverTLS(env(nil), ":8443")
	require.NoError(t, err)
	require.NotNil(t, cfg, "the deployed port gets TLS without certificate files")
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MinVersion)
	leaf := leafOf(t, cfg)
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	require.True(t, ok, "ECDSA key")
	assert.Equal(t, elliptic.P256(), pub.Curve)
	assert.WithinDuration(t, time.Now().Add(selfSignedValidity), leaf.NotAfter, time.Minute, "short validity")

	addr := serve(t, cfg)
	resp, err := client(leaf, 0).Get("https://" + addr + "/healthz")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok\n", string(body))
	require.NotNil(t, resp.TLS)
	assert.GreaterOrEqual(t, resp.TLS.Version, uint16(tls.VersionTLS12))

	// A TLS 1.1 client cannot complete the handshake.
	_, err = client(leaf, tls.VersionTLS11).Get("https://" + addr + "/healthz")
	require.Error(t, err)

	// Plain HTTP gets no answer from the API: Go's TLS server answers 400 to a clear-text request.
	plain := &http.Client{Timeout: 5 * time.Second}
	resp, err = plain.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	body, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.NotEqual(t, "ok\n", string(body))
	assert.Contains(t, string(body), "HTTP request to an HTTPS server")
}

func TestSelfSignedRenewal(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	s := &selfSigned{now: func() time.Time { return now }}
	first, err := s.certificate()
	require.NoError(t, err)
	assert.Equal(t, now.Add(selfSignedValidity), first.Leaf.NotAfter)
	now = now.Add(selfSignedValidity/2 - time.Minute)
	same, err := s.certificate()
	require.NoError(t, err)
	assert.Same(t, first, same, "kept while more than half its validity is left")
	now = now.Add(2 * time.Minute)
	renewed, err := s.certificate()
	require.NoError(t, err)
	assert.NotSame(t, first, renewed)
	assert.Equal(t, now.Add(selfSignedValidity), renewed.Leaf.NotAfter)
}

func TestServerTLSFromFiles(t *testing.T) {
	cert, err := generateCertificate(time.Now(), time.Hour)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600))

	cfg, err := serverTLS(env(map[string]string{"HIPAA_TLS_CERT_FILE": certFile, "HIPAA_TLS_KEY_FILE": keyFile}), ":9443")
	require.NoError(t, err)
	require.NotNil(t, cfg)
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MinVersion)
	assert.Equal(t, cert.Leaf.SerialNumber, leafOf(t, cfg).SerialNumber, "the files' certificate is served")

	addr := serve(t, cfg)
	resp, err := client(cert.Leaf, 0).Get("https://" + addr + "/healthz")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.GreaterOrEqual(t, resp.TLS.Version, uint16(tls.VersionTLS12))
}

func TestServerTLSSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		addr    string
		wantTLS bool
		wantErr string
	}{
		{"local default: plain HTTP", nil, ":8080", false, ""},
		{"deployed port: generated certificate", nil, ":8443", true, ""},
		{"cert without key", map[string]string{"HIPAA_TLS_CERT_FILE": "/x.crt"}, ":8443", false, "must be set together"},
		{"key without cert", map[string]string{"HIPAA_TLS_KEY_FILE": "/x.key"}, ":8080", false, "must be set together"},
		{"missing files", map[string]string{"HIPAA_TLS_CERT_FILE": "/nonexistent.crt", "HIPAA_TLS_KEY_FILE": "/nonexistent.key"}, ":8443", false, "load the key pair"},
		{"bad address", nil, "8443", false, "HIPAA_LISTEN_ADDR must be [host]:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := serverTLS(env(tt.env), tt.addr)
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				assert.Nil(t, cfg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantTLS, cfg != nil)
		})
	}
}
