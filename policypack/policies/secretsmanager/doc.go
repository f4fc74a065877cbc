// Package secretsmanager holds the policies on Secrets Manager secrets, their values and their
// rotation.
package secretsmanager

const refRotation = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html"
