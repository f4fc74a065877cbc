// Package program is the whole Pulumi program of the HIPAA pipeline as a function, so main.go,
// tests (under pulumi.WithMocks) and the Automation API inline runner all run the same code:
//
//	pulumi.Run(program.Run)
//
// Run loads and validates the stack config before creating anything, then builds the
// foundation (keys, log settings, network, audit) and hands it to the data plane.
// It makes no provider invokes: account, region and AZs come from config. Provider default
// tags come from aws:defaultTags in the stack file, so the program works the same against AWS
// or a stand-in provider.
package program

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/config"
	"github.com/carepulse/hipaa-pipeline/infrastructure/internal/foundation"
)

// Foundation is what every data-plane component builds on (see package foundation).
type Foundation = foundation.Foundation

// Run is the Pulumi program.
func Run(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}
	f, err := foundation.New(ctx, cfg)
	if err != nil {
		return err
	}
	if err := dataPlane(ctx, f); err != nil {
		return err
	}
	return nil
}
