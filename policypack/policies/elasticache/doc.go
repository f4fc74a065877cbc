// Package elasticache holds the policies on ElastiCache (Redis OSS / Valkey) replication groups.
package elasticache

const refPulumi = "https://www.pulumi.com/registry/packages/aws/api-docs/elasticache/replicationgroup/"
