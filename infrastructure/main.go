// Command infrastructure is the Pulumi program of the HIPAA pipeline (Pulumi.yaml, runtime go).
// It only wires: the program itself is program.Run.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/carepulse/hipaa-pipeline/infrastructure/program"
)

func main() {
	pulumi.Run(program.Run)
}
