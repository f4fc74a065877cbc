package image

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// CABundle is a validated PEM bundle of CA certificates (the RDS global bundle), as it goes into
// the image at CABundlePath.
type CABundle struct {
	PEM []byte
	// SHA256 is the hex SHA-256 of PEM, recorded in the image's labels.
	SHA256 string
	// Certificates is the number of CA certificates in the bundle.
	Certificates int
	// NotValidNow names the certificates that are expired or not yet valid at build time (a
	// published bundle may still carry a retired root, or already a future one); they cannot
	// validate anything then, so they are reported, not refused, as long as one is valid.
	NotValidNow []string
	// EarliestExpiry is the NotAfter of the valid certificate that expires first.
	EarliestExpiry time.Time
}

// LoadCABundle reads and validates the CA bundle at path (see ParseCABundle). The bundle is an
// input of the build: it is never downloaded nor generated here.
func LoadCABundle(path string, now time.Time) (CABundle, error) {
	if path == "" {
		return CABundle{}, errors.New("RDS CA bundle: no path given (RDS_CA_BUNDLE / -rds-ca-bundle: the global bundle AWS publishes for RDS, see services/README.md)")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return CABundle{}, fmt.Errorf("RDS CA bundle %s: %w", path, err)
	}
	ca, err := ParseCABundle(b, now)
	if err != nil {
		return CABundle{}, fmt.Errorf("RDS CA bundle %s: %w", path, err)
	}
	return ca, nil
}

// ParseCABundle accepts only PEM CERTIFICATE blocks (nothing else, not even text between them
// except whitespace), each a CA certificate (basic constraints CA:TRUE), at least one of them
// valid at now; the others are listed in NotValidNow.
func ParseCABundle(b []byte, now time.Time) (CABundle, error) {
	rest := b
	ca := CABundle{}
	for n := 1; ; n++ {
		start := bytes.Index(rest, []byte("-----BEGIN "))
		if start < 0 {
			break
		}
		if len(bytes.TrimSpace(rest[:start])) > 0 {
			return CABundle{}, fmt.Errorf("unexpected non-PEM content before PEM block %d", n)
		}
		var block *pem.Block
		block, rest = pem.Decode(rest[start:])
		if block == nil {
			return CABundle{}, fmt.Errorf("PEM block %d is malformed", n)
		}
		if block.Type != "CERTIFICATE" {
			return CABundle{}, fmt.Errorf("PEM block %d is a %q, not a CERTIFICATE (a CA bundle holds certificates only)", n, block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return CABundle{}, fmt.Errorf("certificate %d: %w", n, err)
		}
		if !cert.BasicConstraintsValid || !cert.IsCA {
			return CABundle{}, fmt.Errorf("certificate %d (%s) is not a CA certificate", n, cert.Subject)
		}
		ca.Certificates++
		switch {
		case now.After(cert.NotAfter):
			ca.NotValidNow = append(ca.NotValidNow, fmt.Sprintf("certificate %d (%s) expired on %s", n, cert.Subject, cert.NotAfter.UTC().Format(time.RFC3339)))
		case now.Before(cert.NotBefore):
			ca.NotValidNow = append(ca.NotValidNow, fmt.Sprintf("certificate %d (%s) is not valid before %s", n, cert.Subject, cert.NotBefore.UTC().Format(time.RFC3339)))
		case ca.EarliestExpiry.IsZero() || cert.NotAfter.Before(ca.EarliestExpiry):
			ca.EarliestExpiry = cert.NotAfter
		}
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		if ca.Certificates == 0 {
			return CABundle{}, errors.New("not a PEM file (no PEM block found)")
		}
		return CABundle{}, fmt.Errorf("unexpected non-PEM content after PEM block %d", ca.Certificates)
	}
	if ca.Certificates == 0 {
		return CABundle{}, errors.New("no CA certificate found (empty PEM bundle)")
	}
	if len(ca.NotValidNow) == ca.Certificates {
		return CABundle{}, fmt.Errorf("no CA certificate is valid at %s: %s", now.UTC().Format(time.RFC3339), strings.Join(ca.NotValidNow, "; "))
	}
	sum := sha256.Sum256(b)
	ca.PEM = b
	ca.SHA256 = hex.EncodeToString(sum[:])
	return ca, nil
}
