// Package s3 holds the policies on the S3 buckets that keep logs and audit trails.
package s3
