// Package lambda holds the policies on Lambda resource-based permissions.
package lambda
