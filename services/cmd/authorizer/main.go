// Command authorizer is the API Gateway Lambda (TOKEN) authorizer of the patient-monitoring API.
//
// Until the workload issue gives it real identity checks, it denies every request: a fail-closed
// placeholder, never one that allows. It is built for the provided.al2023 runtime on arm64 as a
// `bootstrap` binary with -tags lambda.norpc (see the root Makefile's `lambda` target).
package main

import "github.com/aws/aws-lambda-go/lambda"

func main() {
	lambda.Start(Handle)
}
