// Package lambda holds the policies on Lambda functions and their resource-based permissions.
package lambda
