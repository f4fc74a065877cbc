// Package iam holds the policies on IAM policy documents.
package iam
