// Command pulumi-resource-aws is a STAND-IN for the Pulumi AWS provider plugin, for offline runs
// of the real Pulumi engine only. It is not AWS and contacts nothing; see gate/README.md.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/carepulse/hipaa-pipeline/gate/internal/standin"
)

func main() {
	err := provider.Main(standin.Name, func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return standin.New(), nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "stand-in aws provider: %v\n", err)
		os.Exit(1)
	}
}
