package e2e

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/carepulse/hipaa-pipeline/gate/audit"
	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

// BenchmarkPreview measures the wall time of a preview of the prod stack through the real engine,
// with and without the policy pack, in the same run (`make bench-gate`).
func BenchmarkPreview(b *testing.B) {
	for _, c := range []struct {
		name string
		pol  audit.Policy
	}{
		{"without-pack", audit.Policy{}},
		{"with-pack", audit.Policy{Packs: []string{setup.pack}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			e := audit.Env{Offline: true, CLIRoot: setup.cliRoot, CLIVersion: setup.cliVersion,
				PulumiHome: setup.pulumiHome, BackendDir: b.TempDir()}
			s, err := audit.OpenStack(context.Background(), e,
				audit.Target{ProjectDir: filepath.Join(setup.root, "infrastructure"), Stack: "prod", Program: program.Run})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() {
				if err := s.Close(); err != nil {
					b.Error(err)
				}
			})
			for b.Loop() {
				run, err := s.Preview(context.Background(), c.pol, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				if run.Err != nil {
					b.Fatal(run.Err)
				}
			}
		})
	}
}
