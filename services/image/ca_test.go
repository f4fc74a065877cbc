package image

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// now is the tests' fixed clock.
var now = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)

// testCert returns a PEM certificate, self-signed, valid over [notBefore, notAfter].
func testCert(t *testing.T, cn string, isCA bool, notBefore, notAfter time.Time) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notBefore, NotAfter: notAfter, BasicConstraintsValid: true, IsCA: isCA,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// testCA is a CA certificate valid from a year before now to ten years after.
func testCA(t *testing.T, cn string) []byte {
	t.Helper()
	return testCert(t, cn, true, now.AddDate(-1, 0, 0), now.AddDate(10, 0, 0))
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func TestParseCABundle(t *testing.T) {
	ca1, ca2 := testCA(t, "Test RDS Root 1"), testCert(t, "Test RDS Root 2", true, now.AddDate(-1, 0, 0), now.AddDate(2, 0, 0))
	leaf := testCert(t, "db.example.internal", false, now.AddDate(0, -1, 0), now.AddDate(1, 0, 0))
	expired := testCert(t, "Old Root", true, now.AddDate(-5, 0, 0), now.AddDate(0, 0, -1))
	future := testCert(t, "Future Root", true, now.AddDate(0, 0, 1), now.AddDate(5, 0, 0))
	key := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte{1, 2, 3}})
	badDER := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})

	tests := []struct {
		name    string
		in      []byte
		wantErr string
		wantN   int
		// wantNotValid lists the NotValidNow entries' starts
		wantNotValid []string
	}{
		{name: "one CA", in: ca1, wantN: 1},
		{name: "two CAs with blank lines", in: cat(ca1, []byte("\n\n"), ca2, []byte("\n")), wantN: 2},
		{name: "empty file", in: nil, wantErr: "no CA certificate found"},
		{name: "only whitespace", in: []byte(" \n\t\n"), wantErr: "no CA certificate found"},
		{name: "not PEM", in: []byte("<html>AccessDenied</html>"), wantErr: "not a PEM file"},
		{name: "DER instead of PEM", in: []byte{0x30, 0x82, 0x01, 0x0a}, wantErr: "not a PEM file"},
		{name: "private key block", in: cat(ca1, key), wantErr: `PEM block 2 is a "EC PRIVATE KEY", not a CERTIFICATE`},
		{name: "leaf certificate", in: cat(ca1, leaf), wantErr: "certificate 2 (CN=db.example.internal) is not a CA certificate"},
		{name: "a retired root beside a valid one", in: cat(expired, ca1), wantN: 2,
			wantNotValid: []string{"certificate 1 (CN=Old Root) expired on 2026-12-02T12:00:00Z"}},
		{name: "a future root beside a valid one", in: cat(ca1, future), wantN: 2,
			wantNotValid: []string{"certificate 2 (CN=Future Root) is not valid before 2026-12-04T12:00:00Z"}},
		{name: "only an expired CA", in: expired, wantErr: "no CA certificate is valid at 2026-12-03T12:00:00Z: certificate 1 (CN=Old Root) expired on 2026-12-02T12:00:00Z"},
		{name: "only CAs not valid now", in: cat(future, expired), wantErr: "certificate 1 (CN=Future Root) is not valid before 2026-12-04T12:00:00Z; certificate 2 (CN=Old Root) expired on"},
		{name: "corrupt certificate", in: badDER, wantErr: "certificate 1: x509:"},
		{name: "text before a block", in: cat([]byte("# bundle\n"), ca1), wantErr: "unexpected non-PEM content before PEM block 1"},
		{name: "text after the blocks", in: cat(ca1, []byte("trailing junk\n")), wantErr: "unexpected non-PEM content after PEM block 1"},
		{name: "truncated block", in: ca1[:len(ca1)-30], wantErr: "PEM block 1 is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCABundle(tt.in, now)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.Empty(t, got.PEM)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.wantN, got.Certificates)
			assert.Equal(t, tt.wantNotValid, got.NotValidNow)
			assert.Equal(t, tt.in, got.PEM)
			assert.Len(t, got.SHA256, 64)
		})
	}
}

func TestParseCABundleRecordsHashAndEarliestExpiry(t *testing.T) {
	a := testCert(t, "A", true, now.AddDate(-1, 0, 0), now.AddDate(3, 0, 0))
	b := testCert(t, "B", true, now.AddDate(-1, 0, 0), now.AddDate(1, 0, 0))
	got, err := ParseCABundle(cat(a, b), now)
	require.NoError(t, err)
	assert.Equal(t, now.AddDate(1, 0, 0), got.EarliestExpiry.UTC())
	old := testCert(t, "Old", true, now.AddDate(-3, 0, 0), now.AddDate(0, 0, -1))
	withOld, err := ParseCABundle(cat(old, a), now)
	require.NoError(t, err)
	assert.Equal(t, now.AddDate(3, 0, 0), withOld.EarliestExpiry.UTC(), "an expired certificate is not the first expiry")
	other, err := ParseCABundle(cat(b, a), now)
	require.NoError(t, err)
	assert.NotEqual(t, got.SHA256, other.SHA256, "the hash is of the exact file")
}

func TestLoadCABundle(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.pem")
	require.NoError(t, os.WriteFile(good, testCA(t, "Root"), 0o600))
	notPEM := filepath.Join(dir, "index.html")
	require.NoError(t, os.WriteFile(notPEM, []byte("<html></html>"), 0o600))

	ca, err := LoadCABundle(good, now)
	require.NoError(t, err)
	assert.Equal(t, 1, ca.Certificates)

	_, err = LoadCABundle("", now)
	require.ErrorContains(t, err, "RDS CA bundle: no path given")
	_, err = LoadCABundle(filepath.Join(dir, "missing.pem"), now)
	require.ErrorContains(t, err, "missing.pem")
	require.ErrorIs(t, err, os.ErrNotExist)
	_, err = LoadCABundle(notPEM, now)
	require.ErrorContains(t, err, "index.html: not a PEM file")
}
