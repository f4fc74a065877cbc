// Package kms holds the policies on AWS KMS keys.
package kms
