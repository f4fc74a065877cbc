// Command lambdazip packs one executable into a Lambda deployment zip as `bootstrap`, so a fresh
// machine needs nothing but Go. The archive is reproducible: fixed timestamp, fixed mode 0755.
//
//	go run ./cmd/lambdazip -in bin/authorizer/bootstrap -out bin/authorizer.zip
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	in := flag.String("in", "", "path of the executable to pack (required)")
	out := flag.String("out", "", "path of the zip to write (required)")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "lambdazip:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" || out == "" {
		return fmt.Errorf("both -in and -out are required (got -in %q, -out %q)", in, out)
	}
	return Pack(in, out)
}
