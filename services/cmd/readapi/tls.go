package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"time"
)

// deployedPort is the read API's port behind the internal NLB, whose target group speaks TLS.
const deployedPort = "8443"

// Validity of the generated certificate; it is renewed in memory when less than half is left.
const selfSignedValidity = 48 * time.Hour

// serverTLS is the listener's TLS configuration (TLS 1.2+), or nil for plain HTTP:
//   - HIPAA_TLS_CERT_FILE and HIPAA_TLS_KEY_FILE (PEM) set: that certificate;
//   - neither set and the address's port is 8443 (the deployed configuration): a self-signed
//     ECDSA P-256 certificate generated in memory (the NLB's TLS target group accepts any
//     certificate; traffic stays encrypted up to the task);
//   - neither set, another port: nil (plain HTTP, for a laptop).
func serverTLS(getenv func(string) string, addr string) (*tls.Config, error) {
	certFile, keyFile := getenv("HIPAA_TLS_CERT_FILE"), getenv("HIPAA_TLS_KEY_FILE")
	switch {
	case certFile != "" && keyFile != "":
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("HIPAA_TLS_CERT_FILE/HIPAA_TLS_KEY_FILE: load the key pair: %w", err)
		}
		return &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, nil
	case certFile != "" || keyFile != "":
		return nil, errors.New("HIPAA_TLS_CERT_FILE and HIPAA_TLS_KEY_FILE must be set together")
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("HIPAA_LISTEN_ADDR must be [host]:port (has %q)", addr)
	}
	if port != deployedPort {
		return nil, nil
	}
	s := &selfSigned{now: time.Now}
	if _, err := s.certificate(); err != nil { // fail at start, not at the first handshake
		return nil, err
	}
	return &tls.Config{MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return s.certificate() }}, nil
}

// selfSigned holds the generated certificate and renews it before it expires.
type selfSigned struct {
	now  func() time.Time
	mu   sync.Mutex
	cert *tls.Certificate
}

func (s *selfSigned) certificate() (*tls.Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.cert != nil && s.cert.Leaf.NotAfter.Sub(now) > selfSignedValidity/2 {
		return s.cert, nil
	}
	cert, err := generateCertificate(now, selfSignedValidity)
	if err != nil {
		return nil, err
	}
	s.cert = cert
	return cert, nil
}

// generateCertificate makes a self-signed ECDSA P-256 server certificate valid from now (less
// 5 minutes of clock skew) for validity; its private key never leaves memory.
func generateCertificate(now time.Time, validity time.Duration) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: generate the key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "readapi"},
		DNSNames:              []string{"readapi", "localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:             now.Add(-5 * time.Minute),
		NotAfter:              now.Add(validity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: sign: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("self-signed certificate: parse: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}
