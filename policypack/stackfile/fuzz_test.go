package stackfile_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/carepulse/hipaa-pipeline/policypack/stackfile"
)

// FuzzParse: any input gives resources or an error, never a panic; whatever parses can be
// written as a fixture and read back to the same number of resources.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/export.json", "testdata/preview.json", "testdata/fixture.json"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"resources": [{"type": "a:b:C", "name": "x", "properties": {"s": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "[1,{\"a\":null}]"}}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, _, err := stackfile.Parse(data)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := stackfile.WriteFixture(&buf, rs); err != nil {
			t.Fatalf("WriteFixture: %v", err)
		}
		back, _, err := stackfile.Parse(buf.Bytes())
		if err != nil {
			t.Fatalf("reading a written fixture: %v\n%s", err, buf.String())
		}
		if len(back) != len(rs) {
			t.Fatalf("wrote %d resources, read %d", len(rs), len(back))
		}
	})
}
